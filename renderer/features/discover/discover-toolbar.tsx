/**
 * Search and filters of the device list, and the "N of M devices" count. The choices come from what the
 * devices carry (service types, interfaces, vendors), so every choice can match something.
 */
import { useMemo } from 'react'
import { useAppStore } from '../../store'
import { filterChoices, isFiltered } from './discover-filter'
import type { VendorFilter } from './discover-slice'
import { plural } from './discover-format'

/** Props of DiscoverToolbar. */
export interface DiscoverToolbarProps {
  shown: number
  total: number
}

const ANY = ''

function vendorValue(vendor: VendorFilter): string {
  if (vendor.kind === 'any') return ANY
  return vendor.kind === 'none' ? 'none' : `is:${vendor.vendor}`
}

function parseVendor(value: string): VendorFilter {
  if (value === ANY) return { kind: 'any' }
  if (value === 'none') return { kind: 'none' }
  return { kind: 'is', vendor: value.slice('is:'.length) }
}

interface FilterSelectProps {
  label: string
  value: string
  /** Value/label pairs after the "any" choice. */
  choices: readonly (readonly [string, string])[]
  anyLabel: string
  onChange: (value: string) => void
}

function FilterSelect({ label, value, choices, anyLabel, onChange }: FilterSelectProps) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value={ANY}>{anyLabel}</option>
        {choices.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </label>
  )
}

/** A chosen value stays selectable even after the last device carrying it left. */
function withCurrent(list: readonly string[], current: string | null): string[] {
  return current !== null && !list.includes(current) ? [current, ...list] : [...list]
}

const pairs = (list: readonly string[]) => list.map((v) => [v, v] as const)
const orNull = (value: string) => (value === ANY ? null : value)

/** Renders the search box, the three filters and the count. */
export function DiscoverToolbar({ shown, total }: DiscoverToolbarProps) {
  const devices = useAppStore((s) => s.discoveryDevices)
  const query = useAppStore((s) => s.discoverQuery)
  const filters = useAppStore((s) => s.discoverFilters)
  const setQuery = useAppStore((s) => s.setDiscoverQuery)
  const setFilters = useAppStore((s) => s.setDiscoverFilters)
  const clear = useAppStore((s) => s.clearDiscoverSearch)
  const choices = useMemo(() => filterChoices(devices), [devices])
  const vendors = withCurrent(choices.vendors, filters.vendor.kind === 'is' ? filters.vendor.vendor : null)
  const vendorChoices = [
    ...(choices.hasUnstatedVendor || filters.vendor.kind === 'none' ? [['none', 'Not stated'] as const] : []),
    ...vendors.map((v) => [`is:${v}`, v] as const),
  ]
  return (
    <div className="discover-toolbar" role="search" aria-label="Search and filter devices">
      <label className="field field-search">
        <span>Search</span>
        <input
          type="search"
          value={query}
          placeholder="Name, host, address, TXT value or type"
          onChange={(e) => setQuery(e.currentTarget.value)}
          aria-describedby="discover-count"
        />
      </label>
      <FilterSelect label="Service type" anyLabel="Any type" value={filters.type ?? ANY}
        choices={pairs(withCurrent(choices.types, filters.type))} onChange={(v) => setFilters({ type: orNull(v) })} />
      <FilterSelect label="Interface" anyLabel="Any interface" value={filters.iface ?? ANY}
        choices={pairs(withCurrent(choices.interfaces, filters.iface))} onChange={(v) => setFilters({ iface: orNull(v) })} />
      <FilterSelect label="Vendor" anyLabel="Any vendor" value={vendorValue(filters.vendor)}
        choices={vendorChoices} onChange={(v) => setFilters({ vendor: parseVendor(v) })} />
      <p id="discover-count" className="discover-count">{shown} of {plural(total, 'device')}</p>
      {isFiltered(query, filters) ? (
        <button type="button" className="button-quiet" onClick={clear}>Clear search and filters</button>
      ) : null}
    </div>
  )
}
