/**
 * Parsers for nmcli's terse output (`nmcli -t`), pure so they are tested against recorded outputs
 * (tests/fixtures/wifi/linux). Terse tabular rows separate fields with ':' and escape ':' and '\' inside a
 * value as '\:' and '\\' (nmcli(1), "--terse"); the multi-line "detail" form (`connection show <id>`) prints
 * `field:value` with the value NOT escaped, so it is split at the first colon only. Both were checked
 * against nmcli 1.42 (see the fixtures README). The adapter runs nmcli with LC_ALL=C.UTF-8: under plain C,
 * nmcli turns every non-ASCII character of an SSID into '?' (observed), and under a user locale its error
 * texts and yes/no values are translated.
 */
import { adapterFailed, ssidFromHex, success } from './adapter-support'
import type { WifiError, WifiResult, WifiSecurity } from './port'

/** Splits one terse line into fields, undoing `\:` and `\\`. */
export function splitTerse(line: string): string[] {
  const fields: string[] = []
  let field = ''
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '\\' && i + 1 < line.length && (line[i + 1] === ':' || line[i + 1] === '\\')) {
      field += line[++i]
    } else if (ch === ':') {
      fields.push(field)
      field = ''
    } else field += ch
  }
  fields.push(field)
  return fields
}

const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.length > 0)

function rows(text: string, width: number, what: string): WifiResult<string[][]> {
  const out: string[][] = []
  for (const line of lines(text)) {
    const fields = splitTerse(line)
    if (fields.length !== width) return adapterFailed(`NetworkManager answered in a form Porchlight does not understand (${what}). Update Porchlight, or join from the Wi-Fi menu.`, `nmcli ${what}: expected ${width} fields, got ${fields.length}: ${line.slice(0, 120)}`)
    out.push(fields)
  }
  return success(out)
}

/**
 * nmcli's SECURITY column (the AP's WPA/RSN flags, device.c `fill_output_access_point`): space-separated
 * "WEP", "WPA1", "WPA2", "WPA3", "OWE", "802.1X"; empty = open. OWE ("Enhanced Open") needs no passphrase,
 * so it is `open` for our purposes; the adapter still creates its profile with key-mgmt owe.
 */
export function mapNmcliSecurity(text: string): WifiSecurity {
  const tokens = new Set(text.trim().split(/\s+/).filter(Boolean))
  if (tokens.size === 0 || text.trim() === '--') return 'open'
  if (tokens.has('802.1X') || tokens.has('WPA-EAP') || tokens.has('EAP')) return 'enterprise'
  if (tokens.has('WPA3') && (tokens.has('WPA2') || tokens.has('WPA1'))) return 'wpa2-wpa3'
  if (tokens.has('WPA3')) return 'wpa3-sae'
  if (tokens.has('WPA2')) return 'wpa2-psk'
  if (tokens.has('WPA1')) return 'wpa-psk'
  if (tokens.has('WEP')) return 'wep'
  if (tokens.has('OWE') || tokens.has('OWE-TM')) return 'open'
  return 'unknown'
}

/** The fields the adapter asks `device wifi list` for, in order. */
export const WIFI_LIST_FIELDS = 'ACTIVE,SSID,SSID-HEX,BSSID,CHAN,SIGNAL,SECURITY,DEVICE'

/** One access point as nmcli lists it (one row per BSSID). */
export interface NmcliAccessPoint {
  isActive: boolean
  /** null = hidden (no SSID broadcast). */
  ssid: string | null
  bssid?: string
  channel?: number
  signal: number
  /** nmcli's own words, e.g. "WPA2 WPA3"; the adapter picks key-mgmt from it. */
  securityText: string
  security: WifiSecurity
  device: string
}

const toInt = (text: string): number | undefined => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined)

/** Parses `nmcli -t -f WIFI_LIST_FIELDS device wifi list`; SSID-HEX wins over SSID (exact bytes, no escaping). */
export function parseWifiList(text: string): WifiResult<NmcliAccessPoint[]> {
  const parsed = rows(text, 8, 'device wifi list')
  if (!parsed.ok) return parsed
  const aps: NmcliAccessPoint[] = []
  for (const [active = '', ssid = '', hex = '', bssid = '', chan = '', signal = '', security = '', device = ''] of parsed.value) {
    if (active !== 'yes' && active !== 'no') return adapterFailed('NetworkManager answered in a form Porchlight does not understand (device wifi list). Update Porchlight, or join from the Wi-Fi menu.', `nmcli device wifi list: ACTIVE is "${active.slice(0, 20)}"`)
    const fromHex = hex ? ssidFromHex(hex) : undefined
    // Pretty output shows "--" for a hidden AP; terse shows nothing. A real SSID "--" comes with its hex.
    const name = fromHex ?? (ssid === '' || (ssid === '--' && !hex) ? null : ssid)
    const channel = toInt(chan)
    aps.push({
      isActive: active === 'yes',
      ssid: name,
      ...(bssid ? { bssid: bssid.toLowerCase() } : {}),
      ...(channel !== undefined ? { channel } : {}),
      signal: Math.min(100, toInt(signal) ?? 0),
      securityText: security,
      security: mapNmcliSecurity(security),
      device,
    })
  }
  return success(aps)
}

/** One row of `nmcli -t -f DEVICE,TYPE,STATE,CONNECTION device status`. */
export interface NmcliDevice {
  device: string
  type: string
  /** e.g. "connected", "disconnected", "unavailable", "unmanaged", "connecting (getting IP configuration)". */
  state: string
  connection: string
}

/** Parses `device status`. */
export function parseDeviceStatus(text: string): WifiResult<NmcliDevice[]> {
  const parsed = rows(text, 4, 'device status')
  if (!parsed.ok) return parsed
  return success(parsed.value.map(([device = '', type = '', state = '', connection = '']) => ({ device, type, state, connection })))
}

/** One saved profile from `nmcli -t -f NAME,UUID,TYPE,TIMESTAMP connection show`. */
export interface NmcliConnection {
  name: string
  uuid: string
  type: string
  /** Seconds since the epoch of its last activation; 0 = never. */
  timestamp: number
}

/** Parses the profile list. */
export function parseConnections(text: string): WifiResult<NmcliConnection[]> {
  const parsed = rows(text, 4, 'connection show')
  if (!parsed.ok) return parsed
  return success(parsed.value.map(([name = '', uuid = '', type = '', ts = '']) => ({ name, uuid, type, timestamp: toInt(ts) ?? 0 })))
}

/** Parses detail output of `-t -f connection.uuid,802-11-wireless.ssid connection show uuid A uuid B …` into uuid → SSID. */
export function parseConnectionSsids(text: string): Map<string, string> {
  const ssids = new Map<string, string>()
  let uuid: string | undefined
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':')
    if (at < 0) continue
    const key = line.slice(0, at)
    const value = line.slice(at + 1)
    if (key === 'connection.uuid') uuid = value
    else if (key === '802-11-wireless.ssid' && uuid !== undefined) ssids.set(uuid, value)
  }
  return ssids
}

/** What `nmcli -t -f RUNNING,STATE,WIFI-HW,WIFI general status` says. */
export interface NmcliGeneral {
  isRunning: boolean
  /** "enabled", "disabled" or "missing" (no Wi-Fi hardware). */
  wifiHardware: string
  isWifiEnabled: boolean
}

/** Parses `general status`. */
export function parseGeneralStatus(text: string): WifiResult<NmcliGeneral> {
  const parsed = rows(text, 4, 'general status')
  if (!parsed.ok) return parsed
  const [row] = parsed.value
  if (!row) return adapterFailed('NetworkManager gave no status. Check that it is running, or join from the Wi-Fi menu.', 'nmcli general status: empty output')
  const [running = '', , hw = '', wifi = ''] = row
  return success({ isRunning: running === 'running', wifiHardware: hw, isWifiEnabled: wifi === 'enabled' })
}

/** Parses `nmcli -t general permissions` into permission → "yes" | "no" | "auth". */
export function parsePermissions(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of lines(text)) {
    const [name = '', value = ''] = splitTerse(line)
    if (name) out.set(name, value)
  }
  return out
}

/**
 * Maps a failed nmcli run to a WifiError. Exit codes are from nmcli(1) "EXIT STATUS": 3 timeout, 4
 * activation failed, 8 NetworkManager not running, 10 not found. Activation failures are told apart by
 * NetworkManager's reason text (NMDeviceStateReason: 7 no-secrets is what a rejected PSK looks like, since
 * NM asks again and no agent answers; 53 ssid-not-found), matched with or without the "(7) " prefix.
 */
export function classifyNmcliFailure(exitCode: number, stderr: string, ssid: string, timeoutMs: number): WifiError {
  const text = stderr.trim()
  const detail = `nmcli exit ${exitCode}: ${text.slice(0, 300)}`
  if (/Secrets were required, but not provided/i.test(text)) {
    return { code: 'wrong-passphrase', message: `The network "${ssid}" did not accept the passphrase. Check it and try again.` }
  }
  if (/No network with SSID|Wi-Fi network could not be found|no compatible access point|ssid-not-found/i.test(text)) {
    return { code: 'network-not-found', message: `No network named "${ssid}" is in range. Check the name, move closer to it, and try again.` }
  }
  if (/Not authorized|Insufficient privileges|permission denied/i.test(text)) {
    return { code: 'not-permitted', message: 'NetworkManager does not let Porchlight change networks for this user (polkit). Allow it ("network-control") or join from the Wi-Fi menu.' }
  }
  if (exitCode === 3 || /Timeout expired/i.test(text)) {
    return { code: 'join-timeout', afterMs: timeoutMs, message: `Joining "${ssid}" did not finish within ${Math.round(timeoutMs / 1000)} s. Move closer to it and try again.` }
  }
  if (exitCode === 8 || /NetworkManager is not running|Could not create NMClient object/i.test(text)) {
    return { code: 'no-wifi-adapter', message: 'NetworkManager is not running, so Porchlight cannot change this computer\'s Wi-Fi. Start it, or join the network from the Wi-Fi menu.' }
  }
  if (/No Wi-Fi device found|No suitable device found|device '.*' not found/i.test(text)) {
    return { code: 'no-wifi-adapter', message: 'NetworkManager has no usable Wi-Fi device. Turn Wi-Fi on, or join the network from the Wi-Fi menu.' }
  }
  return { code: 'adapter-failed', message: `NetworkManager could not join "${ssid}". Try again, or join it from the Wi-Fi menu.`, detail }
}
