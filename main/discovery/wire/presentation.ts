/**
 * Presentation form of DNS names: raw label bytes ⇄ text.
 *
 * DNS-SD instance names are arbitrary UTF-8 and may contain dots and spaces (RFC 6763 §4.1), so a label is
 * bytes, and its text form escapes `.` as `\.` and `\` as `\\` (RFC 6763 §4.3). Bytes that are not valid
 * UTF-8 (RFC 3629 §4) or are control characters become `\DDD` (RFC 1035 §5.1), so text → labels → text is
 * lossless and an untrusted name cannot smuggle a newline into a log line.
 */
import type { DnsName } from './types'

/** Longest label on the wire (RFC 1035 §2.3.4). */
export const MAX_LABEL_OCTETS = 63
/** Longest name on the wire, length octets and the root label included (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255

const BACKSLASH = 0x5c
const DOT = 0x2e

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if the byte there does not start one (RFC 3629 §4). */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] ?? 0
  let length: number
  let low = 0x80
  let high = 0xbf
  if (lead >= 0xc2 && lead <= 0xdf) length = 2
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3
    if (lead === 0xe0) low = 0xa0 // no overlong forms
    if (lead === 0xed) high = 0x9f // no UTF-16 surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4
    if (lead === 0xf0) low = 0x90
    if (lead === 0xf4) high = 0x8f // nothing above U+10FFFF
  } else return 0
  if (i + length > bytes.length) return 0
  for (let k = 1; k < length; k++) {
    const byte = bytes[i + k] ?? 0
    if (byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return 0
  }
  return length
}

function codePointAt(bytes: Uint8Array, i: number, length: number): number {
  let cp = (bytes[i] ?? 0) & (0x7f >> length)
  for (let k = 1; k < length; k++) cp = (cp << 6) | ((bytes[i + k] ?? 0) & 0x3f)
  return cp
}

function escapeByte(byte: number): string {
  return `\\${byte.toString().padStart(3, '0')}`
}

function isPlainAscii(label: Uint8Array): boolean {
  for (const byte of label) if (byte < 0x20 || byte >= 0x7f || byte === DOT || byte === BACKSLASH) return false
  return true
}

/** One label as presentation text. */
export function labelToText(label: Uint8Array): string {
  if (isPlainAscii(label)) return String.fromCharCode(...label)
  let text = ''
  let i = 0
  while (i < label.length) {
    const byte = label[i] ?? 0
    if (byte < 0x80) {
      if (byte === DOT || byte === BACKSLASH) text += `\\${String.fromCharCode(byte)}`
      else if (byte < 0x20 || byte === 0x7f) text += escapeByte(byte)
      else text += String.fromCharCode(byte)
      i++
      continue
    }
    const length = utf8SequenceLength(label, i)
    if (length === 0) {
      text += escapeByte(byte)
      i++
    } else {
      text += String.fromCodePoint(codePointAt(label, i, length))
      i += length
    }
  }
  return text
}

/** Labels as presentation text; the root name is `.`, other names have no trailing dot. */
export function labelsToText(labels: readonly Uint8Array[]): string {
  return labels.length === 0 ? '.' : labels.map(labelToText).join('.')
}

/** Wraps labels as a DnsName. */
export function nameFromLabels(labels: readonly Uint8Array[]): DnsName {
  return { labels, text: labelsToText(labels) }
}

/** Why presentation text is not a valid name. */
export interface NameTextError {
  code: 'invalid-name'
  message: string
}

const encoder = new TextEncoder()

/**
 * Parses presentation text (`My\.Lamp._hap._tcp.local`, trailing dot optional) into a name. Accepts `\.`,
 * `\\`, `\DDD` and `\` before any other character (RFC 1035 §5.1); enforces the label and name limits.
 */
export function parseName(text: string): { ok: true; name: DnsName } | { ok: false; error: NameTextError } {
  if (text === '.' || text === '') return { ok: true, name: nameFromLabels([]) }
  const labels: Uint8Array[] = []
  let current: number[] = []
  const fail = (message: string) => ({ ok: false as const, error: { code: 'invalid-name' as const, message } })
  const chars = Array.from(text)
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? ''
    if (ch === '.') {
      if (current.length === 0) return fail(`"${text}" has an empty label; escape a literal dot as \\.`)
      labels.push(Uint8Array.from(current))
      current = []
    } else if (ch === '\\') {
      const digits = chars.slice(i + 1, i + 4).join('')
      if (/^\d{3}$/.test(digits)) {
        const value = Number(digits)
        if (value > 255) return fail(`"${text}": \\${digits} is not a byte (000-255)`)
        current.push(value)
        i += 3
      } else if (i + 1 < chars.length) {
        current.push(...encoder.encode(chars[i + 1] ?? ''))
        i += 1
      } else return fail(`"${text}" ends with a lone backslash`)
    } else current.push(...encoder.encode(ch))
    if (current.length > MAX_LABEL_OCTETS) return fail(`"${text}" has a label over ${MAX_LABEL_OCTETS} bytes`)
  }
  if (current.length > 0) labels.push(Uint8Array.from(current))
  if (wireLength(labels) > MAX_NAME_OCTETS) return fail(`"${text}" is over ${MAX_NAME_OCTETS} bytes on the wire`)
  return { ok: true, name: nameFromLabels(labels) }
}

/** Octets the name takes uncompressed on the wire: a length octet per label, the labels, the root octet. */
export function wireLength(labels: readonly Uint8Array[]): number {
  return labels.reduce((n, label) => n + label.length + 1, 1)
}

/** Encodes labels uncompressed (RFC 1035 §3.1); throws on a label over 63 bytes (a programmer error). */
export function encodeName(labels: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(wireLength(labels))
  let offset = 0
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL_OCTETS) throw new RangeError(`label of ${label.length} bytes (1-63 allowed)`)
    out[offset] = label.length
    out.set(label, offset + 1)
    offset += label.length + 1
  }
  return out
}
