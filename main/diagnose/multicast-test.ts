/**
 * Diagnose: the multicast and broadcast self-test, per interface (issue #6 item 2; reference
 * discovery-and-mdns.md §6, "a multicast health test").
 *
 * Per usable interface with IPv4: a multicast probe (`multicast-<if>`) and a broadcast probe (`broadcast-<if>`);
 * per interface with an IPv6 link-local address: an IPv6 multicast probe (`multicast-ipv6-<if>`). How each
 * probe works is in multicast-probe.ts, what its evidence proves in multicast-verdict.ts. Every probe runs
 * at the same time, each bounded by `timeoutMs`, and closes its sockets when it ends.
 *
 * Peer-to-peer (AWDL), tunnel (VPN) and cellular links are not tested: discovery does not use them (field
 * reports item 3). Answers from this computer's own addresses (a local avahi or mDNSResponder) never count
 * as the network working.
 */
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import type { InterfaceAddress, NetInterface } from '../../shared/net/interfaces'
import { directedBroadcast } from '../discovery/legacy-probe'
import type { Clock } from '../util/clock'
import { addressKey, inSubnet } from './multicast-dns'
import { runBroadcastProbe, runMulticastProbe, type KnownTarget, type MulticastPlan, type ProbeEnv } from './multicast-probe'
import { dgramSelfTestSocket, type SelfTestSocketFactory } from './multicast-socket'
import { broadcastCheck, multicastCheck } from './multicast-verdict'

export type { SelfTestSocket, SelfTestSocketFactory } from './multicast-socket'
export { decodeFailure, type FailureFinding, type SocketFailure } from './multicast-errors'

/** A device discovery found, to be asked by name on the interface it was seen on. */
export interface KnownResponder {
  interface: string
  /** One of its addresses; its family picks the IPv4 or IPv6 test. */
  address: string
  /** Its host name (`plx-x0.local`), service instance or service type. */
  name: string
}

/** What the self-test needs; `socketFactory` defaults to node:dgram. */
export interface MulticastSelfTestDeps {
  interfaces: NetInterface[]
  platform: NodeJS.Platform
  clock: Clock
  socketFactory?: SelfTestSocketFactory
  knownResponders?: KnownResponder[]
}

/** Options of the self-test. */
export interface MulticastSelfTestOptions {
  /** How long each probe listens at most (default 2500 ms; answers are asked again after 1 s). */
  timeoutMs?: number
}

/** Default bound of each probe: long enough for the 1 s re-ask (RFC 6762 §6) and a shared record's 20–120 ms delay. */
export const DEFAULT_SELF_TEST_TIMEOUT_MS = 2500
/** Known responders asked per interface and family, at most. */
const MAX_KNOWN = 4
const SKIPPED_KINDS = new Set<NetInterface['kind']>(['loopback', 'tunnel', 'peer-to-peer', 'cellular'])

/** The interfaces the self-test probes: up, not loopback, not a tunnel, peer-to-peer or cellular link, with an address. */
export function selfTestInterfaces(interfaces: readonly NetInterface[]): NetInterface[] {
  return interfaces.filter((nic) => nic.isUp && !nic.isInternal && !SKIPPED_KINDS.has(nic.kind) && nic.addresses.some(isTestable))
}

function isTestable(a: InterfaceAddress): boolean {
  return a.family === 'IPv4' ? a.scope !== 'host' : a.scope === 'link'
}

/** Runs every probe and returns the checks, ordered by interface; never rejects. */
export async function runMulticastSelfTest(deps: MulticastSelfTestDeps, options: MulticastSelfTestOptions = {}): Promise<DiagnoseCheck[]> {
  const timeoutMs = Math.min(30_000, Math.max(200, options.timeoutMs ?? DEFAULT_SELF_TEST_TIMEOUT_MS))
  const own = new Set(deps.interfaces.flatMap((nic) => nic.addresses.map((a) => addressKey(a.address))))
  const env: ProbeEnv = {
    clock: deps.clock,
    factory: deps.socketFactory ?? dgramSelfTestSocket,
    timeoutMs,
    isOwn: (address) => own.has(addressKey(address)) || addressKey(address).startsWith('127.'),
  }
  const nics = selfTestInterfaces(deps.interfaces)
  if (nics.length === 0) return [noInterfaceCheck(deps.interfaces)]
  const perNic = await Promise.all(nics.map((nic) => testInterface(nic, deps, env)))
  return perNic.flat()
}

async function testInterface(nic: NetInterface, deps: MulticastSelfTestDeps, env: ProbeEnv): Promise<DiagnoseCheck[]> {
  if (nic.isRunning === false) return [notRunningCheck(nic)]
  const known = (family: 'IPv4' | 'IPv6'): KnownTarget[] => (deps.knownResponders ?? [])
    .filter((k) => k.interface === nic.name && (k.address.includes(':') ? 'IPv6' : 'IPv4') === family)
    .slice(0, MAX_KNOWN)
    .map((k) => ({ name: k.name, address: k.address }))
  const v4 = nic.addresses.find((a) => a.family === 'IPv4' && a.scope !== 'host')
  const v6 = nic.addresses.find((a) => a.family === 'IPv6' && a.scope === 'link')
  const multicastOk = nic.canMulticast !== false
  const broadcast = v4 && directedBroadcast(v4.address, v4.prefixLength)
  const [m4, b4, m6] = await Promise.all([
    v4 && multicastOk ? runMulticastProbe(ipv4Plan(nic, v4, known('IPv4')), env) : undefined,
    v4 && broadcast ? runBroadcastProbe({ interfaceName: nic.name, localAddress: v4.address, broadcast, known: known('IPv4') }, env) : undefined,
    v6 && multicastOk ? runMulticastProbe(ipv6Plan(nic, v6, known('IPv6'), deps.platform), env) : undefined,
  ])
  const checks: DiagnoseCheck[] = []
  if (m4) checks.push(multicastCheck(m4, { broadcast: b4 }, deps.platform))
  else if (v4) checks.push(skip(`multicast-${nic.name}`, `Multicast on ${nic.name}`, `${nic.name} does not support multicast, so it was not tested.`))
  if (b4) checks.push(broadcastCheck(b4, m4, deps.platform))
  else if (v4) checks.push(skip(`broadcast-${nic.name}`, `Broadcast on ${nic.name}`, `${nic.name} (${v4.address}/${v4.prefixLength}) has no broadcast address, so it was not tested.`))
  if (m6) checks.push(multicastCheck(m6, { broadcast: b4, ipv4: m4 }, deps.platform))
  return checks
}

function ipv4Plan(nic: NetInterface, v4: InterfaceAddress, known: KnownTarget[]): MulticastPlan {
  return {
    kind: 'multicast',
    interfaceName: nic.name,
    localAddress: v4.address,
    iface: v4.address,
    group: '224.0.0.251',
    sendGroup: '224.0.0.251',
    isOnLink: (address) => nic.addresses.some((a) => a.family === 'IPv4' && inSubnet(address, a.address, a.prefixLength)),
    known,
  }
}

function ipv6Plan(nic: NetInterface, v6: InterfaceAddress, known: KnownTarget[], platform: NodeJS.Platform): MulticastPlan {
  // Windows names a zone by interface index; the others accept the interface name.
  const zone = platform === 'win32' && v6.scopeId !== undefined ? String(v6.scopeId) : nic.name
  const zones = new Set([nic.name, ...(v6.scopeId === undefined ? [] : [String(v6.scopeId)])])
  return {
    kind: 'IPv6 multicast',
    interfaceName: nic.name,
    localAddress: v6.address.split('%')[0] ?? v6.address,
    iface: `::%${zone}`,
    group: 'ff02::fb',
    sendGroup: `ff02::fb%${zone}`,
    isOnLink: (address) => {
      const [, sourceZone] = address.split('%')
      if (sourceZone !== undefined) return zones.has(sourceZone)
      return nic.addresses.some((a) => a.family === 'IPv6' && a.scope !== 'link' && inSubnet(address, a.address, a.prefixLength))
    },
    known,
  }
}

function skip(id: string, title: string, summary: string): DiagnoseCheck {
  return { id, group: 'multicast', title, status: 'skip', summary, advice: '' }
}

function notRunningCheck(nic: NetInterface): DiagnoseCheck {
  return {
    ...skip(`multicast-${nic.name}`, `Multicast on ${nic.name}`, `${nic.name} is up but has no link (cable unplugged or Wi-Fi not connected), so it was not tested.`),
    advice: `If the devices are on the network ${nic.name} connects to, reconnect it and run Diagnose again.`,
    facts: { interface: nic.name },
  }
}

function noInterfaceCheck(interfaces: readonly NetInterface[]): DiagnoseCheck {
  return {
    ...skip('multicast-no-interface', 'Multicast and broadcast', 'No network interface could be tested: none is up with an address, other than loopback, VPN or cellular links.'),
    advice: 'Connect this computer to the Wi-Fi or wired network your devices are on, then run Diagnose again.',
    facts: { interfaces: interfaces.map((nic) => `${nic.name} (${nic.kind}, ${nic.isUp ? 'up' : 'down'})`) },
  }
}
