/**
 * The lab (docs/lab.md): simulated hosts in network namespaces joined by bridges in one switch namespace,
 * with real multicast, mDNS, TCP and HTTP between them, reference mDNS peers, and a host-Wi-Fi adapter
 * that "joins" networks by moving the app host's veth between bridges.
 *
 *   switch ns: br-home ── p-app (app wlan0) · p-avahi · p-zc · p-<id>-sta (accessory sta0)
 *              br-ap-<id> ── p-<id>-ap (accessory ap0); the app's port is re-mastered here to join that AP
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock } from '../../../main/util/clock'
import { runCommand } from '../../../main/util/exec'
import { createLabWifi, type LabWifiNetwork } from '../../../main/wifi/lab-adapter'
import { startAvahiPeer } from '../peers/avahi'
import { startZeroconfPeer } from '../peers/zeroconf'
import { buildNetwork, waitForDad } from './build'
import { LinkShaper } from './conditions'
import { cleanupStaleLabs, labUnavailableReason, removeNamespace } from './host'
import { planLab, type LabPlan } from './plan'
import { beforeDeadline, execResult, labAsset, ProcessTracker } from './shell'
import type { Lab, LabOptions, LabProcesses } from './types'

export { cleanupStaleLabs, labUnavailableReason, type LabNeeds } from './host'
export type * from './types'

/** A small Node script for tests: UDP echo/RTT and a tiny HTTP server/client (see its header). */
export const probeScript = labAsset('topology/probe.mjs')

let labCounter = 0

/** The networks the lab adapter can join: home, and each accessory AP while its ap0 is up. */
export function wifiNetworks(plan: LabPlan): LabWifiNetwork[] {
  const home: LabWifiNetwork = {
    ...plan.home,
    bridge: 'br-home',
    address4: `${plan.app.address4}/24`,
    address6: `${plan.app.address6}/64`,
    bssid: '02:70:6c:78:00:00',
    channel: 6,
  }
  const aps = plan.accessories.flatMap((a): LabWifiNetwork[] => a.ap
    ? [{ ssid: a.ap.ssid, ...(a.ap.passphrase !== undefined ? { passphrase: a.ap.passphrase } : {}), bridge: a.ap.bridge, signal: a.signal,
        address4: `198.19.${a.k}.2/24`, beaconLink: a.ap.port, bssid: `02:70:6c:78:01:${a.k.toString(16).padStart(2, '0')}`, channel: 1 }]
    : [])
  return [home, ...aps]
}

function withoutPort<T extends { port: string }>(value: T): Omit<T, 'port'> {
  const { port: _port, ...rest } = value
  return rest
}

function toLabShape(plan: LabPlan): Pick<Lab, 'prefix' | 'namespaces' | 'switchNs' | 'app' | 'home' | 'accessories'> {
  return {
    prefix: plan.prefix,
    namespaces: plan.namespaces,
    switchNs: plan.switchNs,
    app: { ns: plan.app.ns, ifname: 'wlan0', address4: plan.app.address4, address6: plan.app.address6 },
    home: { ssid: plan.home.ssid, passphrase: plan.home.passphrase, bridge: 'br-home', subnet4: '198.18.0.0/24', subnet6: 'fd00:706c:78::/64' },
    accessories: plan.accessories.map((a) => ({
      id: a.id,
      ns: a.ns,
      ...(a.ap ? { ap: { ...withoutPort(a.ap), ifname: 'ap0' as const } } : {}),
      sta: { ifname: 'sta0' as const, ...(a.sta.homeAddress4 ? { homeAddress4: a.sta.homeAddress4 } : {}), homeAddress6: a.sta.homeAddress6 },
      commands: a.commands,
    })),
  }
}

/** Builds a lab within `buildTimeoutMs`; on any failure tears down what it built, then throws. */
export async function createLab(options: LabOptions): Promise<Lab> {
  const reason = labUnavailableReason(options.peers ?? {})
  if (reason) throw new Error(`createLab: ${reason}`)
  const started = performance.now()
  const budgetMs = options.buildTimeoutMs ?? 10_000
  const deadline = started + budgetMs
  const plan = planLab(`plx-${process.pid}-${labCounter++}`, options)
  await cleanupStaleLabs().catch(() => [])
  const timings: Record<string, number> = {}
  const tracker = new ProcessTracker()
  const workDir = await mkdtemp(join(tmpdir(), `${plan.prefix}-`))
  let appPort = plan.app.port
  const wifi = createLabWifi({
    run: runCommand,
    clock: systemClock,
    switchNs: plan.switchNs,
    appNs: plan.app.ns,
    ifname: 'wlan0',
    switchPort: () => appPort,
    networks: wifiNetworks(plan),
    // The app host's "laptop" starts on the home network, so the OS already knows its profile.
    knownNetworks: [plan.home.ssid],
    ...options.wifi,
  })
  const processes: LabProcesses = {
    exec: (ns, file, args, opts) => execResult('ip', ['netns', 'exec', ns, file, ...args], opts),
    spawn: (ns, file, args, opts) => tracker.spawn(ns, file, args, opts),
    stop: (child: ChildProcess) => tracker.stop(child),
  }
  const peers: Lab['peers'] = {}
  const shaper = new LinkShaper(plan, tracker, (port) => {
    appPort = port
  })
  let disposing: Promise<void> | undefined
  const dispose = () => (disposing ??= teardown(plan, workDir, tracker, peers, () => wifi.dispose()))
  const checkpoint = (step: string) => {
    if (performance.now() > deadline) throw new Error(`createLab: not built within ${budgetMs} ms (stopped at ${step})`)
  }
  try {
    await buildNetwork(plan, checkpoint, timings, options.dad !== 'kernel')
    await beforeDeadline(settleAndStartPeers(plan, processes, workDir, peers, timings, deadline), deadline,
      `createLab: not built within ${budgetMs} ms (DAD and peers still starting)`)
    checkpoint('ready')
  } catch (error) {
    await dispose()
    throw error
  }
  timings.totalMs = Math.round(performance.now() - started)
  return {
    ...toLabShape(plan),
    peers,
    wifi,
    wifiConfig: () => ({
      switchNs: plan.switchNs, appNs: plan.app.ns, ifname: 'wlan0', switchPort: appPort, networks: wifiNetworks(plan), knownNetworks: [plan.home.ssid],
      ...options.wifi,
    }),
    timings,
    exec: processes.exec,
    spawn: processes.spawn,
    setLinkConditions: (node, conditions) => shaper.set(node, conditions),
    dispose,
  }
}

/** Waits for DAD while the reference peers start (they need addresses, not settled IPv6); throws the first failure. */
async function settleAndStartPeers(plan: LabPlan, processes: LabProcesses, workDir: string, peers: Lab['peers'],
  timings: Record<string, number>, deadline: number): Promise<void> {
  const since = performance.now()
  const took = (name: string) => () => {
    timings[name] = Math.round(performance.now() - since)
  }
  const { avahi, zeroconf } = plan.peers
  const results = await Promise.allSettled([
    waitForDad(plan, deadline).then(took('dadMs')),
    avahi && startAvahiPeer(processes, { ...avahi, ifname: 'eth0', workDir: join(workDir, 'avahi') })
      .then((peer) => void (peers.avahi = peer)).then(took('avahiMs')),
    zeroconf && startZeroconfPeer(processes, { ...zeroconf, ifname: 'eth0' })
      .then((peer) => void (peers.zeroconf = peer)).then(took('zeroconfMs')),
  ])
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failure) throw failure.reason
}

async function teardown(plan: LabPlan, workDir: string, tracker: ProcessTracker, peers: Lab['peers'], closeWifi: () => void): Promise<void> {
  const attempt = async (fn: () => unknown) => {
    try {
      await fn()
    } catch {
      // Teardown goes on: every later step still removes what it can (dispose never throws).
    }
  }
  await attempt(closeWifi)
  await Promise.all([attempt(() => peers.avahi?.stop()), attempt(() => peers.zeroconf?.stop())])
  await attempt(() => tracker.stopAll())
  // Anything still inside our namespaces (a child one of our processes forked) is ours: stop it by PID.
  for (const ns of plan.namespaces) await attempt(() => removeNamespace(ns))
  await attempt(() => rm(workDir, { recursive: true, force: true }))
}
