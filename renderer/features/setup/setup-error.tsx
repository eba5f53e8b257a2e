/**
 * An error of the flow in plain language with exactly one primary button for its next action: enter the
 * setup code again, open Diagnose, start again (with the same accessory and category; the code is asked
 * for again unless this screen still holds it), join by hand, or reset the accessory. Wrong password and
 * network-not-found are shown by the network chooser, next to the list they send the user back to.
 */
import { useId, useState } from 'react'
import type { SetupCodeInput, SetupView } from '../../../shared/provisioning/view'
import { useAppStore } from '../../store'
import { useOpenScreen } from '../shell/use-open-screen'
import { CodeEntry } from './code-entry/code-entry'
import type { CodeMemory } from './code-memory'
import { ManualJoinSteps } from './manual-join'
import type { SetupStart } from './setup-slice'

/** Where a flow was pointed, read back from its view (a flow restored after a restart has no start in the store). */
export function startFromView(view: SetupView): SetupStart | null {
  if (view.accessory.ssid) return { target: { kind: 'softap', ssid: view.accessory.ssid }, category: view.category }
  const match = /^(.+):(\d{1,5})$/.exec(view.accessory.address ?? '')
  const port = Number(match?.[2])
  if (!match?.[1] || !(port >= 1 && port <= 65535)) return null
  const deviceId = view.accessory.deviceId
  return { target: { kind: 'on-network', host: match[1], port, ...(deviceId && { deviceId }) }, category: view.category }
}

function CodeAgain({ memory, expectedName }: { memory: CodeMemory; expectedName: string }) {
  const sendCode = useAppStore((s) => s.sendSetupCode)
  const busy = useAppStore((s) => s.setupBusy !== null)
  const [isOpen, setOpen] = useState(false)
  if (!isOpen) return <button type="button" onClick={() => setOpen(true)}>Enter the setup code again</button>
  const onCode = (code: SetupCodeInput) => {
    memory.remember({ ...memory.recall(), ...code })
    void sendCode(code)
  }
  return <CodeEntry onCode={onCode} expectedName={expectedName} disabled={busy} />
}

function StartAgain({ view, memory }: { view: SetupView; memory: CodeMemory }) {
  const start = useAppStore((s) => s.startSetup)
  const lastStart = useAppStore((s) => s.setupLastStart)
  const busy = useAppStore((s) => s.setupBusy !== null)
  const [needsCode, setNeedsCode] = useState(false)
  const again = lastStart ?? startFromView(view)
  if (!again) return <p className="muted">Choose the accessory again below with “Set up another”.</p>
  const startWith = (code: SetupCodeInput) => {
    memory.remember(code)
    void start(again.target, code, again.category)
  }
  const onStart = () => {
    const code = memory.recall()
    if (code) startWith(code)
    else setNeedsCode(true)
  }
  if (!needsCode) return <button type="button" onClick={onStart} disabled={busy}>Start again</button>
  return (
    <div className="setup-code-again">
      <p>Enter the setup code again to start over: Porchlight does not keep it.</p>
      <CodeEntry onCode={startWith} expectedName={again.target.kind === 'softap' ? again.target.ssid : view.accessory.name} disabled={busy} />
      <button type="button" className="button-quiet" onClick={() => startWith({})} disabled={busy}>Start without a code</button>
    </div>
  )
}

const RESET_TEXT =
  'Put the accessory back into setup mode: usually hold its button for several seconds until its light blinks (its manual says how). Then start again.'

/** Renders the flow's error with its next action; null when the view has no error. */
export function SetupErrorPanel({ view, memory }: { view: SetupView; memory: CodeMemory }) {
  const id = useId()
  const open = useOpenScreen()
  const error = view.error
  if (!error) return null
  const isWaiting = view.phase !== 'finished'
  let action
  switch (error.action) {
    case 'reenter-code':
      action = isWaiting ? <CodeAgain memory={memory} expectedName={view.accessory.ssid ?? view.accessory.name} /> : <StartAgain view={view} memory={memory} />
      break
    case 'open-diagnose':
      action = <button type="button" onClick={() => open('diagnose')}>Open Diagnose</button>
      break
    case 'join-manually':
      action = <>{view.accessory.ssid ? <ManualJoinSteps ssid={view.accessory.ssid} /> : null}<StartAgain view={view} memory={memory} /></>
      break
    case 'factory-reset':
      action = <><p>{RESET_TEXT}</p><StartAgain view={view} memory={memory} /></>
      break
    case 'retry':
    case 'reenter-passphrase':
    case 'choose-network':
      action = <StartAgain view={view} memory={memory} />
      break
  }
  return (
    <section className="panel setup-error-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{isWaiting ? 'Something needs your attention' : 'Setup did not finish'}</h2>
      <p className="setup-error-message" role="alert">{error.message}</p>
      <div className="setup-actions">{action}</div>
    </section>
  )
}
