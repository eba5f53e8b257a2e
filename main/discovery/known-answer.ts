/**
 * Known answers (RFC 6762 §7.1): the shape the querier takes them in, how their rdata is put back on the
 * wire, and when two hosts' copies are the same record. A record decoded from another host's packet may hold
 * compression pointers into that packet, so its names are re-encoded from the decoded fields, never copied.
 */
import { decodeRdata } from './wire/rdata'
import { RR_TYPE, nameKey, readName, wireLength, type DnsName, type RecordData, type ResourceRecord } from './wire'

const CLASS_MASK = 0x7fff

/**
 * A known answer as the querier's cache holds it. `rdata` must be free of compression pointers; a decoded
 * `ResourceRecord` (whose rdata may point into the packet it came in) is re-encoded from its fields instead.
 */
export interface ResourceRecordLike {
  name: DnsName
  type: number
  /** The class; a cache-flush bit here is cleared on the wire (RFC 6762 §10.2: never in a known-answer list). */
  class: number
  /** Seconds of TTL remaining now: responders compare it with half the true TTL (RFC 6762 §7.1). */
  ttl: number
  rdata: Uint8Array
}

/** What the encoder accepts as a known answer: the minimal shape, or a record as the wire decoder produced it. */
export type KnownAnswerRecord = ResourceRecordLike | (ResourceRecord & { ttl: number })

/** An upper bound on a known answer's encoded size (nothing compressed); Infinity if it cannot be encoded. */
export function answerBound(record: KnownAnswerRecord): number {
  const rdata = rdataFields(record)
  if (!rdata || !isEncodable(record.name.labels) || (rdata.kind === 'name' && !isEncodable(rdata.name))) return Number.POSITIVE_INFINITY
  const rdataBound = rdata.kind === 'bytes' ? rdata.bytes.length : rdata.prefix.length + wireLength(rdata.name) + rdata.suffix.length
  return wireLength(record.name.labels) + 10 + rdataBound
}

/** True if the labels make a valid wire name (RFC 1035 §2.3.4: labels of 1-63 octets, 255 octets in all). */
export function isEncodable(labels: readonly Uint8Array[]): boolean {
  return labels.every((label) => label.length > 0 && label.length <= 63) && wireLength(labels) <= 255
}

/** Rdata as raw bytes, or as prefix + name + suffix where the name is re-encoded (and, in PTR, compressed). */
export type RdataFields =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'name'; prefix: Uint8Array; name: readonly Uint8Array[]; suffix: Uint8Array; compress: boolean }

/** RFC 1035 types whose rdata holds names another host may have compressed; we cannot re-encode them. */
const OPAQUE_NAME_TYPES = new Set([2, 3, 4, 5, 6, 7, 8, 9, 14, 15])
const EMPTY = new Uint8Array(0)

/** How a known answer's rdata goes on the wire; undefined when it cannot be re-encoded faithfully. */
export function rdataFields(record: KnownAnswerRecord): RdataFields | undefined {
  if (!('kind' in record)) {
    if (record.type !== RR_TYPE.PTR) return { kind: 'bytes', bytes: record.rdata }
    // PTR targets are the bulk of a browse's known answers; compressing them against the question saves ~20 bytes each.
    const target = readName(record.rdata, 0, record.rdata.length)
    return target.ok && target.end === record.rdata.length
      ? { kind: 'name', prefix: EMPTY, name: target.name.labels, suffix: EMPTY, compress: true }
      : { kind: 'bytes', bytes: record.rdata }
  }
  switch (record.kind) {
    case 'PTR':
      return { kind: 'name', prefix: EMPTY, name: record.target.labels, suffix: EMPTY, compress: true }
    case 'SRV': {
      const prefix = Uint8Array.of(record.priority >> 8, record.priority, record.weight >> 8, record.weight, record.port >> 8, record.port)
      return { kind: 'name', prefix, name: record.target.labels, suffix: EMPTY, compress: false }
    }
    case 'NSEC':
      return { kind: 'name', prefix: EMPTY, name: record.nextName.labels, suffix: typeBitmap(record.types), compress: false }
    case 'unknown':
      return OPAQUE_NAME_TYPES.has(record.type) ? undefined : { kind: 'bytes', bytes: record.rdata }
    case 'A':
    case 'AAAA':
    case 'TXT':
      return { kind: 'bytes', bytes: record.rdata }
  }
}

/** NSEC type bitmap windows (RFC 4034 §4.1.2). */
function typeBitmap(types: readonly number[]): Uint8Array {
  const windows = new Map<number, number[]>()
  for (const type of types) {
    const bits = windows.get(type >> 8) ?? []
    const octet = (type & 0xff) >> 3
    while (bits.length <= octet) bits.push(0)
    bits[octet] = (bits[octet] ?? 0) | (0x80 >> (type & 7))
    windows.set(type >> 8, bits)
  }
  return Uint8Array.from([...windows.entries()].sort(([a], [b]) => a - b).flatMap(([window, bits]) => [window, bits.length, ...bits]))
}

/**
 * A record's identity for known-answer comparisons: owner name, type, class and rdata, with names compared
 * as mDNS compares them (ASCII case folded, RFC 6762 §16) and names inside rdata read whether or not another
 * host compressed them. Two hosts' copies of one record get the same identity.
 */
export function recordIdentity(record: KnownAnswerRecord): string {
  const data: RecordData = 'kind' in record ? record : decodeOwnRdata(record)
  return [nameKey(record.name) ?? '', record.type, record.class & CLASS_MASK, rdataIdentity(data, record.rdata)].join('\u0000')
}

function decodeOwnRdata(record: ResourceRecordLike): RecordData {
  const read = decodeRdata(record.rdata, record.type, 0, record.rdata.length)
  return read.ok ? read.data : { kind: 'unknown' }
}

function rdataIdentity(data: RecordData, rdata: Uint8Array): string {
  switch (data.kind) {
    case 'PTR':
      return nameKey(data.target) ?? ''
    case 'SRV':
      return `${data.priority} ${data.weight} ${data.port} ${nameKey(data.target) ?? ''}`
    case 'NSEC':
      return `${nameKey(data.nextName) ?? ''} ${data.types.join(',')}`
    case 'A':
    case 'AAAA':
    case 'TXT':
    case 'unknown':
      return Array.from(rdata, (byte) => byte.toString(16).padStart(2, '0')).join('')
  }
}
