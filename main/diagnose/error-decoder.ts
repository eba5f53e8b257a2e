/**
 * The error decoder (issue #6 item 5): turns what users and support staff paste — an errno name or number,
 * a Winsock code, a DNS-SD error, an ESP provisioning status, an HTTP status, or a whole error message — into
 * plain language and a next step.
 *
 * Numbers mean different things on different systems (65 is EHOSTUNREACH on macOS and ENOPKG on Linux), so
 * every plausible reading is returned, each saying which platform it assumes; `platform` (the OS the error
 * came from) keeps the readings for that OS when there are any. Codes are only picked out of a longer
 * message where they cannot be mistaken for something else: errno-style names, `WSA…`, `kDNSServiceErr_…`,
 * qualified numbers (`errno: -111`, `status 3`, `HTTP 404`) and DNS-SD's own -655xx range. Pure: no I/O.
 */
import {
  dnsSdNameReadings,
  errnoNameReadings,
  espReadings,
  httpReadings,
  numberReadings,
  winsockNameReadings,
  type EspEnum,
  type Reading,
} from './error-codes/readings'
import { osOf, type DecodedError, type Os } from './error-codes/types'

export type { DecodedError, ErrorSource } from './error-codes/types'

/** Options for `decodeError`. */
export interface DecodeOptions {
  /** The OS the error came from; readings for it come first and others are dropped when it has any. */
  platform?: NodeJS.Platform
}

/** Longest input looked at: error messages put the code near the start, and this bounds the work on hostile input. */
const MAX_INPUT = 16_384

/** A group of readings for one thing found in the input, at its position. */
interface Found {
  at: number
  readings: Reading[]
}

const ESP_PREFIXES: ReadonlyArray<readonly [RegExp, EspEnum]> = [
  [/^(?:status)(?:\.|__)(\w+)$/i, 'esp-prov-status'],
  [/^(?:wifistationstate|wifi_station_state)(?:\.|__)(\w+)$/i, 'esp-wifi-state'],
  [/^(?:wificonnectfailedreason|wifi_connect_failed_reason)(?:\.|__)(\w+)$/i, 'esp-wifi-fail-reason'],
]

/** Readings for a bare word that is not an errno or Winsock name: DNS-SD and ESP names. */
function bareNameReadings(word: string, os: Os | undefined): Reading[] {
  return [
    ...dnsSdNameReadings(word, os),
    ...espReadings('esp-prov-status', word),
    ...espReadings('esp-wifi-state', word),
    ...espReadings('esp-wifi-fail-reason', word),
  ]
}

/** `text` without leading characters from `lead` and trailing ones from `trail` (a loop: a regex would be quadratic). */
function trimEnds(text: string, lead: string, trail: string): string {
  let start = 0
  let end = text.length
  while (start < end && lead.includes(text.charAt(start))) start++
  while (end > start && trail.includes(text.charAt(end - 1))) end--
  return text.slice(start, end)
}

/** Readings for one word of the input; bare DNS-SD/ESP names only when `isWhole` or written in CamelCase. */
function wordReadings(raw: string, os: Os | undefined, isWhole: boolean): Reading[] {
  const word = trimEnds(raw, '', '.')
  const upper = word.toUpperCase()
  if (upper.startsWith('WSA')) return winsockNameReadings(upper)
  const dnsSd = /^k?DNSServiceErr_(\w+)$/i.exec(word)
  if (dnsSd?.[1]) return dnsSdNameReadings(dnsSd[1], os)
  for (const [pattern, source] of ESP_PREFIXES) {
    const match = pattern.exec(word)
    if (match?.[1]) return espReadings(source, match[1])
  }
  if (/^E[A-Z0-9_]+$/.test(upper)) {
    const errno = errnoNameReadings(upper, os)
    if (errno.length > 0) return errno
  }
  // Single words such as "Timeout" or "Connected" are too common in prose to read inside a message.
  return isWhole || /^(?:[A-Z][a-z0-9]+){2,}$/.test(word) ? bareNameReadings(word, os) : []
}

/** Messages people paste in words rather than codes (strerror text, Node's "socket hang up"). */
const PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['no route to host', 'EHOSTUNREACH'],
  ['network is unreachable', 'ENETUNREACH'],
  ['connection refused', 'ECONNREFUSED'],
  ['connection timed out', 'ETIMEDOUT'],
  ['operation timed out', 'ETIMEDOUT'],
  ['connection reset by peer', 'ECONNRESET'],
  ['socket hang up', 'ECONNRESET'],
  ['address already in use', 'EADDRINUSE'],
  ['assign requested address', 'EADDRNOTAVAIL'],
  ['host is down', 'EHOSTDOWN'],
  ['network is down', 'ENETDOWN'],
  ['broken pipe', 'EPIPE'],
]

type NumberKind = 'any' | EspEnum | 'status' | 'http'

/** Numbers read inside a message only after a word that says what they are. */
const QUALIFIED: ReadonlyArray<readonly [RegExp, NumberKind]> = [
  [/\b(?:errno|error code|error|err|code|os error|socket error|SocketException)\s*[:=#]?\s*\(?\s*(-?\d{1,6})(?!\d)/gi, 'any'],
  [/\b(?:prov[_ -]?status|status)\s*[:=]?\s*(\d{1,3})(?!\d)/gi, 'status'],
  [/\b(?:sta[_ -]?state|wifi[_ -]?state|station[_ -]?state|state)\s*[:=]?\s*(\d)(?!\d)/gi, 'esp-wifi-state'],
  [/\b(?:fail[_ -]?reason|reason)\s*[:=]?\s*(\d)(?!\d)/gi, 'esp-wifi-fail-reason'],
  [/\b(?:HTTP(?:\/\d(?:\.\d)?)?|status[_ ]?code)\s*[:=]?\s*(\d{3})(?!\d)/gi, 'http'],
  [/\b([45]\d\d) (?=[A-Z][a-z])/g, 'http'],
  [/\/(?:proto-ver|prov-[a-z]+|esp_local_ctrl\/[a-z]+)\b[^\d\n]{0,20}([1-5]\d\d)(?!\d)/gi, 'http'],
  [/(?<![\w.-])(-655\d\d)(?!\d)/g, 'any'],
]

function qualifiedReadings(kind: NumberKind, n: number, os: Os | undefined): Reading[] {
  switch (kind) {
    case 'any':
      return numberReadings(n, os)
    case 'status':
      return n <= 7 ? espReadings('esp-prov-status', n) : httpReadings(n)
    case 'http':
      return httpReadings(n)
    case 'esp-prov-status':
    case 'esp-wifi-state':
    case 'esp-wifi-fail-reason':
      return espReadings(kind, n)
  }
}

function findAll(text: string, os: Os | undefined): Found[] {
  const found: Found[] = []
  const whole = trimEnds(text, ' \t\r\n`\'"([{<', ' \t\r\n`\'")]}>.,;:!?')
  if (/^-?\d{1,7}$/.test(whole)) return [{ at: 0, readings: numberReadings(Number(whole), os) }]
  if (/^[A-Za-z_][\w.]*$/.test(whole)) return [{ at: 0, readings: wordReadings(whole, os, true) }]
  for (const match of text.matchAll(/[A-Za-z_][\w.]*/g)) {
    const readings = wordReadings(match[0], os, false)
    if (readings.length > 0) found.push({ at: match.index, readings })
  }
  const lower = text.toLowerCase()
  for (const [phrase, code] of PHRASES) {
    const at = lower.indexOf(phrase)
    if (at >= 0) found.push({ at, readings: errnoNameReadings(code, os) })
  }
  for (const [pattern, kind] of QUALIFIED) {
    for (const match of text.matchAll(pattern)) {
      const readings = qualifiedReadings(kind, Number(match[1]), os)
      if (readings.length > 0) found.push({ at: match.index, readings })
    }
  }
  return found.sort((a, b) => a.at - b.at)
}

/** Keeps the readings for `os` when a group has any; otherwise keeps the group whole (better than nothing). */
function choose(readings: Reading[], os: Os | undefined): Reading[] {
  const fitting = os === undefined ? readings : readings.filter((r) => r.os === undefined || r.os === os)
  if (fitting.length > 0 && os !== undefined) return fitting
  // When the platform does not decide, codes a local-network app meets (65 → EHOSTUNREACH) go before the rest (ENOPKG).
  return [...readings].sort((a, b) => Number(b.isLikely === true) - Number(a.isLikely === true))
}

/**
 * An errno name and a number for the same error ("ECONNREFUSED … errno: -111") pin the platform: the number's
 * reading replaces the name's, and numbers that disagree with every name are dropped.
 */
function reconcile(readings: Reading[]): Reading[] {
  const nameCodes = new Set(readings.filter((r) => r.source === 'errno' && r.fromName).map((r) => r.code))
  const numberCodes = new Set(readings.filter((r) => r.source === 'errno' && !r.fromName).map((r) => r.code))
  if (nameCodes.size === 0 || numberCodes.size === 0) return readings
  return readings.filter((r) => r.source !== 'errno' || (r.fromName ? !numberCodes.has(r.code) : nameCodes.has(r.code)))
}

function toDecoded({ source, code, name, meaning, nextStep, steps }: Reading): DecodedError {
  return { source, code, name, meaning, nextStep, ...(steps && { steps: [...steps] }) }
}

/** Every plausible plain-language reading of a pasted error code or message; `[]` when nothing is recognised. */
export function decodeError(input: string, options: DecodeOptions = {}): DecodedError[] {
  if (typeof input !== 'string') return []
  const text = input.slice(0, MAX_INPUT).trim()
  if (text === '') return []
  const os = osOf(options.platform)
  const chosen = findAll(text, os).flatMap((group) => choose(group.readings, os))
  const seen = new Set<string>()
  return reconcile(chosen)
    .filter((r) => {
      const key = `${r.source}|${r.code}|${r.name}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .map(toDecoded)
}
