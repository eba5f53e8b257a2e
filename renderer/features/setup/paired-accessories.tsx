/**
 * Paired accessories (`trust:list`, metadata only: no credential ever reaches the renderer) with Forget,
 * which removes the accessory and its stored setup code (`trust:forget`). Reloaded when a flow is confirmed.
 */
import { useEffect, useId } from 'react'
import type { TrustedAccessoryView } from '../../../shared/provisioning/view'
import { useAppStore } from '../../store'
import { formatTime } from '../discover/discover-format'

function PairedItem({ item }: { item: TrustedAccessoryView }) {
  const id = useId()
  const forget = useAppStore((s) => s.forgetTrusted)
  const forgetting = useAppStore((s) => s.setupForgetting === item.deviceId)
  const where = [item.network ? `on “${item.network}”` : '', item.address ? `at ${item.address}` : ''].filter(Boolean).join(' ')
  return (
    <li className="paired-item">
      <div className="paired-text">
        <span id={`${id}-name`} className="paired-name">{item.name || item.deviceId}</span>
        <span className="muted small"> {where ? `${where} · ` : ''}paired {formatTime(item.pairedAt)}</span>
      </div>
      <button type="button" className="button-quiet button-small" onClick={() => void forget(item.deviceId)} disabled={forgetting} aria-describedby={`${id}-name`}>
        {forgetting ? 'Forgetting…' : 'Forget'}
      </button>
    </li>
  )
}

/** Renders the list of paired accessories. */
export function PairedAccessories() {
  const id = useId()
  const load = useAppStore((s) => s.loadTrusted)
  const items = useAppStore((s) => s.setupTrusted)
  const state = useAppStore((s) => s.setupTrustedLoad)
  const error = useAppStore((s) => s.setupTrustedError)
  const confirmedId = useAppStore((s) => (s.setupView?.outcome === 'confirmed' ? s.setupView.id : null))
  useEffect(() => {
    void load()
  }, [load, confirmedId])
  return (
    <section className="panel paired-accessories" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Paired accessories</h2>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      {state === 'ready' && items.length === 0 ? <p className="muted small">None yet. Accessories appear here once setup has confirmed them.</p> : null}
      {items.length > 0 ? (
        <ul className="paired-list" aria-labelledby={`${id}-title`}>
          {items.map((item) => <PairedItem key={item.deviceId} item={item} />)}
        </ul>
      ) : null}
    </section>
  )
}
