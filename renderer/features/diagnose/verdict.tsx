/**
 * The overall verdict at the top of a report: the worst status as a word and icon, the counts, what needs
 * attention first (failures, then warnings, by title), and when and where the checks ran.
 */
import type { DiagnoseReport } from '../../../shared/diagnose/view'
import { StatusBadge } from './check-list'
import { allChecks, countStatuses, formatCounts, runDuration, STATUS_LABELS, VERDICT_TITLES } from './diagnose-format'

/** Titles listed under "Needs attention" before the rest is summarised as a count. */
const MAX_ATTENTION = 8

/** Renders the verdict of a report. */
export function Verdict({ report }: { report: DiagnoseReport }) {
  const checks = allChecks(report)
  const attention = [...checks.filter((c) => c.status === 'fail'), ...checks.filter((c) => c.status === 'warn')]
  const { host } = report
  return (
    <section className={`panel diagnose-verdict verdict-${report.status}`} aria-labelledby="diagnose-verdict-title">
      <div className="verdict-head">
        <StatusBadge status={report.status} />
        <h2 id="diagnose-verdict-title">{VERDICT_TITLES[report.status]}</h2>
      </div>
      <p className="verdict-counts">{formatCounts(countStatuses(checks))}.</p>
      {attention.length > 0 ? (
        <>
          <p className="verdict-attention-label">Needs attention first:</p>
          <ul className="verdict-attention">
            {attention.slice(0, MAX_ATTENTION).map((c, i) => (
              <li key={`${c.id}-${i}`}>{c.title} <span className="muted">({STATUS_LABELS[c.status]})</span></li>
            ))}
          </ul>
          {attention.length > MAX_ATTENTION ? <p className="muted small">…and {attention.length - MAX_ATTENTION} more below.</p> : null}
        </>
      ) : null}
      <p className="muted small">
        Ran at {new Date(report.startedAt).toLocaleTimeString()} in {runDuration(report)} · {host.app} {host.version}, {host.hostKind} host,
        {' '}{host.platform} {host.release} ({host.arch})
      </p>
    </section>
  )
}
