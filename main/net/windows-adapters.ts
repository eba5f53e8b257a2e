/**
 * Windows: parsing and classifying `Get-NetAdapter -IncludeHidden | Select-Object … | ConvertTo-Json`.
 *
 * The properties are MSFT_NetAdapter's (NetAdapterCim): `InterfaceType` is the IANA ifType (6 ethernetCsmacd,
 * 71 ieee80211, 24 softwareLoopback, 131 tunnel, 23 ppp, 53 propVirtual, 243/244 wwan), `NdisPhysicalMedium`
 * the NDIS_PHYSICAL_MEDIUM enum (9 Native802_11, 1 WirelessLan, 14 802_3, 8 WirelessWan, 10 Bluetooth),
 * `HardwareInterface`/`Virtual`/`ConnectorPresent` NDIS interface flags. Windows PowerShell 5.1 prints one
 * object rather than an array when there is a single adapter, and may start with a UTF-8 BOM.
 */
import { z } from 'zod'
import type { Classification, ToolError } from './classify'

const Adapter = z.object({
  Name: z.string().min(1),
  InterfaceDescription: z.string().nullish(),
  ifIndex: z.number().int().nullish(),
  MacAddress: z.string().nullish(),
  MediaType: z.string().nullish(),
  PhysicalMediaType: z.string().nullish(),
  NdisPhysicalMedium: z.number().int().nullish(),
  Virtual: z.boolean().nullish(),
  HardwareInterface: z.boolean().nullish(),
  ConnectorPresent: z.boolean().nullish(),
  Status: z.string().nullish(),
  InterfaceType: z.number().int().nullish(),
})

/** One adapter as Get-NetAdapter reports it; absent/null properties are left out. */
export interface NetAdapter {
  name: string
  description?: string
  ifIndex?: number
  /** Lower-case, colon-separated like Node's (`AA-BB-…` in PowerShell). */
  mac?: string
  physicalMediaType?: string
  ndisPhysicalMedium?: number
  isVirtual?: boolean
  isHardware?: boolean
  hasConnector?: boolean
  /** "Up", "Disconnected", "Disabled", "Not Present". */
  status?: string
  ifType?: number
}

/** Parsed adapters, or why the output is unusable. */
export type AdapterParse = { ok: true; value: NetAdapter[] } | { ok: false; error: ToolError }

/** Parses the JSON; entries that do not match the expected shape are skipped, anything else is an error value. */
export function parseNetAdapterJson(text: string): AdapterParse {
  const body = text.replace(/^\uFEFF/, '').trim()
  let raw: unknown
  try {
    raw = JSON.parse(body)
  } catch {
    return unreadable('Get-NetAdapter did not print JSON')
  }
  if (raw === null || typeof raw !== 'object') return unreadable('Get-NetAdapter printed neither an object nor an array')
  const entries: unknown[] = Array.isArray(raw) ? raw : [raw]
  const value: NetAdapter[] = []
  for (const entry of entries) {
    const parsed = Adapter.safeParse(entry)
    if (parsed.success) value.push(toAdapter(parsed.data))
  }
  if (entries.length > 0 && value.length === 0) return unreadable('Get-NetAdapter printed no adapter with the expected properties')
  return { ok: true, value }
}

function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined
}

function unreadable(message: string): AdapterParse {
  return { ok: false, error: { code: 'tool-output-unreadable', message } }
}

function toAdapter(a: z.infer<typeof Adapter>): NetAdapter {
  const mac = a.MacAddress && /^([0-9A-Fa-f]{2}[-:]){5}[0-9A-Fa-f]{2}$/.test(a.MacAddress)
    ? a.MacAddress.replaceAll('-', ':').toLowerCase()
    : undefined
  return {
    name: a.Name,
    ...(a.InterfaceDescription && { description: a.InterfaceDescription }),
    ...(isSet(a.ifIndex) && { ifIndex: a.ifIndex }),
    ...(mac !== undefined && { mac }),
    ...(a.PhysicalMediaType && { physicalMediaType: a.PhysicalMediaType }),
    ...(isSet(a.NdisPhysicalMedium) && { ndisPhysicalMedium: a.NdisPhysicalMedium }),
    ...(isSet(a.Virtual) && { isVirtual: a.Virtual }),
    ...(isSet(a.HardwareInterface) && { isHardware: a.HardwareInterface }),
    ...(isSet(a.ConnectorPresent) && { hasConnector: a.ConnectorPresent }),
    ...(a.Status && { status: a.Status }),
    ...(isSet(a.InterfaceType) && { ifType: a.InterfaceType }),
  }
}

// Driver families known to be VPNs whose adapters otherwise look like Ethernet (TAP-Windows: ifType 6) or a
// generic virtual adapter (Wintun/WireGuard: ifType 53). Matched on the driver's description, which is the
// only place Windows records what the software is; user-chosen adapter names are never looked at.
const VPN_DRIVER = /\bTAP\b|WireGuard|Wintun|\bVPN\b/i

/** Picks the most specific kind the adapter's NDIS facts support. */
export function classifyAdapter(a: NetAdapter): Classification {
  const described = a.description !== undefined ? ` ("${a.description}")` : ''
  if (a.ifType === 24) return { kind: 'loopback', reason: 'ifType 24 (softwareLoopback)' }
  if (a.description !== undefined && /Wi-Fi Direct/i.test(a.description)) {
    return { kind: 'peer-to-peer', reason: `Wi-Fi Direct virtual adapter${described}` }
  }
  if (a.ndisPhysicalMedium === 9 || a.ndisPhysicalMedium === 1 || a.ifType === 71) {
    if (a.isHardware === false) return { kind: 'peer-to-peer', reason: `802.11 port without a hardware interface (Wi-Fi Direct or hotspot)${described}` }
    return { kind: 'wifi', reason: wirelessReason(a) }
  }
  if (a.ndisPhysicalMedium === 8 || a.ifType === 243 || a.ifType === 244) {
    return { kind: 'cellular', reason: a.ndisPhysicalMedium === 8 ? 'physical medium WirelessWan (8)' : `ifType ${a.ifType} (wwan)` }
  }
  if (a.ndisPhysicalMedium === 10) return { kind: 'peer-to-peer', reason: 'physical medium Bluetooth (10): a personal-area link' }
  return classifyWired(a, described)
}

function classifyWired(a: NetAdapter, described: string): Classification {
  if (a.description !== undefined && VPN_DRIVER.test(a.description)) return { kind: 'tunnel', reason: `VPN driver${described}` }
  if (a.ifType === 131 || a.ifType === 23) return { kind: 'tunnel', reason: `ifType ${a.ifType} (${a.ifType === 131 ? 'tunnel' : 'ppp'})` }
  if (a.isVirtual === true) return { kind: 'virtual', reason: `Virtual flag${described}` }
  if (a.description !== undefined && /Hyper-V Virtual Ethernet/i.test(a.description)) {
    return { kind: 'virtual', reason: `Hyper-V virtual switch port${described}` }
  }
  if (a.ifType === 53) return { kind: 'virtual', reason: `ifType 53 (propVirtual)${described}` }
  if (a.ndisPhysicalMedium === 14 || a.ifType === 6) {
    if (a.isHardware === false) return { kind: 'virtual', reason: `Ethernet without a hardware interface${described}` }
    const medium = a.ndisPhysicalMedium === 14 ? 'physical medium 802.3 (14)' : 'ifType 6 (ethernetCsmacd)'
    return { kind: 'ethernet', reason: a.isHardware === true ? `${medium} on a hardware interface` : medium }
  }
  return { kind: 'unknown', reason: `Get-NetAdapter reports nothing that identifies this adapter${described}` }
}

function wirelessReason(a: NetAdapter): string {
  if (a.ndisPhysicalMedium === 9) return 'physical medium Native 802.11 (9)'
  if (a.ndisPhysicalMedium === 1) return 'physical medium WirelessLan (1)'
  return 'ifType 71 (ieee80211)'
}
