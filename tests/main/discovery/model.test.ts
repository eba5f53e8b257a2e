/**
 * The DNS-SD model over a real cache: resolution when additionals are missing, per-interface sightings,
 * up/changed/down from goodbyes and expiry, link-local zones and the `discover --json` shape. Case numbers
 * are reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import { toDiscoverJson } from '../../../main/discovery/model'
import { RR_TYPE } from '../../../main/discovery/wire'
import { a, aaaa, announce, ptr, setup, srv, txt } from './model/harness'

const HAP = '_hap._tcp.local'
const LAMP = `Porch Lamp.${HAP}`
const HOST = 'porch-lamp.local'
const asked = (model: ReturnType<typeof setup>['model']) =>
  model.pendingQueries().map((q) => `${q.interfaceId} ${q.name.text} ${q.type}`)

describe('resolution without additionals (case 12)', () => {
  it('case 12: a bare PTR asks for SRV and TXT, then A/AAAA of the target, and the device comes up when an address arrives', () => {
    const { model, receive, take } = setup()
    receive('eth0', ptr(HAP, LAMP))
    expect(asked(model)).toEqual([`eth0 ${LAMP} ${RR_TYPE.SRV}`, `eth0 ${LAMP} ${RR_TYPE.TXT}`])
    expect(model.devices()).toEqual([])
    receive('eth0', srv(LAMP, HOST), txt(LAMP, ['id=AA:BB:CC:DD:EE:01']))
    expect(asked(model)).toEqual([`eth0 ${HOST} ${RR_TYPE.A}`, `eth0 ${HOST} ${RR_TYPE.AAAA}`])
    expect(take()).toEqual([])
    receive('eth0', a(HOST, '192.168.1.40'))
    expect(asked(model)).toEqual([])
    expect(take()).toEqual(['up Porch Lamp'])
  })

  it('case 12: an instance resolved except TXT is up and still asks for the TXT', () => {
    const { model, receive, take } = setup()
    receive('eth0', ptr(HAP, LAMP), srv(LAMP, HOST), a(HOST, '192.168.1.40'))
    expect(take()).toEqual(['up Porch Lamp'])
    expect(asked(model)).toEqual([`eth0 ${LAMP} ${RR_TYPE.TXT}`])
  })

  it('case 12: a host already known from another instance is not asked for again', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40'))
    receive('eth0', ptr('_http._tcp.local', `Web._http._tcp.local`), srv(`Web._http._tcp.local`, HOST, 80))
    expect(asked(model)).toEqual([`eth0 Web._http._tcp.local ${RR_TYPE.TXT}`])
    expect(model.devices()[0]?.services.map((s) => s.sightings[0]?.addresses.map((x) => x.address))).toEqual([['192.168.1.40'], ['192.168.1.40']])
  })

  it('ignores PTRs that are not DNS-SD (reverse mapping)', () => {
    const { model, receive } = setup()
    receive('eth0', ptr('40.1.168.192.in-addr.arpa', HOST))
    expect([model.instances(), model.pendingQueries()]).toEqual([[], []])
  })
})

describe('per-interface sightings (case 23)', () => {
  it('case 23: one instance on two interfaces is one device with two sightings, each address with its interface', () => {
    const { model, receive, take } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=1']))
    receive('wlan0', ...announce('Porch Lamp', HOST, '10.0.0.40', ['id=1']))
    expect(take()).toEqual(['up Porch Lamp', 'changed Porch Lamp'])
    const [device] = model.devices()
    expect(device?.services).toHaveLength(1)
    expect(device?.services[0]?.sightings.map((s) => s.interfaceId)).toEqual(['eth0', 'wlan0'])
    expect(device?.addresses.map((x) => `${x.interfaceId} ${x.address}`)).toEqual(['eth0 192.168.1.40', 'wlan0 10.0.0.40'])
    expect(device?.interfaceIds).toEqual(['eth0', 'wlan0'])
  })

  it('case 23: removal on one interface keeps the device; removal on the last takes it down', async () => {
    const { cache, model, receive, advance, flush, take } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=1']))
    receive('wlan0', ...announce('Porch Lamp', HOST, '10.0.0.40', ['id=1']))
    take()
    cache.forgetInterface('wlan0')
    flush()
    expect(take()).toEqual(['changed Porch Lamp'])
    expect(model.devices()[0]?.addresses.map((x) => x.address)).toEqual(['192.168.1.40'])
    receive('eth0', ptr(HAP, LAMP, 0)) // goodbye
    expect(take()).toEqual([]) // kept for its last second (case 20)
    await advance(1000)
    expect(take()).toEqual(['down Porch Lamp'])
    expect(model.devices()).toEqual([])
  })
})

describe('up and down from the cache (cases 20, 22)', () => {
  it('case 22: SRV expiry takes the device down while the PTR lives, and the SRV is asked for again', async () => {
    const { model, receive, advance, take } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=1']))
    take()
    receive('eth0', a(HOST, '192.168.1.40', 4500)) // the address outlives the SRV's 120 s
    await advance(120_000)
    expect(take()).toEqual(['down Porch Lamp'])
    expect(asked(model)).toEqual([`eth0 ${LAMP} ${RR_TYPE.SRV}`])
  })

  it('case 20: the down event carries the device as it was', async () => {
    const { receive, advance, changes } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=1']))
    receive('eth0', ptr(HAP, LAMP, 0))
    await advance(1000)
    expect(changes.map((c) => [c.type, c.device.services[0]?.sightings[0]?.port])).toEqual([['up', 8080], ['down', 8080]])
  })

  it('a TXT change is a changed event; a refresh with the same records is silent', async () => {
    const { receive, advance, take, model } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=1', 'fw=1.0']))
    await advance(2000)
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=1', 'fw=1.0']))
    receive('eth0', txt(LAMP, ['id=1', 'fw=1.1']))
    await advance(1000) // the old TXT's flush second
    expect(take()).toEqual(['up Porch Lamp', 'changed Porch Lamp'])
    expect(toDiscoverJson(model.devices())[0]?.services[0]?.txt).toEqual({ id: '1', fw: '1.1' })
  })
})

describe('IPv6 link-local zones', () => {
  it('link-local addresses carry the interface name as zone; global ones carry none', () => {
    const { model, receive } = setup({ interfaceName: (id) => (id === 'if3' ? 'wlan0' : id) })
    receive('if3', ptr(HAP, LAMP), srv(LAMP, HOST), txt(LAMP, ['id=1']), aaaa(HOST, 'fe80::1'), aaaa(HOST, '2001:db8::1'))
    expect(model.devices()[0]?.addresses).toEqual([
      { address: 'fe80::1', family: 'IPv6', interfaceId: 'if3', interfaceName: 'wlan0', zone: 'wlan0', connectAddress: 'fe80::1%wlan0' },
      { address: '2001:db8::1', family: 'IPv6', interfaceId: 'if3', interfaceName: 'wlan0', zone: undefined, connectAddress: '2001:db8::1' },
    ])
  })
})

describe('toDiscoverJson (issue #4 point 6)', () => {
  it('prints {id, name, services:[{instance, type, port, host, txt, addresses:[{address, family, interface}]}]}', () => {
    const { model, receive } = setup()
    receive('eth0', ...announce('Porch Lamp', HOST, '192.168.1.40', ['id=AA:BB', 'md=Lamp', 'paired']))
    receive('wlan0', ptr(HAP, LAMP), srv(LAMP, HOST), txt(LAMP, ['id=AA:BB', 'md=Lamp', 'paired']), aaaa(HOST, 'fe80::1'))
    const json = toDiscoverJson(model.devices())
    expect(json).toEqual([{
      id: expect.stringMatching(/^id-[0-9a-f]{16}$/) as unknown,
      name: 'Porch Lamp',
      services: [{
        instance: 'Porch Lamp', type: '_hap._tcp', port: 8080, host: HOST, txt: { id: 'AA:BB', md: 'Lamp', paired: true },
        addresses: [
          { address: '192.168.1.40', family: 'IPv4', interface: 'eth0' },
          { address: 'fe80::1%wlan0', family: 'IPv6', interface: 'wlan0' },
        ],
      }],
    }])
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })
})
