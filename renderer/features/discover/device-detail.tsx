/**
 * One device in full: what it is, its services with TXT, its addresses with TTL remaining (ticking every
 * second while open), its up/down history and, on request, the raw packets it sent. Focus moves to the
 * heading when it opens; Escape or Close hands focus back to the list.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { DeviceHistoryEntry, DiscoveredDevice } from '../../../shared/discovery/view'
import { DiagnoseDeviceButton } from '../diagnose/diagnose-device-button'
import { WatchDeviceButton } from '../monitor/watch-device-button'
import { SetupDeviceButton } from '../setup/setup-device-button'
import { AddressTable, ServiceCard } from './device-services'
import { formatTime, plural } from './discover-format'
import { RawPackets } from './raw-packets'
import { useNow } from './use-now'

/** Props of DeviceDetail; `device` null means the open device has been forgotten by the engine. */
export interface DeviceDetailProps {
  device: DiscoveredDevice | null
  onClose: () => void
}

const EVENT_LABELS: Record<DeviceHistoryEntry['event'], string> = { up: 'Up', changed: 'Changed', down: 'Down' }

const GROUPED_BY: Record<DiscoveredDevice['groupedBy'], string> = {
  id: 'the id in its TXT records',
  mac: 'its MAC address',
  host: 'its host name and addresses',
}

function History({ entries, now }: { entries: readonly DeviceHistoryEntry[]; now: number }) {
  if (entries.length === 0) return <p className="muted small">No changes recorded yet.</p>
  const newestFirst = [...entries].reverse()
  return (
    <ol className="history-list">
      {newestFirst.map((entry, i) => (
        <li key={`${entry.at}-${i}`}>
          <span className="muted small">{formatTime(entry.at, now)}</span>{' '}
          <span className={`badge history-${entry.event}`}>{EVENT_LABELS[entry.event]}</span>{' '}
          <span>{entry.detail}</span>
        </li>
      ))}
    </ol>
  )
}

function Facts({ device, now }: { device: DiscoveredDevice; now: number }) {
  return (
    <dl className="facts">
      <dt>State</dt>
      <dd><span className={`state state-${device.status}`}>{device.status === 'up' ? 'Up' : 'Down'}</span></dd>
      <dt>Vendor</dt>
      <dd>{device.vendor ?? <span className="muted">Not stated</span>}</dd>
      <dt>Model</dt>
      <dd>{device.model ?? <span className="muted">Not stated</span>}</dd>
      <dt>Grouped by</dt>
      <dd>{GROUPED_BY[device.groupedBy]}</dd>
      <dt>First seen</dt>
      <dd>{formatTime(device.firstSeenAt, now)}</dd>
      <dt>Last change</dt>
      <dd>{formatTime(device.lastChangeAt, now)}</dd>
    </dl>
  )
}

/** Renders the detail panel of one device. */
export function DeviceDetail({ device, onClose }: DeviceDetailProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  const [showPackets, setShowPackets] = useState(false)
  const now = useNow(1000, device !== null)
  useEffect(() => {
    heading.current?.focus({ preventScroll: true })
  }, [])
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    onClose()
  }
  const title = device ? device.name || device.id : 'Device no longer listed'
  return (
    <section className="panel device-detail" aria-labelledby="device-detail-title" onKeyDown={onKeyDown}>
      <div className="panel-header">
        <h2 id="device-detail-title" ref={heading} tabIndex={-1}>{title}</h2>
        <button type="button" className="button-quiet" onClick={onClose}>Close</button>
      </div>
      {!device ? (
        <p className="muted">Porchlight forgot this device after it had been down for a while. Pick another one from the list.</p>
      ) : (
        <>
          <Facts device={device} now={now} />
          <WatchDeviceButton deviceId={device.id} />
          <DiagnoseDeviceButton deviceId={device.id} describedBy="device-detail-title" />
          <SetupDeviceButton device={device} describedBy="device-detail-title" />
          <h3>{plural(device.services.length, 'service')}</h3>
          <ul className="service-list">
            {device.services.map((s, i) => <ServiceCard key={`${s.type}|${s.instance}|${i}`} service={s} now={now} />)}
          </ul>
          <h3>{plural(device.addresses.length, 'address', 'addresses')}</h3>
          <AddressTable addresses={device.addresses} now={now} caption={`Addresses of ${title}`} />
          <h3>History</h3>
          <History entries={device.history} now={now} />
          <button type="button" className="button-quiet" aria-expanded={showPackets} onClick={() => setShowPackets((v) => !v)}>
            {showPackets ? 'Hide raw packets' : 'Show raw packets'}
          </button>
          {showPackets ? <RawPackets deviceId={device.id} /> : null}
        </>
      )}
    </section>
  )
}
