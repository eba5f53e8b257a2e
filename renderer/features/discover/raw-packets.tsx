/**
 * The packets that carried one device's records, newest first: when, on which interface, from whom, the
 * decoded records (dig-like lines from the engine) and a hex dump. For support and for "why does it look
 * like that": the bytes the device really sent. Rendered as text only.
 */
import { useEffect } from 'react'
import type { RawPacket } from '../../../shared/discovery/view'
import { useAppStore } from '../../store'
import { formatTime, hexBytes, hexDump, plural } from './discover-format'

function PacketItem({ packet }: { packet: RawPacket }) {
  const size = hexBytes(packet.hex).length
  return (
    <li className="packet">
      <p className="packet-meta">
        <span>{formatTime(packet.at)}</span>
        <span>{packet.interface}</span>
        <span className="mono">from {packet.from}</span>
        <span className="muted">{plural(size, 'byte')}</span>
      </p>
      {packet.lines.length > 0 ? (
        <pre className="packet-lines" aria-label="Decoded records">{packet.lines.join('\n')}</pre>
      ) : <p className="muted small">No records could be decoded from this packet.</p>}
      <details className="packet-hex">
        <summary>Hex dump</summary>
        <pre className="hexdump" aria-label="Hex dump">{hexDump(packet.hex).join('\n')}</pre>
      </details>
    </li>
  )
}

/** Loads `discovery:packets` for the device on mount (and on Refresh) and lists them. */
export function RawPackets({ deviceId }: { deviceId: string }) {
  const state = useAppStore((s) => s.devicePackets)
  const load = useAppStore((s) => s.loadDevicePackets)
  useEffect(() => {
    void load(deviceId)
  }, [deviceId, load])
  const current = state?.deviceId === deviceId ? state : null
  const packets = current ? [...current.packets].reverse() : []
  return (
    <section className="raw-packets" aria-labelledby="raw-packets-title">
      <div className="section-header">
        <h3 id="raw-packets-title">Raw packets</h3>
        <button type="button" className="button-quiet" onClick={() => void load(deviceId)} disabled={current?.status === 'loading'}>
          Refresh
        </button>
      </div>
      {!current || (current.status === 'loading' && packets.length === 0) ? <p className="muted" role="status">Loading packets…</p> : null}
      {current?.status === 'error' && current.error ? <p className="error-text" role="alert">Could not load packets: {current.error.message}</p> : null}
      {current?.status === 'ready' && packets.length === 0 ? (
        <p className="muted">No packets are kept for this device yet. Porchlight keeps the most recent ones it receives.</p>
      ) : null}
      {packets.length > 0 ? (
        <>
          <p className="muted small">{plural(packets.length, 'packet')}, newest first.</p>
          <ol className="packet-list">
            {packets.map((packet, i) => <PacketItem key={`${packet.at}-${i}`} packet={packet} />)}
          </ol>
        </>
      ) : null}
    </section>
  )
}
