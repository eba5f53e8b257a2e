/**
 * The support bundle: one action asks the host to turn the current report into a JSON file and a readable
 * HTML report (secrets always redacted; hardware identifiers too when asked) and saves both. Buttons to save
 * each file again cover a browser that held back the second automatic download.
 */
import { useId, useState } from 'react'
import type { SupportBundle } from '../../../shared/diagnose/view'
import { useAppStore } from '../../store'
import { BUNDLE_TYPES, saveTextFile } from './save-file'

const saveJson = (bundle: SupportBundle) => saveTextFile(bundle.jsonName, bundle.json, BUNDLE_TYPES.json)
const saveHtml = (bundle: SupportBundle) => saveTextFile(bundle.htmlName, bundle.html, BUNDLE_TYPES.html)

function statusText(state: 'idle' | 'working' | 'ready' | 'error', bundle: SupportBundle | null): string {
  if (state === 'working') return 'Making the support bundle…'
  if (state === 'ready' && bundle) return `Saving ${bundle.jsonName} and ${bundle.htmlName}. If either does not arrive, save it again below.`
  return ''
}

/** Renders the support bundle panel. */
export function SupportBundlePanel() {
  const id = useId()
  const hasReport = useAppStore((s) => s.diagnoseReport !== null)
  const exportBundle = useAppStore((s) => s.exportSupportBundle)
  const state = useAppStore((s) => s.diagnoseBundleState)
  const bundle = useAppStore((s) => s.diagnoseBundle)
  const error = useAppStore((s) => s.diagnoseBundleError)
  const [redact, setRedact] = useState(false)
  const onExport = async () => {
    const made = await exportBundle(redact)
    if (!made) return
    saveJson(made)
    saveHtml(made)
  }
  return (
    <section className="panel support-bundle" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Support bundle</h2>
      <p className="support-bundle-intro">
        A JSON file and a readable HTML report of this run to attach to a support ticket: OS and app versions,
        interfaces, every check, the device drill-down, recent events and connection gaps. Passwords, keys and
        tokens are always removed.
      </p>
      <label className="check">
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} />
        Also hide hardware identifiers (MAC addresses, device ids)
      </label>
      <div className="detail-actions">
        <button type="button" onClick={() => void onExport()} disabled={!hasReport || state === 'working'} aria-describedby={hasReport ? undefined : `${id}-hint`}>
          Export support bundle
        </button>
      </div>
      {!hasReport ? <p id={`${id}-hint`} className="muted small">Run the checks first: the bundle is made from their report.</p> : null}
      <p className="support-bundle-status" aria-live="polite">{statusText(state, bundle)}</p>
      {state === 'ready' && bundle ? (
        <div className="detail-actions">
          <button type="button" className="button-quiet button-small" onClick={() => saveJson(bundle)}>Save {bundle.jsonName} again</button>
          <button type="button" className="button-quiet button-small" onClick={() => saveHtml(bundle)}>Save {bundle.htmlName} again</button>
        </div>
      ) : null}
      {state === 'error' && error ? <p className="error-text" role="alert">Could not make the support bundle: {error}</p> : null}
    </section>
  )
}
