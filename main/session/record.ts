/**
 * The bookkeeping half of a session: its view (state, cause, samples, timeline, counters) and the
 * debounced publishing of state changes. Pure apart from the injected clock and change callback.
 *
 * Debounce: a drop that is repaired within `RECONNECTING_DEBOUNCE_MS` (a device closing an idle
 * connection, an address change we followed at once) is recorded in the timeline but never shown as a
 * "Reconnecting" flash; every other state is published the moment it is reached.
 */
import { MAX_SAMPLES, MAX_TIMELINE, type SessionChange, type SessionRemote, type SessionState, type SessionTarget, type SessionView, type TimelineKind } from '../../shared/session/view'
import type { Clock, TimerHandle } from '../util/clock'

/** How long "reconnecting" must last before the UI hears of it. */
export const RECONNECTING_DEBOUNCE_MS = 500

/** Identity of a session's record. */
export interface RecordInit {
  id: string
  target: SessionTarget
  label: string
  protocol: string
  intervalMs: number
}

/** A session's record with its mutators. */
export interface SessionRecord {
  view(): SessionView
  state(): SessionState
  setState(state: SessionState, cause: string): void
  /** Updates the cause without a state change (e.g. the latest reconnect failure). */
  setCause(cause: string): void
  timeline(kind: TimelineKind, detail: string, gapMs?: number): void
  sample(rttMs: number | null): void
  sent(): void
  count(what: 'stalls' | 'reconnects'): void
  setRemote(remote: SessionRemote | null): void
  setLabel(label: string, protocol: string): void
  setNextAttempt(at: number | null): void
  dispose(): void
}

/** Creates the record; `wallNow` gives the wall-clock ms that views carry. */
export function createSessionRecord(init: RecordInit, deps: { clock: Clock; wallNow: () => number; emit: (change: SessionChange) => void }): SessionRecord {
  const { clock, wallNow, emit } = deps
  const view: SessionView = {
    ...init,
    state: 'connecting',
    since: wallNow(),
    cause: 'Connecting…',
    remote: null,
    lastRttMs: null,
    samples: [],
    timeline: [],
    stats: { heartbeatsSent: 0, repliesReceived: 0, missed: 0, stalls: 0, reconnects: 0, longestGapMs: 0 },
    nextAttemptAt: null,
  }
  let actual: SessionState = 'connecting'
  let pending: TimerHandle | undefined
  const snapshot = (): SessionView => ({ ...view, samples: [...view.samples], timeline: [...view.timeline], stats: { ...view.stats } })
  const publish = () => emit({ kind: 'updated', session: snapshot() })
  const show = (state: SessionState) => {
    if (pending !== undefined) clock.clearTimeout(pending)
    pending = undefined
    if (view.state !== state) view.since = wallNow()
    view.state = state
    publish()
  }

  return {
    view: snapshot,
    state: () => actual,
    setState(state, cause) {
      const was = actual
      actual = state
      view.cause = cause
      if (state === 'reconnecting' && was === 'connected') {
        pending ??= clock.setTimeout(() => show(actual), RECONNECTING_DEBOUNCE_MS)
        return
      }
      show(state)
    },
    setCause(cause) {
      view.cause = cause
      if (pending === undefined) publish()
    },
    timeline(kind, detail, gapMs) {
      view.timeline.push({ at: wallNow(), kind, detail, ...(gapMs !== undefined && { gapMs: Math.round(gapMs) }) })
      if (view.timeline.length > MAX_TIMELINE) view.timeline.splice(0, view.timeline.length - MAX_TIMELINE)
      if (gapMs !== undefined) view.stats.longestGapMs = Math.max(view.stats.longestGapMs, Math.round(gapMs))
      if (pending === undefined) publish()
    },
    sample(rttMs) {
      const sample = { at: wallNow(), rttMs: rttMs === null ? null : Math.round(rttMs * 100) / 100 }
      view.samples.push(sample)
      if (view.samples.length > MAX_SAMPLES) view.samples.splice(0, view.samples.length - MAX_SAMPLES)
      if (rttMs === null) view.stats.missed++
      else {
        view.stats.repliesReceived++
        view.lastRttMs = sample.rttMs
      }
      emit({ kind: 'sample', id: view.id, sample, stats: { ...view.stats } })
    },
    sent: () => void view.stats.heartbeatsSent++,
    count: (what) => void view.stats[what]++,
    setRemote: (remote) => void (view.remote = remote),
    setLabel(label, protocol) {
      view.label = label
      view.protocol = protocol
    },
    setNextAttempt: (at) => void (view.nextAttemptAt = at),
    dispose: () => {
      if (pending !== undefined) clock.clearTimeout(pending)
    },
  }
}
