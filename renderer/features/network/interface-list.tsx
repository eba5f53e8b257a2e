/**
 * This computer's interfaces as a table, live: the list the support call starts from ("which network is
 * the laptop on, and is a VPN in the way?"). Names come from the OS and render as text only.
 */
import { useEffect } from 'react'
import type { InterfaceAddress, InterfaceKind, NetInterface } from '../../../shared/net/interfaces'
import { useAppStore } from '../../store'
import { EmptyState } from '../../ui/empty-state'

/** Plain-language kind labels. */
export const KIND_LABELS: Record<InterfaceKind, string> = {
  wifi: 'Wi-Fi',
  ethernet: 'Ethernet',
  loopback: 'Loopback',
  tunnel: 'VPN / tunnel',
  bridge: 'Bridge',
  virtual: 'Virtual',
  'peer-to-peer': 'Peer-to-peer',
  cellular: 'Cellular',
  unknown: 'Unclassified',
}

function stateText(i: NetInterface): string {
  if (!i.isUp) return 'Down'
  if (i.isRunning === false) return 'Up, no link'
  return i.addresses.length > 0 ? 'Up' : 'Up, no address'
}

function formatAddress(a: InterfaceAddress): string {
  return `${a.address}${a.scopeId !== undefined ? `%${a.scopeId}` : ''}/${a.prefixLength}`
}

function InterfaceRow({ item }: { item: NetInterface }) {
  return (
    <tr data-interface={item.name}>
      <th scope="row">
        <span className="if-name">{item.name}</span>
        {item.mac ? <span className="muted mono">{item.mac}</span> : null}
      </th>
      <td>
        <span className={`badge kind-${item.kind}`} title={item.kindReason}>{KIND_LABELS[item.kind]}</span>
        <span className="muted small">{item.kindReason}</span>
      </td>
      <td><span className={`state ${item.isUp && item.isRunning !== false ? 'state-up' : 'state-down'}`}>{stateText(item)}</span></td>
      <td>
        {item.addresses.length === 0 ? <span className="muted">None</span> : (
          <ul className="address-list">
            {item.addresses.map((a) => (
              <li key={`${a.address}/${a.prefixLength}`}>
                <span className="mono">{formatAddress(a)}</span>{' '}
                <span className="muted small">{a.family} · {a.scope}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  )
}

/** Loads the list on mount and re-renders on every `net:interfacesChanged`. */
export function InterfaceList() {
  const interfaces = useAppStore((s) => s.interfaces)
  const status = useAppStore((s) => s.interfacesStatus)
  const error = useAppStore((s) => s.interfacesError)
  const updatedAt = useAppStore((s) => s.interfacesUpdatedAt)
  const lastChange = useAppStore((s) => s.lastInterfaceChange)
  const load = useAppStore((s) => s.loadInterfaces)
  useEffect(() => {
    if (status === 'idle') void load()
  }, [status, load])

  if (status === 'error' && error) {
    return (
      <EmptyState title="Could not read this computer's interfaces" action={<button type="button" onClick={() => void load()}>Try again</button>}>
        <p>{error.message}</p>
      </EmptyState>
    )
  }
  if (status !== 'ready') return <p className="muted" role="status">Reading network interfaces…</p>
  const active = interfaces.filter((i) => i.isUp && !i.isInternal && i.addresses.length > 0).length
  return (
    <section className="panel" aria-labelledby="interfaces-title">
      <div className="panel-header">
        <h2 id="interfaces-title">Network interfaces</h2>
        <p className="muted small">
          {interfaces.length} {interfaces.length === 1 ? 'interface' : 'interfaces'}, {active} active with an address
          {updatedAt ? ` · updated ${new Date(updatedAt).toLocaleTimeString()}` : ''}
        </p>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">{lastChange ?? ''}</p>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Interfaces of this computer, live</caption>
          <thead>
            <tr><th scope="col">Interface</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Addresses</th></tr>
          </thead>
          <tbody>
            {interfaces.map((i) => <InterfaceRow key={i.name} item={i} />)}
          </tbody>
        </table>
      </div>
    </section>
  )
}
