/**
 * The pure core of the monitor slice: applying `session:changed` to the session map, reconciling a
 * `session:list` answer with changes that arrived while it was in flight, and deciding when a change
 * deserves a stale notification.
 */
import { MAX_SAMPLES, type RttSample, type SessionChange, type SessionStats, type SessionView } from '../../../shared/session/view'

/** Sessions by id, in the order they were first seen; replaced (never mutated) on every change. */
export type SessionMap = ReadonlyMap<string, SessionView>

/** An in-app notice that a connected session went stalled or offline. */
export interface StaleAlert {
  /** Unique per transition, so a second stall of the same session is a new notice. */
  key: string
  sessionId: string
  /** Untrusted device name: render as text. */
  label: string
  state: 'stalled' | 'offline'
  cause: string
  at: number
}

/**
 * Appends one heartbeat, keeping the newest `MAX_SAMPLES`. A sample with the same time as one already held
 * is a repeat (a list answer may already contain it); an older time is kept, since wall clocks can step back.
 */
export function appendSample(session: SessionView, sample: RttSample, stats: SessionStats): SessionView {
  if (session.samples.some((s) => s.at === sample.at)) return session
  const samples = [...session.samples, sample]
  // lastRttMs is the RTT of the last reply: a missed heartbeat shows in the samples, not here.
  const lastRttMs = sample.rttMs ?? session.lastRttMs
  return { ...session, samples: samples.length > MAX_SAMPLES ? samples.slice(-MAX_SAMPLES) : samples, stats, lastRttMs }
}

/** Returns a new map with the change applied; a sample for a session not (yet) known is dropped. */
export function applySessionChange(current: SessionMap, change: SessionChange): SessionMap {
  switch (change.kind) {
    case 'updated':
      return new Map(current).set(change.session.id, capSamples(change.session))
    case 'sample': {
      const session = current.get(change.id)
      if (!session) return current
      const next = appendSample(session, change.sample, change.stats)
      return next === session ? current : new Map(current).set(change.id, next)
    }
    case 'removed': {
      if (!current.has(change.id)) return current
      const next = new Map(current)
      next.delete(change.id)
      return next
    }
  }
}

/** Adds or replaces one session (e.g. the answer of `session:watch` or `session:check`). */
export function upsertSession(current: SessionMap, session: SessionView): SessionMap {
  return new Map(current).set(session.id, capSamples(session))
}

/** The newest thing a view knows about, to tell which of two copies of a session is fresher. */
function freshness(session: SessionView): number {
  return Math.max(session.since, session.samples.at(-1)?.at ?? -Infinity, session.timeline.at(-1)?.at ?? -Infinity)
}

/**
 * Builds the map from a `session:list` answer, then replays the changes that arrived while it was in
 * flight: a whole view replaces the listed one only when it is fresher (the list may already include it),
 * samples already in the list are skipped, and removals stay removed.
 */
export function reconcileSessions(listed: readonly SessionView[], during: readonly SessionChange[]): SessionMap {
  let map: SessionMap = new Map(listed.map((s) => [s.id, capSamples(s)]))
  for (const change of during) {
    const known = change.kind === 'updated' ? map.get(change.session.id) : undefined
    if (change.kind === 'updated' && known && freshness(known) > freshness(change.session)) continue
    map = applySessionChange(map, change)
  }
  return map
}

/** A stale notice when a connected session has just gone stalled or offline; null for anything else. */
export function staleAlertFor(previous: SessionView | undefined, change: SessionChange): StaleAlert | null {
  if (change.kind !== 'updated' || previous?.state !== 'connected') return null
  const { session } = change
  if (session.state !== 'stalled' && session.state !== 'offline') return null
  return {
    key: `${session.id}@${session.since}`,
    sessionId: session.id,
    label: session.label,
    state: session.state,
    cause: session.cause,
    at: session.since,
  }
}

function capSamples(session: SessionView): SessionView {
  return session.samples.length > MAX_SAMPLES ? { ...session, samples: session.samples.slice(-MAX_SAMPLES) } : session
}
