/**
 * Parsers for macOS's Wi-Fi tools, pure and tested against fixtures whose shapes were checked against public
 * real captures (tests/fixtures/wifi/README.md says which):
 * `networksetup -getairportnetwork` / `-setairportnetwork` / `-removepreferredwirelessnetwork` (plain
 * English text; networksetup is not localized) and `system_profiler SPAirPortDataType -json`, validated
 * with zod because its shape is undocumented and changes between releases. Facts from real captures:
 * keys come sorted; `spairport_network_channel` is a number or "149,+1" before macOS 13 and "6 (2GHz,
 * 20MHz)" after; neighbours on 15.x often have no `spairport_signal_noise`; `awdl0` carries a
 * `spairport_current_network_information` with no `_name` at all; the status is
 * `spairport_status_connected` / `_disassociated` / `_off`; and the WPA2/WPA3 transition mode is spelled
 * `pairport_security_mode_wpa3_transition` (Apple's typo, missing the leading "s").
 *
 * Since macOS 14.4 (and fully in 15) network names are redacted for processes without Location Services
 * permission: system_profiler prints "<redacted>" and `-getairportnetwork` may claim "You are not
 * associated with an AirPort network." while associated. A redacted name is `null` here, never a string,
 * so nothing downstream can mistake it for an SSID.
 */
import { z } from 'zod'
import { adapterFailed, success } from './adapter-support'
import type { WifiError, WifiResult, WifiSecurity } from './port'

/** What `-getairportnetwork <if>` said. */
export type AirportNetwork = { kind: 'associated'; ssid: string } | { kind: 'not-associated' } | { kind: 'wifi-off' }

/** Parses `networksetup -getairportnetwork <if>`. */
export function parseGetAirportNetwork(text: string): WifiResult<AirportNetwork> {
  const named = /^Current (?:Wi-Fi|AirPort) Network: (.*)$/m.exec(text)
  if (named) return success({ kind: 'associated', ssid: named[1] ?? '' })
  if (/power is currently off/i.test(text)) return success({ kind: 'wifi-off' })
  if (/not associated with an AirPort network/i.test(text)) return success({ kind: 'not-associated' })
  if (/is not a Wi-Fi interface/i.test(text)) {
    return { ok: false, error: { code: 'no-wifi-adapter', message: 'macOS says this interface is not Wi-Fi. Turn Wi-Fi on in System Settings, then try again.' } }
  }
  return adapterFailed('macOS answered in a form Porchlight does not understand (networksetup). Join the network from the Wi-Fi menu.', text.trim().slice(0, 200))
}

/**
 * CoreWLAN error codes networksetup prints after "Failed to join network" (CWErr in CoreWLAN's
 * CoreWLANConstants.h): the handshake ones mean the key was wrong.
 */
const WRONG_KEY_CODES = new Set([-3912, -3924, -3925]) // challenge failure, invalid PMK, supplicant timeout
const NOT_PERMITTED_CODES = new Set([-3930]) // kCWOperationNotPermittedErr
const TIMEOUT_CODES = new Set([-3905]) // kCWTimeoutErr

/**
 * Parses `-setairportnetwork`: it exits 0 whether or not the join worked and reports failure on stdout
 * ("Could not find network X." / "Failed to join network X." plus "Error: -39xx …"). Empty output is only
 * "no failure reported"; the adapter still verifies.
 */
export function parseSetAirportNetwork(text: string, ssid: string): WifiError | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  if (/Could not find network/i.test(trimmed)) return { code: 'network-not-found', message: `No network named "${ssid}" is in range. Check the name, move closer to it, and try again.` }
  const code = Number(/Error:\s*(-\d+)/.exec(trimmed)?.[1] ?? NaN)
  if (/Failed to join network/i.test(trimmed) || !Number.isNaN(code)) {
    if (WRONG_KEY_CODES.has(code)) return { code: 'wrong-passphrase', message: `The network "${ssid}" did not accept the passphrase. Check it and try again.` }
    if (NOT_PERMITTED_CODES.has(code)) return { code: 'not-permitted', message: 'macOS did not let Porchlight change the Wi-Fi network (an administrator setting may require a password). Join it from the Wi-Fi menu.' }
    if (TIMEOUT_CODES.has(code)) return { code: 'join-timeout', afterMs: 0, message: `Joining "${ssid}" timed out. Move closer to it and try again.` }
    return { code: 'adapter-failed', message: `macOS could not join "${ssid}". Try again, or join it from the Wi-Fi menu.`, detail: trimmed.slice(0, 300) }
  }
  if (/power is currently off|turned off/i.test(trimmed)) return { code: 'no-wifi-adapter', message: 'Wi-Fi is turned off. Turn it on, then try again.' }
  return undefined
}

/** Parses `-removepreferredwirelessnetwork`: gone (or never there) is success; anything with "Error" is not. */
export function parseRemovePreferred(text: string): 'removed' | 'absent' | 'failed' {
  if (/not found in the preferred|was not found|is not in the preferred/i.test(text)) return 'absent'
  if (/error|not permitted|requires admin/i.test(text)) return 'failed'
  return 'removed'
}

const NetworkInfo = z.object({
  /** Absent in awdl0's stub `{ spairport_network_type: … }`. */
  _name: z.string().optional(),
  spairport_network_channel: z.union([z.string(), z.number()]).optional(),
  spairport_security_mode: z.string().optional(),
  spairport_signal_noise: z.string().optional(),
  spairport_network_bssid: z.string().optional(),
})

const AirportInterface = z.object({
  _name: z.string(),
  spairport_status_information: z.string().optional(),
  spairport_current_network_information: NetworkInfo.optional(),
  spairport_airport_other_local_wireless_networks: z.array(NetworkInfo).optional(),
})

const SystemProfiler = z.object({
  SPAirPortDataType: z.array(z.object({ spairport_airport_interfaces: z.array(AirportInterface).optional() })),
})

/** One network as system_profiler lists it. */
export interface MacNetwork {
  /** null = redacted ("<redacted>": no Location Services permission). */
  ssid: string | null
  signal: number
  rssiDbm?: number
  channel?: number
  security: WifiSecurity
  bssid?: string
}

/** One Wi-Fi interface from system_profiler. */
export interface MacAirportInterface {
  name: string
  isConnected: boolean
  current?: MacNetwork
  others: MacNetwork[]
}

/** Maps `spairport_security_mode_*` values to WifiSecurity. */
export function mapMacSecurity(mode: string | undefined): WifiSecurity {
  const m = (mode ?? '').replace(/^s?pairport_security_mode_/, '')
  if (m === 'none' || m === 'open' || m.startsWith('owe')) return 'open'
  if (m.includes('enterprise')) return 'enterprise'
  if (m === 'wpa3_transition' || m === 'wpa2_wpa3_personal') return 'wpa2-wpa3'
  if (m.startsWith('wpa3')) return 'wpa3-sae'
  if (m.startsWith('wpa2') || m === 'wpa_personal_mixed') return 'wpa2-psk'
  if (m.startsWith('wpa')) return 'wpa-psk'
  if (m.startsWith('wep') || m === 'dynamic_wep') return 'wep'
  return 'unknown'
}

/** dBm to the 0–100 scale scans use: -100 dBm or less → 0, -50 dBm or more → 100 (Windows' mapping). */
export const signalFromDbm = (dbm: number) => Math.max(0, Math.min(100, Math.round(2 * (dbm + 100))))

type Named = z.infer<typeof NetworkInfo> & { _name: string }
const isNamed = (info: z.infer<typeof NetworkInfo> | undefined): info is Named => info?._name !== undefined && info._name !== ''

function toNetwork(info: Named): MacNetwork {
  const rssi = /(-?\d+)\s*dBm/.exec(info.spairport_signal_noise ?? '')?.[1]
  const channel = Number.parseInt(String(info.spairport_network_channel ?? ''), 10)
  const bssid = info.spairport_network_bssid?.toLowerCase()
  return {
    ssid: info._name === '<redacted>' ? null : info._name,
    signal: rssi === undefined ? 0 : signalFromDbm(Number(rssi)),
    ...(rssi !== undefined ? { rssiDbm: Number(rssi) } : {}),
    ...(Number.isFinite(channel) ? { channel } : {}),
    security: mapMacSecurity(info.spairport_security_mode),
    ...(bssid && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(bssid) ? { bssid } : {}),
  }
}

/** Parses `system_profiler SPAirPortDataType -json` into its Wi-Fi interfaces. */
export function parseSystemProfiler(json: string): WifiResult<MacAirportInterface[]> {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return adapterFailed('macOS did not describe its Wi-Fi (system_profiler gave no JSON). Join the network from the Wi-Fi menu.', json.trim().slice(0, 200))
  }
  const parsed = SystemProfiler.safeParse(raw)
  if (!parsed.success) return adapterFailed('macOS described its Wi-Fi in a form Porchlight does not understand (system_profiler). Join the network from the Wi-Fi menu.', parsed.error.message.slice(0, 300))
  const interfaces = parsed.data.SPAirPortDataType.flatMap((d) => d.spairport_airport_interfaces ?? [])
  return success(interfaces.map((i) => {
    const current = i.spairport_current_network_information
    const hasCurrent = isNamed(current)
    return {
      name: i._name,
      isConnected: i.spairport_status_information === 'spairport_status_connected' || hasCurrent,
      ...(hasCurrent ? { current: toNetwork(current) } : {}),
      others: (i.spairport_airport_other_local_wireless_networks ?? []).filter(isNamed).map(toNetwork),
    }
  }))
}
