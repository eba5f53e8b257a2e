/**
 * Query packet encoding: QU bit, known answers, name compression, the MTU budget and TC continuation.
 * Every packet is read back with the wire decoder, and where it can, with dns-packet as an independent one.
 * Case numbers are reference/discovery-and-mdns.md section (b).
 */
import dnsPacket from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { recordIdentity } from '../../../main/discovery/known-answer'
import { buildQueryPackets, payloadBudget, type KnownAnswerRecord, type QueryQuestion, type ResourceRecordLike } from '../../../main/discovery/query-packet'
import { RR_TYPE, decodeMessage, encodeName, parseName, type DnsName, type ResourceRecord } from '../../../main/discovery/wire'
import { DNS_PACKET_84_HEX, fromHex } from './wire/fixtures'

const SERVICE = '_hap._tcp.local'

function name(text: string): DnsName {
  const parsed = parseName(text)
  if (!parsed.ok) throw new Error(parsed.error.message)
  return parsed.name
}

const question = (text: string, type: number = RR_TYPE.PTR, extra: Partial<QueryQuestion> = {}): QueryQuestion => ({
  name: name(text), type, class: 1, qu: false, knownAnswers: [], ...extra,
})

/** A PTR known answer as a cache would hold it: uncompressed rdata. */
const ptr = (instance: string, ttl = 4000, service = SERVICE): ResourceRecordLike => ({
  name: name(service), type: RR_TYPE.PTR, class: 1, ttl, rdata: encodeName(name(`${instance}.${service}`).labels),
})

const targets = (records: readonly ResourceRecord[]) => records.map((r) => (r.kind === 'PTR' ? r.target.text : r.kind))

describe('buildQueryPackets', () => {
  it('writes a multicast query header: ID 0, QR 0, OPCODE 0, no TC, one question (RFC 6762 §18)', () => {
    const [packet, ...rest] = buildQueryPackets([question(SERVICE)], 1440)
    expect(rest).toEqual([])
    const message = decodeMessage(packet ?? new Uint8Array())
    expect(message.errors).toEqual([])
    expect(message.header).toMatchObject({ id: 0, qr: false, opcode: 0, tc: false, rcode: 0, qdcount: 1, ancount: 0, nscount: 0, arcount: 0 })
    expect(message.questions.map((q) => [q.name.text, q.type, q.class, q.qu])).toEqual([[SERVICE, RR_TYPE.PTR, 1, false]])
    expect(packet?.length).toBe(12 + 17 + 4)
  })

  it('case 3: sets the QU bit as the top bit of the question class; the class stays IN', () => {
    const [packet] = buildQueryPackets([question(SERVICE, RR_TYPE.PTR, { qu: true }), question('lamp.local', RR_TYPE.A)], 1440)
    const bytes = packet ?? new Uint8Array()
    expect([bytes[12 + 17 + 2], bytes[12 + 17 + 3]]).toEqual([0x80, 0x01])
    expect(decodeMessage(bytes).questions.map((q) => [q.class, q.qu])).toEqual([[1, true], [1, false]])
  })

  it('case 10: encodes instance names with dots, spaces and UTF-8 inside a label, which dns-packet cannot', () => {
    const escaped = `Porch Lamp v1\\.2 ☀.${SERVICE}`
    const [packet] = buildQueryPackets([question(escaped, RR_TYPE.SRV)], 1440)
    const [read] = decodeMessage(packet ?? new Uint8Array()).questions
    expect(read?.name.text).toBe(escaped)
    expect(read?.name.labels[0]).toEqual(new TextEncoder().encode('Porch Lamp v1.2 ☀'))
  })

  it('case 15: lists known answers with their remaining TTL (whole seconds) and never the cache-flush bit (§7.1, §10.2)', () => {
    const flushed: ResourceRecordLike = { name: name('lamp.local'), type: RR_TYPE.A, class: 0x8001, ttl: 59.9, rdata: Uint8Array.of(192, 168, 1, 40) }
    const [packet] = buildQueryPackets([question('lamp.local', RR_TYPE.A, { knownAnswers: [flushed] })], 1440)
    const message = decodeMessage(packet ?? new Uint8Array())
    expect(message.errors).toEqual([])
    expect(message.answers).toMatchObject([{ kind: 'A', address: '192.168.1.40', ttl: 59, class: 1, cacheFlush: false }])
  })

  it('case 15: compresses names: a PTR known answer costs its instance label plus 14 bytes, and dns-packet reads it back', () => {
    const [packet] = buildQueryPackets([question(SERVICE, RR_TYPE.PTR, { knownAnswers: [ptr('Porch Lamp'), ptr('Desk Lamp')] })], 1440)
    const bytes = packet ?? new Uint8Array()
    // owner: pointer (2) + type, class, TTL, rdlength (10) + rdata: label (1 + n) + pointer (2)
    expect(bytes.length).toBe(12 + 21 + (2 + 10 + 1 + 10 + 2) + (2 + 10 + 1 + 9 + 2))
    expect(targets(decodeMessage(bytes).answers)).toEqual([`Porch Lamp.${SERVICE}`, `Desk Lamp.${SERVICE}`])
    const theirs = dnsPacket.decode(Buffer.from(bytes))
    expect(theirs.questions?.map((q) => q.name)).toEqual([SERVICE])
    expect(theirs.answers?.map((a) => [a.name, a.type, 'data' in a ? a.data : undefined])).toEqual([
      [SERVICE, 'PTR', `Porch Lamp.${SERVICE}`],
      [SERVICE, 'PTR', `Desk Lamp.${SERVICE}`],
    ])
  })

  it('keeps letter case: a differently cased name is not compressed into the question', () => {
    const upper = ptr('Lamp', 4000, '_HAP._tcp.local')
    const [packet] = buildQueryPackets([question(SERVICE, RR_TYPE.PTR, { knownAnswers: [upper] })], 1440)
    const [answer] = decodeMessage(packet ?? new Uint8Array()).answers
    expect(answer?.name.text).toBe('_HAP._tcp.local')
    expect(answer?.kind === 'PTR' && answer.target.text).toBe('Lamp._HAP._tcp.local')
  })

  it('lists a record once even when two questions share it', () => {
    const shared = ptr('Porch Lamp')
    const packets = buildQueryPackets([question(SERVICE, RR_TYPE.PTR, { knownAnswers: [shared] }), question(SERVICE, RR_TYPE.ANY, { knownAnswers: [shared] })], 1440)
    expect(packets).toHaveLength(1)
    expect(decodeMessage(packets[0] ?? new Uint8Array()).answers).toHaveLength(1)
  })

  it('case 15, 26: known answers that overflow continue in packets without questions, TC on all but the last (§7.2)', () => {
    const many = Array.from({ length: 150 }, (_, i) => ptr(`Accessory number ${i} with a long instance name`))
    const packets = buildQueryPackets([question(SERVICE, RR_TYPE.PTR, { knownAnswers: many })], 1440)
    const messages = packets.map((p) => decodeMessage(p))
    expect(packets.length).toBeGreaterThan(2)
    expect(packets.every((p) => p.length <= 1440)).toBe(true)
    expect(messages.map((m) => m.errors)).toEqual(messages.map(() => []))
    expect(messages.map((m) => m.header.tc)).toEqual([...messages.slice(1).map(() => true), false])
    expect(messages.map((m) => m.header.qdcount)).toEqual([1, ...messages.slice(1).map(() => 0)])
    const listed = messages.flatMap((m) => targets(m.answers))
    expect(listed).toEqual(many.map((_, i) => `Accessory number ${i} with a long instance name.${SERVICE}`))
    // Packets are filled: no packet but the last could have taken the next record.
    expect(packets.slice(0, -1).every((p) => p.length > 1440 - 70)).toBe(true)
  })

  it('case 26: questions that overflow one packet go in several queries, each with its own known answers and no TC', () => {
    const questions = Array.from({ length: 40 }, (_, i) =>
      question(`${'x'.repeat(50)}-${i}.${SERVICE}`, RR_TYPE.SRV, {
        knownAnswers: [{ name: name(`${'x'.repeat(50)}-${i}.${SERVICE}`), type: RR_TYPE.TXT, class: 1, ttl: 4000, rdata: Uint8Array.of(0) }],
      }),
    )
    const packets = buildQueryPackets(questions, 1232)
    const messages = packets.map((p) => decodeMessage(p))
    expect(packets.every((p) => p.length <= 1232)).toBe(true)
    expect(messages.flatMap((m) => m.questions.map((q) => q.name.text))).toEqual(questions.map((q) => q.name.text))
    expect(messages.map((m) => m.header.tc)).toEqual(messages.map(() => false))
    for (const m of messages) {
      const asked = new Set(m.questions.map((q) => q.name.text))
      expect(m.answers.every((a) => asked.has(a.name.text))).toBe(true)
    }
    expect(messages.flatMap((m) => m.answers)).toHaveLength(40)
  })

  it('case 15: a question whose known answers need TC gets a query of its own; the next question starts a new one', () => {
    const many = Array.from({ length: 120 }, (_, i) => ptr(`Accessory number ${i} with a long instance name`))
    const packets = buildQueryPackets([question('a.local', RR_TYPE.A), question(SERVICE, RR_TYPE.PTR, { knownAnswers: many }), question('b.local', RR_TYPE.A)], 1440)
    const messages = packets.map((p) => decodeMessage(p))
    const shape = messages.map((m) => [m.questions.map((q) => q.name.text).join(), m.header.tc])
    expect(shape[0]).toEqual(['a.local', false])
    expect(shape[1]).toEqual([SERVICE, true])
    expect(shape.slice(2, -2).every(([names, tc]) => names === '' && tc === true)).toBe(true)
    expect(shape.slice(-2)).toEqual([['', false], ['b.local', false]])
    expect(messages.flatMap((m) => m.answers)).toHaveLength(120)
  })

  it('case 26: leaves out a known answer too large for any packet instead of fragmenting', () => {
    const huge: ResourceRecordLike = { name: name(`Lamp.${SERVICE}`), type: RR_TYPE.TXT, class: 1, ttl: 4000, rdata: new Uint8Array(2000).fill(1) }
    const packets = buildQueryPackets([question(`Lamp.${SERVICE}`, RR_TYPE.TXT, { knownAnswers: [huge, ptr('Lamp')] })], 1440)
    expect(packets).toHaveLength(1)
    expect(packets[0]?.length).toBeLessThanOrEqual(1440)
    expect(decodeMessage(packets[0] ?? new Uint8Array()).answers.map((a) => a.kind)).toEqual(['PTR'])
  })

  it('re-encodes records decoded from a real packet (compressed rdata) instead of copying their bytes', () => {
    const received = decodeMessage(fromHex(DNS_PACKET_84_HEX))
    const records = [...received.answers, ...received.additionals].filter((r) => r.kind === 'PTR' || r.kind === 'SRV' || r.kind === 'NSEC')
    expect(records.map((r) => r.kind).sort()).toEqual(['NSEC', 'PTR', 'SRV'])
    const [packet] = buildQueryPackets([question('_hap._tcp.local', RR_TYPE.ANY, { knownAnswers: records })], 1440)
    const echoed = decodeMessage(packet ?? new Uint8Array())
    expect(echoed.errors).toEqual([])
    expect(echoed.answers.map(recordIdentity)).toEqual(records.map(recordIdentity))
    expect(echoed.answers.map((r) => r.ttl)).toEqual(records.map((r) => r.ttl))
  })

  it('leaves out decoded records of RFC 1035 types whose rdata names it cannot re-encode (CNAME)', () => {
    const cname = { ...ptr('x'), type: 5, kind: 'unknown', cacheFlush: false } satisfies KnownAnswerRecord
    const [packet] = buildQueryPackets([question('a.local', 5, { knownAnswers: [cname] })], 1440)
    expect(decodeMessage(packet ?? new Uint8Array()).answers).toEqual([])
  })
})

describe('recordIdentity', () => {
  it('case 6: a cached record and a peer’s compressed, differently cased copy are the same record', () => {
    const received = decodeMessage(fromHex(DNS_PACKET_84_HEX)).answers.find((r) => r.kind === 'PTR')
    expect(received?.kind).toBe('PTR')
    const target = received?.kind === 'PTR' ? received.target.text : ''
    const ours: ResourceRecordLike = { name: name('_HAP._TCP.local'), type: RR_TYPE.PTR, class: 1, ttl: 1, rdata: encodeName(name(target.toUpperCase()).labels) }
    expect(recordIdentity(ours)).toBe(recordIdentity(received as ResourceRecord))
    expect(recordIdentity({ ...ours, rdata: encodeName(name(`Other.${SERVICE}`).labels) })).not.toBe(recordIdentity(ours))
  })
})

describe('payloadBudget', () => {
  it('case 26: MTU minus IP and UDP headers; 1440 / 1420 when the MTU is unknown; within 512..9000-headers (§17)', () => {
    expect(payloadBudget('IPv4')).toBe(1440)
    expect(payloadBudget('IPv6')).toBe(1420)
    expect(payloadBudget('IPv4', 1500)).toBe(1472)
    expect(payloadBudget('IPv6', 1500)).toBe(1452)
    expect(payloadBudget('IPv6', 1280)).toBe(1232)
    expect(payloadBudget('IPv4', 9000)).toBe(8972)
    expect(payloadBudget('IPv4', 65536)).toBe(8972)
    expect(payloadBudget('IPv6', 65536)).toBe(8952)
    expect(payloadBudget('IPv4', 100)).toBe(512)
    expect(payloadBudget('IPv4', Number.NaN)).toBe(1440)
  })
})
