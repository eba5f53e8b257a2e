/**
 * Diagnose: why an accessory cannot be seen or reached, for support staff on a call. Run the checks (with
 * one device's drill-down when a device is chosen), read the verdict and the checklist with what to do,
 * export a redacted support bundle, decode an error code, and see this computer's interfaces live.
 * Nothing runs on its own: a run sends probes, so it starts when someone asks.
 */
import { useAppStore } from '../../store'
import { EmptyState } from '../../ui/empty-state'
import { Screen } from '../../ui/screen'
import { InterfaceList } from '../network/interface-list'
import { CheckGroups } from './check-list'
import { DeviceReportView } from './device-report'
import { ErrorDecoder } from './error-decoder'
import { RunControls } from './run-controls'
import { SupportBundlePanel } from './support-bundle'
import { Verdict } from './verdict'

const LEDE = 'Why an accessory cannot be seen or reached: checks of this computer, its networks and one device, each with what to do.'

function Report() {
  const report = useAppStore((s) => s.diagnoseReport)
  const state = useAppStore((s) => s.diagnoseRun)
  if (!report) {
    if (state !== 'idle') return null
    return (
      <EmptyState title="No checks run yet">
        <p>Run the checks to see what works and what does not on this computer’s networks, and for a device you choose.</p>
      </EmptyState>
    )
  }
  return (
    <div className="diagnose-report" aria-busy={state === 'running'}>
      <Verdict report={report} />
      <section className="panel" aria-labelledby="diagnose-checklist-title">
        <h2 id="diagnose-checklist-title">Checklist</h2>
        <CheckGroups checks={report.checks} />
      </section>
      {report.devices.map((device) => <DeviceReportView key={device.deviceId} device={device} />)}
    </div>
  )
}

/** Renders the Diagnose screen. */
export function DiagnoseScreen() {
  const state = useAppStore((s) => s.diagnoseRun)
  const error = useAppStore((s) => s.diagnoseError)
  return (
    <Screen title="Diagnose" lede={LEDE}>
      <div className="diagnose-layout">
        <RunControls />
        {state === 'error' && error ? <p className="banner banner-error" role="alert">Could not run the checks: {error}</p> : null}
        <Report />
        <SupportBundlePanel />
        <ErrorDecoder />
        <InterfaceList />
      </div>
    </Screen>
  )
}
