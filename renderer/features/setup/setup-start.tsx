/**
 * Before a flow: what can be set up (`setup:candidates`, with Refresh), whether this computer can join an
 * accessory's network itself (and the manual path when not), the setup code (`CodeEntry`; a QR code may
 * also name the accessory's network, which is then selected or added), the kind of accessory, and Start.
 * The code stays in this component and the screen's code memory; it goes to the host only in `setup:start`.
 */
import { useEffect, useId } from 'react'
import { useAppStore } from '../../store'
import { CandidateList } from './candidate-list'
import { CategoryPicker } from './category-picker'
import { CodeEntry } from './code-entry/code-entry'
import type { CodeMemory } from './code-memory'
import { codeSummary } from './setup-model'
import { useStartForm } from './use-start-form'

function WifiState() {
  const wifi = useAppStore((s) => s.setupCandidates?.wifi)
  if (!wifi) return null
  if (!wifi.available) {
    return (
      <div className="setup-wifi-note">
        <p>{wifi.reason ?? 'Porchlight cannot change this computer’s Wi-Fi here.'}</p>
        <p className="muted small">
          You can still set up an accessory: when asked, join its network from your Wi-Fi menu yourself, and Porchlight carries on once you have.
        </p>
      </div>
    )
  }
  return (
    <p className="muted small setup-wifi-note">
      {wifi.current ? <>This computer is on <span className="setup-name">{wifi.current}</span>. </> : null}
      Porchlight joins an accessory’s network during setup and brings this computer back afterwards.
    </p>
  )
}

/** Renders the start form. */
export function SetupStart({ memory }: { memory: CodeMemory }) {
  const id = useId()
  const load = useAppStore((s) => s.loadSetupCandidates)
  const listed = useAppStore((s) => s.setupCandidates?.candidates)
  const loadState = useAppStore((s) => s.setupCandidatesLoad)
  const loadError = useAppStore((s) => s.setupCandidatesError)
  const preselect = useAppStore((s) => s.setupPreselect)
  const clearPreselect = useAppStore((s) => s.clearSetupPreselect)
  const start = useAppStore((s) => s.startSetup)
  const busy = useAppStore((s) => s.setupBusy)
  const refusal = useAppStore((s) => (s.setupActionError?.request === 'start' ? s.setupActionError.message : null))
  const form = useStartForm(listed, preselect)
  useEffect(() => {
    void load()
  }, [load])
  useEffect(() => {
    if (preselect) clearPreselect()
  }, [preselect, clearPreselect])
  const onStart = async () => {
    const request = form.request()
    if (!request) return
    // "Start again" must reuse this accessory's code (or none), never an earlier accessory's.
    memory.remember(request.code)
    await start(request.target, request.code, request.category)
  }

  const { candidates, selected, code } = form
  const expectedName = selected?.target.kind === 'softap' ? selected.target.ssid : selected?.name
  return (
    <section className="panel setup-start" aria-labelledby={`${id}-title`}>
      <div className="panel-header">
        <h2 id={`${id}-title`}>Set up an accessory</h2>
        <button type="button" className="button-quiet" onClick={() => void load()} disabled={loadState === 'loading'}>
          {loadState === 'loading' ? 'Looking…' : 'Refresh'}
        </button>
      </div>
      <WifiState />
      {loadState === 'error' ? <p className="error-text" role="alert">Could not list accessories: {loadError}</p> : null}
      {loadState === 'ready' && candidates.length === 0 ? (
        <p className="muted">No accessory found in setup mode. Put it in setup mode (often a blinking light), keep it close, then Refresh; or scan its QR code below.</p>
      ) : null}
      <CandidateList name={`${id}-candidate`} candidates={candidates} selectedKey={form.selectedKey} onSelect={form.select}
        typedSsid={form.typedSsid} onTypedSsid={form.setTypedSsid} typedError={form.typedError} />
      <h3 className="setup-subtitle">Setup code</h3>
      <CodeEntry onCode={form.onCode} disabled={busy !== null} {...(expectedName !== undefined && { expectedName })} />
      <p className="muted small setup-code-state" role="status">
        {code ? codeSummary(code) : 'No code yet. Without one, Porchlight asks for it if the accessory needs it.'}
        {form.codeNote ? ` ${form.codeNote}` : ''}
      </p>
      {form.chosenCategory ? <CategoryPicker options={form.categories} value={form.chosenCategory} onChange={form.setCategory} /> : null}
      <div className="setup-actions">
        <button type="button" onClick={() => void onStart()} disabled={busy !== null}>{busy === 'start' ? 'Starting…' : 'Start setup'}</button>
      </div>
      {form.formError ? <p className="field-error" role="alert">{form.formError}</p> : null}
      {refusal ? <p className="error-text" role="alert">Could not start: {refusal}</p> : null}
    </section>
  )
}
