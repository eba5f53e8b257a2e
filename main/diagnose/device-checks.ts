/**
 * Reaching one device (issue #6 item 4): every announced address tried on its own (IPv6 link-local with
 * its zone, IPv4), the service port open or not, the connect time, one RFC 8305 race over all of them the
 * way the app connects, and a link-quality measurement over the address that won. All measured.
 */
import type { DiscoveredDevice, DiscoveredService } from '../../shared/discovery/view'
import type { DiagnoseCheck, LinkQualityView } from '../../shared/diagnose/view'
import type { NetInterface } from '../../shared/net/interfaces'
import { connectRace, type ConnectResult } from '../net/connect'
import type { Clock } from '../util/clock'
import { probeLink, type LinkProbeDeps } from './link-probe'
import { analyseLink } from './link-quality'
import type { Socket } from 'node:net'

/** What the device checks need. */
export interface DeviceCheckDeps {
  clock: Clock
  interfaces: readonly NetInterface[]
  /** Replaces the real race (tests). */
  race?: (targets: Parameters<typeof connectRace>[0], options: { port: number; timeoutMs: number; interfaces: readonly NetInterface[] }) => Promise<ConnectResult<Socket>>
  probe?: LinkProbeDeps['connect']
  /** Called with each address whose connect failed at the peer (discovery reconfirms it). */
  onAddressFailed?: (address: string, interfaceName: string) => void
}

/** The service to test: the one with a port, preferring one whose TXT names a control port. */
export function pickService(device: DiscoveredDevice): DiscoveredService | undefined {
  return device.services.find((s) => s.port !== null && s.addresses.length > 0) ?? device.services.find((s) => s.port !== null)
}

const realRace: NonNullable<DeviceCheckDeps['race']> = (targets, options) => connectRace(targets, options)

/** Per-address connects, the whole race, and their verdicts. */
export async function reachabilityChecks(device: DiscoveredDevice, deps: DeviceCheckDeps): Promise<{ checks: DiagnoseCheck[]; winner?: { address: string; port: number; zone?: string } }> {
  const service = pickService(device)
  if (!service || service.port === null) {
    return { checks: [{ id: 'reach', group: 'device', title: 'Reachability', status: 'skip', summary: `${device.name} announced no service with a port, so there is nothing to connect to.`, advice: '' }] }
  }
  const race = deps.race ?? realRace
  const port = service.port
  const addresses = service.addresses.length ? service.addresses : device.addresses
  const checks: DiagnoseCheck[] = []
  for (const a of addresses) {
    const started = deps.clock.now()
    const result = await race([{ address: a.address, interfaceName: a.interface }], { port, timeoutMs: 3000, interfaces: deps.interfaces })
    const tookMs = Math.round(deps.clock.now() - started)
    const base = { id: `reach-${a.address}`, group: 'device' as const, title: `Connect to ${a.address} port ${port} (${a.family} on ${a.interface})`, tookMs }
    if (result.ok) {
      result.value.socket.destroy()
      checks.push({ ...base, status: 'pass', summary: `Port ${port} is open at ${a.address}: connected in ${result.value.elapsedMs} ms.`, advice: '', facts: { address: a.address, interface: a.interface, port, connectMs: result.value.elapsedMs } })
      continue
    }
    const failure = 'failures' in result.error ? result.error.failures[0] : undefined
    if (failure?.finding.pointsAtPeer) deps.onAddressFailed?.(a.address.split('%')[0] ?? a.address, a.interface)
    checks.push({
      ...base,
      status: 'fail',
      summary: failure ? `${a.address}: ${failure.finding.message}` : result.error.message,
      advice: failure?.finding.nextStep ?? 'Check that the device is powered and on this network.',
      ...(failure?.finding.steps && { steps: failure.finding.steps }),
      facts: { address: a.address, interface: a.interface, port, error: failure?.errno ?? result.error.code },
    })
  }
  const open = checks.filter((c) => c.status === 'pass')
  const whole = await race(addresses.map((a) => ({ address: a.address, interfaceName: a.interface })), { port, timeoutMs: 5000, interfaces: deps.interfaces })
  let winner: { address: string; port: number; zone?: string } | undefined
  if (whole.ok) {
    whole.value.socket.destroy()
    const w = whole.value.winner
    winner = { address: w.address, port, ...(w.zone !== undefined && { zone: w.zone }) }
  }
  const summary = whole.ok
    ? `${device.name} is reachable: ${open.length} of ${addresses.length} address(es) answer on port ${port}; the app's race connects to ${whole.value.winner.address} in ${whole.value.elapsedMs} ms.`
    : `${device.name} cannot be reached at any of its ${addresses.length} announced address(es) on port ${port}.`
  const partial = whole.ok && open.length < addresses.length
  checks.unshift({
    id: 'reach',
    group: 'device',
    title: 'Reachability (every address, raced as the app connects)',
    status: !whole.ok ? 'fail' : partial ? 'warn' : 'pass',
    summary,
    advice: !whole.ok
      ? 'Check the device is powered and on the same network as this computer (not a guest network with client isolation); see the per-address results for the exact error.'
      : partial ? 'Some announced addresses do not answer: the device may announce stale addresses, or one family (IPv4/IPv6) is blocked. The app still connects through the others.' : '',
    facts: { port, addresses: addresses.map((a) => a.address), open: open.length, ...(whole.ok && { winner: whole.value.winner.address, raceMs: whole.value.elapsedMs }) },
  })
  return { checks, ...(winner && { winner }) }
}

/** Measures the link with TCP-connect probes for `durationMs` and summarises it for the chart. */
export async function measureLink(winner: { address: string; port: number; zone?: string }, durationMs: number, deps: DeviceCheckDeps): Promise<LinkQualityView> {
  const intervalMs = 250
  const samples = await probeLink(
    { host: winner.address, port: winner.port, ...(winner.zone !== undefined && { zone: winner.zone }) },
    { clock: deps.clock, ...(deps.probe && { connect: deps.probe }) },
    { intervalMs, durationMs, timeoutMs: 900 },
  )
  // Probe times are on the monotonic clock; the chart and the bundle show wall-clock times.
  const toWall = Date.now() - deps.clock.now()
  const method = `TCP connect to ${winner.address} port ${winner.port} every ${intervalMs} ms for ${Math.round(durationMs / 1000)} s`
  return linkView(method, samples.map((s) => ({ at: Math.round(s.at + toWall), rttMs: s.rttMs })))
}

/** Summarises a series of samples (wall-clock `at`) for the chart, the checks and the bundle. */
export function linkView(method: string, samples: readonly { at: number; rttMs: number | null }[]): LinkQualityView {
  const q = analyseLink(samples)
  return {
    method,
    samples: samples.map((s) => ({ at: s.at, rttMs: s.rttMs })),
    lossPct: q.lossPct,
    rtt: q.rtt && { min: q.rtt.min, p50: q.rtt.p50, p95: q.rtt.p95, max: q.rtt.max },
    jitterMs: q.jitter?.rfc3550Ms ?? null,
    longestGapMs: q.longestGapMs,
    spikes: q.spikes.count,
    periodic: q.periodic && { periodMs: q.periodic.periodMs, explanation: q.periodic.explanation },
    status: q.status,
    summary: q.summary,
    advice: q.advice,
  }
}

/** The link measurement as a check in the device's list. */
export function linkCheck(link: LinkQualityView): DiagnoseCheck {
  return {
    id: 'link-quality',
    group: 'device',
    title: 'Link quality (measured)',
    status: link.status,
    summary: link.summary,
    advice: link.advice,
    facts: { method: link.method, lossPct: link.lossPct, p50Ms: link.rtt?.p50 ?? null, p95Ms: link.rtt?.p95 ?? null, jitterMs: link.jitterMs, longestGapMs: link.longestGapMs, spikes: link.spikes },
  }
}
