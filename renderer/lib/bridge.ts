/**
 * Finds the host's Bridge: Electron's preload exposes `window.bridge`; under the web host the page builds
 * one over a WebSocket with the token from its address. The rest of the renderer cannot tell which.
 */
import type { Bridge } from '../../shared/ipc'
import { createWebSocketBridge, type BridgeStatus } from './ws-bridge'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent under the web host. */
    bridge?: Bridge
  }
}

/** A bridge, how it connects, and its status where that can change. */
export interface HostBridge {
  bridge: Bridge
  transport: 'electron' | 'web'
  status: () => BridgeStatus
  onStatus: (listener: (status: BridgeStatus) => void) => () => void
}

const TOKEN_KEY = 'porchlight.token'

/**
 * Reads the web host's token from `#token=…`, keeps it for reloads of this tab only (sessionStorage), and
 * removes it from the address bar so it is not bookmarked or shared in a screenshot.
 */
export function takeToken(location: Location, history: History, storage: Storage): string | undefined {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)(?:&|$)/.exec(location.hash)
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1])
    history.replaceState(null, '', location.pathname + location.search)
    return match[1]
  }
  return storage.getItem(TOKEN_KEY) ?? undefined
}

/** Connects to whichever host serves this page. */
export function connectBridge(win: Window): HostBridge {
  if (win.bridge) {
    return { bridge: win.bridge, transport: 'electron', status: () => 'open', onStatus: () => () => undefined }
  }
  const token = takeToken(win.location, win.history, win.sessionStorage) ?? ''
  const web = createWebSocketBridge(win.location.origin, token)
  return { bridge: web, transport: 'web', status: web.status, onStatus: web.onStatus }
}
