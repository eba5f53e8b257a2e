/**
 * The lab mDNS responder's functional core (records, answer decisions, wire oddities), without sockets:
 * runs on any machine. The responder on real sockets is tested in tests/lab/mdns-responder.test.ts.
 */
import dnsPacket, { type Answer } from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { buildRecords, hostnameFor, instanceNameFor, planAnswers, type RecordConfig } from './records'
import { decideResponses } from './respond'
import { queryHex } from './testing/packets'
import { compareProposals, decodeMessage, decodeRecordAt, encodeWithForwardNsec, oddTxtStrings, responsePacket, txtStrings, walkRecords } from './wire'

const TYPE = '_esp_local_ctrl._tcp'
const SERVICE = `${TYPE}.local`
const NAME = 'Porch Lamp'
const INSTANCE = `${NAME}.${SERVICE}`
const BASE_TXT = ['txtvers=1', 'id=plx-acc-1', 'ver=2.1']
const config: RecordConfig = {
  instanceName: NAME, hostname: 'plx-acc-1.local', serviceType: TYPE, subtypes: ['_prov'], port: 8080,
  txt: txtStrings(BASE_TXT), addressTtl: 120, srvTtl: 120, otherTtl: 4500,
}
const dual = buildRecords(config, { name: 'eth0', ipv4: ['198.18.0.1'], ipv6: ['fe80::1%eth0'] })
const v4only = buildRecords(config, { name: 'eth0', ipv4: ['198.18.0.1'] })
const q = (name: string, type: string, unicastResponse = false) => ({ name, type, unicastResponse })
const types = (list: { answer: Answer }[]) => list.map((r) => r.answer.type)

describe('mDNS responder core (pure)', () => {
  it('answers a PTR with SRV, TXT, A and AAAA as additionals, or only the PTR with noAdditionals', () => {
    const plan = planAnswers(dual, [q(SERVICE, 'PTR')], [], { additionals: true })
    expect(types(plan.answers)).toEqual(['PTR'])
    expect(types(plan.additionals)).toEqual(['SRV', 'TXT', 'A', 'AAAA'])
    expect(planAnswers(dual, [q(SERVICE, 'PTR')], [], { additionals: false }).additionals).toEqual([])
    const any = planAnswers(dual, [q(INSTANCE.toUpperCase(), 'ANY')], [], { additionals: true })
    expect([types(any.answers), types(any.additionals)]).toEqual([['SRV', 'TXT'], ['A', 'AAAA']])
    const aaaa = dual.find((r) => r.answer.type === 'AAAA')?.answer
    expect(aaaa?.type === 'AAAA' && aaaa.data).toBe('fe80::1') // no zone in rdata (RFC 4007 §11)
  })

  it('suppresses known answers with at least half their TTL left, and answers the rest (RFC 6762 §7.1)', () => {
    const known = (ttl: number): Answer => ({ type: 'PTR', name: SERVICE.toUpperCase(), ttl, data: INSTANCE })
    expect(planAnswers(dual, [q(SERVICE, 'PTR')], [known(2250)], { additionals: true }).answers).toEqual([])
    expect(types(planAnswers(dual, [q(SERVICE, 'PTR')], [known(2249)], { additionals: true }).answers)).toEqual(['PTR'])
  })

  it('asserts a missing address family with NSEC, in answers when asked and in additionals otherwise (RFC 6762 §6.1, §6.2)', () => {
    const asked = planAnswers(v4only, [q('PLX-ACC-1.local', 'AAAA')], [], { additionals: true })
    expect(asked.answers.map((r) => r.answer)).toEqual([{ type: 'NSEC', name: 'plx-acc-1.local', ttl: 120, data: { nextDomain: 'plx-acc-1.local', rrtypes: ['A'] } }])
    expect(types(planAnswers(v4only, [q(INSTANCE, 'SRV')], [], { additionals: true }).additionals)).toEqual(['A', 'NSEC'])
  })

  it('decides legacy, QU, rate-limited and delayed responses (RFC 6762 §5.4, §6, §6.7)', () => {
    const message = (qs: ReturnType<typeof q>[], extra = {}) => ({ id: 7, isResponse: false, truncated: false, questions: qs, answers: [], authorities: [], additionals: [], ...extra })
    const base = { records: dual, additionals: true, random: () => 0.999, multicastAgeMs: () => undefined }
    const legacy = decideResponses({ ...base, message: message([q(INSTANCE, 'SRV')]), from: { address: '198.18.0.2', port: 40000 } })
    expect(legacy).toMatchObject([{ to: { address: '198.18.0.2', port: 40000 }, delayMs: 0, mode: 'legacy', echo: { id: 7 } }])
    const from = { address: '198.18.0.2', port: 5353 }
    const [shared] = decideResponses({ ...base, message: message([q(SERVICE, 'PTR')]), from })
    expect(shared?.to).toBe('multicast')
    expect(shared?.delayMs).toBeGreaterThanOrEqual(20)
    expect(shared?.delayMs).toBeLessThanOrEqual(120)
    expect(decideResponses({ ...base, message: message([q(INSTANCE, 'SRV')]), from })[0]?.delayMs).toBe(0)
    expect(decideResponses({ ...base, message: message([q(SERVICE, 'PTR')], { truncated: true }), from })[0]?.delayMs).toBeGreaterThanOrEqual(400)
    // Multicast 0.5 s ago: no multicast repeat (§6) but a QU question is answered by unicast (§5.4).
    const recent = { ...base, multicastAgeMs: () => 500 }
    expect(decideResponses({ ...recent, message: message([q(SERVICE, 'PTR')]), from })).toEqual([])
    expect(decideResponses({ ...recent, message: message([q(SERVICE, 'PTR', true)]), from })[0]?.to).toEqual(from)
    expect(decideResponses({ ...base, message: message([q(SERVICE, 'PTR', true)]), from })[0]?.to).toBe('multicast')
  })

  it('writes a forward-pointing NSEC that dns-packet rejects while every other record still decodes', () => {
    const plan = planAnswers(dual, [q(SERVICE, 'PTR')], [], { additionals: true })
    const packet = responsePacket({ answers: plan.answers, additionals: plan.additionals, mode: 'multicast' })
    const buf = encodeWithForwardNsec(packet, [{ name: INSTANCE, rrtypes: ['TXT', 'SRV'] }], { ttl: 4500, flush: true })
    expect(() => dnsPacket.decode(buf)).toThrow(/bad pointer/)
    const records = walkRecords(buf)
    const nsec = records.find((r) => r.type === 47)
    const pointer = nsec ? buf.readUInt16BE(nsec.rdataStart) : 0
    expect(pointer & 0xc000).toBe(0xc000)
    expect(pointer & 0x3fff).toBe(records[records.indexOf(nsec as never) + 1]?.start)
    expect(pointer & 0x3fff).toBeGreaterThan(nsec?.start ?? Infinity)
    const others = records.filter((r) => r !== nsec).map((r) => decodeRecordAt(buf, r.start))
    expect(others.map((a) => a.type)).toEqual(['PTR', 'SRV', 'TXT', 'A', 'AAAA'])
  })

  it('keeps TXT strings byte-exact, refuses 256 bytes, encodes empty as one zero byte (RFC 6763 §6.1)', () => {
    expect(() => txtStrings(['x'.repeat(256)])).toThrow(/255/)
    expect(txtStrings([])).toEqual([Buffer.alloc(0)])
    const odd = oddTxtStrings(txtStrings(BASE_TXT)).map((b) => b.toString('latin1'))
    expect(odd.slice(0, 6)).toEqual(['txtvers=second-value-must-be-ignored', 'TXTVERS=case-variant', 'paired', 'a', 'empty=', '=no-key'])
    expect(odd[6]).toBe('bin=\xff\xfe\n\x00=')
    expect(odd[7]).toHaveLength(255)
  })

  it('never throws on malformed input, and reads the QU bit dns-packet hides (dns-packet #21)', () => {
    let seed = 42
    const byte = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff
    let decoded = 0
    for (let i = 0; i < 2000; i++) if (decodeMessage(Buffer.from(Array.from({ length: i % 64 }, byte))).ok) decoded++
    expect(decoded).toBeLessThan(2000) // it returned (never threw) for all 2000, most as refusals
    const qu = decodeMessage(Buffer.from(queryHex({ questions: [{ name: SERVICE, type: 'PTR' }], qu: true }), 'hex'))
    expect(qu.ok && qu.message.questions).toEqual([q(SERVICE, 'PTR', true)])
  })

  it('names a renamed instance and host the Bonjour way, and breaks probe ties by rdata (RFC 6762 §8.2)', () => {
    expect([1, 2, 3].map((n) => instanceNameFor(NAME, n))).toEqual([NAME, `${NAME} (2)`, `${NAME} (3)`])
    expect(hostnameFor('plx-acc-1.local', 2)).toBe('plx-acc-1-2.local')
    const a = (data: string): Answer => ({ type: 'A', name: 'h.local', ttl: 120, data })
    expect(compareProposals([a('198.18.0.1')], [a('198.18.0.2')])).toBeLessThan(0)
    expect(compareProposals([a('198.18.0.2')], [a('198.18.0.1')])).toBeGreaterThan(0)
    expect(compareProposals([a('198.18.0.1')], [a('198.18.0.1')])).toBe(0)
  })
})
