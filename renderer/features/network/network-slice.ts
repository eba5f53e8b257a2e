/**
 * This computer's network interfaces: loaded once, then kept live from `net:interfacesChanged`.
 */
import type { StateCreator } from 'zustand'
import type { Bridge, IpcError } from '../../../shared/ipc'
import type { InterfacesChange, NetInterface } from '../../../shared/net/interfaces'
import type { AppState } from '../../store'

/** State and actions of the network slice. */
export interface NetworkSlice {
  interfaces: readonly NetInterface[]
  interfacesStatus: 'idle' | 'loading' | 'ready' | 'error'
  interfacesError: IpcError | null
  /** When the list last changed (ms since epoch), and a one-line summary for the live region. */
  interfacesUpdatedAt: number | null
  lastInterfaceChange: string | null
  loadInterfaces: () => Promise<void>
  applyInterfacesChange: (change: InterfacesChange) => void
}

/** Describes a change in words for screen readers and the status line. */
export function describeChange(change: Pick<InterfacesChange, 'added' | 'removed' | 'changed'>): string {
  const parts = [
    change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
    change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : '',
    change.changed.length > 0 ? `changed ${change.changed.join(', ')}` : '',
  ].filter(Boolean)
  return parts.length > 0 ? `Interfaces ${parts.join('; ')}` : 'Interfaces unchanged'
}

/** Creates the slice around a bridge. */
export function createNetworkSlice(bridge: Bridge, now: () => number = Date.now): StateCreator<AppState, [], [], NetworkSlice> {
  // Bumped by every live change, so a load that was already in flight cannot overwrite a newer list.
  let version = 0
  return (set) => ({
    interfaces: [],
    interfacesStatus: 'idle',
    interfacesError: null,
    interfacesUpdatedAt: null,
    lastInterfaceChange: null,
    loadInterfaces: async () => {
      set({ interfacesStatus: 'loading' })
      const started = version
      const result = await bridge.invoke('net:interfaces')
      if (started !== version) return
      if (!result.ok) return set({ interfacesStatus: 'error', interfacesError: result.error })
      set({ interfaces: result.value, interfacesStatus: 'ready', interfacesError: null, interfacesUpdatedAt: now() })
    },
    applyInterfacesChange: (change) => {
      version++
      set({
        interfaces: change.interfaces,
        interfacesStatus: 'ready',
        interfacesError: null,
        interfacesUpdatedAt: now(),
        lastInterfaceChange: describeChange(change),
      })
    },
  })
}
