/**
 * Where the flow stands: the stepper (done steps ticked, the current one highlighted, where it stopped
 * marked), a polite live region that announces each step change, and the flow's history as a timeline.
 */
import { useId } from 'react'
import type { SetupEvent, SetupView } from '../../../shared/provisioning/view'
import { formatTime } from '../discover/discover-format'
import { stepAnnouncement, stepperFor, type StepState } from './setup-steps'

const STATE_TEXT: Record<StepState, string> = { done: 'done', current: 'current step', pending: 'to do', stopped: 'stopped here' }
const STATE_MARK: Record<StepState, string> = { done: '✓', current: '●', pending: '○', stopped: '✕' }

/** Renders the step list and the live announcement of the current step. */
export function SetupStepper({ view }: { view: SetupView }) {
  const id = useId()
  const items = stepperFor(view)
  return (
    <nav className="setup-stepper" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="visually-hidden">Setup steps</h2>
      <ol className="stepper-list">
        {items.map((item) => (
          <li key={item.step} className={`stepper-item step-${item.state}`} aria-current={item.state === 'current' ? 'step' : undefined}>
            <span className="stepper-mark" aria-hidden="true">{STATE_MARK[item.state]}</span>
            <span className="stepper-label">{item.label}</span>
            <span className="visually-hidden">, {STATE_TEXT[item.state]}</span>
          </li>
        ))}
      </ol>
      <p className="visually-hidden setup-announcer" aria-live="polite" aria-atomic="true">{stepAnnouncement(view)}</p>
    </nav>
  )
}

/** Renders the flow's history, oldest first (names inside are text only). */
export function SetupHistory({ history }: { history: readonly SetupEvent[] }) {
  const id = useId()
  if (history.length === 0) return null
  return (
    <details className="setup-history">
      <summary id={`${id}-title`}>What happened ({history.length})</summary>
      <ol className="setup-history-list" aria-labelledby={`${id}-title`}>
        {history.map((event, i) => (
          <li key={`${event.at}|${i}`}>
            <time className="muted small" dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time>{' '}
            <span>{event.text}</span>
          </li>
        ))}
      </ol>
    </details>
  )
}
