/**
 * From the model's devices to what the renderer shows (shared/discovery/view.ts): TXT decoded and raw,
 * addresses with their interface and expiry on the wall clock, vendor and model from well-known TXT keys,
 * and each device's up/changed/down history.
 */
import type { DiscoveredAddress, DiscoveredDevice, DiscoveredService, DeviceHistoryEntry, TxtEntry } from '../../../shared/discovery/view'
import type { CacheEntry } from '../cache/types'
import type { Device, ServiceInstance } from '../model/types'
import { RR_TYPE, type DnsName } from '../wire'

/** Looks up cache entries, for expiry times. */
export type Lookup = (name: DnsName, type: number, interfaceId: string) => readonly CacheEntry[]

/** Converts the engine clock's times to wall-clock ms. */
export type ToWall = (clockMs: number) => number

const HISTORY_LIMIT = 50
const VENDOR_KEYS = ['vendor', 'manufacturer', 'mf', 'mfg', 'usb_mfg']
const MODEL_KEYS = ['md', 'model', 'product', 'ty', 'usb_mdl']
const utf8 = new TextDecoder('utf-8', { fatal: true })

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

function txtEntries(service: ServiceInstance): TxtEntry[] {
  const sighting = service.sightings.find((s) => s.txt) ?? service.sightings[0]
  return (sighting?.txt?.entries ?? []).map((e) => ({
    key: e.displayKey,
    value: e.text,
    hex: e.value ? hex(e.value) : null,
    isText: e.value ? isUtf8(e.value) : true,
  }))
}

function earliestExpiry(entries: readonly CacheEntry[], toWall: ToWall): number | undefined {
  const live = entries.filter((e) => e.state !== 'goodbye')
  return live.length > 0 ? toWall(Math.min(...live.map((e) => e.expiresAt))) : undefined
}

function serviceView(service: ServiceInstance, lookup: Lookup, toWall: ToWall): DiscoveredService {
  const main = service.sightings.find((s) => s.isResolved) ?? service.sightings.find((s) => s.host) ?? service.sightings[0]
  const seen = new Set<string>()
  const addresses: DiscoveredAddress[] = []
  for (const sighting of service.sightings) {
    for (const a of sighting.addresses) {
      const key = `${a.interfaceName}|${a.connectAddress}`
      if (seen.has(key) || !sighting.host) continue
      seen.add(key)
      const type = a.family === 'IPv4' ? RR_TYPE.A : RR_TYPE.AAAA
      const entries = lookup(sighting.host, type, a.interfaceId).filter((e) => 'address' in e.record && e.record.address === a.address)
      const expiresAt = earliestExpiry(entries, toWall)
      addresses.push({ address: a.connectAddress, family: a.family, interface: a.interfaceName, ...(expiresAt !== undefined && { expiresAt }) })
    }
  }
  const srvExpiresAt = earliestExpiry(service.sightings.flatMap((s) => lookup(service.name, RR_TYPE.SRV, s.interfaceId)), toWall)
  return {
    instance: service.instance,
    type: service.type,
    domain: service.domain,
    subtypes: service.subtypes,
    host: main?.host?.text ?? null,
    port: main?.port ?? null,
    txt: txtEntries(service),
    txtRaw: (main?.txtStrings ?? []).map(hex),
    addresses,
    interfaces: service.sightings.map((s) => s.interfaceId),
    resolved: service.isResolved,
    ...(srvExpiresAt !== undefined && { srvExpiresAt }),
  }
}

function firstTxt(services: readonly DiscoveredService[], keys: readonly string[]): string | undefined {
  for (const key of keys)
    for (const service of services) {
      const entry = service.txt.find((e) => e.key.toLowerCase() === key && e.isText && e.value)
      if (entry?.value) return entry.value
    }
  return undefined
}

/** What the engine remembers about a device between model updates. */
export interface DeviceRecord {
  view: DiscoveredDevice
  /** Engine-clock time it went down, for ageing out of the list. */
  downAt: number | undefined
}

/** Builds the view of a live device, keeping first-seen time and history from the previous record. */
export function deviceView(device: Device, previous: DiscoveredDevice | undefined, lookup: Lookup, toWall: ToWall, wallNow: number): DiscoveredDevice {
  const services = device.services.map((s) => serviceView(s, lookup, toWall))
  const vendor = firstTxt(services, VENDOR_KEYS)
  const model = firstTxt(services, MODEL_KEYS)
  return {
    id: device.id,
    name: device.name,
    groupedBy: device.keyKind,
    ...(vendor !== undefined && { vendor }),
    ...(model !== undefined && { model }),
    types: [...new Set(services.map((s) => s.type))].sort(),
    interfaces: device.interfaceIds,
    services,
    addresses: dedupeAddresses(services.flatMap((s) => s.addresses)),
    status: 'up',
    firstSeenAt: previous?.firstSeenAt ?? wallNow,
    lastChangeAt: previous?.lastChangeAt ?? wallNow,
    history: previous?.history ?? [],
  }
}

function dedupeAddresses(addresses: readonly DiscoveredAddress[]): DiscoveredAddress[] {
  const byKey = new Map<string, DiscoveredAddress>()
  for (const a of addresses) {
    const key = `${a.interface}|${a.address}`
    const known = byKey.get(key)
    if (!known || (a.expiresAt ?? 0) > (known.expiresAt ?? 0)) byKey.set(key, a)
  }
  return [...byKey.values()]
}

/** Appends a history entry, keeping the newest 50. */
export function withHistory(view: DiscoveredDevice, entry: DeviceHistoryEntry): DiscoveredDevice {
  const history = [...view.history, entry].slice(-HISTORY_LIMIT)
  return { ...view, history, lastChangeAt: entry.at }
}
