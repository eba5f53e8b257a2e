/** A session's timeline of stalls, recoveries, reconnects and address or network changes, newest first. */
import type { TimelineEntry } from '../../../shared/session/view'
import { formatTime } from '../discover/discover-format'
import { formatGap, TIMELINE_LABELS } from './monitor-format'

/** Props of SessionTimeline; `labelledBy` names the list (the heading above it). */
export interface SessionTimelineProps {
  entries: readonly TimelineEntry[]
  now: number
  labelledBy: string
}

/** Renders the timeline as an ordered list, newest entry first. */
export function SessionTimeline({ entries, now, labelledBy }: SessionTimelineProps) {
  if (entries.length === 0) return <p className="muted small">No gaps or reconnects yet.</p>
  const newestFirst = [...entries].reverse()
  return (
    <ol className="session-timeline" aria-labelledby={labelledBy}>
      {newestFirst.map((entry, i) => {
        const gap = formatGap(entry)
        return (
          <li key={`${entry.at}|${entry.kind}|${i}`}>
            <time className="muted small" dateTime={new Date(entry.at).toISOString()}>{formatTime(entry.at, now)}</time>{' '}
            <span className={`badge timeline-${entry.kind}`}>{TIMELINE_LABELS[entry.kind]}</span>
            {gap ? <span className="timeline-gap"> {gap}</span> : null}
            {entry.detail ? <span className="timeline-detail"> — {entry.detail}</span> : null}
          </li>
        )
      })}
    </ol>
  )
}
