/**
 * mDNS wire helpers on top of dns-packet: tolerant decoding with the QU bit, response and probe encoding
 * with the cache-flush bit, TXT strings, rdata comparison, and the raw-byte NSEC forward-pointer oddity.
 */
import dnsPacket, { type Answer, type Packet } from 'dns-packet'

/** mDNS port and groups (RFC 6762 §3). */
export const MDNS_PORT = 5353
/** IPv4 mDNS group. */
export const MDNS_GROUP_V4 = '224.0.0.251'
/** IPv6 mDNS group (link-local scope: send with `%interface`). */
export const MDNS_GROUP_V6 = 'ff02::fb'
/** Legacy unicast answers carry at most this TTL (RFC 6762 §6.7). */
export const LEGACY_TTL_CAP = 10

// dns-packet exports its per-record codec and name helpers, but @types/dns-packet does not declare them.
const codec = dnsPacket as unknown as {
  answer: { encode(a: Answer): Buffer; decode(buf: Buffer, offset?: number): Answer }
  name: { encodingLength(n: string): number }
}

/** A record's TTL (dns-packet's OPT pseudo-record has none). */
export function ttlOf(answer: Answer): number {
  return 'ttl' in answer ? (answer.ttl ?? 0) : 0
}

/** A question with the QU bit split out of the class (RFC 6762 §5.4, §18.12). */
export interface MdnsQuestion {
  name: string
  type: string
  unicastResponse: boolean
}

/** A decoded message, with questions normalised. */
export interface MdnsMessage {
  id: number
  isResponse: boolean
  truncated: boolean
  questions: MdnsQuestion[]
  answers: Answer[]
  authorities: Answer[]
  additionals: Answer[]
}

/** A record to send; `unique` records get the cache-flush bit in multicast responses (RFC 6762 §10.2). */
export interface OutRecord {
  answer: Answer
  unique: boolean
}

/** Decodes a datagram without ever throwing; malformed input becomes a reason. */
export function decodeMessage(buf: Buffer): { ok: true; message: MdnsMessage } | { ok: false; reason: string } {
  let packet: ReturnType<typeof dnsPacket.decode>
  try {
    packet = dnsPacket.decode(buf)
  } catch (error) {
    return { ok: false, reason: `undecodable: ${error instanceof Error ? error.message : String(error)}` }
  }
  const opcode = (packet as { opcode?: string }).opcode
  if (opcode !== 'QUERY') return { ok: false, reason: `opcode ${opcode} ignored (RFC 6762 §18.3)` }
  const questions: MdnsQuestion[] = []
  for (const q of packet.questions ?? []) {
    // dns-packet does not strip the QU bit: a QU question decodes as class "UNKNOWN_32769" (dns-packet #21).
    const raw = q.class === 'IN' ? 1 : q.class === 'ANY' ? 255 : Number(/^UNKNOWN_(\d+)$/.exec(String(q.class))?.[1] ?? 0)
    const klass = raw & 0x7fff
    if (klass !== 1 && klass !== 255) continue
    questions.push({ name: q.name, type: q.type, unicastResponse: (raw & 0x8000) !== 0 })
  }
  return {
    ok: true,
    message: {
      id: packet.id ?? 0,
      isResponse: packet.flag_qr,
      truncated: packet.flag_tc,
      questions,
      answers: packet.answers ?? [],
      authorities: packet.authorities ?? [],
      additionals: packet.additionals ?? [],
    },
  }
}

/** How a response is sent, which decides flush bits and TTLs. */
export type ResponseMode = 'multicast' | 'legacy' | 'goodbye'

function outgoing(records: readonly OutRecord[], mode: ResponseMode): Answer[] {
  return records.map(({ answer, unique }) => {
    const ttl = mode === 'goodbye' ? 0 : mode === 'legacy' ? Math.min(ttlOf(answer), LEGACY_TTL_CAP) : ttlOf(answer)
    // Legacy unicast answers never carry the cache-flush bit (RFC 6762 §6.7, §10.2).
    return { ...answer, ttl, flush: unique && mode !== 'legacy' } as Answer
  })
}

/** The packet object of a response (before any raw-byte oddity). */
export function responsePacket(p: { id?: number; questions?: MdnsQuestion[]; answers: readonly OutRecord[]; additionals: readonly OutRecord[]; mode: ResponseMode }): Packet {
  return {
    type: 'response',
    id: p.id ?? 0,
    // AA is set in every mDNS response (RFC 6762 §18.4); no questions (§6) except the echo in legacy replies (§6.7).
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: (p.questions ?? []).map((q) => ({ name: q.name, type: q.type as never, class: 'IN' as const })),
    answers: outgoing(p.answers, p.mode),
    additionals: outgoing(p.additionals, p.mode),
  }
}

/** Encodes a probe: QU questions of type ANY and the proposed records in Authority, no flush bit (RFC 6762 §8.1, §10.2). */
export function encodeProbe(names: readonly string[], proposed: readonly Answer[]): Buffer {
  const buf = dnsPacket.encode({
    type: 'query',
    id: 0,
    questions: names.map((name) => ({ name, type: 'ANY' as never, class: 'IN' as const })),
    authorities: proposed.map((a) => ({ ...a, flush: false }) as Answer),
  })
  return setQuBits(buf)
}

/** Sets the QU bit on every question of an encoded query; dns-packet cannot encode it (dns-packet #21). */
export function setQuBits(buf: Buffer): Buffer {
  const out = Buffer.from(buf)
  let offset = 12
  for (let i = 0; i < out.readUInt16BE(4); i++) {
    offset = skipName(out, offset)
    out.writeUInt16BE(out.readUInt16BE(offset + 2) | 0x8000, offset + 2)
    offset += 4
  }
  return out
}

/** Offset just past the (possibly compressed) name at `offset`; throws on truncation. */
export function skipName(buf: Buffer, offset: number): number {
  let o = offset
  for (let hops = 0; hops < 128; hops++) {
    const len = buf[o]
    if (len === undefined) break
    if (len === 0) return o + 1
    if ((len & 0xc0) === 0xc0) return o + 2
    o += len + 1
  }
  throw new RangeError(`name at offset ${offset} runs past the packet`)
}

/** Where one record sits in an encoded packet. */
export interface RawRecord {
  section: 'answer' | 'authority' | 'additional'
  start: number
  type: number
  rdataStart: number
  rdlength: number
  end: number
}

/** Lists the resource records of a packet without decoding names, so it works where dns-packet refuses. */
export function walkRecords(buf: Buffer): RawRecord[] {
  let offset = 12
  for (let i = 0; i < buf.readUInt16BE(4); i++) offset = skipName(buf, offset) + 4
  const records: RawRecord[] = []
  const sections = [['answer', 6], ['authority', 8], ['additional', 10]] as const
  for (const [section, countAt] of sections) {
    for (let i = 0; i < buf.readUInt16BE(countAt); i++) {
      const start = offset
      const nameEnd = skipName(buf, offset)
      const rdlength = buf.readUInt16BE(nameEnd + 8)
      const end = nameEnd + 10 + rdlength
      if (end > buf.length) throw new RangeError(`record at ${start} runs past the packet`)
      records.push({ section, start, type: buf.readUInt16BE(nameEnd), rdataStart: nameEnd + 10, rdlength, end })
      offset = end
    }
  }
  return records
}

/** Decodes one record at `offset` with dns-packet's per-record codec; throws as dns-packet does. */
export function decodeRecordAt(buf: Buffer, offset: number): Answer {
  return codec.answer.decode(buf, offset)
}

const NSEC_TYPE = 47

/**
 * Encodes `packet` with an NSEC inserted right before the first record owned by the first candidate name
 * the packet contains, then rewrites the NSEC's next-domain field as a compression pointer to that
 * record's owner name, which comes later: a forward pointer, as real devices send (reference/
 * discovery-and-mdns.md top finding 1; RFC 6762 §6.1: receivers must not drop such a packet). dns-packet
 * never compresses, so no other pointer needs adjusting. Without a candidate the packet is unchanged.
 */
export function encodeWithForwardNsec(
  packet: Packet,
  candidates: readonly { name: string; rrtypes: string[] }[],
  nsec: { ttl: number; flush: boolean },
): Buffer {
  const sections = ['answers', 'authorities', 'additionals'] as const
  for (const { name, rrtypes } of candidates) {
    let before = 0
    for (const section of sections) {
      const list = packet[section] ?? []
      const at = list.findIndex((a) => a.name.toLowerCase() === name.toLowerCase())
      if (at < 0) {
        before += list.length
        continue
      }
      const record: Answer = { type: 'NSEC', name, ttl: nsec.ttl, flush: nsec.flush, data: { nextDomain: name, rrtypes } }
      const buf = dnsPacket.encode({ ...packet, [section]: [...list.slice(0, at), record, ...list.slice(at)] })
      const records = walkRecords(buf)
      const target = records[before + at]
      const next = records[before + at + 1]
      if (!target || !next || target.type !== NSEC_TYPE) return buf
      return pointNextDomainAt(buf, target, next.start)
    }
  }
  return dnsPacket.encode(packet)
}

/** Replaces the (uncompressed) next-domain name of an NSEC with a pointer to the name that will sit at `oldTarget`. */
function pointNextDomainAt(buf: Buffer, nsec: RawRecord, oldTarget: number): Buffer {
  const nameLength = skipName(buf, nsec.rdataStart) - nsec.rdataStart
  const saved = nameLength - 2
  const pointer = Buffer.alloc(2)
  // The target lies after the NSEC, so it moves up by the bytes the pointer saves.
  pointer.writeUInt16BE(0xc000 | (oldTarget - saved))
  const out = Buffer.concat([buf.subarray(0, nsec.rdataStart), pointer, buf.subarray(nsec.rdataStart + nameLength)])
  out.writeUInt16BE(nsec.rdlength - saved, nsec.rdataStart - 2)
  return out
}

/** Converts TXT strings to wire strings; throws if one exceeds 255 bytes (RFC 6763 §6.1). Empty → one empty string. */
export function txtStrings(list: readonly (string | Uint8Array)[]): Buffer[] {
  const out = list.map((s) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s)))
  for (const s of out) if (s.length > 255) throw new RangeError(`TXT string of ${s.length} bytes exceeds 255 (RFC 6763 §6.1)`)
  // An empty TXT record is a single zero byte, never zero strings (RFC 6763 §6.1).
  return out.length === 0 ? [Buffer.alloc(0)] : out
}

/**
 * The strings `txtOddities` appends (RFC 6763 §6.4 cases that decoders get wrong, see the reference's
 * table 1.5): a second value for the first key (first must win), a case variant of it, 1- and 6-character
 * boolean keys, an empty value, a key-less string (must be ignored), a binary value, and a 255-byte string.
 */
export function oddTxtStrings(base: readonly Buffer[]): Buffer[] {
  const firstKey = base.map((b) => b.toString('latin1')).find((s) => s.indexOf('=') > 0)?.split('=')[0] ?? 'id'
  const long = `long=${'x'.repeat(250)}`
  return [
    Buffer.from(`${firstKey}=second-value-must-be-ignored`),
    Buffer.from(`${firstKey.toUpperCase() === firstKey ? firstKey.toLowerCase() : firstKey.toUpperCase()}=case-variant`),
    Buffer.from('paired'),
    Buffer.from('a'),
    Buffer.from('empty='),
    Buffer.from('=no-key'),
    Buffer.concat([Buffer.from('bin='), Buffer.from([0xff, 0xfe, 0x0a, 0x00, 0x3d])]),
    Buffer.from(long),
  ]
}

/** The raw rdata bytes of a record, names uncompressed (for §7.1 matching and the §8.2 tiebreak). */
export function rdataOf(answer: Answer): Buffer {
  const encoded = codec.answer.encode({ ...answer, flush: false } as Answer)
  return encoded.subarray(codec.name.encodingLength(answer.name) + 10)
}

/** True if two records have the same name (case-insensitive), type and rdata. */
export function sameRecord(a: Answer, b: Answer): boolean {
  if (a.type !== b.type || a.name.toLowerCase() !== b.name.toLowerCase()) return false
  try {
    return rdataOf(a).equals(rdataOf(b))
  } catch {
    return false
  }
}

/**
 * Simultaneous-probe tiebreak (RFC 6762 §8.2): sort each side by class, type and rdata, compare pairwise;
 * the first difference decides, and a side with records left over wins. Negative: ours is earlier (we lose).
 */
export function compareProposals(ours: readonly Answer[], theirs: readonly Answer[]): number {
  const key = (a: Answer) => {
    const type = Buffer.alloc(2)
    type.writeUInt16BE(typeCode(a.type))
    return Buffer.concat([Buffer.from([0, 1]), type, rdataOf(a)])
  }
  const a = ours.map(key).sort(Buffer.compare)
  const b = theirs.map(key).sort(Buffer.compare)
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = Buffer.compare(a[i] as Buffer, b[i] as Buffer)
    if (c !== 0) return c
  }
  return a.length - b.length
}

const TYPE_CODES: Record<string, number> = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, NSEC: 47 }
function typeCode(type: string): number {
  return TYPE_CODES[type] ?? Number(/^UNKNOWN_(\d+)$/.exec(type)?.[1] ?? 0)
}
