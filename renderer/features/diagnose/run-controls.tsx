/**
 * Starting a run: which device to drill into (the devices Discover knows, names as text), Run checks / Run
 * checks again, and the progress of the run in flight as a progress bar and a polite live region that also
 * says how the run ended.
 */
import { useId, useMemo } from 'react'
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import { useAppStore } from '../../store'
import type { DeviceMap } from '../discover/discover-slice'
import { finishedText, progressText } from './diagnose-format'

/** One choice of the device picker. */
export interface DeviceOption {
  id: string
  label: string
}

function optionLabel(device: DiscoveredDevice): string {
  const name = device.name || device.id
  return device.status === 'down' ? `${name} (down)` : name
}

/** The picker's devices by name; a chosen device Discover no longer lists stays choosable by its id. */
export function deviceOptions(devices: DeviceMap, chosen: string | null): DeviceOption[] {
  const options = [...devices.values()]
    .map((d) => ({ id: d.id, label: optionLabel(d) }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id))
  if (chosen !== null && !devices.has(chosen)) options.unshift({ id: chosen, label: `${chosen} (not listed by Discover now)` })
  return options
}

function DeviceHint() {
  const load = useAppStore((s) => s.discoveryLoad)
  const count = useAppStore((s) => s.discoveryDevices.size)
  const loadDiscovery = useAppStore((s) => s.loadDiscovery)
  if (load === 'idle') {
    return (
      <p className="muted small diagnose-device-hint">
        Devices appear here once Porchlight has looked for them.{' '}
        <button type="button" className="button-quiet button-small" onClick={() => void loadDiscovery()}>Look for devices</button>
      </p>
    )
  }
  if (count === 0) return <p className="muted small diagnose-device-hint">No devices found yet; they appear here as they answer.</p>
  return null
}

function RunProgress() {
  const state = useAppStore((s) => s.diagnoseRun)
  const progress = useAppStore((s) => s.diagnoseProgress)
  const report = useAppStore((s) => s.diagnoseReport)
  let text = ''
  if (state === 'running') text = progress ? progressText(progress) : 'Starting the checks…'
  else if (state === 'ready' && report) text = finishedText(report)
  return (
    <div className="diagnose-progress">
      {state === 'running' ? (
        <progress
          aria-label="Checks done"
          max={Math.max(1, progress?.total ?? 1)}
          value={progress ? Math.min(progress.done, progress.total) : 0}
        />
      ) : null}
      <p className="diagnose-progress-text" aria-live="polite" aria-atomic="true">{text}</p>
    </div>
  )
}

/** Renders the device picker, the run button and the progress. */
export function RunControls() {
  const id = useId()
  const devices = useAppStore((s) => s.discoveryDevices)
  const chosen = useAppStore((s) => s.diagnoseDeviceId)
  const choose = useAppStore((s) => s.setDiagnoseDevice)
  const run = useAppStore((s) => s.runDiagnose)
  const running = useAppStore((s) => s.diagnoseRun === 'running')
  const hasReport = useAppStore((s) => s.diagnoseReport !== null)
  const options = useMemo(() => deviceOptions(devices, chosen), [devices, chosen])
  return (
    <section className="panel diagnose-controls" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Run the checks</h2>
      <p className="muted small">
        Checks this computer’s networks, routes, multicast, system resolver, DNS and ports; with a device chosen, also
        its announcements, whether each of its addresses answers, and how steady the link to it is (a few seconds of probes).
      </p>
      <div className="diagnose-run-row">
        <div className="field">
          <label htmlFor={`${id}-device`}>Device to check</label>
          <select id={`${id}-device`} value={chosen ?? ''} onChange={(e) => choose(e.target.value === '' ? null : e.target.value)}>
            <option value="">None: this computer only</option>
            {options.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
          </select>
        </div>
        <button type="button" onClick={() => void run()} disabled={running}>{hasReport ? 'Run checks again' : 'Run checks'}</button>
      </div>
      <DeviceHint />
      <RunProgress />
    </section>
  )
}
