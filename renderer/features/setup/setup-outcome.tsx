/**
 * How a flow ended well or was stopped: the confirmed accessory (name, address, interface) with "Monitor
 * connection" (watching it as Discover does), or the cancellation; and "Set up another" for both.
 */
import { useId } from 'react'
import type { SetupView } from '../../../shared/provisioning/view'
import { useAppStore } from '../../store'
import { WatchDeviceButton } from '../monitor/watch-device-button'
import { discoveryIdFor } from './setup-model'

/** Forgets the finished flow and returns to the start form. */
export function SetUpAnother({ isPrimary = false }: { isPrimary?: boolean }) {
  const dismiss = useAppStore((s) => s.dismissSetup)
  const busy = useAppStore((s) => s.setupBusy !== null)
  return <button type="button" className={isPrimary ? undefined : 'button-quiet'} onClick={() => void dismiss()} disabled={busy}>Set up another</button>
}

function MonitorConfirmed({ deviceId, discoveryId }: { deviceId: string; discoveryId: string | undefined }) {
  // The host confirms by the id the accessory announces; Monitor watches by Discover's id for it, which the
  // host sends when discovery found it (else looked up among the devices Discover knows).
  const known = useAppStore((s) => discoveryIdFor(s.discoveryDevices, deviceId))
  return <WatchDeviceButton deviceId={discoveryId ?? known} />
}

/** Renders a confirmed flow: where the accessory answers now. */
export function SetupDone({ view }: { view: SetupView }) {
  const id = useId()
  const confirmed = view.confirmed
  const name = confirmed?.name || view.accessory.name
  return (
    <section className="panel setup-done" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <span className="setup-ok-mark" aria-hidden="true">✓ </span>
        Set up and confirmed: <span className="setup-name">{name}</span>
      </h2>
      {confirmed ? (
        <dl className="facts">
          <dt>Name</dt>
          <dd>{confirmed.name}</dd>
          <dt>Address</dt>
          <dd>{confirmed.address || <span className="muted">Not reported</span>}</dd>
          {confirmed.interface ? <><dt>Interface</dt><dd>{confirmed.interface}</dd></> : null}
          {view.chosenSsid ? <><dt>Network</dt><dd>{view.chosenSsid}</dd></> : null}
        </dl>
      ) : null}
      <p className="muted">Porchlight found it on your network and it answered, so this is confirmed, not assumed.</p>
      <div className="setup-actions">
        {confirmed ? <MonitorConfirmed deviceId={confirmed.deviceId} discoveryId={confirmed.discoveryId} /> : null}
        <SetUpAnother />
      </div>
    </section>
  )
}

/** Renders a cancelled flow. */
export function SetupCancelled({ view }: { view: SetupView }) {
  const id = useId()
  return (
    <section className="panel setup-cancelled" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Setup cancelled</h2>
      <p>
        Nothing more is sent to the accessory.
        {view.originalNetwork ? <> This computer went back to <span className="setup-name">{view.originalNetwork}</span>; the notes above say if it could not.</> : null}
      </p>
      <div className="setup-actions"><SetUpAnother isPrimary /></div>
    </section>
  )
}
