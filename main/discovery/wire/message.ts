/**
 * The tolerant mDNS message decoder.
 *
 * Ours, not dns-packet's (which we still use to encode): dns-packet 5.6.1 throws on the whole packet for a
 * forward compression pointer (dns-packet #84; real devices send them in NSEC), for counts beyond the data
 * and for any bad record, so one odd record makes a device invisible, while RFC 6762 §6.1 says a message
 * MUST NOT be ignored over an NSEC that cannot be parsed. It also cannot report the QU bit (dns-packet #21).
 * This decoder never throws: it drops the bad question or record into `errors`, resynchronises on the next
 * one by rdlength (RFC 1035 §4.1.3) whenever the framing allows, and splits out the QU and cache-flush bits.
 */
import { HEADER_OCTETS, readName, type NameCache } from './names'
import { decodeRdata, u16 } from './rdata'
import {
  RR_TYPE,
  type DecodedMessage,
  type MessageHeader,
  type Question,
  type ResourceRecord,
  type WireError,
  type WireErrorCode,
  type WireSection,
} from './types'

/** Top bit of a question's class: unicast response requested (RFC 6762 §5.4, §18.12). */
export const QU_BIT = 0x8000
/** Top bit of a record's class: cache flush (RFC 6762 §10.2, §18.13). */
export const CACHE_FLUSH_BIT = 0x8000

const u32 = (bytes: Uint8Array, at: number) => u16(bytes, at) * 0x10000 + u16(bytes, at + 2)

/** Decodes one datagram; never throws. What could not be read is in `errors`, with section, index and reason. */
export function decodeMessage(input: Uint8Array): DecodedMessage {
  // A plain view: a Node Buffer's slice() would not copy, and results should not be Buffers.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  const errors: WireError[] = []
  const message: DecodedMessage = { header: readHeader(bytes, errors), questions: [], answers: [], authorities: [], additionals: [], errors }
  if (bytes.length < HEADER_OCTETS) return message
  try {
    const { header } = message
    const cache: NameCache = new Map()
    let offset: number | undefined = readQuestions(bytes, header.qdcount, message, cache)
    const sections = [
      ['answer', header.ancount, message.answers],
      ['authority', header.nscount, message.authorities],
      ['additional', header.arcount, message.additionals],
    ] as const
    for (const [section, count, into] of sections) {
      if (offset === undefined) break
      offset = readRecords(bytes, offset, section, count, into, errors, cache)
    }
  } catch (error) {
    // Unreachable by design (the fuzz test asserts it never appears); here so the socket handler cannot die.
    errors.push({ section: 'header', index: 0, offset: 0, code: 'decoder-bug', reason: error instanceof Error ? error.message : String(error) })
  }
  return message
}

/** Reads the header; with fewer than 12 bytes, the fields that fit and a `header-truncated` error. */
function readHeader(bytes: Uint8Array, errors: WireError[]): MessageHeader {
  const word = (at: number) => (bytes.length >= at + 2 ? u16(bytes, at) : 0)
  if (bytes.length < HEADER_OCTETS) {
    const reason = `message is ${bytes.length} bytes; a header needs ${HEADER_OCTETS} (RFC 1035 §4.1.1)`
    errors.push(wireError('header', 0, 0, 'header-truncated', reason))
  }
  const flags = word(2)
  return {
    id: word(0),
    flags,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rcode: flags & 0xf,
    qdcount: word(4),
    ancount: word(6),
    nscount: word(8),
    arcount: word(10),
  }
}

function wireError(section: WireSection, index: number, offset: number, code: WireErrorCode, reason: string): WireError {
  return { section, index, offset, code, reason }
}

function countShortfall(section: WireSection, index: number, offset: number, count: number): WireError {
  return wireError(section, index, offset, 'message-truncated', `header announces ${count} ${section} entries; the message ends after ${index}`)
}

/** Reads the question section; returns the offset after it, or undefined when the framing is lost. */
function readQuestions(bytes: Uint8Array, count: number, message: DecodedMessage, cache: NameCache): number | undefined {
  let offset = HEADER_OCTETS
  for (let index = 0; index < count; index++) {
    if (offset >= bytes.length) {
      message.errors.push(countShortfall('question', index, offset, count))
      return undefined
    }
    const name = readName(bytes, offset, bytes.length, cache)
    if (name.end === undefined || name.end + 4 > bytes.length) {
      const [code, reason] = name.ok ? (['message-truncated', 'question is cut off'] as const) : [name.code, name.reason]
      message.errors.push(wireError('question', index, offset, code, reason))
      return undefined
    }
    const klass = u16(bytes, name.end + 2)
    if (name.ok) {
      const question: Question = { name: name.name, type: u16(bytes, name.end), class: klass & ~QU_BIT, qu: (klass & QU_BIT) !== 0 }
      message.questions.push(question)
    } else message.errors.push(wireError('question', index, offset, name.code, name.reason))
    offset = name.end + 4
  }
  return offset
}

/** Reads `count` records into `into`; returns the offset after them, or undefined when the framing is lost. */
function readRecords(
  bytes: Uint8Array, start: number, section: WireSection, count: number, into: ResourceRecord[], errors: WireError[], cache: NameCache,
): number | undefined {
  let offset = start
  for (let index = 0; index < count; index++) {
    if (offset >= bytes.length) {
      errors.push(countShortfall(section, index, offset, count))
      return undefined
    }
    const read = readRecord(bytes, offset, cache)
    if (read.ok) into.push(read.record)
    else errors.push(wireError(section, index, offset, read.code, read.reason))
    if (read.next === undefined) return undefined
    offset = read.next
  }
  return offset
}

type RecordRead = ({ ok: true; record: ResourceRecord } | { ok: false; code: WireErrorCode; reason: string }) & { next: number | undefined }

/** One record at `offset` (RFC 1035 §4.1.3); `next` is where the following one starts, if that is known. */
function readRecord(bytes: Uint8Array, offset: number, cache: NameCache): RecordRead {
  const owner = readName(bytes, offset, bytes.length, cache)
  if (!owner.ok && owner.end === undefined) return { ok: false, code: owner.code, reason: owner.reason, next: undefined }
  const fixed = owner.end ?? 0
  if (fixed + 10 > bytes.length) {
    return { ok: false, code: 'message-truncated', reason: `record at ${offset} is cut off before its rdata`, next: undefined }
  }
  const type = u16(bytes, fixed)
  const klass = u16(bytes, fixed + 2)
  const rawTtl = u32(bytes, fixed + 4)
  const rdataStart = fixed + 10
  const next = rdataStart + u16(bytes, fixed + 8)
  if (next > bytes.length) {
    const reason = `rdlength ${next - rdataStart} at ${fixed + 8} runs ${next - bytes.length} bytes past the message`
    return { ok: false, code: 'rdata-overrun', reason, next: undefined }
  }
  if (!owner.ok) return { ok: false, code: owner.code, reason: owner.reason, next }
  const rdata = decodeRdata(bytes, type, rdataStart, next, cache)
  if (!rdata.ok) return { ok: false, code: rdata.code, reason: rdata.reason, next }
  const record: ResourceRecord = {
    name: owner.name,
    type,
    // OPT (RFC 6891 §6.1.2) reuses CLASS as a payload size: its top bit is not a cache-flush bit.
    class: type === RR_TYPE.OPT ? klass : klass & ~CACHE_FLUSH_BIT,
    cacheFlush: type !== RR_TYPE.OPT && (klass & CACHE_FLUSH_BIT) !== 0,
    ttl: rawTtl >= 0x80000000 ? 0 : rawTtl, // RFC 2181 §8
    rdata: bytes.slice(rdataStart, next),
    ...rdata.data,
  }
  return { ok: true, record, next }
}

/**
 * True if a received message is a response mDNS should act on: QR set, OPCODE 0 and RCODE 0 (RFC 6762
 * §18.3, §18.11). Questions in a response do not matter: they MUST be ignored (RFC 6762 §6).
 */
export function isMdnsResponseAcceptable(header: MessageHeader): boolean {
  return header.qr && header.opcode === 0 && header.rcode === 0
}

/** True if a received message is a query mDNS should look at: QR clear, OPCODE 0, RCODE 0 (RFC 6762 §18.3, §18.11). */
export function isMdnsQueryAcceptable(header: MessageHeader): boolean {
  return !header.qr && header.opcode === 0 && header.rcode === 0
}
