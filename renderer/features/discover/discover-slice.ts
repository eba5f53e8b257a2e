/**
 * Discovery as the renderer holds it: devices keyed by id (a Map, so a batch of changes costs what it
 * carries, not a scan of the whole list), the engine's status, the Discover screen's search and filters,
 * the open device, and the raw packets of one device. Kept live from `discovery:changed`.
 */
import type { StateCreator } from 'zustand'
import type { DiscoveredDevice, DiscoveryChange, DiscoveryOptions, DiscoveryStatus, RawPacket } from '../../../shared/discovery/view'
import type { Bridge, IpcError } from '../../../shared/ipc'
import type { AppState } from '../../store'

/** Devices by id; replaced (never mutated) on every change so selectors see a new reference. */
export type DeviceMap = ReadonlyMap<string, DiscoveredDevice>

/** The vendor filter: any vendor, devices that state none, or one vendor. */
export type VendorFilter = { kind: 'any' } | { kind: 'none' } | { kind: 'is'; vendor: string }

/** The list filters of the Discover screen; `null` means "any". */
export interface DiscoverFilters {
  type: string | null
  iface: string | null
  vendor: VendorFilter
}

/** Filters that let every device through. */
export const NO_FILTERS: DiscoverFilters = { type: null, iface: null, vendor: { kind: 'any' } }

/** Raw packets of one device, as loaded by `loadDevicePackets`. */
export interface DevicePackets {
  deviceId: string
  status: 'loading' | 'ready' | 'error'
  packets: readonly RawPacket[]
  error: IpcError | null
}

/** State and actions of the discover slice. */
export interface DiscoverSlice {
  discoveryDevices: DeviceMap
  discoveryStatus: DiscoveryStatus | null
  discoveryLoad: 'idle' | 'loading' | 'ready' | 'error'
  discoveryError: IpcError | null
  /** An option change or restart is in flight; its failure, if any, for the toolbar to show. */
  discoveryBusy: boolean
  discoveryActionError: IpcError | null
  /** Options asked for and not yet confirmed, so a switch shows the user's choice at once. */
  discoveryPendingOptions: Partial<DiscoveryOptions> | null
  discoverQuery: string
  discoverFilters: DiscoverFilters
  selectedDeviceId: string | null
  devicePackets: DevicePackets | null
  loadDiscovery: () => Promise<void>
  applyDiscoveryChange: (change: DiscoveryChange) => void
  setDiscoveryOptions: (options: Partial<DiscoveryOptions>) => Promise<void>
  restartDiscovery: () => Promise<void>
  loadDevicePackets: (deviceId: string) => Promise<void>
  setDiscoverQuery: (query: string) => void
  setDiscoverFilters: (filters: Partial<DiscoverFilters>) => void
  clearDiscoverSearch: () => void
  selectDevice: (deviceId: string | null) => void
}

/** Returns a new map with `devices` merged in by id and `removed` ids dropped: O(size + changes). */
export function mergeDevices(current: DeviceMap, devices: readonly DiscoveredDevice[], removed: readonly string[]): DeviceMap {
  const next = new Map(current)
  for (const device of devices) next.set(device.id, device)
  for (const id of removed) next.delete(id)
  return next
}

/**
 * Builds the map from a snapshot, keeping what live changes said while the snapshot was in flight: a device
 * copy from a change wins when it is newer (`lastChangeAt`), and ids removed meanwhile stay removed. Only
 * a heuristic: the contract carries no sequence number that would order snapshot and changes exactly.
 */
export function reconcileSnapshot(snapshot: readonly DiscoveredDevice[], during: DeviceMap, removedDuring: ReadonlySet<string>): DeviceMap {
  const next = new Map<string, DiscoveredDevice>()
  for (const device of snapshot) if (!removedDuring.has(device.id)) next.set(device.id, device)
  for (const [id, device] of during) {
    const fromSnapshot = next.get(id)
    if (!fromSnapshot || device.lastChangeAt >= fromSnapshot.lastChangeAt) next.set(id, device)
  }
  return next
}

/** Creates the slice around a bridge. */
export function createDiscoverSlice(bridge: Bridge): StateCreator<AppState, [], [], DiscoverSlice> {
  // Changes seen while a snapshot is loading, so an older snapshot cannot undo them (see reconcileSnapshot).
  let pending: { devices: Map<string, DiscoveredDevice>; removed: Set<string>; status: DiscoveryStatus | null } | null = null
  let loadId = 0
  let packetsId = 0
  return (set, get) => ({
    discoveryDevices: new Map(),
    discoveryStatus: null,
    discoveryLoad: 'idle',
    discoveryError: null,
    discoveryBusy: false,
    discoveryActionError: null,
    discoveryPendingOptions: null,
    discoverQuery: '',
    discoverFilters: NO_FILTERS,
    selectedDeviceId: null,
    devicePackets: null,
    loadDiscovery: async () => {
      const id = ++loadId
      pending = { devices: new Map(), removed: new Set(), status: null }
      set({ discoveryLoad: 'loading' })
      const result = await bridge.invoke('discovery:snapshot')
      if (id !== loadId) return
      const during = pending
      pending = null
      if (!result.ok) return set({ discoveryLoad: 'error', discoveryError: result.error })
      set({
        discoveryDevices: reconcileSnapshot(result.value.devices, during.devices, during.removed),
        discoveryStatus: during.status ?? result.value.status,
        discoveryLoad: 'ready',
        discoveryError: null,
      })
    },
    applyDiscoveryChange: (change) => {
      if (pending) {
        for (const device of change.devices) pending.devices.set(device.id, device)
        for (const id of change.removed) {
          pending.devices.delete(id)
          pending.removed.add(id)
        }
        pending.status = change.status
      }
      set({ discoveryDevices: mergeDevices(get().discoveryDevices, change.devices, change.removed), discoveryStatus: change.status })
    },
    setDiscoveryOptions: async (options) => {
      set({ discoveryBusy: true, discoveryActionError: null, discoveryPendingOptions: options })
      const result = await bridge.invoke('discovery:setOptions', options)
      if (!result.ok) return set({ discoveryBusy: false, discoveryActionError: result.error, discoveryPendingOptions: null })
      set({ discoveryBusy: false, discoveryStatus: result.value, discoveryPendingOptions: null })
    },
    restartDiscovery: async () => {
      set({ discoveryBusy: true, discoveryActionError: null })
      const result = await bridge.invoke('discovery:restart')
      if (!result.ok) return set({ discoveryBusy: false, discoveryActionError: result.error })
      set({ discoveryBusy: false, discoveryStatus: result.value })
      // The engine forgot everything: a fresh snapshot is the truth, and reconciles with changes meanwhile.
      await get().loadDiscovery()
    },
    loadDevicePackets: async (deviceId) => {
      const id = ++packetsId
      const previous = get().devicePackets
      // Refreshing the same device keeps its old packets on screen until the new ones arrive.
      const packets = previous?.deviceId === deviceId ? previous.packets : []
      set({ devicePackets: { deviceId, status: 'loading', packets, error: null } })
      const result = await bridge.invoke('discovery:packets', { deviceId })
      if (id !== packetsId) return
      set({
        devicePackets: result.ok
          ? { deviceId, status: 'ready', packets: result.value, error: null }
          : { deviceId, status: 'error', packets: [], error: result.error },
      })
    },
    setDiscoverQuery: (discoverQuery) => set({ discoverQuery }),
    setDiscoverFilters: (filters) => set({ discoverFilters: { ...get().discoverFilters, ...filters } }),
    clearDiscoverSearch: () => set({ discoverQuery: '', discoverFilters: NO_FILTERS }),
    selectDevice: (selectedDeviceId) => set({ selectedDeviceId }),
  })
}
