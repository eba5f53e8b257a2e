/**
 * The crowd responder's pure core: device naming, the label-array codec (read back by dns-packet, an
 * independent decoder), packing into 1,400-byte packets, known-answer suppression and the TC wait.
 */
import dnsPacket from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { createFakeClock } from '../../helpers/fake-clock'
import { ContinuationTracker, type PendingQuery } from './continuation'
import { crowdDevices, HOSTILE_PREFIX, resolveCrowdOptions } from './devices'
import { encodeQuery, encodeResponse, type Question, RR, recordKey } from './dns'
import { decodeQuery } from './dns-read'
import { packResponse } from './pack'
import { CrowdZone, ENUMERATION } from './zone'

const TYPE = ['_esp_local_ctrl', '_tcp', 'local']
const ptrQuestion = (unicastResponse = false): Question => ({ name: TYPE, type: RR.PTR, unicastResponse })
const zoneOf = (count: number, extra: Parameters<typeof resolveCrowdOptions>[0] = { count }) =>
  new CrowdZone(resolveCrowdOptions({ ...extra, count }), '198.18.0.11', 'fe80::1')

describe('crowd devices', () => {
  it('names device k with the prefix, its own host and a unique id, and mixes types in turn', () => {
    const devices = crowdDevices({ count: 4, hostileNames: true, types: ['_esp_local_ctrl._tcp', '_http._tcp'], port: 80, portSpread: 2 })
    expect(devices.map((d) => d.instanceName)).toEqual([1, 2, 3, 4].map((k) => `${HOSTILE_PREFIX}${k}`))
    expect(devices.map((d) => [d.type, d.hostName, d.port])).toEqual([
      ['_esp_local_ctrl._tcp', 'crowd-1.local', 80], ['_http._tcp', 'crowd-2.local', 81], ['_esp_local_ctrl._tcp', 'crowd-3.local', 80], ['_http._tcp', 'crowd-4.local', 81],
    ])
    expect(devices[2]?.txt).toEqual(['id=02c0de000003', 'vendor=Espressif', 'md=ESP32-C3-Crowd'])
    expect(new Set(crowdDevices({ count: 1000 }).map((d) => d.id)).size).toBe(1000)
  })

  it('refuses options a device cannot carry', () => {
    expect(() => crowdDevices({ count: 0 })).toThrow(/count/)
    expect(() => crowdDevices({ count: 1, types: ['http'] })).toThrow(/types/)
    expect(() => crowdDevices({ count: 1, namePrefix: 'x'.repeat(63) })).toThrow(/63 bytes/)
  })
})

describe('crowd DNS codec', () => {
  it('writes compressed responses that dns-packet reads back, with flush bits, legacy TTL caps and goodbyes', () => {
    const zone = zoneOf(2)
    const groups = zone.answer([ptrQuestion()], [])
    const buf = encodeResponse({ answers: groups.flatMap((g) => g.answers), additionals: groups.flatMap((g) => g.additionals), mode: 'multicast' })
    const packet = dnsPacket.decode(buf)
    expect(packet.flag_aa).toBe(true)
    expect(packet.answers?.map((a) => [a.type, a.name, 'data' in a ? a.data : undefined])).toEqual([
      ['PTR', '_esp_local_ctrl._tcp.local', 'Crowd Device 1._esp_local_ctrl._tcp.local'],
      ['PTR', '_esp_local_ctrl._tcp.local', 'Crowd Device 2._esp_local_ctrl._tcp.local'],
    ])
    const srv = packet.additionals?.find((a) => a.type === 'SRV')
    expect(srv).toMatchObject({ name: 'Crowd Device 1._esp_local_ctrl._tcp.local', ttl: 120, flush: true, data: { port: 8080, target: 'crowd-1.local' } })
    expect(packet.additionals?.filter((a) => a.type === 'AAAA').map((a) => 'data' in a && a.data)).toEqual(['fe80::1', 'fe80::1'])
    // dns-packet never compresses; ours must be much smaller for the same records.
    expect(buf.length).toBeLessThan(dnsPacket.encode(packet).length * 0.7)

    const legacy = dnsPacket.decode(encodeResponse({ answers: [zone.device(1).srv], additionals: [], mode: 'legacy', echo: { id: 0x1234, questions: [{ name: zone.device(1).srv.name, type: RR.SRV, unicastResponse: false }] } }))
    expect(legacy).toMatchObject({ id: 0x1234, questions: [{ name: 'Crowd Device 1._esp_local_ctrl._tcp.local', type: 'SRV' }] })
    expect(legacy.answers?.[0]).toMatchObject({ ttl: 10, flush: false })
    expect(dnsPacket.decode(encodeResponse({ answers: [zone.device(1).ptr], additionals: [], mode: 'goodbye' })).answers?.[0]).toMatchObject({ ttl: 0 })
  })

  it('keeps dots inside labels and reads QU bits, TC and known answers of a query', () => {
    const zone = zoneOf(3, { count: 3, namePrefix: 'Lamp.v2 #' })
    const known = [{ ...zone.device(2).ptr, ttl: 4000 }]
    const decoded = decodeQuery(encodeQuery({ questions: [ptrQuestion(true)], known, truncated: true }))
    expect(decoded.ok && decoded.query).toMatchObject({ isResponse: false, truncated: true, questions: [{ name: TYPE, type: RR.PTR, unicastResponse: true }] })
    expect(decoded.ok && decoded.query.known).toEqual([{ key: recordKey(zone.device(2).ptr), ttl: 4000 }])
    const answers = zone.answer([ptrQuestion()], decoded.ok ? decoded.query.known : [])
    expect(answers.map((g) => g.answers[0]?.data)).toEqual([1, 3].map((k) => ({ type: 'PTR', target: [`Lamp.v2 #${k}`, ...TYPE] })))
    expect(decodeQuery(Buffer.from([0, 0, 0x28]))).toMatchObject({ ok: false })
  })
})

describe('crowd answers', () => {
  it('packs 1,000 devices into self-contained packets of at most 1,400 bytes', () => {
    const zone = zoneOf(1000, { count: 1000, hostileNames: true, ipv6: true })
    const packets = packResponse(zone.answer([ptrQuestion()], []), { maxBytes: 1400, mode: 'multicast' })
    expect(packets.length).toBeGreaterThan(50)
    const ptrs: string[] = []
    for (const p of packets) {
      expect(p.buf.length).toBeLessThanOrEqual(1400)
      const packet = dnsPacket.decode(p.buf)
      const names = new Set(packet.additionals?.map((a) => `${a.type} ${a.name}`))
      for (const a of packet.answers ?? []) {
        const instance = 'data' in a ? String(a.data) : ''
        ptrs.push(instance)
        expect(names.has(`SRV ${instance}`) && names.has(`TXT ${instance}`)).toBe(true)
      }
    }
    expect(new Set(ptrs).size).toBe(1000)
    expect(ptrs).toHaveLength(1000)
  })

  it('omits answers the querier knows with at least half the TTL left (RFC 6762 §7.1)', () => {
    const zone = zoneOf(3)
    const known = [{ key: recordKey(zone.device(1).ptr), ttl: 2250 }, { key: recordKey(zone.device(2).ptr), ttl: 2249 }]
    const targets = zone.answer([ptrQuestion()], known).map((g) => (g.answers[0]?.data.type === 'PTR' ? g.answers[0].data.target[0] : ''))
    expect(targets).toEqual(['Crowd Device 2', 'Crowd Device 3'])
  })

  it('answers SRV, TXT, A, ANY and the type enumeration, and nothing for a device that said goodbye', () => {
    const zone = zoneOf(4, { count: 4, types: ['_esp_local_ctrl._tcp', '_http._tcp'] })
    const d = zone.device(3)
    const srv = zone.answer([{ name: d.srv.name, type: RR.SRV, unicastResponse: false }], [])
    expect(srv).toEqual([{ answers: [d.srv], additionals: d.addresses }])
    expect(zone.answer([{ name: d.srv.name, type: RR.ANY, unicastResponse: false }], []).flatMap((g) => g.answers)).toEqual([d.srv, d.txt])
    const host = d.srv.data.type === 'SRV' ? d.srv.data.target : []
    expect(zone.answer([{ name: host, type: RR.A, unicastResponse: false }], [])).toEqual([{ answers: [d.addresses[0]], additionals: [d.addresses[1]] }])
    const types = zone.answer([{ name: ENUMERATION, type: RR.PTR, unicastResponse: false }], []).map((g) => g.answers[0]?.data)
    expect(types).toEqual([{ type: 'PTR', target: TYPE }, { type: 'PTR', target: ['_http', '_tcp', 'local'] }])
    zone.setPresent(3, false)
    expect(zone.answer([{ name: d.srv.name, type: RR.ANY, unicastResponse: false }], [])).toEqual([])
    expect(zone.answer([ptrQuestion()], [])).toHaveLength(1)
  })
})

describe('known-answer continuation (RFC 6762 §7.2)', () => {
  const query = (questions: Question[], knownCount: number, truncated: boolean) =>
    ({ id: 0, isResponse: false, truncated, questions, known: Array.from({ length: knownCount }, (_, i) => ({ key: `k${i}`, ttl: 4500 })) })

  it('holds a TC query, merges continuations, and answers 20–120 ms after the last one', async () => {
    const clock = createFakeClock()
    const done: PendingQuery<string>[] = []
    const tracker = new ContinuationTracker<string>(clock, () => 0.5, (p) => done.push(p))
    expect(tracker.offer('a', query([ptrQuestion()], 10, true), 'ctx')).toBe(true)
    await clock.advance(300)
    expect(tracker.offer('a', query([], 10, true), 'ctx')).toBe(true)
    await clock.advance(300)
    expect(tracker.offer('a', query([], 5, false), 'ctx')).toBe(true)
    await clock.advance(69)
    expect(done).toHaveLength(0)
    await clock.advance(1)
    expect(done).toMatchObject([{ source: 'a', context: 'ctx', packets: 3 }])
    expect(done[0]?.known).toHaveLength(25)
  })

  it('answers after 400–500 ms when no continuation comes, never waits past 1.5 s, and lets other queries through', async () => {
    const clock = createFakeClock()
    const done: PendingQuery<string>[] = []
    const tracker = new ContinuationTracker<string>(clock, () => 0, (p) => done.push(p))
    expect(tracker.offer('a', query([ptrQuestion()], 1, false), 'x')).toBe(false)
    tracker.offer('a', query([ptrQuestion()], 1, true), 'x')
    await clock.advance(400)
    expect(done).toHaveLength(1)
    tracker.offer('b', query([ptrQuestion()], 1, true), 'y')
    for (let i = 0; i < 6; i++) {
      await clock.advance(300)
      tracker.offer('b', query([], 1, true), 'y')
    }
    // Four continuations merged; at 1,500 ms it answers, so the fifth finds nothing held.
    expect(done.map((p) => [p.source, p.packets])).toEqual([['a', 1], ['b', 5]])
    expect(tracker.size()).toBe(0)
  })
})
