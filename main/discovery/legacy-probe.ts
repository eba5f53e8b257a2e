/**
 * Legacy discovery for firmware without mDNS: a UDP broadcast probe with a configurable port, payload and
 * reply matcher, sent as a directed broadcast (RFC 919 §7, RFC 922) from one socket per broadcast-capable
 * interface with SO_BROADCAST set, so every reply carries the interface it was found on.
 *
 * Why this is ours: no maintained npm library does per-interface directed broadcast with reply matching
 * (the few "udp discovery" packages send one limited broadcast to 255.255.255.255 from 0.0.0.0, which
 * Linux routes out of one interface only, and they cannot say which interface a reply came through).
 */
import type { NetInterface } from '../../shared/net/interfaces'
import { systemClock, type Clock } from '../util/clock'
import { createUdp4ProbeSocket, type ProbeSocket, type ProbeSocketFactory } from './legacy/udp-socket'

export type { ProbeSocket, ProbeSocketFactory } from './legacy/udp-socket'

/** One interface the probe broadcasts from. */
export interface BroadcastTarget {
  interfaceName: string
  /** The IPv4 address the probe socket binds to. */
  localAddress: string
  /** The subnet's directed broadcast address. */
  broadcast: string
}

/** What a matcher makes of a reply it recognises; `key` identifies the device (replies are deduped by it). */
export interface ProbeMatch {
  key: string
}

/** Where a reply came from. */
export interface ProbeSender {
  address: string
  port: number
}

/** A recognised reply and the interface it arrived on. */
export interface ProbeReply<M extends ProbeMatch = ProbeMatch> {
  interfaceName: string
  from: ProbeSender
  match: M
}

/** Why one interface could not be probed; the other interfaces are probed regardless. */
export interface ProbeError {
  interfaceName: string
  code: 'broadcast-not-permitted' | 'address-not-available' | 'network-unreachable' | 'socket-failed'
  /** The operating system's error code (EACCES, …) when there was one. */
  osCode?: string
  message: string
}

/** What a probe found. */
export interface BroadcastProbeResult<M extends ProbeMatch = ProbeMatch> {
  replies: ProbeReply<M>[]
  errors: ProbeError[]
}

/** Options of `runBroadcastProbe`. */
export interface BroadcastProbeOptions<M extends ProbeMatch = ProbeMatch> {
  /** The machine's interfaces; the targets are `broadcastTargets(interfaces)` unless `targets` is given. */
  interfaces: NetInterface[]
  /** Explicit targets (e.g. one subnet the user chose), instead of every broadcast-capable interface. */
  targets?: BroadcastTarget[]
  port: number
  payload: Uint8Array
  /** Recognises a reply; untrusted bytes, so a matcher that throws counts as "not a match". */
  match(reply: Uint8Array, from: ProbeSender): M | undefined
  /** How long to listen in total, from the first send. */
  timeoutMs: number
  /** How many times to send (UDP is lossy); default 3. */
  repeats?: number
  /** Gap between sends; default 250 ms. Sends that would fall after the timeout are skipped. */
  intervalMs?: number
  /** Replies kept at most (a flood must not grow memory without bound); default 1024. */
  maxReplies?: number
  socketFactory?: ProbeSocketFactory
  clock?: Clock
}

/** The directed broadcast address of `address`/`prefixLength`, or undefined for /31, /32 and bad input. */
export function directedBroadcast(address: string, prefixLength: number): string | undefined {
  const value = parseIpv4(address)
  if (value === undefined || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 30) return undefined
  // RFC 3021: a /31 is point-to-point with no broadcast; a /32 is a single host.
  const hostMask = prefixLength === 0 ? 0xffffffff : (2 ** (32 - prefixLength) - 1)
  return formatIpv4((value | hostMask) >>> 0)
}

/** Interfaces a broadcast can go out of: up, not loopback, with an IPv4 address on a subnet of /30 or wider. */
export function broadcastTargets(interfaces: NetInterface[]): BroadcastTarget[] {
  return interfaces.flatMap((nic) => {
    if (!nic.isUp || nic.isInternal) return []
    return nic.addresses.flatMap((a) => {
      if (a.family !== 'IPv4') return []
      const broadcast = directedBroadcast(a.address, a.prefixLength)
      return broadcast ? [{ interfaceName: nic.name, localAddress: a.address, broadcast }] : []
    })
  })
}

/**
 * Broadcasts `payload` to `port` on every target and collects matching replies until `timeoutMs`.
 * Network failures never reject: they become per-interface errors. Invalid options are programmer
 * errors and throw a RangeError.
 */
export async function runBroadcastProbe<M extends ProbeMatch>(options: BroadcastProbeOptions<M>): Promise<BroadcastProbeResult<M>> {
  checkOptions(options)
  const clock = options.clock ?? systemClock
  const run: ProbeRun<M> = {
    options,
    clock,
    deadline: clock.now() + options.timeoutMs,
    factory: options.socketFactory ?? createUdp4ProbeSocket,
    seen: new Set(),
    result: { replies: [], errors: [] },
  }
  const targets = options.targets ?? broadcastTargets(options.interfaces)
  await Promise.all(targets.map((target) => probeTarget(target, run)))
  return run.result
}

interface ProbeRun<M extends ProbeMatch> {
  options: BroadcastProbeOptions<M>
  clock: Clock
  deadline: number
  factory: ProbeSocketFactory
  seen: Set<string>
  result: BroadcastProbeResult<M>
}

function checkOptions(o: BroadcastProbeOptions<ProbeMatch>): void {
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new RangeError(`port must be 1-65535, got ${o.port}`)
  if (!(o.timeoutMs >= 0)) throw new RangeError(`timeoutMs must be >= 0, got ${o.timeoutMs}`)
  if (o.repeats !== undefined && (!Number.isInteger(o.repeats) || o.repeats < 1)) throw new RangeError(`repeats must be >= 1, got ${o.repeats}`)
  if (o.intervalMs !== undefined && !(o.intervalMs >= 0)) throw new RangeError(`intervalMs must be >= 0, got ${o.intervalMs}`)
}

/** One socket's whole life: bind, SO_BROADCAST, repeated sends, listen until the deadline, close. */
async function probeTarget<M extends ProbeMatch>(target: BroadcastTarget, run: ProbeRun<M>): Promise<void> {
  let socket: ProbeSocket
  try {
    socket = run.factory()
  } catch (error) {
    addError(run, target, error)
    return
  }
  try {
    socket.onMessage((bytes, from) => accept(run, target, bytes, from))
    try {
      await socket.bind(0, target.localAddress)
      socket.setBroadcast(true)
    } catch (error) {
      addError(run, target, error)
      return
    }
    socket.onError((error) => addError(run, target, error))
    const { repeats = 3, intervalMs = 250 } = run.options
    for (let i = 0; i < repeats; i++) {
      if (i > 0) {
        if (run.clock.now() + intervalMs >= run.deadline) break
        await sleep(run.clock, intervalMs)
      }
      try {
        await socket.send(run.options.payload, run.options.port, target.broadcast)
      } catch (error) {
        addError(run, target, error)
        break
      }
    }
    await sleep(run.clock, run.deadline - run.clock.now())
  } finally {
    socket.close()
  }
}

function accept<M extends ProbeMatch>(run: ProbeRun<M>, target: BroadcastTarget, bytes: Uint8Array, from: ProbeSender): void {
  if (run.clock.now() > run.deadline || run.result.replies.length >= (run.options.maxReplies ?? 1024)) return
  let match: M | undefined
  try {
    match = run.options.match(bytes, from)
  } catch {
    return
  }
  if (!match) return
  const key = JSON.stringify([target.interfaceName, from.address, match.key])
  if (run.seen.has(key)) return
  run.seen.add(key)
  run.result.replies.push({ interfaceName: target.interfaceName, from: { address: from.address, port: from.port }, match })
}

function addError(run: ProbeRun<ProbeMatch>, target: BroadcastTarget, error: unknown): void {
  const described = describeError(target, error)
  const dup = run.result.errors.some((e) => e.interfaceName === described.interfaceName && e.code === described.code)
  if (!dup) run.result.errors.push(described)
}

/** Turns a socket error into a value that says what happened on which interface and what to do next. */
export function describeError(target: BroadcastTarget, error: unknown): ProbeError {
  const osCode = (error as NodeJS.ErrnoException | undefined)?.code
  const base = { interfaceName: target.interfaceName, ...(typeof osCode === 'string' ? { osCode } : {}) }
  const on = `${target.interfaceName} (${target.localAddress})`
  switch (osCode === undefined ? undefined : OS_CODES[osCode]) {
    case 'broadcast-not-permitted':
      return { ...base, code: 'broadcast-not-permitted', message: `The system refused a broadcast on ${on} to ${target.broadcast}. A firewall or security policy may block UDP broadcasts; allow them for Porchlight, or enter the device's address by hand.` }
    case 'address-not-available':
      return { ...base, code: 'address-not-available', message: `${target.localAddress} is no longer an address of ${target.interfaceName}; the interface changed during the search. Search again.` }
    case 'network-unreachable':
      return { ...base, code: 'network-unreachable', message: `No route from ${on} to ${target.broadcast}; the network is not connected. Check the connection, then search again.` }
    case 'socket-failed':
    case undefined:
      return { ...base, code: 'socket-failed', message: `Searching on ${on} failed (${osCode ?? 'error'}: ${(error as Error | undefined)?.message ?? String(error)}). Search again; if it persists, report it from Diagnose.` }
  }
}

const OS_CODES: Partial<Record<string, ProbeError['code']>> = {
  EACCES: 'broadcast-not-permitted',
  EPERM: 'broadcast-not-permitted',
  EADDRNOTAVAIL: 'address-not-available',
  ENETUNREACH: 'network-unreachable',
  EHOSTUNREACH: 'network-unreachable',
  ENETDOWN: 'network-unreachable',
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) resolve()
    else clock.setTimeout(resolve, ms)
  })
}

function parseIpv4(address: string): number | undefined {
  const parts = address.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0)
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.')
}
