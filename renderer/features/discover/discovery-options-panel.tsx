/**
 * Which interfaces discovery searches. VPN tunnels and peer-to-peer links are skipped by default and the
 * screen says why, with switches to include them (`discovery:setOptions`) and a "Search again" button
 * (`discovery:restart`) for when the network changed under us.
 */
import type { DiscoveryInterface, DiscoveryStatus } from '../../../shared/discovery/view'
import { useAppStore } from '../../store'

/** Interfaces that are skipped, as "utun3 (tunnel)" for one line of text. */
export function skippedSummary(interfaces: readonly DiscoveryInterface[]): string {
  return interfaces.filter((i) => i.state === 'skipped').map((i) => `${i.name} (${i.kind})`).join(', ')
}

/** Renders the interface options and the restart button. */
export function DiscoveryOptionsPanel({ status }: { status: DiscoveryStatus | null }) {
  const busy = useAppStore((s) => s.discoveryBusy)
  const actionError = useAppStore((s) => s.discoveryActionError)
  const setOptions = useAppStore((s) => s.setDiscoveryOptions)
  const restart = useAppStore((s) => s.restartDiscovery)
  const pending = useAppStore((s) => s.discoveryPendingOptions)
  const disabled = busy || status === null
  const skipped = status ? skippedSummary(status.interfaces) : ''
  return (
    <fieldset className="discover-options">
      <legend>Interfaces searched</legend>
      <div className="discover-options-row">
        <label className="check">
          <input
            type="checkbox"
            checked={pending?.includeTunnels ?? status?.options.includeTunnels ?? false}
            disabled={disabled}
            onChange={(e) => void setOptions({ includeTunnels: e.currentTarget.checked })}
            aria-describedby="discover-options-why"
          />
          Include VPN and tunnel interfaces
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={pending?.includePeerToPeer ?? status?.options.includePeerToPeer ?? false}
            disabled={disabled}
            onChange={(e) => void setOptions({ includePeerToPeer: e.currentTarget.checked })}
            aria-describedby="discover-options-why"
          />
          Include peer-to-peer links
        </label>
        <button type="button" className="button-quiet" disabled={disabled} onClick={() => void restart()}>
          Search again
        </button>
      </div>
      <p id="discover-options-why" className="muted small">
        Skipped by default: VPN tunnels rarely carry multicast, so accessories on your local network cannot be
        found through them, and peer-to-peer links (such as AirDrop’s) reach nearby computers, not accessories.
      </p>
      {skipped ? <p className="muted small">Skipped now: {skipped}.</p> : null}
      {actionError ? <p className="error-text" role="alert">{actionError.message}</p> : null}
    </fieldset>
  )
}
