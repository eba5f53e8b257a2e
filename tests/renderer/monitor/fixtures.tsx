/**
 * Monitor data for renderer tests: sessions and stats with sensible defaults, and a render helper for the
 * Monitor screen (or the whole app) over a fake bridge, with recorded system notifications.
 */
import { render } from '@testing-library/react'
import { ok } from '../../../shared/ipc'
import type { SessionStats, SessionView } from '../../../shared/session/view'
import { App } from '../../../renderer/app'
import { MonitorScreen } from '../../../renderer/features/monitor/monitor-screen'
import type { Screen } from '../../../renderer/features/shell/shell-slice'
import type { SystemNotice } from '../../../renderer/lib/system-notification'
import { createAppStore, StoreContext, subscribeToHost } from '../../../renderer/store'
import { makeStatus } from '../discover/fixtures'
import { createFakeBridge, type FakeBridge, type Replies } from '../fake-bridge'

/** A fixed wall-clock for tests that pin Date.now. */
export const NOW = 1_700_000_000_000

/** Counters of a healthy session: 200 heartbeats, 3 missed, one stall. */
export function makeStats(overrides: Partial<SessionStats> = {}): SessionStats {
  return { heartbeatsSent: 200, repliesReceived: 197, missed: 3, stalls: 1, reconnects: 2, longestGapMs: 2400, ...overrides }
}

/** A connected lab-control session to 192.168.1.50:7000 on wlan0, connected 90 s before NOW. */
export function makeSession(overrides: Partial<SessionView> & Pick<SessionView, 'id'>): SessionView {
  return {
    target: { kind: 'device', deviceId: `dev-${overrides.id}` },
    label: `Session ${overrides.id}`,
    protocol: 'lab-control',
    intervalMs: 1000,
    state: 'connected',
    since: NOW - 90_000,
    cause: 'Heartbeats are answered.',
    remote: { address: '192.168.1.50', port: 7000, family: 4, interface: 'wlan0' },
    lastRttMs: 3,
    samples: [
      { at: NOW - 3000, rttMs: 3 },
      { at: NOW - 2000, rttMs: null },
      { at: NOW - 1000, rttMs: 3 },
    ],
    timeline: [],
    stats: makeStats(),
    nextAttemptAt: null,
    ...overrides,
  }
}

/** Renders the Monitor screen with `session:list` answering `sessions`; system notices are recorded. */
export function renderMonitor(sessions: readonly SessionView[], replies: Replies = {}) {
  const bridge: FakeBridge = createFakeBridge({ 'session:list': ok([...sessions]), ...replies })
  const notices: SystemNotice[] = []
  const store = createAppStore(bridge, { notify: (n) => notices.push(n) })
  subscribeToHost(store, bridge)
  const view = render(<StoreContext.Provider value={store}><MonitorScreen /></StoreContext.Provider>)
  return { bridge, store, notices, ...view }
}

/** Renders the whole app on `screen`, with sessions already loaded (as main.tsx does at start). */
export async function renderAppWithSessions(sessions: readonly SessionView[], screen: Screen = 'discover', replies: Replies = {}) {
  const bridge: FakeBridge = createFakeBridge({
    'session:list': ok([...sessions]),
    'discovery:snapshot': ok({ status: makeStatus(), devices: [] }),
    ...replies,
  })
  const notices: SystemNotice[] = []
  const store = createAppStore(bridge, { screen, notify: (n) => notices.push(n) })
  subscribeToHost(store, bridge)
  await store.getState().loadSessions()
  const view = render(<StoreContext.Provider value={store}><App /></StoreContext.Provider>)
  return { bridge, store, notices, ...view }
}
