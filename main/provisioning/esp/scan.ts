/**
 * The device's Wi-Fi scan over `prov-scan` (reference §1.7, (b)16): one blocking CmdScanStart, CmdScanStatus,
 * then result pages. SSIDs arrive as raw bytes from a device we do not trust yet, so they are bounded,
 * decoded leniently and kept as data (the UI renders them as text; nothing here interprets them).
 */
import type { Clock } from '../../util/clock'
import type { DeviceNetwork, DriverError, DriverResult } from '../driver'
import { Status } from './constants'
import type { PostOptions } from './http-transport'
import { decodeWiFiScan, encodeWiFiScan, type WiFiScanMessage, type WiFiScanResult } from './wifi-messages'

/** An encrypted request/response on one endpoint of the open session. */
export type SessionCall = (endpoint: string, plaintext: Uint8Array, options?: PostOptions) => Promise<DriverResult<Uint8Array>>

/** Networks as shown, plus the exact SSID bytes behind each shown name (sent back in SetConfig). */
export interface ScannedNetworks {
  networks: DeviceNetwork[]
  ssidBytes: Map<string, Uint8Array>
}

/** Options of a scan. */
export interface ScanOptions {
  clock: Clock
  signal?: AbortSignal | undefined
  /** The blocking scan start may take seconds: the device hops channels in groups (reference §1.7). */
  scanTimeoutMs: number
}

// Over HTTP any page size works (BLE needs ≤ 4); the device keeps 16 results by default (§1.7).
const PAGE = 16
const MAX_RESULTS = 64
const STATUS_POLLS = 10
const STATUS_PAUSE_MS = 300
const SSID_MAX_BYTES = 32
const decoder = new TextDecoder('utf-8', { fatal: false })

const AUTH: readonly DeviceNetwork['security'][] = ['open', 'wep', 'wpa-psk', 'wpa2-psk', 'wpa-wpa2-psk', 'wpa2-enterprise', 'wpa3-psk', 'wpa2-wpa3-psk']

/** Runs a scan and reads every page; strongest first, SSIDs de-duplicated. */
export async function scanNetworks(call: SessionCall, options: ScanOptions): Promise<DriverResult<ScannedNetworks>> {
  const { signal } = options
  // esp_prov's SoftAP settings: 5 channels per group, 120 ms each, so the AP keeps beaconing between groups.
  const start = await scanCall(call, { type: 'cmdScanStart', blocking: true, passive: false, groupChannels: 5, periodMs: 120 }, 'respScanStart', { signal, timeoutMs: options.scanTimeoutMs })
  if (!start.ok) return start
  let count: number | undefined
  for (let poll = 0; poll < STATUS_POLLS && count === undefined; poll++) {
    if (poll > 0 && !(await pause(options.clock, STATUS_PAUSE_MS, signal))) return { ok: false, error: { code: 'aborted', message: 'Stopped.' } }
    const status = await scanCall(call, { type: 'cmdScanStatus' }, 'respScanStatus', { signal })
    if (!status.ok) return status
    if (status.value.scanFinished) count = Math.min(status.value.resultCount, MAX_RESULTS)
  }
  if (count === undefined) return { ok: false, error: { code: 'device-error', message: 'The accessory’s network scan did not finish. Try scanning again.', detail: 'scan-unfinished' } }
  const entries: WiFiScanResult[] = []
  for (let index = 0; index < count; index += PAGE) {
    const page = await scanCall(call, { type: 'cmdScanResult', startIndex: index, count: Math.min(PAGE, count - index) }, 'respScanResult', { signal })
    if (!page.ok) return page
    if (page.value.entries.length === 0) break
    entries.push(...page.value.entries.slice(0, PAGE))
  }
  return { ok: true, value: normaliseScan(entries) }
}

type ScanReply<T extends WiFiScanMessage['type']> = Extract<WiFiScanMessage, { type: T }>

async function scanCall<T extends WiFiScanMessage['type']>(call: SessionCall, message: WiFiScanMessage, expected: T, options: PostOptions): Promise<DriverResult<ScanReply<T>>> {
  const reply = await call('prov-scan', encodeWiFiScan(message), options)
  if (!reply.ok) return reply
  const decoded = decodeWiFiScan(reply.value)
  // After a successful decrypt, bytes that do not decode mean the cipher streams drifted apart (§1.5 item 7).
  if (!decoded.ok) return { ok: false, error: { code: 'session-lost', message: 'The accessory’s scan reply could not be read; the secure session is out of step. Reconnect.' } }
  const value = decoded.value
  if (value.status !== undefined && value.status !== Status.Success) {
    return { ok: false, error: { code: 'device-error', message: 'The accessory could not scan for networks. Try again.', detail: `status-${value.status}` } }
  }
  if (value.type !== expected) return { ok: false, error: unexpected(value.type) }
  return { ok: true, value: value as ScanReply<T> }
}

const unexpected = (type: string): DriverError => ({ code: 'device-error', message: 'The accessory answered the scan with an unexpected message.', detail: type })

/** Waits `ms` on the clock; false when aborted first. */
export function pause(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      resolve(false)
    }
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Scan entries as networks. SSIDs end at the first NUL (the firmware treats them as C strings, so nothing
 * after one could be joined; esp_prov strips trailing NULs), must be 1–32 bytes, and are decoded as UTF-8
 * with U+FFFD for invalid bytes; the original bytes are kept so a lossy name still round-trips to the device.
 */
export function normaliseScan(entries: readonly WiFiScanResult[]): ScannedNetworks {
  const best = new Map<string, { network: DeviceNetwork; bytes: Uint8Array }>()
  for (const entry of entries) {
    const nul = entry.ssid.indexOf(0)
    const bytes = nul === -1 ? entry.ssid : entry.ssid.subarray(0, nul)
    if (bytes.length === 0 || bytes.length > SSID_MAX_BYTES) continue
    const ssid = decoder.decode(bytes)
    const network: DeviceNetwork = {
      ssid,
      rssi: Number.isFinite(entry.rssi) ? entry.rssi : -127,
      channel: entry.channel,
      security: AUTH[entry.auth] ?? 'unknown',
      ...(entry.bssid.length === 6 && { bssid: Array.from(entry.bssid, (b) => b.toString(16).padStart(2, '0')).join(':') }),
    }
    const seen = best.get(ssid)
    if (!seen || network.rssi > seen.network.rssi) best.set(ssid, { network, bytes: Uint8Array.from(bytes) })
  }
  const ranked = [...best.values()].sort((a, b) => b.network.rssi - a.network.rssi || (a.network.ssid < b.network.ssid ? -1 : a.network.ssid > b.network.ssid ? 1 : 0))
  return { networks: ranked.map((r) => r.network), ssidBytes: new Map(ranked.map((r) => [r.network.ssid, r.bytes])) }
}
