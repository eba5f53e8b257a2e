/**
 * The Discover screen with no devices: says honestly whether discovery is still in its first seconds or has
 * found nothing, and lists what was tried (interfaces searched, skipped or failed and why, types browsed,
 * queries and packets, problems, a shared port 5353), with a way on to Diagnose.
 */
import { useEffect } from 'react'
import type { DiscoveryInterface, DiscoveryStatus } from '../../../shared/discovery/view'
import { useAppStore } from '../../store'
import { EmptyState } from '../../ui/empty-state'
import { formatDuration, plural } from './discover-format'
import { useNow } from './use-now'

/** How long after `startedAt` an empty list still means "searching" rather than "nothing found". */
export const SEARCH_GRACE_MS = 10_000

/**
 * How often the empty state asks for a fresh snapshot. The engine sends `discovery:changed` when devices or
 * interfaces change, not when only its counters move, so without this "Sent 0 queries" would stay on screen
 * while queries go out. A snapshot with no devices is small; with devices, this component is not shown.
 */
export const EMPTY_REFRESH_MS = 3_000

/** True in the first seconds of a running discovery. */
export function isStillSearching(status: DiscoveryStatus, now: number): boolean {
  return status.running && status.startedAt !== null && now - status.startedAt < SEARCH_GRACE_MS
}

const STATE_LABELS: Record<DiscoveryInterface['state'], string> = { active: 'Searched', skipped: 'Skipped', error: 'Failed' }

function InterfaceTried({ item }: { item: DiscoveryInterface }) {
  return (
    <li className={`tried-interface tried-${item.state}`}>
      <span className="if-name">{item.name}</span>{' '}
      <span className="muted small">({item.kind}{item.families.length > 0 ? `, ${item.families.join(' and ')}` : ''})</span>{' '}
      <span className={`badge tried-state-${item.state}`}>{STATE_LABELS[item.state]}</span>
      {item.reason ? <span className="muted"> — {item.reason}</span> : null}
    </li>
  )
}

/** The "what was tried" list, from the engine's status. */
export function WhatWasTried({ status }: { status: DiscoveryStatus }) {
  const active = status.interfaces.filter((i) => i.state === 'active').length
  return (
    <div className="what-was-tried">
      <h3>What Porchlight tried</h3>
      <ul className="tried-list">
        <li>
          {active === 0 ? 'No interface could be searched.' : `Searched ${plural(active, 'interface')}.`}
          {status.interfaces.length > 0 ? (
            <ul className="tried-interfaces">{status.interfaces.map((i) => <InterfaceTried key={i.name} item={i} />)}</ul>
          ) : <span className="muted"> This computer reported no network interfaces.</span>}
        </li>
        <li>
          Browsed {plural(status.types.length, 'service type')}
          {status.types.length > 0 ? <>: <span className="mono">{status.types.join(', ')}</span></> : null}.
        </li>
        <li>
          Sent {plural(status.queriesSent, 'query', 'queries')} and received {plural(status.packetsReceived, 'packet')}
          {status.packetsIgnored > 0 ? ` (${status.packetsIgnored} ignored before decoding)` : ''}.
        </li>
      </ul>
      {status.problems.length > 0 ? (
        <>
          <h3>Problems</h3>
          <ul className="problem-list">{status.problems.map((p, i) => <li key={i}>{p}</li>)}</ul>
        </>
      ) : null}
      {!status.ownsPort ? (
        <p className="port-note">
          Another mDNS program on this computer (such as Avahi or Bonjour) also uses port 5353. Answers that
          accessories send straight to Porchlight may reach that program instead; Porchlight still hears answers
          sent to everyone, but some devices may take longer to appear or be missed.
        </p>
      ) : null}
    </div>
  )
}

function headline(status: DiscoveryStatus, searching: boolean): { title: string; intro: string } {
  if (!status.running) {
    return { title: 'Discovery is not running', intro: 'Porchlight is not searching for accessories right now. The problems below say why; Search again above starts it.' }
  }
  if (searching) {
    return { title: 'Searching your networks…', intro: 'Porchlight is asking every searched interface for accessories. Most answer within a few seconds.' }
  }
  return {
    title: 'No accessories found',
    intro: 'Nothing has answered yet. Porchlight keeps listening, so a device that comes online later appears here on its own.',
  }
}

/** Renders the empty state for a loaded status with no devices. */
export function DiscoverEmpty({ status }: { status: DiscoveryStatus }) {
  const load = useAppStore((s) => s.loadDiscovery)
  useEffect(() => {
    const timer = setInterval(() => void load(), EMPTY_REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])
  const now = useNow(1000, status.running)
  const searching = isStillSearching(status, now)
  const { title, intro } = headline(status, searching)
  const elapsed = status.startedAt !== null ? formatDuration((now - status.startedAt) / 1000) : null
  // "Search again" lives in the options panel above, always visible; one button of that name is enough.
  const action = <a href="#/diagnose">Check this computer’s networks in Diagnose</a>
  return (
    <EmptyState title={title} action={action}>
      <p role="status">{intro}</p>
      {status.running && elapsed ? <p className="muted small">Started {elapsed} ago.</p> : null}
      {!searching && status.running ? (
        <ul className="hint-list">
          <li>Check that the accessory is powered and joined to the same network as this computer.</li>
          <li>Guest networks and Wi-Fi “client isolation” often block the announcements accessories send.</li>
          <li>A VPN that routes all traffic can hide the local network; see the interfaces below.</li>
        </ul>
      ) : null}
      <WhatWasTried status={status} />
    </EmptyState>
  )
}
