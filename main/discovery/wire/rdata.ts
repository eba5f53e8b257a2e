/**
 * Rdata decoders for the types DNS-SD needs. Each reads exactly [start, end) of the message and must use it
 * all: a record whose rdata is short, long or malformed is reported, never guessed at, and the caller skips
 * it by rdlength (RFC 1035 §4.1.3). Names inside rdata may be compressed (RFC 6762 §18.14), so they are read
 * against the whole message.
 */
import { readName, type NameCache } from './names'
import { RR_TYPE, type RecordData, type WireErrorCode } from './types'

/** Decoded rdata, or why it could not be decoded. */
export type RdataRead = { ok: true; data: RecordData } | { ok: false; code: WireErrorCode; reason: string }

/** Big-endian 16-bit value; callers check bounds first. */
export function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0)
}

const invalid = (reason: string): RdataRead => ({ ok: false, code: 'rdata-invalid', reason })

/** Decodes the rdata of a record of `type` at [start, end); types without a decoder come back as `unknown`. */
export function decodeRdata(bytes: Uint8Array, type: number, start: number, end: number, cache?: NameCache): RdataRead {
  switch (type) {
    case RR_TYPE.A:
      if (end - start !== 4) return invalid(`A rdata is ${end - start} bytes, not 4 (RFC 1035 §3.4.1)`)
      return { ok: true, data: { kind: 'A', address: Array.from(bytes.subarray(start, end)).join('.') } }
    case RR_TYPE.AAAA:
      if (end - start !== 16) return invalid(`AAAA rdata is ${end - start} bytes, not 16 (RFC 3596 §2.2)`)
      return { ok: true, data: { kind: 'AAAA', address: formatIpv6(bytes.subarray(start, end)) } }
    case RR_TYPE.PTR:
      return decodePtr(bytes, start, end, cache)
    case RR_TYPE.SRV:
      return decodeSrv(bytes, start, end, cache)
    case RR_TYPE.TXT:
      return decodeTxt(bytes, start, end)
    case RR_TYPE.NSEC:
      return decodeNsec(bytes, start, end, cache)
    default:
      return { ok: true, data: { kind: 'unknown' } }
  }
}

function decodePtr(bytes: Uint8Array, start: number, end: number, cache: NameCache | undefined): RdataRead {
  const target = readName(bytes, start, end, cache)
  if (!target.ok) return { ok: false, code: target.code, reason: `PTR target: ${target.reason}` }
  if (target.end !== end) return invalid(`PTR rdata has ${end - target.end} bytes after the name`)
  return { ok: true, data: { kind: 'PTR', target: target.name } }
}

function decodeSrv(bytes: Uint8Array, start: number, end: number, cache: NameCache | undefined): RdataRead {
  if (end - start < 7) return invalid(`SRV rdata is ${end - start} bytes, too short (RFC 2782)`)
  const [priority, weight, port] = [u16(bytes, start), u16(bytes, start + 2), u16(bytes, start + 4)]
  const target = readName(bytes, start + 6, end, cache)
  if (!target.ok) return { ok: false, code: target.code, reason: `SRV target: ${target.reason}` }
  if (target.end !== end) return invalid(`SRV rdata has ${end - target.end} bytes after the target`)
  return { ok: true, data: { kind: 'SRV', priority, weight, port, target: target.name } }
}

/** Length-prefixed strings (RFC 1035 §3.3.14); rdlength 0 is tolerated as no strings (RFC 6763 §6.1 wants one empty string). */
function decodeTxt(bytes: Uint8Array, start: number, end: number): RdataRead {
  const strings: Uint8Array[] = []
  let position = start
  while (position < end) {
    const length = bytes[position] ?? 0
    if (position + 1 + length > end) return invalid(`TXT string at ${position} claims ${length} bytes, ${end - position - 1} remain`)
    strings.push(bytes.slice(position + 1, position + 1 + length))
    position += 1 + length
  }
  return { ok: true, data: { kind: 'TXT', strings } }
}

/** Next domain name, then type bitmap windows: number, length 1-32, bits (RFC 4034 §4.1.1-§4.1.2). */
function decodeNsec(bytes: Uint8Array, start: number, end: number, cache: NameCache | undefined): RdataRead {
  const next = readName(bytes, start, end, cache)
  if (!next.ok) return { ok: false, code: next.code, reason: `NSEC next domain: ${next.reason}` }
  const types: number[] = []
  let position = next.end
  while (position < end) {
    const window = bytes[position] ?? 0
    const length = bytes[position + 1] ?? 0
    if (position + 2 > end || length < 1 || length > 32 || position + 2 + length > end) {
      return invalid(`NSEC type bitmap window at ${position} is malformed (RFC 4034 §4.1.2)`)
    }
    for (let i = 0; i < length; i++) {
      const octet = bytes[position + 2 + i] ?? 0
      for (let bit = 0; bit < 8; bit++) if (octet & (0x80 >> bit)) types.push((window << 8) | (i << 3) | bit)
    }
    position += 2 + length
  }
  return { ok: true, data: { kind: 'NSEC', nextName: next.name, types } }
}

/** RFC 5952 §4 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(u16(bytes, i))
  let best = { at: -1, length: 0 }
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > best.length && j - i >= 2) best = { at: i, length: j - i }
    i = j === i ? i + 1 : j
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':')
  if (best.at < 0) return hex(groups)
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.length))}`
}
