/**
 * Joining the accessory's network by hand, when Porchlight cannot switch this computer's Wi-Fi itself:
 * what to do in the Wi-Fi menu, and "I've joined" (Porchlight also notices by itself).
 */
import { useId } from 'react'
import { useAppStore } from '../../store'

/** Renders the steps for joining `ssid` from the Wi-Fi menu. */
export function ManualJoinSteps({ ssid }: { ssid: string }) {
  return (
    <ol className="manual-join-steps">
      <li>Open your Wi-Fi menu and join <strong className="setup-name">{ssid}</strong>.</li>
      <li>If it asks for a password, it is on the accessory’s label or in its QR code.</li>
      <li>Your computer has no internet while it is joined to the accessory: that is expected.</li>
      <li>Come back here. Porchlight notices when you have joined; you can also tell it below.</li>
    </ol>
  )
}

/** Renders the manual join step of a running flow. */
export function ManualJoinPanel({ ssid, reason }: { ssid: string; reason: string }) {
  const id = useId()
  const joined = useAppStore((s) => s.confirmSetupJoined)
  const busy = useAppStore((s) => s.setupBusy)
  const refusal = useAppStore((s) => (s.setupActionError?.request === 'joined' ? s.setupActionError.message : null))
  return (
    <section className="panel manual-join" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Join the accessory’s network yourself</h2>
      <p className="muted">{reason}</p>
      <ManualJoinSteps ssid={ssid} />
      <div className="setup-actions">
        <button type="button" onClick={() => void joined()} disabled={busy !== null}>I’ve joined</button>
      </div>
      {refusal ? <p className="error-text" role="alert">Could not do that: {refusal}</p> : null}
    </section>
  )
}
