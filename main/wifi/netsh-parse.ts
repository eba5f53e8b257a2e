/**
 * Parsers for `netsh wlan` output, pure and tested against reconstructed outputs (tests/fixtures/wifi/windows).
 *
 * netsh is localized: keys ("State", "Authentication") and some values ("connected", "Open") follow the
 * Windows display language, and there is no switch for English. So the parser reads *structure* first —
 * `key : value` lines, blank-line blocks, indentation — and leans on what does not translate: GUIDs,
 * MAC addresses, "NN%", "SSID n", and Wi-Fi Alliance names like "WPA2-Personal". English keys fill in the
 * rest. On another language a connected interface is still found (only connected ones have an SSID line),
 * but states and channels may be missing; a listing with no recognisable structure is an error value.
 * SSIDs come through the console code page, so non-ASCII names may arrive mangled (see README.md).
 */
import { adapterFailed, success } from './adapter-support'
import type { WifiError, WifiResult, WifiSecurity } from './port'

/** One `key : value` line. */
export interface NetshEntry {
  indent: number
  key: string
  value: string
}

/** Splits output into blank-line-separated groups of `key : value` lines (lines without a colon are dropped). */
export function parseNetshBlocks(text: string): NetshEntry[][] {
  const groups: NetshEntry[][] = []
  let group: NetshEntry[] = []
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') {
      if (group.length) groups.push(group)
      group = []
      continue
    }
    const match = /^(\s*)([^:]*?)\s*:(?:\s(.*))?$/.exec(raw.replace(/\s+$/, ''))
    if (match) group.push({ indent: match[1]?.length ?? 0, key: match[2] ?? '', value: (match[3] ?? '').trim() })
  }
  if (group.length) groups.push(group)
  return groups
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i
const percent = (value: string) => (/^\d{1,3}%$/.test(value) ? Math.min(100, Number(value.slice(0, -1))) : undefined)
const int = (value: string) => (/^\d+$/.test(value) ? Number(value) : undefined)

/** Interface states netsh reports (wlan_interface_state_*), English; other languages map to 'unknown'. */
export type NetshState = 'connected' | 'disconnected' | 'associating' | 'authenticating' | 'discovering' | 'disconnecting' | 'not-ready' | 'unknown'

const STATES: Record<string, NetshState> = {
  connected: 'connected', disconnected: 'disconnected', associating: 'associating', authenticating: 'authenticating',
  discovering: 'discovering', disconnecting: 'disconnecting', 'not ready': 'not-ready',
}

/** One interface from `netsh wlan show interfaces`. */
export interface NetshInterface {
  /** Its name ("Wi-Fi"): the first value of its block, whatever the key is called in this language. */
  name: string
  guid: string
  state: NetshState
  ssid?: string
  bssid?: string
  channel?: number
  signal?: number
  authentication?: string
  cipher?: string
  profile?: string
}

/** Parses `netsh wlan show interfaces`; an interface block is one that holds a GUID. */
export function parseNetshInterfaces(text: string): WifiResult<NetshInterface[]> {
  const failureText = classifyNetshText(text)
  if (failureText) return { ok: false, error: failureText }
  const interfaces: NetshInterface[] = []
  for (const block of parseNetshBlocks(text)) {
    const guid = block.find((e) => GUID.test(e.value))?.value
    const first = block[0]
    if (!guid || !first) continue
    const get = (...keys: string[]) => block.find((e) => keys.includes(e.key))?.value
    const ssid = get('SSID')
    const stateText = (get('State') ?? '').toLowerCase()
    // Only a connected interface has an SSID line, which holds in every language.
    const state = STATES[stateText] ?? (ssid !== undefined && ssid !== '' ? 'connected' : 'unknown')
    const bssid = block.find((e) => /BSSID/i.test(e.key) && MAC.test(e.value))?.value.toLowerCase()
    const signal = block.map((e) => percent(e.value)).find((v) => v !== undefined)
    const channel = int(get('Channel') ?? '')
    const optional = { ssid, bssid, channel, signal, authentication: get('Authentication'), cipher: get('Cipher'), profile: get('Profile') }
    interfaces.push({ name: first.value, guid, state, ...definedOnly(optional) })
  }
  if (interfaces.length === 0 && text.trim() !== '') return unreadable('show interfaces', text)
  return success(interfaces)
}

/** One network from `netsh wlan show networks mode=bssid` (strongest BSSID). */
export interface NetshNetwork {
  ssid: string
  authentication?: string
  encryption?: string
  security: WifiSecurity
  bssid?: string
  signal: number
  channel?: number
}

/** Parses `show networks mode=bssid`: a network starts at `SSID n : name`; hidden ones (empty name) are dropped. */
export function parseNetshNetworks(text: string): WifiResult<NetshNetwork[]> {
  const failureText = classifyNetshText(text)
  if (failureText) return { ok: false, error: failureText }
  const networks: NetshNetwork[] = []
  let current: NetshNetwork | undefined
  let isHidden = false
  let sawAny = false
  for (const entry of parseNetshBlocks(text).flat()) {
    if (/^SSID \d+$/.test(entry.key)) {
      sawAny = true
      isHidden = entry.value === ''
      current = isHidden ? undefined : { ssid: entry.value, security: 'unknown', signal: 0 }
      if (current) networks.push(current)
      continue
    }
    if (!current || isHidden) continue
    if (entry.key === 'Authentication' || isAuthName(entry.value)) current.authentication ??= entry.value
    else if (entry.key === 'Encryption') current.encryption = entry.value
    else if (/^BSSID \d+$/.test(entry.key) && MAC.test(entry.value)) current.bssid ??= entry.value.toLowerCase()
    else if (percent(entry.value) !== undefined) current.signal = Math.max(current.signal, percent(entry.value) ?? 0)
    else if (entry.key === 'Channel' && current.channel === undefined) {
      const channel = int(entry.value)
      if (channel !== undefined) current.channel = channel
    }
    current.security = mapNetshSecurity(current.authentication ?? '', current.encryption ?? '')
  }
  if (!sawAny && text.trim() !== '' && !/There are 0 networks|0 networks currently visible/i.test(text) && !/Interface name/i.test(text)) {
    return unreadable('show networks', text)
  }
  return success(networks)
}

const isAuthName = (value: string) => /^(WPA\d?-(Personal|Enterprise)|WPA3-Personal Transition|Open|Shared|OWE)$/i.test(value)

/** Maps netsh's Authentication (and Cipher/Encryption) to WifiSecurity. */
export function mapNetshSecurity(authentication: string, cipher: string): WifiSecurity {
  const auth = authentication.trim()
  if (/Enterprise|802\.1X/i.test(auth)) return 'enterprise'
  if (/WPA3/i.test(auth) && /Transition|WPA2/i.test(auth)) return 'wpa2-wpa3'
  if (/^WPA3-Personal$/i.test(auth)) return 'wpa3-sae'
  if (/^WPA2-Personal$/i.test(auth)) return 'wpa2-psk'
  if (/^WPA-Personal$/i.test(auth)) return 'wpa-psk'
  if (/^Shared$/i.test(auth) || (/^Open$/i.test(auth) && /^WEP$/i.test(cipher.trim()))) return 'wep'
  if (/^Open$/i.test(auth) || /^OWE$/i.test(auth) || /Opportunistic/i.test(auth)) return 'open'
  return 'unknown'
}

/** Profile names from `netsh wlan show profiles` (every indented `… : name` line; the labels are localized). */
export function parseNetshProfiles(text: string): string[] {
  return parseNetshBlocks(text).flat().filter((e) => e.indent > 0 && e.value !== '' && e.value !== '<None>').map((e) => e.value)
}

/** The SSID of `netsh wlan show profile name=X` (`SSID name : "X"`), or undefined. */
export function parseNetshProfileSsid(text: string): string | undefined {
  const entry = parseNetshBlocks(text).flat().find((e) => /SSID/i.test(e.key) && /^".*"$/.test(e.value))
  return entry?.value.slice(1, -1)
}

/**
 * Failures netsh reports in its output (its exit code is 1 for most of them, 0 for some). Windows 11 24H2
 * gates WLAN information behind Location permission (learn.microsoft.com, "Changes to API behavior for
 * Wi-Fi access and location"): netsh then prints a pointer to ms-settings:privacy-location and error 5.
 */
export function classifyNetshText(text: string): WifiError | undefined {
  if (/location permission|ms-settings:privacy-location|location services/i.test(text)) {
    return { code: 'not-permitted', message: 'Windows hides Wi-Fi networks from apps without Location permission. Turn on Settings › Privacy & security › Location and "Let desktop apps access your location", then try again.' }
  }
  if (/wlansvc|Wireless AutoConfig Service/i.test(text)) {
    return { code: 'no-wifi-adapter', message: 'The Windows WLAN service (WLAN AutoConfig) is not running. Start it, or join the network from the Wi-Fi menu.' }
  }
  if (/There is no wireless interface/i.test(text)) {
    return { code: 'no-wifi-adapter', message: 'Windows reports no Wi-Fi adapter on this computer. Turn Wi-Fi on, or join the accessory from another device.' }
  }
  if (/requires elevation|Access is denied/i.test(text)) {
    return { code: 'not-permitted', message: 'Windows refused the Wi-Fi change for this user. Join the network from the Wi-Fi menu instead.' }
  }
  return undefined
}

function unreadable(what: string, text: string): { ok: false; error: WifiError } {
  return adapterFailed(`Windows answered in a form or language Porchlight cannot read (netsh wlan ${what}). Join the network from the Wi-Fi menu instead.`, text.trim().slice(0, 200))
}

function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as { [K in keyof T]?: Exclude<T[K], undefined> }
}
