/**
 * Builds the decoder's readings from the tables: one function per kind of code, each returning every
 * plausible reading with the OS it belongs to (undefined: the same everywhere). The decoder decides which to
 * keep; these functions only look up.
 */
import { dnsSdByName, dnsSdByValue, type DnsSdCode } from './dns-sd'
import { errnoTitle, errnoVariantOses, explainErrno, isErrnoName, isNetworkErrno } from './errno'
import { DARWIN_ERRNO_NAMES, LINUX_ERRNO_NAMES, UV_EAI_FIRST, UV_EAI_NAMES, WINDOWS_UV_FIRST, WINDOWS_UV_NAMES } from './errno-numbers'
import { espFailReason, espStatus, espWifiState, httpStatus, type EspCode } from './esp'
import { OS_LABEL, type DecodedError, type Explanation, type Os } from './types'
import { winsockByName, winsockByValue, type WinsockCode } from './winsock'

/** A reading plus the OS it applies to, before the decoder chooses. */
export interface Reading extends DecodedError {
  os?: Os
  /** Read from a name (as opposed to a number, which pins the OS). */
  fromName?: boolean
  /** A code a local-network app meets; sorted before others when nothing else decides. */
  isLikely?: boolean
}

function words(text: Explanation): Pick<DecodedError, 'meaning' | 'nextStep' | 'steps'> {
  return { meaning: text.meaning, nextStep: text.nextStep, ...(text.steps && { steps: [...text.steps] }) }
}

function errnoReading(code: string, os: Os | undefined, suffix: string, fromName: boolean): Reading {
  return {
    source: 'errno',
    code,
    name: `${code} — ${errnoTitle(code)}${suffix}`,
    ...words(explainErrno(code, os)),
    ...(os && { os }),
    ...(fromName && { fromName }),
    isLikely: isNetworkErrno(code),
  }
}

/** An errno-style name (`EHOSTUNREACH`, upper case): worded for `os`, or neutrally plus each OS's own wording. */
export function errnoNameReadings(name: string, os: Os | undefined): Reading[] {
  if (!isErrnoName(name)) return []
  if (os) return [errnoReading(name, os, '', true)]
  const variants = errnoVariantOses(name).map((v) => errnoReading(name, v, ` (on ${OS_LABEL[v]})`, true))
  return [errnoReading(name, undefined, '', true), ...variants]
}

function nameAt(names: readonly string[], index: number): string | undefined {
  const name = names[index]
  return name === undefined || name === '-' ? undefined : name
}

/** A positive errno number, or libuv's negative form of one (`-113`), on every OS it exists on. */
function errnoNumberReadings(n: number): Reading[] {
  const abs = Math.abs(n)
  const via = (label: string): string => (n < 0 ? ` (${n} from Node/libuv = errno ${abs} on ${label})` : ` (errno ${abs} on ${label})`)
  const linux = nameAt(LINUX_ERRNO_NAMES, abs - 1)
  const darwin = nameAt(DARWIN_ERRNO_NAMES, abs - 1)
  if (linux && linux === darwin && explainErrno(linux, 'linux').meaning === explainErrno(linux, 'darwin').meaning) {
    return [errnoReading(linux, undefined, via('Linux and macOS'), false)]
  }
  return [
    ...(linux ? [errnoReading(linux, 'linux', via('Linux'), false)] : []),
    ...(darwin ? [errnoReading(darwin, 'darwin', via('macOS'), false)] : []),
  ]
}

/** libuv's own negative codes: Windows errors (-4093…) and getaddrinfo errors (-3000…, every OS). */
function uvReadings(n: number): Reading[] {
  const windows = nameAt(WINDOWS_UV_NAMES, n - WINDOWS_UV_FIRST)
  if (windows) return [errnoReading(windows, 'win32', ` (${n} from Node/libuv on Windows)`, false)]
  const eai = nameAt(UV_EAI_NAMES, UV_EAI_FIRST - n)
  return eai ? [errnoReading(eai, undefined, ` (${n} from Node/libuv)`, false)] : []
}

function winsockReading(code: WinsockCode): Reading {
  return { source: 'winsock', code: code.name, name: `${code.name} (${code.value}) — ${code.title}`, ...words(code), os: 'win32', isLikely: true }
}

/** A Winsock name (`WSAETIMEDOUT`, upper case). */
export function winsockNameReadings(name: string): Reading[] {
  const code = winsockByName(name)
  return code ? [winsockReading(code)] : []
}

function dnsSdReading(code: DnsSdCode | undefined): Reading[] {
  if (!code) return []
  return [{ source: 'dns-sd', code: String(code.value), name: `kDNSServiceErr_${code.name} (${code.value})`, ...words(code), isLikely: true }]
}

/** A DNS-SD short name (`NoSuchRecord`, any case), worded for `os`. */
export function dnsSdNameReadings(name: string, os: Os | undefined): Reading[] {
  return dnsSdReading(dnsSdByName(name, os))
}

/** The three ESP enums, by source. */
export type EspEnum = 'esp-prov-status' | 'esp-wifi-state' | 'esp-wifi-fail-reason'

const ESP: Readonly<Record<EspEnum, { find: (key: string | number) => EspCode | undefined; label: string }>> = {
  'esp-prov-status': { find: espStatus, label: 'Status' },
  'esp-wifi-state': { find: espWifiState, label: 'WifiStationState' },
  'esp-wifi-fail-reason': { find: espFailReason, label: 'WifiConnectFailedReason' },
}

/** An ESP enum member by name (any case) or number. */
export function espReadings(source: EspEnum, key: string | number): Reading[] {
  const { find, label } = ESP[source]
  const code = find(key)
  return code ? [{ source, code: code.name, name: `${label}.${code.name} (${code.value})`, ...words(code), isLikely: true }] : []
}

/** An HTTP status an ESP accessory's web server sends. */
export function httpReadings(n: number): Reading[] {
  const text = httpStatus(n)
  return text ? [{ source: 'http', code: String(n), name: `HTTP ${n} ${text.title}`, ...words(text), isLikely: true }] : []
}

/** Every reading of a bare number: errno (per OS), libuv, Winsock, DNS-SD, HTTP. */
export function numberReadings(n: number, os: Os | undefined): Reading[] {
  if (!Number.isSafeInteger(n) || n === 0) return []
  if (n <= -65537 && n >= -65572) return dnsSdReading(dnsSdByValue(n, os))
  if (n <= -3000 && n >= -4093) return uvReadings(n)
  const winsock = winsockByValue(n)
  if (winsock) return [winsockReading(winsock)]
  return [...errnoNumberReadings(n), ...(n > 0 ? httpReadings(n) : [])]
}
