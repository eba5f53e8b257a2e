/**
 * Which records the cache takes, and the keys it files them under.
 *
 * Rdata is keyed by content, not by the bytes received: names inside PTR, SRV and NSEC rdata may be
 * compressed (RFC 6762 §18.14), so the same record arrives as different bytes in different packets. Names
 * compare case-insensitively there too (RFC 6762 §16; RFC 4034 §6.2 lower-cases them in canonical form).
 * TXT and unknown types carry no compressible names (RFC 3597 §4), so their bytes are their content.
 * Only names fold: TXT bytes are case-sensitive.
 */
import { createHash } from 'node:crypto'
import { RR_TYPE, nameKey, type DnsName, type ResourceRecord } from '../wire'
import type { DropReason, InterfaceId } from './types'

/** A record the cache accepted, with its name and rdata keys worked out once. */
export interface NormalizedRecord {
  record: ResourceRecord
  nameKey: string
  /** Rdata identity: names case-folded, bytes as a short digest. */
  rdataKey: string
  /** Like `rdataKey` but with names as sent, to notice a change of letter case in an otherwise equal record. */
  rdataText: string
}

/** A record accepted, or the reason it was refused. */
export type Normalized = ({ ok: true } & NormalizedRecord) | { ok: false; reason: DropReason }

/** Largest TTL a record may carry; larger wire values read as 0 (RFC 2181 §8), so larger here means a bad record. */
export const MAX_TTL_SECONDS = 0x7fffffff

const refuse = (reason: DropReason): Normalized => ({ ok: false, reason })
const isInt = (value: unknown, max: number): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max
const isName = (value: unknown): value is { text: string; labels: unknown[] } => {
  const name = value as { text?: unknown; labels?: unknown } | null | undefined
  return typeof name === 'object' && name !== null && typeof name.text === 'string' && Array.isArray(name.labels)
}

/**
 * Checks one record from a decoded packet. Anything odd is refused with a reason rather than thrown:
 * the input comes from the network through a decoder that may have bugs, or from tests that forge records.
 */
export function normalizeRecord(value: unknown, maxRdataBytes: number): Normalized {
  if (typeof value !== 'object' || value === null) return refuse('invalid')
  const record = value as ResourceRecord
  if (!isName(record.name) || !isInt(record.type, 0xffff) || !isInt(record.class, 0x7fff)) return refuse('invalid')
  if (!isInt(record.ttl, MAX_TTL_SECONDS) || !(record.rdata instanceof Uint8Array)) return refuse('invalid')
  if (!isDataType(record.type)) return refuse('not-cacheable')
  if (record.rdata.length > maxRdataBytes) return refuse('rdata-too-large')
  const key = nameKey(record.name)
  const rdataText = describeRdata(record)
  if (key === undefined || rdataText === undefined) return refuse('invalid')
  return { ok: true, record, nameKey: key, rdataText, rdataKey: hasNames(record) ? fold(rdataText) : rdataText }
}

/**
 * Data types only: 0 is reserved, OPT (41) is an EDNS pseudo-record that must not be cached (RFC 6891
 * §6.1.1), and 128-255 are question and meta types (RFC 6895 §3.1), ANY among them.
 */
function isDataType(type: number): boolean {
  return type !== 0 && type !== RR_TYPE.OPT && (type < 128 || type > 255)
}

/** Rdata as comparable text, names last so no separator can be ambiguous; undefined if the decoded fields are missing. */
function describeRdata(record: ResourceRecord): string | undefined {
  switch (record.kind) {
    case 'A':
    case 'AAAA':
      return record.type === (record.kind === 'A' ? RR_TYPE.A : RR_TYPE.AAAA) && typeof record.address === 'string' ? record.address : undefined
    case 'PTR':
      return record.type === RR_TYPE.PTR && isName(record.target) ? record.target.text : undefined
    case 'SRV':
      if (record.type !== RR_TYPE.SRV || !isName(record.target)) return undefined
      return `${record.priority} ${record.weight} ${record.port} ${record.target.text}`
    case 'NSEC':
      if (record.type !== RR_TYPE.NSEC || !isName(record.nextName) || !Array.isArray(record.types)) return undefined
      return `${record.types.join(',')} ${record.nextName.text}`
    case 'TXT':
    case 'unknown':
      return bytesKey(record.rdata)
    default:
      return undefined
  }
}

function hasNames(record: ResourceRecord): boolean {
  return record.kind === 'PTR' || record.kind === 'SRV' || record.kind === 'NSEC'
}

/** Largest rdata keyed by its hex; longer rdata is keyed by a digest, so keys stay small (a full TXT would be 8 KB of hex). */
const HEX_KEY_MAX_BYTES = 32

/** Bytes as key text: hex when short, else length and SHA-256 (collision-resistant, so forged rdata cannot alias another record's). */
function bytesKey(bytes: Uint8Array): string {
  if (bytes.length > HEX_KEY_MAX_BYTES) return `#${bytes.length}:${createHash('sha256').update(bytes).digest('base64')}`
  let text = ''
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0')
  return text
}

/** `nameKey` for a value that should be a name but may be anything; undefined when it is not a valid name. */
export function safeNameKey(value: unknown): string | undefined {
  if (typeof value === 'string') return nameKey(value)
  return isName(value) ? nameKey(value as DnsName) : undefined
}

/** ASCII-only case folding, as names compare (RFC 6762 §16); only ever applied to rdata that holds names. */
function fold(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase())
}

/** The record set a record belongs to on one interface: the unit of cache-flush (RFC 6762 §10.2). */
export function rrsetKey(interfaceId: InterfaceId, record: { class: number; type: number }, name: string): string {
  return `${interfaceId}\u0000${record.class}\u0000${record.type}\u0000${name}`
}

/** The identity of one record on one interface. */
export function recordKey(interfaceId: InterfaceId, normalized: NormalizedRecord): string {
  return `${rrsetKey(interfaceId, normalized.record, normalized.nameKey)}\u0000${normalized.rdataKey}`
}
