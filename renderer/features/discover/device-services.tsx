/**
 * The parts of a device's detail that come straight from its records: service instances with TXT (decoded
 * and raw), and addresses with the interface they were seen on and their TTL remaining. Everything here is
 * untrusted network data and is rendered as React text only.
 */
import type { DiscoveredAddress, DiscoveredService, TxtEntry } from '../../../shared/discovery/view'
import { formatRemaining, hostPort, spacedHex } from './discover-format'

function TxtValue({ entry }: { entry: TxtEntry }) {
  if (entry.value === null && entry.hex === null) return <span className="muted">(flag, no value)</span>
  if (entry.isText && entry.value === '') return <span className="muted">(empty value)</span>
  if (entry.isText && entry.value !== null) return <span className="txt-value">{entry.value}</span>
  return (
    <>
      <span className="mono txt-hex">{spacedHex(entry.hex ?? '')}</span>
      <span className="muted small"> (not text, shown as hex)</span>
    </>
  )
}

/** The decoded TXT key/values of one service, then every TXT string exactly as received (hex). */
export function TxtRecords({ service }: { service: DiscoveredService }) {
  return (
    <div className="txt-records">
      {service.txt.length === 0 ? <p className="muted small">No TXT keys.</p> : (
        <table className="data-table txt-table">
          <caption className="visually-hidden">TXT keys of {service.instance}</caption>
          <thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
          <tbody>
            {service.txt.map((entry, i) => (
              <tr key={i}>
                <th scope="row" className="mono">{entry.key}</th>
                <td><TxtValue entry={entry} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {service.txtRaw.length > 0 ? (
        <details className="txt-raw">
          <summary>Raw TXT ({service.txtRaw.length} {service.txtRaw.length === 1 ? 'string' : 'strings'}, hex)</summary>
          <ol className="hex-list">
            {service.txtRaw.map((hex, i) => <li key={i} className="mono">{spacedHex(hex)}</li>)}
          </ol>
        </details>
      ) : null}
    </div>
  )
}

/** One service instance: type, subtypes, host:port, where it was seen, and its TXT. */
export function ServiceCard({ service, now }: { service: DiscoveredService; now: number }) {
  return (
    <li className="service-card">
      <h4 className="service-instance">{service.instance}</h4>
      <dl className="facts">
        <dt>Type</dt>
        <dd className="mono">{service.type}{service.domain ? `.${service.domain}` : ''}</dd>
        <dt>Subtypes</dt>
        <dd>{service.subtypes.length > 0 ? <span className="mono">{service.subtypes.join(', ')}</span> : <span className="muted">None</span>}</dd>
        <dt>Host</dt>
        <dd className="mono">{hostPort(service)}</dd>
        <dt>Seen on</dt>
        <dd>{service.interfaces.length > 0 ? service.interfaces.join(', ') : <span className="muted">No interface</span>}</dd>
        <dt>Resolved</dt>
        <dd>
          {service.resolved ? 'Yes' : 'Not yet (waiting for SRV, TXT or address records)'}
          {service.srvExpiresAt !== undefined ? <span className="muted small"> · SRV {formatRemaining(service.srvExpiresAt, now)}</span> : null}
        </dd>
      </dl>
      <TxtRecords service={service} />
    </li>
  )
}

/** Addresses with interface, family and TTL remaining (recomputed from `now`, which ticks every second). */
export function AddressTable({ addresses, now, caption }: { addresses: readonly DiscoveredAddress[]; now: number; caption: string }) {
  if (addresses.length === 0) return <p className="muted small">No addresses known yet.</p>
  return (
    <table className="data-table address-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead><tr><th scope="col">Address</th><th scope="col">Interface</th><th scope="col">Time to live</th></tr></thead>
      <tbody>
        {addresses.map((a, i) => (
          <tr key={`${a.interface}|${a.address}|${i}`}>
            <th scope="row"><span className="mono">{a.address}</span> <span className="muted small">{a.family}</span></th>
            <td>{a.interface}</td>
            <td className="ttl">{formatRemaining(a.expiresAt, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
