/**
 * Parsers for `netsh wlan` output, pure and tested against fixtures whose layouts were checked against
 * public real captures (tests/fixtures/wifi/README.md says which).
 *
 * netsh is localized: keys ("State", "Authentication") and some values ("connected", "Open") follow the
 * Windows display language, and there is no switch for English. So the parser reads *structure* first —
 * `key : value` lines, blank-line blocks, indentation — and leans on what does not translate: GUIDs,
 * MAC addresses, "NN%", "SSID n". Even Wi-Fi Alliance names are translated in places (French prints
 * "WPA2 - Personnel", German/French/Spanish print "Offen"/"Ouvrir"/"Abierta" for Open), so the few
 * localized words seen in real captures are known here; anything else maps to 'unknown'. French puts a
 * no-break space before the colon ("SSID 1\u00a0: x"), which `\s` covers. The BSSID label is not always
 * "BSSID" (French: "Point d'accès d’identificateur SSID …"), so an interface's second MAC address stands in.
 * On another language a connected interface is still found (only connected ones have an SSID line).
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

/** Labels seen in real captures: English, German, French, Spanish, Italian (Channel is "Kanal"/"Canal"/"Canale"). */
const CHANNEL_KEYS = ['Channel', 'Kanal', 'Canal', 'Canale'] as const
const AUTH_KEYS = ['Authentication', 'Authentifizierung', 'Authentification', 'Autenticación', 'Autenticazione'] as const
const CIPHER_KEYS = ['Cipher', 'Encryption', 'Verschlüsselung', 'Verschlüsselungsverfahren', 'Chiffrement', 'Cifrado', 'Crittografia'] as const

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
    // The name is the first indented value: a header such as "Hay 1 interfaz en el sistema:" or
    // "Interfacce presenti nel sistema: 1:" may share the block when no blank line follows it.
    const first = block.find((e) => e.indent > 0 && e.value !== '') ?? block.find((e) => e.value !== '')
    if (!guid || !first) continue
    const get = (keys: readonly string[]) => block.find((e) => keys.includes(e.key))?.value
    const ssid = get(['SSID'])
    const stateText = (get(['State']) ?? '').toLowerCase()
    // Only a connected interface has an SSID line, which holds in every language.
    const state = STATES[stateText] ?? (ssid !== undefined && ssid !== '' ? 'connected' : 'unknown')
    const macs = block.filter((e) => MAC.test(e.value))
    // "AP BSSID" (Windows 11), "BSSID" (10); otherwise the MAC after "Physical address".
    const bssid = (macs.find((e) => /BSSID/i.test(e.key)) ?? macs[1])?.value.toLowerCase()
    const signal = block.map((e) => percent(e.value)).find((v) => v !== undefined)
    const channel = int(get(CHANNEL_KEYS) ?? '')
    const optional = { ssid, bssid, channel, signal, authentication: get(AUTH_KEYS), cipher: get(CIPHER_KEYS), profile: get(['Profile']) }
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
    if ((AUTH_KEYS as readonly string[]).includes(entry.key) || isAuthName(entry.value)) current.authentication ??= entry.value
    else if ((CIPHER_KEYS as readonly string[]).includes(entry.key)) current.encryption ??= entry.value
    else if (/^BSSID \d+$/.test(entry.key) && MAC.test(entry.value)) current.bssid ??= entry.value.toLowerCase()
    else if (percent(entry.value) !== undefined) current.signal = Math.max(current.signal, percent(entry.value) ?? 0)
    else if ((CHANNEL_KEYS as readonly string[]).includes(entry.key) && current.channel === undefined) {
      const channel = int(entry.value)
      if (channel !== undefined) current.channel = channel
    }
    current.security = mapNetshSecurity(current.authentication ?? '', current.encryption ?? '')
  }
  if (!sawAny && text.trim() !== '' && !isEmptyListing(text)) return unreadable('show networks', text)
  return success(networks)
}

/**
 * "Interface name : Wi-Fi" plus "There are 0 networks currently visible." in any language ("Momentan sind 0
 * Netzwerke sichtbar.", "Actuellement 0 réseaux sont visibles.", "0 reti visibili."): a header line with a
 * value and a short sentence holding the number 0, nothing else.
 */
function isEmptyListing(text: string): boolean {
  if (/There are 0 networks|0 networks currently visible/i.test(text)) return true
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')
  return lines.length === 2 && /\S\s*:\s*\S/.test(lines[0] ?? '') && /(^|\s)0\s/.test(lines[1] ?? '')
}

const isAuthName = (value: string) => /^(WPA\d?\s*-\s*(Personal|Personnel|Enterprise|Entreprise)|WPA3-Personal Transition|Open|Shared|OWE)$/i.test(value)

/** "Open" as real localized captures print it (de, fr, es); others stay unknown. */
const OPEN_WORDS = /^(Open|Offen|Ouvrir|Abierta)$/i

/** Maps netsh's Authentication (and Cipher/Encryption) to WifiSecurity; French "WPA2 - Personnel" reads as WPA2-Personal. */
export function mapNetshSecurity(authentication: string, cipher: string): WifiSecurity {
  const auth = authentication.trim().replace(/\s*-\s*/g, '-').replace(/Personnel$/i, 'Personal').replace(/Entreprise$/i, 'Enterprise')
  if (/Enterprise|802\.1X/i.test(auth)) return 'enterprise'
  if (/WPA3/i.test(auth) && /Transition|WPA2/i.test(auth)) return 'wpa2-wpa3'
  if (/^WPA3-Personal$/i.test(auth)) return 'wpa3-sae'
  if (/^WPA2-Personal$/i.test(auth)) return 'wpa2-psk'
  if (/^WPA-Personal$/i.test(auth)) return 'wpa-psk'
  if (/^Shared$/i.test(auth) || (OPEN_WORDS.test(auth) && /^WEP$/i.test(cipher.trim()))) return 'wep'
  if (OPEN_WORDS.test(auth) || /^OWE$/i.test(auth) || /Opportunistic/i.test(auth)) return 'open'
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
