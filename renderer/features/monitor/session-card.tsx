/**
 * One watched session: its name (untrusted text), state badge in words, why it is in that state, where the
 * connection goes, RTT and counters, the sparkline, the timeline, and Check now / Stop watching.
 */
import { useId } from 'react'
import type { SessionView } from '../../../shared/session/view'
import { useAppStore } from '../../store'
import { formatDuration } from '../discover/discover-format'
import { formatLoss, formatMs, formatRemote, formatSeconds, protocolLabel, STATE_LABELS } from './monitor-format'
import { RttSparkline } from './rtt-sparkline'
import { SessionTimeline } from './session-timeline'

function nextAttempt(session: SessionView, now: number): string | null {
  if (session.nextAttemptAt === null || (session.state !== 'reconnecting' && session.state !== 'offline')) return null
  const seconds = Math.ceil((session.nextAttemptAt - now) / 1000)
  return seconds <= 0 ? 'Due now' : `In ${formatDuration(seconds)}`
}

function SessionFacts({ session, now }: { session: SessionView; now: number }) {
  const attempt = nextAttempt(session, now)
  const { stats } = session
  return (
    <dl className="facts session-facts">
      <dt>Protocol</dt>
      <dd>{protocolLabel(session.protocol)}, every {formatSeconds(session.intervalMs)}</dd>
      <dt>Address</dt>
      <dd className="mono">{formatRemote(session.remote)}</dd>
      <dt>Last RTT</dt>
      <dd>{session.lastRttMs === null ? <span className="muted">No reply yet</span> : formatMs(session.lastRttMs)}</dd>
      <dt>In this state</dt>
      <dd>For {formatDuration((now - session.since) / 1000)}</dd>
      {attempt ? <><dt>Next attempt</dt><dd>{attempt}</dd></> : null}
      <dt>Lost heartbeats</dt>
      <dd>{formatLoss(stats)}</dd>
      <dt>Stalls</dt>
      <dd>{stats.stalls}</dd>
      <dt>Reconnects</dt>
      <dd>{stats.reconnects}</dd>
      <dt>Longest gap</dt>
      <dd>{stats.longestGapMs > 0 ? formatSeconds(stats.longestGapMs) : 'None'}</dd>
    </dl>
  )
}

/** Renders one session as a labelled region. */
export function SessionCard({ session, now }: { session: SessionView; now: number }) {
  const id = useId()
  const check = useAppStore((s) => s.check)
  const unwatch = useAppStore((s) => s.unwatch)
  const busy = useAppStore((s) => s.monitorBusy.has(session.id))
  const error = useAppStore((s) => s.monitorSessionErrors.get(session.id) ?? null)
  return (
    <section className="panel session-card" aria-labelledby={`${id}-title`}>
      <div className="panel-header">
        <h2 id={`${id}-title`} className="session-label">{session.label}</h2>
        <span className={`badge session-state session-${session.state}`}>{STATE_LABELS[session.state]}</span>
      </div>
      <p className="session-cause">{session.cause}</p>
      <SessionFacts session={session} now={now} />
      <RttSparkline samples={session.samples} intervalMs={session.intervalMs} />
      <h3 id={`${id}-timeline`}>Gaps and reconnects</h3>
      <SessionTimeline entries={session.timeline} now={now} labelledBy={`${id}-timeline`} />
      <div className="session-actions">
        <button type="button" onClick={() => void check(session.id)} disabled={busy} aria-describedby={`${id}-title`}>Check now</button>
        <button type="button" className="button-quiet" onClick={() => void unwatch(session.id)} disabled={busy} aria-describedby={`${id}-title`}>
          Stop watching
        </button>
      </div>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
    </section>
  )
}
