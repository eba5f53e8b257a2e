/**
 * One onboarding flow as the main process drives it: a header with Cancel (while it runs, saying where
 * the computer returns), the stepper, the notes for the user, what the current step needs (manual join,
 * the network chooser, an error's next action, or progress), how it ended, and its history.
 */
import { useId } from 'react'
import type { SetupView } from '../../../shared/provisioning/view'
import { useAppStore } from '../../store'
import type { CodeMemory } from './code-memory'
import { ManualJoinPanel } from './manual-join'
import { NetworkChooser } from './network-chooser'
import { SetupErrorPanel } from './setup-error'
import { SetUpAnother, SetupCancelled, SetupDone } from './setup-outcome'
import { CATEGORY_TEXT } from './setup-model'
import { SetupHistory, SetupStepper } from './setup-progress'
import { STEP_LABELS, stepDescription } from './setup-steps'

function CancelSetup({ view }: { view: SetupView }) {
  const cancel = useAppStore((s) => s.cancelSetup)
  const busy = useAppStore((s) => s.setupBusy)
  const id = useId()
  let where = 'Nothing on this computer changes.'
  if (view.originalNetwork) where = `This computer will return to “${view.originalNetwork}”.`
  else if (view.onAccessoryNetwork) where = 'This computer will leave the accessory’s network.'
  return (
    <div className="setup-cancel">
      <button type="button" className="button-quiet" onClick={() => void cancel()} disabled={busy === 'cancel'} aria-describedby={`${id}-where`}>
        {busy === 'cancel' ? 'Cancelling…' : 'Cancel setup'}
      </button>
      <span id={`${id}-where`} className="muted small">{where}</span>
    </div>
  )
}

function Notices({ view }: { view: SetupView }) {
  if (view.notices.length === 0 && !view.onAccessoryNetwork) return null
  return (
    <section className="setup-notices" aria-label="Notes">
      {view.onAccessoryNetwork ? <p className="setup-notice">This computer is on the accessory’s network now.</p> : null}
      {view.notices.map((text, i) => <p key={`${i}|${text}`} className="setup-notice">{text}</p>)}
    </section>
  )
}

function Running({ view }: { view: SetupView }) {
  const id = useId()
  return (
    <section className="panel setup-running" aria-labelledby={`${id}-title`} aria-busy="true">
      <h2 id={`${id}-title`}>{STEP_LABELS[view.step]}</h2>
      <p>{stepDescription(view)}</p>
      <progress aria-label="Setup in progress" />
    </section>
  )
}

function Body({ view, memory }: { view: SetupView; memory: CodeMemory }) {
  if (view.step === 'done') return <SetupDone view={view} />
  if (view.step === 'cancelled') return <SetupCancelled view={view} />
  if (view.phase === 'finished') {
    return (
      <>
        <SetupErrorPanel view={view} memory={memory} />
        <div className="setup-actions"><SetUpAnother /></div>
      </>
    )
  }
  if (view.manualJoin) return <ManualJoinPanel ssid={view.manualJoin.ssid} reason={view.manualJoin.reason} />
  if (view.step === 'choose-network' && view.phase === 'waiting') return <NetworkChooser view={view} />
  if (view.error) return <SetupErrorPanel view={view} memory={memory} />
  return <Running view={view} />
}

/** Renders the current flow. */
export function SetupFlow({ view, memory }: { view: SetupView; memory: CodeMemory }) {
  const id = useId()
  const refusal = useAppStore((s) => {
    const request = s.setupActionError?.request
    return request === 'start' || request === 'code' || request === 'cancel' || request === 'dismiss' ? s.setupActionError?.message ?? null : null
  })
  const isRunning = view.phase !== 'finished'
  return (
    <div className="setup-flow">
      <section className="panel setup-flow-header" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Setting up <span className="setup-name">{view.accessory.name}</span></h2>
        <p className="muted small">{CATEGORY_TEXT[view.category].label}: {CATEGORY_TEXT[view.category].hint}</p>
        {isRunning ? <CancelSetup view={view} /> : null}
      </section>
      <SetupStepper view={view} />
      <Notices view={view} />
      {refusal ? <p className="banner banner-error" role="alert">Could not do that: {refusal}</p> : null}
      <Body view={view} memory={memory} />
      <SetupHistory history={view.history} />
    </div>
  )
}
