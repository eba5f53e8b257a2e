/**
 * The checklist: checks grouped by part (this computer, multicast, resolver, device, DNS, ports), each with
 * its status as a word and an icon, what was found, what to do (with numbered steps when there are any), and
 * on request the facts behind it. A skipped check says why it could not run.
 */
import { useId, useState } from 'react'
import type { CheckStatus, DiagnoseCheck } from '../../../shared/diagnose/view'
import { worstStatus } from '../../../shared/diagnose/view'
import { FactList } from './check-facts'
import { countStatuses, formatCounts, GROUP_LABELS, groupChecks, STATUS_ICONS, STATUS_LABELS } from './diagnose-format'

/** A status as an icon and a word, coloured by status (the word carries the meaning). */
export function StatusBadge({ status }: { status: CheckStatus }) {
  return (
    <span className={`badge check-status status-${status}`}>
      <span className="status-icon" aria-hidden="true">{STATUS_ICONS[status]}</span> {STATUS_LABELS[status]}
    </span>
  )
}

/** "What to do": the advice sentence and numbered steps, when there are any. */
export function Advice({ advice, steps }: { advice: string; steps?: readonly string[] | undefined }) {
  if (advice === '' && (steps?.length ?? 0) === 0) return null
  return (
    <div className="check-advice">
      <p className="check-advice-label">What to do</p>
      {advice !== '' ? <p className="check-advice-text">{advice}</p> : null}
      {steps && steps.length > 0 ? <ol className="check-steps">{steps.map((step, i) => <li key={i}>{step}</li>)}</ol> : null}
    </div>
  )
}

function CheckItem({ check }: { check: DiagnoseCheck }) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const hasFacts = check.facts !== undefined && Object.keys(check.facts).length > 0
  return (
    <li className={`check-item check-item-${check.status}`} data-check={check.id}>
      <h4 id={`${id}-title`} className="check-title">
        <StatusBadge status={check.status} /> <span className="check-title-text">{check.title}</span>
      </h4>
      <p className="check-summary">
        {check.status === 'skip' ? <span className="check-skip-label">Not checked: </span> : null}
        {check.summary}
      </p>
      <Advice advice={check.advice} steps={check.steps} />
      {hasFacts ? (
        <>
          <button
            type="button"
            className="button-quiet button-small"
            aria-expanded={open}
            aria-controls={`${id}-facts`}
            aria-describedby={`${id}-title`}
            onClick={() => setOpen((v) => !v)}
          >
            {open ? 'Hide details' : 'Show details'}
          </button>
          <div id={`${id}-facts`} className="check-facts-box" hidden={!open}>
            {open && check.facts ? <FactList facts={check.facts} /> : null}
          </div>
        </>
      ) : null}
    </li>
  )
}

/** Props of CheckGroups. */
export interface CheckGroupsProps {
  checks: readonly DiagnoseCheck[]
  /** Tells groups of different lists apart in their accessible names (e.g. a device's name). */
  context?: string
}

/** Renders checks grouped by part, each group a labelled section with its worst status and counts. */
export function CheckGroups({ checks, context }: CheckGroupsProps) {
  const id = useId()
  if (checks.length === 0) return <p className="muted">No checks were reported.</p>
  return (
    <div className="check-groups">
      {groupChecks(checks).map(({ group, checks: inGroup }) => (
        <section key={group} className="check-group" aria-labelledby={`${id}-${group}`} data-group={group}>
          <div className="check-group-header">
            <h3 id={`${id}-${group}`}>{GROUP_LABELS[group]}{context ? <span className="visually-hidden"> ({context})</span> : null}</h3>
            <StatusBadge status={worstStatus(inGroup.map((c) => c.status))} />
            <span className="muted small">{formatCounts(countStatuses(inGroup))}</span>
          </div>
          <ul className="check-list">
            {inGroup.map((check, i) => <CheckItem key={`${check.id}-${i}`} check={check} />)}
          </ul>
        </section>
      ))}
    </div>
  )
}
