/**
 * Connection health as the renderer holds it: watched sessions by id (in the order first seen), loaded with
 * `session:list` and kept live from `session:changed`; watch, unwatch and check actions whose failures are
 * kept as the host's plain-language message; and the stale notices for sessions that stopped answering.
 */
import type { StateCreator } from 'zustand'
import type { Bridge } from '../../../shared/ipc'
import type { SessionChange, SessionView, WatchRequest } from '../../../shared/session/view'
import { showSystemNotification, type SystemNotice } from '../../lib/system-notification'
import type { AppState } from '../../store'
import { applySessionChange, reconcileSessions, staleAlertFor, upsertSession, type SessionMap, type StaleAlert } from './session-changes'

/** State and actions of the monitor slice. */
export interface MonitorSlice {
  monitorSessions: SessionMap
  monitorLoad: 'idle' | 'loading' | 'ready' | 'error'
  /** Why the list could not be loaded, in the host's words. */
  monitorError: string | null
  monitorWatching: boolean
  monitorWatchError: string | null
  /** Sessions with a check or unwatch in flight, and the last such action's failure per session. */
  monitorBusy: ReadonlySet<string>
  monitorSessionErrors: ReadonlyMap<string, string>
  /** Stale notices not yet dismissed, oldest first; at most one per session. */
  monitorAlerts: readonly StaleAlert[]
  loadSessions: () => Promise<void>
  applySessionChange: (change: SessionChange) => void
  /** Starts watching; resolves to the session, or null (with `monitorWatchError` set) when the host refused. */
  watch: (request: WatchRequest) => Promise<SessionView | null>
  unwatch: (id: string) => Promise<void>
  check: (id: string) => Promise<void>
  dismissAlert: (key: string) => void
}

/** Shows a system notification; injected so tests and hosts without notifications can replace it. */
export type Notify = (notice: SystemNotice) => void

function without<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map
  const next = new Map(map)
  next.delete(key)
  return next
}

function toggled(set: ReadonlySet<string>, id: string, on: boolean): ReadonlySet<string> {
  const next = new Set(set)
  if (on) next.add(id)
  else next.delete(id)
  return next
}

/** The system notification for a stale notice; the label is clipped so a hostile name cannot flood it. */
export function noticeFor(alert: StaleAlert): SystemNotice {
  const name = alert.label.length > 80 ? `${alert.label.slice(0, 79)}…` : alert.label
  const title = alert.state === 'offline' ? `${name} is offline` : `${name} stopped answering`
  return { title, body: alert.cause, tag: `porchlight-session-${alert.sessionId}` }
}

/** Creates the slice around a bridge; `notify` defaults to the web Notification API (granted permission only). */
export function createMonitorSlice(bridge: Bridge, notify: Notify = showSystemNotification): StateCreator<AppState, [], [], MonitorSlice> {
  // Changes seen while `session:list` is in flight, replayed onto its answer (see reconcileSessions).
  let pending: SessionChange[] | null = null
  let loadId = 0
  return (set, get) => {
    const runSessionAction = async (id: string, action: () => Promise<string | null>) => {
      set({ monitorBusy: toggled(get().monitorBusy, id, true), monitorSessionErrors: without(get().monitorSessionErrors, id) })
      const error = await action()
      const errors = get().monitorSessionErrors
      set({
        monitorBusy: toggled(get().monitorBusy, id, false),
        monitorSessionErrors: error === null ? errors : new Map(errors).set(id, error),
      })
    }
    return {
      monitorSessions: new Map(),
      monitorLoad: 'idle',
      monitorError: null,
      monitorWatching: false,
      monitorWatchError: null,
      monitorBusy: new Set(),
      monitorSessionErrors: new Map(),
      monitorAlerts: [],
      loadSessions: async () => {
        const id = ++loadId
        pending = []
        set({ monitorLoad: 'loading' })
        const result = await bridge.invoke('session:list')
        if (id !== loadId) return
        const during = pending
        pending = null
        if (!result.ok) return set({ monitorLoad: 'error', monitorError: result.error.message })
        set({ monitorSessions: reconcileSessions(result.value, during), monitorLoad: 'ready', monitorError: null })
      },
      applySessionChange: (change) => {
        pending?.push(change)
        const { monitorSessions, monitorAlerts, monitorSessionErrors } = get()
        const previous = change.kind === 'updated' ? monitorSessions.get(change.session.id) : undefined
        const alert = staleAlertFor(previous, change)
        const gone = change.kind === 'removed' ? change.id : alert?.sessionId
        const alerts = gone === undefined ? monitorAlerts : monitorAlerts.filter((a) => a.sessionId !== gone)
        set({
          monitorSessions: applySessionChange(monitorSessions, change),
          monitorAlerts: alert ? [...alerts, alert] : alerts,
          monitorSessionErrors: change.kind === 'removed' ? without(monitorSessionErrors, change.id) : monitorSessionErrors,
        })
        if (alert) notify(noticeFor(alert))
      },
      watch: async (request) => {
        set({ monitorWatching: true, monitorWatchError: null })
        const result = await bridge.invoke('session:watch', request)
        if (!result.ok) {
          set({ monitorWatching: false, monitorWatchError: result.error.message })
          return null
        }
        set({ monitorWatching: false, monitorSessions: upsertSession(get().monitorSessions, result.value) })
        return result.value
      },
      unwatch: (id) => runSessionAction(id, async () => {
        const result = await bridge.invoke('session:unwatch', { id })
        if (!result.ok) return result.error.message
        // `removed: false` means the host had no such session: drop our stale copy as well.
        get().applySessionChange({ kind: 'removed', id })
        return null
      }),
      check: (id) => runSessionAction(id, async () => {
        const result = await bridge.invoke('session:check', { id })
        if (!result.ok) return result.error.message
        if (get().monitorSessions.has(id)) set({ monitorSessions: upsertSession(get().monitorSessions, result.value) })
        return null
      }),
      dismissAlert: (key) => set({ monitorAlerts: get().monitorAlerts.filter((a) => a.key !== key) }),
    }
  }
}
