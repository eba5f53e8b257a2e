/**
 * The Discover list's pure core: search text per device, filtering, ordering and the filter choices.
 * Runs on every change batch over up to thousands of devices, so per-device work is cached by object
 * identity (a changed device arrives as a new object, so the cache can never be stale).
 */
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import type { DeviceMap, DiscoverFilters } from './discover-slice'

const haystacks = new WeakMap<DiscoveredDevice, string>()

/** Everything the search box matches, lower-cased: name, instance, host, address, TXT value, type. */
export function searchText(device: DiscoveredDevice): string {
  const cached = haystacks.get(device)
  if (cached !== undefined) return cached
  const parts: string[] = [device.name, device.vendor ?? '', device.model ?? '', ...device.types]
  for (const a of device.addresses) parts.push(a.address)
  for (const s of device.services) {
    parts.push(s.instance, s.type, ...s.subtypes, s.host ?? '')
    for (const a of s.addresses) parts.push(a.address)
    for (const t of s.txt) if (t.value !== null) parts.push(t.value)
  }
  const text = parts.join('\n').toLowerCase()
  haystacks.set(device, text)
  return text
}

/** True when the device passes the filters and contains every word of the query. */
export function matchesDevice(device: DiscoveredDevice, words: readonly string[], filters: DiscoverFilters): boolean {
  if (filters.type !== null && !device.types.includes(filters.type)) return false
  if (filters.iface !== null && !device.interfaces.includes(filters.iface)) return false
  const { vendor } = filters
  if (vendor.kind === 'none' && device.vendor !== undefined) return false
  if (vendor.kind === 'is' && device.vendor !== vendor.vendor) return false
  if (words.length === 0) return true
  const text = searchText(device)
  return words.every((w) => text.includes(w))
}

/** Splits a query into lower-cased words; quotes are not special. */
export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** Orders devices by name (natural order: "Plug 2" before "Plug 10"), then id, so rows do not jump. */
export function compareDevices(a: DiscoveredDevice, b: DiscoveredDevice): number {
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** The devices to list, filtered and ordered. */
export function visibleDevices(devices: DeviceMap, query: string, filters: DiscoverFilters): DiscoveredDevice[] {
  const words = queryWords(query)
  const out: DiscoveredDevice[] = []
  for (const device of devices.values()) if (matchesDevice(device, words, filters)) out.push(device)
  return out.sort(compareDevices)
}

/** The choices of each filter, from what the devices carry, sorted. */
export interface FilterChoices {
  types: string[]
  interfaces: string[]
  vendors: string[]
  hasUnstatedVendor: boolean
}

/** Collects the filter choices from every device (not only the visible ones, so a choice can be undone). */
export function filterChoices(devices: DeviceMap): FilterChoices {
  const types = new Set<string>()
  const interfaces = new Set<string>()
  const vendors = new Set<string>()
  let hasUnstatedVendor = false
  for (const device of devices.values()) {
    for (const t of device.types) types.add(t)
    for (const i of device.interfaces) interfaces.add(i)
    if (device.vendor === undefined) hasUnstatedVendor = true
    else vendors.add(device.vendor)
  }
  const sorted = (set: Set<string>) => [...set].sort(collator.compare)
  return { types: sorted(types), interfaces: sorted(interfaces), vendors: sorted(vendors), hasUnstatedVendor }
}

/** True when any filter or the query narrows the list. */
export function isFiltered(query: string, filters: DiscoverFilters): boolean {
  return queryWords(query).length > 0 || filters.type !== null || filters.iface !== null || filters.vendor.kind !== 'any'
}
