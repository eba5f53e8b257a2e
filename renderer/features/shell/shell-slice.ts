/**
 * The app shell: which screen is open, what the host is, and whether the connection to it is alive.
 */
import type { StateCreator } from 'zustand'
import type { AppInfo, Bridge } from '../../../shared/ipc'
import type { BridgeStatus } from '../../lib/ws-bridge'
import type { AppState } from '../../store'

/** The top-level screens, in navigation order. */
export const SCREENS = ['discover', 'setup', 'monitor', 'diagnose', 'fleet'] as const
/** A top-level screen. */
export type Screen = (typeof SCREENS)[number]

/** Parses `#/diagnose` into a screen; anything else is Discover. */
export function screenFromHash(hash: string): Screen {
  const name = hash.replace(/^#\/?/, '')
  return (SCREENS as readonly string[]).includes(name) ? (name as Screen) : 'discover'
}

/** State and actions of the shell slice. */
export interface ShellSlice {
  screen: Screen
  appInfo: AppInfo | null
  connection: BridgeStatus
  navigate: (screen: Screen) => void
  setConnection: (status: BridgeStatus) => void
  loadAppInfo: () => Promise<void>
}

/** Creates the slice around a bridge. */
export function createShellSlice(bridge: Bridge, initialScreen: Screen): StateCreator<AppState, [], [], ShellSlice> {
  return (set) => ({
    screen: initialScreen,
    appInfo: null,
    connection: 'connecting',
    navigate: (screen) => set({ screen }),
    setConnection: (connection) => set({ connection }),
    loadAppInfo: async () => {
      const result = await bridge.invoke('app:info')
      if (result.ok) set({ appInfo: result.value })
    },
  })
}
