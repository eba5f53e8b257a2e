/**
 * The one bound store, made of typed slices (zustand's slices pattern). Created per app instance with the
 * host's bridge, so tests build their own with a fake bridge; middleware, if any, is applied only here.
 */
import { createContext, useContext } from 'react'
import { createStore, useStore, type StoreApi } from 'zustand'
import type { Bridge } from '../shared/ipc'
import { createDiagnoseSlice, type DiagnoseSlice } from './features/diagnose/diagnose-slice'
import { createDiscoverSlice, type DiscoverSlice } from './features/discover/discover-slice'
import { createMonitorSlice, type MonitorSlice, type Notify } from './features/monitor/monitor-slice'
import { createNetworkSlice, type NetworkSlice } from './features/network/network-slice'
import { createSetupSlice, type SetupSlice } from './features/setup/setup-slice'
import { createShellSlice, type Screen, type ShellSlice } from './features/shell/shell-slice'

/** The whole renderer state. */
export type AppState = ShellSlice & NetworkSlice & DiscoverSlice & MonitorSlice & DiagnoseSlice & SetupSlice

/** A store instance. */
export type AppStore = StoreApi<AppState>

/** Options of createAppStore: the first screen, the clock, and how system notifications are shown. */
export interface AppStoreOptions {
  screen?: Screen
  now?: () => number
  notify?: Notify
}

/** Builds the store for one bridge. */
export function createAppStore(bridge: Bridge, options: AppStoreOptions = {}): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createShellSlice(bridge, options.screen ?? 'discover')(...a),
    ...createNetworkSlice(bridge, options.now)(...a),
    ...createDiscoverSlice(bridge)(...a),
    ...createMonitorSlice(bridge, options.notify)(...a),
    ...createDiagnoseSlice(bridge)(...a),
    ...createSetupSlice(bridge)(...a),
  }))
}

/** Subscribes the store to host events; returns the unsubscribe function. */
export function subscribeToHost(store: AppStore, bridge: Bridge): () => void {
  const offInterfaces = bridge.on('net:interfacesChanged', (change) => store.getState().applyInterfacesChange(change))
  const offDiscovery = bridge.on('discovery:changed', (change) => store.getState().applyDiscoveryChange(change))
  const offSessions = bridge.on('session:changed', (change) => store.getState().applySessionChange(change))
  const offDiagnose = bridge.on('diagnose:progressed', (progress) => store.getState().applyDiagnoseProgress(progress))
  const offSetup = bridge.on('setup:changed', (change) => store.getState().applySetupChange(change))
  return () => {
    offInterfaces()
    offDiscovery()
    offSessions()
    offDiagnose()
    offSetup()
  }
}

/** React context carrying the store. */
export const StoreContext = createContext<AppStore | null>(null)

/** Selects from the store; components always go through a selector. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useAppStore used outside <StoreContext.Provider>')
  return useStore(store, selector)
}
