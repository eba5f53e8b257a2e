/**
 * Devices, not records: grouping by TXT id, mac, host and address; names as exact text; TXT rules flowing
 * through; subtypes and service-type enumeration. Case numbers are reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import { normalizeMac, toDiscoverJson } from '../../../../main/discovery/model'
import { MAX_LABEL_OCTETS } from '../../../../main/discovery/wire'
import { a, announce, ptr, setup, srv, txt } from './harness'

const names = (model: ReturnType<typeof setup>['model']) =>
  model.devices().map((d) => `${d.keyKind} ${d.name}: ${d.services.map((s) => `${s.instance}/${s.type}`).join(', ')}`)

describe('grouping instances into devices', () => {
  it('the same TXT id on two hosts is one device with all services and addresses', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Lamp', 'lamp-a.local', '192.168.1.40', ['id=AA:BB:CC:DD:EE:01']))
    receive('eth0', ...announce('Lamp Web', 'lamp-b.local', '192.168.1.41', ['ID=aa:bb:cc:dd:ee:01'], '_http._tcp.local'))
    expect(names(model)).toEqual(['id Lamp: Lamp/_hap._tcp, Lamp Web/_http._tcp'])
    expect(model.devices()[0]?.addresses.map((x) => x.address)).toEqual(['192.168.1.40', '192.168.1.41'])
  })

  it('different ids on one bridge host stay separate devices; a host-only service there stays on its own', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Bridge A', 'bridge.local', '192.168.1.5', ['id=1']))
    receive('eth0', ...announce('Bridge B', 'bridge.local', '192.168.1.5', ['id=2']))
    receive('eth0', ...announce('Bridge UI', 'bridge.local', '192.168.1.5', [], '_http._tcp.local'))
    expect(names(model)).toHaveLength(3)
  })

  it('TXT mac groups across formats, and joins the one id-device that carries the same mac', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Plug', 'plug-1.local', '192.168.1.50', ['mac=AA-BB-CC-DD-EE-FF'], '_esphomelib._tcp.local'))
    receive('eth0', ...announce('Plug API', 'plug-2.local', '192.168.1.51', ['mac=aabb.ccdd.eeff'], '_http._tcp.local'))
    expect(names(model)).toEqual(['mac Plug: Plug/_esphomelib._tcp, Plug API/_http._tcp'])
    receive('eth0', ...announce('Plug HAP', 'plug-3.local', '192.168.1.52', ['id=77', 'mac=aa:bb:cc:dd:ee:ff']))
    expect(names(model)).toEqual(['id Plug: Plug/_esphomelib._tcp, Plug API/_http._tcp, Plug HAP/_hap._tcp'])
    expect([normalizeMac('AA:BB:CC:DD:EE:FF'), normalizeMac('not-a-mac'), normalizeMac('aa:bb:cc')]).toEqual(['aabbccddeeff', undefined, undefined])
  })

  it('without id or mac, services on one host are one device; a host-only service joins the id-device on its host', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Printer', 'printer.local', '192.168.1.60', [], '_ipp._tcp.local'))
    receive('eth0', ...announce('Printer Web', 'printer.local', '192.168.1.60', [], '_http._tcp.local'))
    expect(names(model)).toEqual(['host Printer: Printer/_ipp._tcp, Printer Web/_http._tcp'])
    receive('eth0', ...announce('Printer HAP', 'printer.local', '192.168.1.60', ['id=9']))
    expect(names(model)).toEqual(['id Printer: Printer/_ipp._tcp, Printer HAP/_hap._tcp, Printer Web/_http._tcp'])
  })

  it('host-keyed services on two host names that share an address are one device', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('NAS', 'nas.local', '192.168.1.70', [], '_smb._tcp.local'))
    receive('eth0', ...announce('NAS Web', 'nas-2.local', '192.168.1.70', [], '_http._tcp.local'))
    expect(names(model)).toEqual(['host NAS: NAS/_smb._tcp, NAS Web/_http._tcp'])
  })

  it('the device id is stable across runs and says nothing about the raw key', () => {
    const first = setup()
    const second = setup()
    for (const { receive } of [first, second]) receive('eth0', ...announce('Lamp', 'lamp.local', '192.168.1.40', ['id=<b>x</b>']))
    const [one, two] = [first.model.devices()[0]?.id, second.model.devices()[0]?.id]
    expect(one).toMatch(/^id-[0-9a-f]{16}$/)
    expect(one).toBe(two)
  })

  it('the name is TXT name or fn before the instance name', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Chromecast-abc123', 'cc.local', '192.168.1.80', ['id=cc', 'fn=Living Room TV'], '_googlecast._tcp.local'))
    expect(model.devices()[0]?.name).toBe('Living Room TV')
  })
})

describe('untrusted names stay exact text (case 10)', () => {
  const hostile = ['<img src=x onerror=alert(1)>', 'Living.Room Lamp', 'Küche 💡 "Licht"', 'x'.repeat(MAX_LABEL_OCTETS)]

  it.each(hostile)('case 10: instance %j keeps its exact text in the model and the JSON', (label) => {
    const { model, receive } = setup()
    const escaped = label.replace(/\\/g, '\\\\').replace(/\./g, '\\.')
    receive('eth0', ...announce(escaped, 'dev.local', '192.168.1.90', [`id=${label.length}`]))
    const [service] = toDiscoverJson(model.devices())[0]?.services ?? []
    expect([model.devices()[0]?.name, service?.instance, service?.type]).toEqual([label, label, '_hap._tcp'])
  })

  it('case 10: a script in TXT name is the device name as text, and a __proto__ key stays a key', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Lamp', 'lamp.local', '192.168.1.40', ['name=<script>alert(1)</script>', '__proto__=x']))
    const [device] = toDiscoverJson(model.devices())
    expect(device?.name).toBe('<script>alert(1)</script>')
    expect(Object.getPrototypeOf(device?.services[0]?.txt)).toBe(Object.prototype)
    expect(Object.keys(device?.services[0]?.txt ?? {})).toEqual(['name', '__proto__'])
  })
})

describe('TXT rules flow through (cases 8, 9)', () => {
  it('case 9: the first of duplicate keys wins, keys are case-insensitive, =value is ignored; raw strings are kept', () => {
    const { model, receive } = setup()
    const strings = ['ID=first', 'id=second', '=orphan', 'flag', 'empty=', 'eq=a=b\nc']
    receive('eth0', ...announce('Lamp', 'lamp.local', '192.168.1.40', strings))
    receive('eth0', ...announce('Lamp Web', 'lamp2.local', '192.168.1.41', ['id=FIRST'], '_http._tcp.local'))
    const [device] = model.devices()
    expect(device?.services).toHaveLength(2) // grouped by the first id, compared case-insensitively
    const lamp = device?.services.find((s) => s.instance === 'Lamp')?.sightings[0]
    expect(lamp?.txtStrings?.map((s) => new TextDecoder().decode(s))).toEqual(strings)
    expect(toDiscoverJson(model.devices())[0]?.services[0]?.txt).toEqual({ ID: 'first', flag: true, empty: '', eq: 'a=b\nc' })
  })
})

describe('subtypes and service-type enumeration (case 11)', () => {
  it('case 11: a subtype PTR maps to the base type and merges with the base PTR', () => {
    const { model, receive } = setup()
    const printer = 'Office._http._tcp.local'
    receive('eth0', ptr('_printer._sub._http._tcp.local', printer), srv(printer, 'office.local', 80), txt(printer, []), a('office.local', '192.168.1.9'))
    receive('eth0', ptr('_http._tcp.local', printer))
    expect(model.instances().map((i) => [i.instance, i.type, i.domain, i.subtypes])).toEqual([['Office', '_http._tcp', 'local', ['_printer']]])
    expect(model.devices()).toHaveLength(1)
  })

  it('case 11: _services._dns-sd._udp PTRs list the types seen, per interface, and make no instances', () => {
    const { model, receive, typeLists } = setup()
    const enumeration = '_services._dns-sd._udp.local'
    receive('eth0', ptr(enumeration, '_hap._tcp.local'), ptr(enumeration, '_http._tcp.local'))
    receive('wlan0', ptr(enumeration, '_HAP._tcp.local'))
    expect(model.serviceTypes().map((t) => `${t.name.text} ${t.interfaceIds.join(',')}`)).toEqual(['_hap._tcp.local eth0,wlan0', '_http._tcp.local eth0'])
    expect([model.instances(), model.pendingQueries(), typeLists.length]).toEqual([[], [], 2])
  })
})
