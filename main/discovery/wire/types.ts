/**
 * The shapes the mDNS wire decoder produces. Plain data (no classes, no Buffers) so a decoded message can
 * be cached, compared, logged and sent to the renderer's raw-packet view as it is.
 */

/** Resource record type codes the decoder understands (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 4034 §4). */
export const RR_TYPE = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, NSEC: 47, ANY: 255 } as const

/** The Internet class (RFC 1035 §3.2.4), the only one mDNS uses. */
export const CLASS_IN = 1

/**
 * A domain name: raw labels for exact comparison, and presentation text for people (RFC 6763 §4.3).
 * Names decoded from one message may share objects (compression), so treat them as immutable.
 */
export interface DnsName {
  /** Label bytes as received (no length octets, no root label). Labels are bytes, not text (RFC 6762 §16). */
  labels: readonly Uint8Array[]
  /** UTF-8 text with `.` inside a label as `\.`, `\` as `\\`, and control or non-UTF-8 bytes as `\DDD`. */
  text: string
}

/** The 12-byte message header (RFC 1035 §4.1.1), flags split out. */
export interface MessageHeader {
  id: number
  /** The raw 16-bit flags word, for the raw-packet view. */
  flags: number
  /** True for a response. */
  qr: boolean
  opcode: number
  aa: boolean
  /** In mDNS queries: more known answers follow in another packet (RFC 6762 §7.2, §18.5). */
  tc: boolean
  rcode: number
  qdcount: number
  ancount: number
  nscount: number
  arcount: number
}

/** A question; the top bit of the class is split out as `qu` (RFC 6762 §5.4, §18.12). */
export interface Question {
  name: DnsName
  type: number
  /** The class without the QU bit (1 = IN). */
  class: number
  /** Unicast response requested. */
  qu: boolean
}

/** What every resource record carries (RFC 1035 §4.1.3). */
export interface RecordCommon {
  name: DnsName
  type: number
  /** The class without the cache-flush bit (1 = IN). */
  class: number
  /** Top bit of the class on a unique record (RFC 6762 §10.2, §18.13). Always false for OPT. */
  cacheFlush: boolean
  /** Seconds; values with the top bit set read as 0 (RFC 2181 §8). */
  ttl: number
  /** The rdata bytes exactly as received (names in it may be compressed). */
  rdata: Uint8Array
}

/** Decoded rdata, by kind; `unknown` covers every type without a decoder (its bytes are in `rdata`). */
export type RecordData =
  | { kind: 'A'; address: string }
  | { kind: 'AAAA'; address: string }
  | { kind: 'PTR'; target: DnsName }
  | { kind: 'SRV'; priority: number; weight: number; port: number; target: DnsName }
  | { kind: 'TXT'; strings: Uint8Array[] }
  | { kind: 'NSEC'; nextName: DnsName; types: number[] }
  | { kind: 'unknown' }

/** A decoded resource record. */
export type ResourceRecord = RecordCommon & RecordData

/** Where in a message something was found. */
export type WireSection = 'header' | 'question' | 'answer' | 'authority' | 'additional'

/** Why part of a message was dropped. */
export type WireErrorCode =
  | 'header-truncated'
  | 'message-truncated'
  | 'name-truncated'
  | 'name-too-long'
  | 'bad-label'
  | 'pointer-out-of-range'
  | 'pointer-loop'
  | 'rdata-overrun'
  | 'rdata-invalid'
  | 'decoder-bug'

/** A question or record the decoder dropped (or the point where it had to stop), and why. */
export interface WireError {
  section: WireSection
  /** Index within the section (0 for the header). */
  index: number
  /** Byte offset of the dropped item. */
  offset: number
  code: WireErrorCode
  reason: string
}

/** Everything that could be read from one datagram; `errors` lists what could not. */
export interface DecodedMessage {
  header: MessageHeader
  questions: Question[]
  answers: ResourceRecord[]
  authorities: ResourceRecord[]
  additionals: ResourceRecord[]
  errors: WireError[]
}
