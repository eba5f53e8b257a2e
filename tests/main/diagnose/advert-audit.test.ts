import dnsPacket, { type Answer } from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { auditAdvertisement } from '../../../main/diagnose/advert-audit'
import { DiagnoseCheck } from '../../../shared/diagnose/view'
import type { DiscoveredDevice, DiscoveredService, RawPacket } from '../../../shared/discovery/view'
import type { NetInterface } from '../../../shared/net/interfaces'

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0)
const TYPE = '_esp_local_ctrl._tcp'
const SVC = `${TYPE}.local`
const DEV_IP = '198.18.0.11'

type Rec = Answer & { flush?: boolean }
const ptr = (instance = 'Lamp', ttl = 4500, flush = false): Rec => ({ type: 'PTR', name: SVC, ttl, data: `${instance}.${SVC}`, flush })
const srv = (instance = 'Lamp', target = 'lamp.local', ttl = 120, flush = true): Rec => ({ type: 'SRV', name: `${instance}.${SVC}`, ttl, flush, data: { port: 8080, target } })
const txt = (strings: (string | Buffer)[] = ['id=02706c780001', 'ctl=7300'], instance = 'Lamp', ttl = 4500): Rec =>
  ({ type: 'TXT', name: `${instance}.${SVC}`, ttl, flush: true, data: strings.map((s) => (typeof s === 'string' ? Buffer.from(s) : s)) })
const a = (address = DEV_IP, ttl = 120, host = 'lamp.local', flush = true): Rec => ({ type: 'A', name: host, ttl, flush, data: address })
const aaaa = (address = 'fe80::11', ttl = 120, host = 'lamp.local'): Rec => ({ type: 'AAAA', name: host, ttl, flush: true, data: address })
const full = (instance = 'Lamp', ttl = { host: 120, other: 4500 }): Rec[] => [ptr(instance, ttl.other), srv(instance, 'lamp.local', ttl.host), txt(undefined, instance, ttl.other), a(DEV_IP, ttl.host), aaaa('fe80::11', ttl.host)]

/** A response as discovery keeps it: the datagram hex, when, where and from whom. */
function pkt(answers: Rec[], additionals: Rec[] = [], at = T0, from = `${DEV_IP} port 5353`, iface = 'wlan0'): RawPacket {
  const hex = dnsPacket.encode({ type: 'response', id: 0, flags: dnsPacket.AUTHORITATIVE_ANSWER, answers, additionals }).toString('hex')
  return { at, interface: iface, from, hex, lines: [] }
}

function service(over: Partial<DiscoveredService> = {}): DiscoveredService {
  return {
    instance: 'Lamp', type: TYPE, domain: 'local', subtypes: [], host: 'lamp.local', port: 8080, txt: [], txtRaw: [],
    addresses: [{ address: DEV_IP, family: 'IPv4', interface: 'wlan0' }], interfaces: ['wlan0'], resolved: true, ...over,
  }
}
function device(services: DiscoveredService[] = [service()], over: Partial<DiscoveredDevice> = {}): DiscoveredDevice {
  return {
    id: 'id:02706c780001', name: services[0]?.instance ?? 'x', groupedBy: 'id', types: [TYPE], interfaces: ['wlan0'], services, addresses: [],
    status: 'up', firstSeenAt: T0, lastChangeAt: T0, history: [], ...over,
  }
}
const wlan0: NetInterface = {
  name: 'wlan0', kind: 'wifi', kindReason: 'test', isUp: true, isInternal: false,
  addresses: [{ address: '198.18.0.2', family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'global' }, { address: 'fd00::2', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'site' }],
}

/** Runs the audit and returns its checks by id, each validated against the shared schema. */
function audit(packets: RawPacket[], dev = device(), options: Parameters<typeof auditAdvertisement>[2] = { now: T0 + 60_000, interfaces: [wlan0] }) {
  const checks = auditAdvertisement(dev, packets, options)
  for (const c of checks) DiagnoseCheck.parse(c)
  return new Map(checks.map((c) => [c.id, c]))
}
const healthy = () => [pkt(full()), pkt(full(), [], T0 + 1000), pkt([ptr()], full().slice(1), T0 + 5000)]

describe('auditAdvertisement', () => {
  it('skips with a reason when no packets were captured yet', () => {
    const checks = auditAdvertisement(device(), [], { now: T0 })
    expect(checks).toHaveLength(1)
    expect(checks[0]).toMatchObject({ id: 'advert-packets', group: 'device', status: 'skip' })
    expect(checks[0]?.summary).toMatch(/No packets .* captured yet/)
  })

  it('a conforming responder passes every rule it can be judged on, and each check names its case', () => {
    const checks = audit(healthy())
    expect([...checks.values()].filter((c) => c.status === 'warn' || c.status === 'fail').map((c) => [c.id, c.summary])).toEqual([])
    expect([...checks.keys()]).toEqual(['advert-packets', 'advert-additionals', 'advert-duplicates', 'advert-ttl', 'advert-cache-flush', 'advert-srv-target', 'advert-txt',
      'advert-addresses', 'advert-conflicts', 'advert-instances', 'advert-rate-limit', 'advert-updates', 'advert-goodbye'])
    for (const c of checks.values()) {
      expect(c.group).toBe('device')
      if (c.id !== 'advert-packets') expect(c.title).toMatch(/\(cases? \d+/)
    }
    expect(checks.get('advert-additionals')?.status).toBe('pass')
    expect(checks.get('advert-goodbye')?.status).toBe('skip')
    expect(checks.get('advert-packets')?.facts?.notObservable).toContainEqual({ case: 43, why: expect.stringMatching(/capture/) })
  })

  it('case 39: a PTR answer without SRV/TXT/addresses and an SRV answer without addresses warn; a complete one passes', () => {
    const bad = audit([pkt([ptr()], [], T0), pkt([srv()], [], T0 + 300), pkt([a(), aaaa()], [], T0 + 600)]).get('advert-additionals')
    expect(bad?.status).toBe('warn')
    expect(bad?.summary).toMatch(/PTR answer for Lamp\._esp_local_ctrl\._tcp\.local .* without SRV, TXT/)
    expect(bad?.summary).toMatch(/extra queries/)
    expect(bad?.facts?.findings).toContainEqual(expect.stringMatching(/^SRV answer .* without A\/AAAA of lamp\.local/))
    expect(bad?.advice).toMatch(/RFC 6763 §12/)
    expect(audit([pkt([srv()], [a(), aaaa()])]).get('advert-additionals')?.status).toBe('pass')
  })

  it('case 39: the same record twice in one packet warns', () => {
    expect(audit([pkt([...full(), a()])]).get('advert-duplicates')).toMatchObject({ status: 'warn', facts: { findings: [expect.stringMatching(/^A lamp\.local 198\.18\.0\.11 twice/)] } })
  })

  it('case 40: host records at 4500 s and PTRs at 28 800 s are stale-prone', () => {
    const host = audit([pkt(full('Lamp', { host: 4500, other: 4500 }))]).get('advert-ttl')
    expect(host?.status).toBe('warn')
    expect(host?.summary).toMatch(/TTL 4500 s where 120 s.*up to 75 minutes/)
    expect(host?.advice).toMatch(/DHCP reservation/)
    const ptrs = audit([pkt([ptr('Lamp', 28_800), ...full().slice(1)])]).get('advert-ttl')
    expect(ptrs).toMatchObject({ status: 'warn', facts: { ttls: { PTR: [28_800], A: [120] } } })
    expect(audit([pkt(full())]).get('advert-ttl')?.status).toBe('pass')
  })

  it('case 38: a unique record without the cache-flush bit, or a shared PTR with it, warns', () => {
    const noFlush = audit([pkt([ptr(), srv('Lamp', 'lamp.local', 120, false), txt(), a(DEV_IP, 120, 'lamp.local', false), aaaa()])]).get('advert-cache-flush')
    expect(noFlush).toMatchObject({ status: 'warn', facts: { missingFlush: ['SRV Lamp._esp_local_ctrl._tcp.local', 'A lamp.local'] } })
    const flushedPtr = audit([pkt([ptr('Lamp', 4500, true), ...full().slice(1)])]).get('advert-cache-flush')
    expect(flushedPtr?.summary).toMatch(/other devices of this kind briefly vanish/)
  })

  it('case 41: an SRV target with no address fails; a non-.local target warns', () => {
    const dev = device([service({ host: 'nowhere.local', addresses: [] })])
    const fail = audit([pkt([ptr(), srv('Lamp', 'nowhere.local'), txt()])], dev).get('advert-srv-target')
    expect(fail?.status).toBe('fail')
    expect(fail?.summary).toMatch(/"Lamp" points at "nowhere\.local", which has no address/)
    const remote = audit([pkt([ptr(), srv('Lamp', 'lamp.example.com'), txt(), a(DEV_IP, 120, 'lamp.example.com')])], device([service({ host: 'lamp.example.com' })]))
    expect(remote.get('advert-srv-target')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/not a \.local name/) })
  })

  it('RFC 6763 §6: a missing TXT, zero strings, key-less, duplicate and non-ASCII keys warn; one empty string passes', () => {
    expect(audit([pkt([ptr(), srv(), a(), aaaa()])]).get('advert-txt')?.summary).toMatch(/has no TXT record/)
    expect(audit([pkt([ptr(), srv(), txt([]), a(), aaaa()])]).get('advert-txt')?.summary).toMatch(/single zero byte/)
    const odd = audit([pkt([ptr(), srv(), txt(['id=1', 'ID=2', '=nokey', Buffer.from([0xff, 0x3d, 0x31])]), a(), aaaa()])]).get('advert-txt')
    expect(odd?.status).toBe('warn')
    expect(odd?.facts?.findings).toEqual([
      expect.stringMatching(/"ID=2" repeats a key/), expect.stringMatching(/"=nokey" has no key/), expect.stringMatching(/non-printable or non-ASCII/),
    ])
    expect(audit([pkt([ptr(), srv(), txt([Buffer.alloc(0)]), a(), aaaa()])]).get('advert-txt')?.status).toBe('pass')
  })

  it('case 37: an address from another network, a 169.254 left-over, a missing source address and a missing family warn', () => {
    const other = audit([pkt([...full(), a('10.9.8.7')])]).get('advert-addresses')
    expect(other).toMatchObject({ status: 'warn', summary: expect.stringMatching(/not on the network it was heard on: 10\.9\.8\.7/) })
    const ll = audit([pkt([...full(), a('169.254.3.4')])], device(), { now: T0 }).get('advert-addresses')
    expect(ll?.summary).toMatch(/169\.254\.3\.4 \(received on wlan0 from a routable address\)/)
    expect(ll?.facts?.interfaceInfo).toBe(false)
    const source = audit([pkt(full(), [], T0, '198.18.0.99 port 5353')]).get('advert-addresses')
    expect(source?.summary).toMatch(/leaves out the address it sends from.*198\.18\.0\.99/)
    const family = audit([pkt(full()), pkt([a()], [], T0 + 2000)]).get('advert-addresses')
    expect(family?.summary).toMatch(/has only A for "lamp\.local"/)
    expect(audit([pkt([...full(), aaaa('fd00::11')])]).get('advert-addresses')?.status).toBe('pass')
  })

  it('case 32: two responders alternating different data for one name, or a "(2)" rename, warn', () => {
    const other = `198.18.0.12 port 5353`
    const flap = [pkt(full()), pkt([srv('Lamp', 'lamp-2.local'), a('198.18.0.12', 120, 'lamp-2.local')], [], T0 + 2000, other), pkt(full(), [], T0 + 4000)]
    const c = audit(flap).get('advert-conflicts')
    expect(c?.status).toBe('warn')
    expect(c?.summary).toMatch(/SRV records of "Lamp\._esp_local_ctrl\._tcp\.local" alternate .*198\.18\.0\.12/)
    const moved = audit([pkt(full()), pkt([srv('Lamp', 'lamp.local'), a('198.18.0.20')], [], T0 + 9000, '198.18.0.20 port 5353')]).get('advert-conflicts')
    expect(moved?.status, 'a plain change of address is an update, not a conflict').toBe('pass')
    const renamed = audit([pkt(full('Lamp (2)'))], device([service({ instance: 'Lamp (2)' })])).get('advert-conflicts')
    expect(renamed).toMatchObject({ status: 'warn', summary: expect.stringMatching(/renamed itself to "Lamp \(2\)"/) })
  })

  it('cases 31/32: the same device under several instance names of one type warns', () => {
    const dev = device([service(), service({ instance: 'Lamp (2)' })])
    const c = audit([pkt(full()), pkt(full('Lamp (2)'), [], T0 + 2000)], dev).get('advert-instances')
    expect(c).toMatchObject({ status: 'warn', summary: expect.stringMatching(/under 2 names: "Lamp", "Lamp \(2\)"/) })
  })

  it('case 34: a record multicast twice within a second warns; QU unicast answers do not count', () => {
    expect(audit([pkt(full()), pkt(full(), [], T0 + 300)]).get('advert-rate-limit')).toMatchObject({ status: 'warn', facts: { minGapMs: 300 } })
    expect(audit([pkt(full()), pkt(full(), [], T0 + 300, `${DEV_IP} port 5353 (unicast)`)]).get('advert-rate-limit')?.status).toBe('skip')
  })

  it('case 31: more than 10 changes of a record within a minute warn', () => {
    const packets = Array.from({ length: 13 }, (_, i) => pkt([txt([`n=${i}`])], [], T0 + i * 3000))
    expect(audit([pkt(full()), ...packets]).get('advert-updates')).toMatchObject({ status: 'warn', facts: { maxChangesPerMinute: 13 } })
  })

  it('case 42: a goodbye passes; a device gone without one warns', () => {
    expect(audit([pkt(full()), pkt(full('Lamp', { host: 0, other: 0 }), [], T0 + 3000)]).get('advert-goodbye')?.status).toBe('pass')
    const gone = audit(healthy(), device([service()], { status: 'down' })).get('advert-goodbye')
    expect(gone).toMatchObject({ status: 'warn', summary: expect.stringMatching(/without a goodbye/) })
  })

  it('hostile names stay literal text, shortened in sentences and whole in the facts', () => {
    const evil = `<img src=x onerror=alert(1)>${'W'.repeat(34)}`
    expect(Buffer.byteLength(evil)).toBeLessThanOrEqual(63)
    const host = `${'h'.repeat(60)}.local`
    const dev = device([service({ instance: evil, host, addresses: [] })], { name: evil })
    const checks = audit([pkt([ptr(evil), srv(evil, host), txt(['<b>=</b>', '<b>=x'], evil)])], dev)
    const target = checks.get('advert-srv-target')
    expect(target?.status).toBe('fail')
    expect(target?.summary).toContain('"<img src=x onerror=alert(1)>')
    expect(target?.summary).toContain('…"')
    expect(target?.facts?.targets).toEqual({ [host]: [] })
    expect(checks.get('advert-txt')?.facts?.findings).toContainEqual(expect.stringContaining('"<b>=x" repeats a key'))
    expect(checks.get('advert-packets')?.summary).toContain('"<img src=x onerror=alert(1)>')
  })

  it('malformed packets are skipped and counted, never thrown; good records of a damaged packet are kept', () => {
    const good = pkt(full())
    const bytes = Buffer.from(good.hex, 'hex')
    const cut = { ...good, hex: bytes.subarray(0, bytes.length - 3).toString('hex'), at: T0 + 2000 }
    const checks = audit([good, { ...good, hex: 'zz' }, { ...good, hex: '0000', at: T0 + 1 }, cut])
    const head = checks.get('advert-packets')
    expect(head).toMatchObject({ status: 'warn', facts: { packets: 4, used: 2, malformed: 2, droppedRecords: 1 } })
    expect(head?.facts?.malformedReasons).toEqual([expect.stringMatching(/not hex/), expect.stringMatching(/header-truncated/)])
    expect(checks.get('advert-srv-target')?.status).toBe('pass')
    // Damaged copies of a good response (a byte changed, the tail cut) go through every rule without a throw.
    for (let seed = 1; seed < 400; seed++) {
      const junk = Buffer.from(bytes.subarray(0, bytes.length - (seed % 40)))
      junk[12 + ((seed * 7) % (junk.length - 12))] = (seed * 13) & 0xff
      expect(() => auditAdvertisement(device(), [good, { ...good, hex: junk.toString('hex'), at: T0 + seed }], { now: T0 })).not.toThrow()
    }
  })

  it('packets without any record of this device leave only the overview', () => {
    const checks = auditAdvertisement(device(), [pkt([ptr('Other'), srv('Other', 'other.local')])], { now: T0 })
    expect(checks.map((c) => c.id)).toEqual(['advert-packets'])
    expect(checks[0]?.summary).toMatch(/None of them carries a record of this device/)
  })
})
