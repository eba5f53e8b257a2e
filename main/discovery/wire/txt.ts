/**
 * DNS-SD TXT records (RFC 6763 §6): the key/value model over the raw strings of a TXT record.
 *
 * Ours because bonjour-service's decoder breaks §6.4 five ways (drops 1-character keys, keeps `key=` as a
 * key, last duplicate wins, case-sensitive keys, cuts values at `\n`) and dns-packet's encoder silently
 * writes strings over 255 bytes with a wrapped length byte (reference/discovery-and-mdns.md §1.5).
 */

/** One key as the first string that carried it. */
export interface TxtEntry {
  /** The key lower-cased, for lookups (keys are case-insensitive, §6.4). */
  key: string
  /** The key as sent, for display. */
  displayKey: string
  /** The value bytes; null for a boolean key sent without `=` (present, no value, §6.4). */
  value: Uint8Array | null
  /** The value as UTF-8 text (invalid bytes become U+FFFD); null when `value` is null. */
  text: string | null
}

/** A string that did not become an entry, and why. */
export interface TxtIgnored {
  raw: Uint8Array
  code: 'txt-empty-key' | 'txt-bad-key' | 'txt-duplicate-key'
  reason: string
}

/** A parsed TXT record: entries in wire order, first occurrence of each key only. */
export interface TxtRecord {
  entries: TxtEntry[]
  /** Strings that were ignored, for the inspector; empty strings (the §6.1 empty record) are not listed. */
  ignored: TxtIgnored[]
}

const EQUALS = 0x3d
const decoder = new TextDecoder('utf-8')
const encoder = new TextEncoder()

/** A plain Uint8Array copy (a Buffer's slice() is a view, and callers may reuse their buffers). */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes)
}

/** Keys are printable US-ASCII, 0x20-0x7E, without `=` (§6.4); spaces are significant. */
function isKeyByte(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e && byte !== EQUALS
}

/**
 * Parses TXT strings per RFC 6763 §6.3-§6.5: the key ends at the first `=` and the value is every byte after
 * it (more `=`, `\n`, 0xFF, anything); `key` alone is a boolean, `key=` an empty value, `=value` is ignored;
 * keys compare case-insensitively and only the first occurrence counts. Long keys are accepted (§6.4 only
 * recommends ≤ 9 characters).
 */
export function parseTxt(strings: readonly Uint8Array[]): TxtRecord {
  const record: TxtRecord = { entries: [], ignored: [] }
  const seen = new Set<string>()
  for (const raw of strings) {
    if (raw.length === 0) continue
    const equals = raw.indexOf(EQUALS)
    const keyBytes = equals < 0 ? raw : raw.subarray(0, equals)
    const ignore = (code: TxtIgnored['code'], reason: string) => record.ignored.push({ raw: copy(raw), code, reason })
    if (keyBytes.length === 0) {
      ignore('txt-empty-key', 'a string starting with "=" has no key and MUST be ignored (RFC 6763 §6.4)')
      continue
    }
    if (!keyBytes.every(isKeyByte)) {
      ignore('txt-bad-key', 'key has bytes outside printable US-ASCII (RFC 6763 §6.4)')
      continue
    }
    const displayKey = String.fromCharCode(...keyBytes)
    const key = displayKey.toLowerCase()
    if (seen.has(key)) {
      ignore('txt-duplicate-key', `"${displayKey}" repeats an earlier key; only the first counts (RFC 6763 §6.4)`)
      continue
    }
    seen.add(key)
    const value = equals < 0 ? null : copy(raw.subarray(equals + 1))
    record.entries.push({ key, displayKey, value, text: value === null ? null : decoder.decode(value) })
  }
  return record
}

/** The entry for `key` (case-insensitive), or undefined when the key is absent. */
export function txtGet(record: TxtRecord, key: string): TxtEntry | undefined {
  const wanted = key.toLowerCase()
  return record.entries.find((entry) => entry.key === wanted)
}

/** One key to encode; `value: null` sends the bare key (boolean true, §6.4). */
export interface TxtInput {
  key: string
  value: string | Uint8Array | null
}

/** Why entries could not be encoded; the message says what to change. */
export interface TxtEncodeError {
  code: 'txt-bad-key' | 'txt-duplicate-key' | 'txt-string-too-long' | 'txt-record-too-long'
  message: string
}

/** The wire strings and the rdata (length-prefixed strings) of a TXT record, or an error. */
export type TxtEncodeResult = { ok: true; strings: Uint8Array[]; rdata: Uint8Array } | { ok: false; error: TxtEncodeError }

const MAX_STRING = 255
const MAX_RDATA = 65535

/**
 * Encodes entries as TXT strings. Refuses a string over 255 bytes (RFC 6763 §6.1: the length is one byte),
 * a key that is empty, not printable ASCII or contains `=`, and a repeated key (receivers would drop it).
 * No entries encode as one empty string, i.e. rdata of a single zero byte (§6.1), never as zero strings.
 */
export function encodeTxt(entries: readonly TxtInput[]): TxtEncodeResult {
  const fail = (code: TxtEncodeError['code'], message: string): TxtEncodeResult => ({ ok: false, error: { code, message } })
  const strings: Uint8Array[] = []
  const seen = new Set<string>()
  for (const { key, value } of entries) {
    const keyBytes = encoder.encode(key)
    if (keyBytes.length === 0 || keyBytes.length !== key.length || !keyBytes.every(isKeyByte)) {
      return fail('txt-bad-key', `TXT key "${key}" must be 1+ printable ASCII characters without "=" (RFC 6763 §6.4)`)
    }
    if (seen.has(key.toLowerCase())) return fail('txt-duplicate-key', `TXT key "${key}" appears twice; keys are case-insensitive, keep one`)
    seen.add(key.toLowerCase())
    const valueBytes = value === null ? undefined : typeof value === 'string' ? encoder.encode(value) : value
    const string = new Uint8Array(keyBytes.length + (valueBytes ? 1 + valueBytes.length : 0))
    string.set(keyBytes)
    if (valueBytes) {
      string[keyBytes.length] = EQUALS
      string.set(valueBytes, keyBytes.length + 1)
    }
    if (string.length > MAX_STRING) {
      const message = `TXT "${key}=…" is ${string.length} bytes; each string is at most ${MAX_STRING} (RFC 6763 §6.1): shorten the value`
      return fail('txt-string-too-long', message)
    }
    strings.push(string)
  }
  if (strings.length === 0) strings.push(new Uint8Array(0))
  const size = strings.reduce((n, s) => n + 1 + s.length, 0)
  if (size > MAX_RDATA) {
    return fail('txt-record-too-long', `TXT record is ${size} bytes; the limit is ${MAX_RDATA} (RFC 6763 §6.1); keep it under 1300 (§6.2)`)
  }
  const rdata = new Uint8Array(size)
  let offset = 0
  for (const s of strings) {
    rdata[offset] = s.length
    rdata.set(s, offset + 1)
    offset += 1 + s.length
  }
  return { ok: true, strings, rdata }
}
