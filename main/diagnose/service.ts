/**
 * Diagnose as the hosts use it (issue #6): runs the host, port, multicast, resolver and DNS checks, and for
 * one device its advertisement audit, reachability and link quality; reports progress; turns a report into
 * a redacted support bundle; decodes error codes. Each check module is pure or port-injected; this file
 * only sequences them and never lets one failing check stop the others.
 */
import { arch, release } from 'node:os'
import type { DiagnoseCheck, DiagnoseProgress, DiagnoseReport, DiagnoseRequest, DeviceReport, SupportBundle } from '../../shared/diagnose/view'
import { worstStatus } from '../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import type { DiscoveryService } from '../discovery/service'
import type { HostFacts } from '../handlers'
import type { ReadInterfaces } from '../net/interfaces'
import type { SessionManager } from '../session/manager'
import type { Clock } from '../util/clock'
import type { RunCommand } from '../util/exec'
import { buildBundle } from './bundle'
import { linkCheck, linkView, measureLink, reachabilityChecks } from './device-checks'
import { decodeError, type DecodedError } from './error-decoder'
import { runHostChecks } from './host-checks'
import { runMulticastSelfTest } from './multicast-test'
import { checkPorts } from './port-check'
import type { RecentEvents } from './recent-events'

/** A named step of a run: returns checks; a throw becomes a `skip` check naming the step. */
export type DiagnoseStep = { name: string; run: () => Promise<DiagnoseCheck[]> }

/** Extra steps for a device (advertisement audit …), given the device and its discovery service. */
export type DeviceStepFactory = (device: DiscoveredDevice) => DiagnoseStep[]

/** What the service needs. */
export interface DiagnoseDeps {
  host: HostFacts
  platform: NodeJS.Platform
  clock: Clock
  run: RunCommand
  readInterfaces: ReadInterfaces
  discovery: DiscoveryService
  sessions: SessionManager
  recent: RecentEvents
  progress: (p: DiagnoseProgress) => void
  /** More host-level steps (resolver cross-check, DNS health) wired by the core. */
  extraSteps?: () => DiagnoseStep[]
  deviceSteps?: DeviceStepFactory
  /** Ports Porchlight listens on besides mDNS (the web host's), for the port-conflict check. */
  listenPorts?: () => { protocol: 'tcp' | 'udp'; port: number; address?: string; purpose: string; changeHint?: string }[]
}

/** The Diagnose service of one core. */
export interface DiagnoseService {
  run(request: DiagnoseRequest): Promise<DiagnoseReport | { error: { code: 'unknown-device'; message: string } }>
  bundle(report: DiagnoseReport, redactHardwareIds: boolean): Promise<SupportBundle>
  decode(text: string): DecodedError[]
}

const DEFAULT_LINK_PROBE_MS = 5000
/** Heartbeats a watched session needs before its series replaces a fresh probe. */
const MIN_SESSION_SAMPLES = 30

async function runSteps(steps: readonly DiagnoseStep[], progress: DiagnoseDeps['progress'], offset: number, total: number): Promise<DiagnoseCheck[]> {
  const checks: DiagnoseCheck[] = []
  for (const [i, step] of steps.entries()) {
    progress({ step: step.name, done: offset + i, total })
    try {
      checks.push(...(await step.run()))
    } catch (error) {
      checks.push({ id: `step-${step.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, group: 'host', title: step.name, status: 'skip', summary: `This check could not run: ${(error as Error).message}`, advice: 'Run Diagnose again; if it keeps failing, include this report when contacting support.' })
    }
  }
  return checks
}

/** Creates the service. */
export function createDiagnoseService(deps: DiagnoseDeps): DiagnoseService {
  const hostSteps = (): DiagnoseStep[] => [
    { name: 'Network interfaces and routes', run: () => runHostChecks({ run: deps.run, platform: deps.platform, readInterfaces: deps.readInterfaces }) },
    {
      name: 'Ports Porchlight listens on',
      run: () => checkPorts([{ protocol: 'udp', port: 5353, purpose: 'mDNS discovery' }, ...(deps.listenPorts?.() ?? [])], { platform: deps.platform, run: deps.run, ownPid: process.pid }),
    },
    {
      name: 'Multicast and broadcast on each interface',
      run: async () => {
        const devices = (await deps.discovery.snapshot()).devices.filter((d) => d.status === 'up')
        const knownResponders = devices.flatMap((d) => d.addresses.slice(0, 1).map((a) => ({ interface: a.interface, address: a.address.split('%')[0] ?? a.address, name: d.services[0]?.host ?? d.name })))
        return runMulticastSelfTest({ interfaces: await deps.readInterfaces(), platform: deps.platform, clock: deps.clock, knownResponders: knownResponders.slice(0, 8) })
      },
    },
    ...(deps.extraSteps?.() ?? []),
  ]

  const deviceReport = async (device: DiscoveredDevice, linkProbeMs: number, offset: number, total: number): Promise<DeviceReport> => {
    const interfaces = await deps.readInterfaces()
    let winner: { address: string; port: number; zone?: string } | undefined
    const steps: DiagnoseStep[] = [
      ...(deps.deviceSteps?.(device) ?? []),
      {
        name: `Reaching ${device.name}`,
        run: async () => {
          const result = await reachabilityChecks(device, { clock: deps.clock, interfaces, onAddressFailed: (a, i) => deps.discovery.reconfirm(a, i) })
          winner = result.winner
          return result.checks
        },
      },
    ]
    const checks = await runSteps(steps, deps.progress, offset, total)
    let link: DeviceReport['link'] = null
    // A watched device has minutes of heartbeats: a longer and truer picture than a few seconds of probes.
    const watched = deps.sessions.list().find((s) => s.id === `device:${device.id}`)
    if (watched && watched.samples.length >= MIN_SESSION_SAMPLES) {
      const minutes = ((watched.samples.at(-1)?.at ?? 0) - (watched.samples[0]?.at ?? 0)) / 60_000
      link = linkView(`Heartbeats of the watched session (${watched.protocol}, every ${watched.intervalMs} ms) over the last ${minutes.toFixed(1)} min`, watched.samples)
      checks.push(linkCheck(link))
    } else if (winner && linkProbeMs > 0) {
      deps.progress({ step: `Measuring the link to ${device.name}`, done: offset + steps.length, total })
      link = await measureLink(winner, linkProbeMs, { clock: deps.clock, interfaces })
      checks.push(linkCheck(link))
    }
    return { deviceId: device.id, name: device.name, status: worstStatus(checks.map((c) => c.status)), checks, link }
  }

  return {
    async run(request) {
      const startedAt = Date.now()
      let device: DiscoveredDevice | undefined
      if (request.deviceId !== undefined) {
        device = await deps.discovery.device(request.deviceId)
        if (!device) return { error: { code: 'unknown-device', message: `Device ${request.deviceId} is not known to discovery (yet); open Discover, wait for it to appear, then try again.` } }
      }
      const steps = hostSteps()
      const deviceStepCount = device ? (deps.deviceSteps?.(device).length ?? 0) + 2 : 0
      const total = steps.length + deviceStepCount
      const checks = await runSteps(steps, deps.progress, 0, total)
      const devices = device ? [await deviceReport(device, request.linkProbeMs ?? DEFAULT_LINK_PROBE_MS, steps.length, total)] : []
      deps.progress({ step: 'Done', done: total, total })
      return {
        startedAt,
        finishedAt: Date.now(),
        host: { app: deps.host.name, version: deps.host.version, hostKind: deps.host.kind, platform: deps.platform, release: release(), arch: arch() },
        status: worstStatus([...checks, ...devices.flatMap((d) => d.checks)].map((c) => c.status)),
        checks,
        devices,
      }
    },
    async bundle(report, redactHardwareIds) {
      const devices = (await deps.discovery.snapshot()).devices
      const deviceIds = devices.flatMap((d) => [d.id, ...d.services.flatMap((s) => s.txt.filter((t) => t.key === 'id' && t.value).map((t) => t.value as string))])
      return buildBundle({
        report,
        interfaces: await deps.readInterfaces(),
        events: deps.recent.list(),
        sessions: deps.sessions.list(),
        redactHardwareIds,
        deviceIds: [...deviceIds, ...report.devices.map((d) => d.deviceId)],
        now: Date.now(),
      })
    },
    decode: (text) => decodeError(text, { platform: deps.platform }),
  }
}
