/**
 * Connecting to an accessory over several addresses: RFC 8305 Happy Eyeballs v2 racing, with zones for
 * link-local IPv6 and interface binding for 169.254/16 (reference cases 44–46).
 *
 * Why this is ours: Node's `autoSelectFamily` is sequential and aborts each attempt after 250 ms rather
 * than racing (nodejs/node#48145, #54359), it applies only to host names resolved by `lookup`, and it is
 * switched off whenever `localAddress` is set. Binding `localAddress` is exactly what a 169.254/16
 * destination reachable from two interfaces needs (RFC 3927 §2.6), so we race literal addresses ourselves
 * with `autoSelectFamily: false` per attempt. Binding fixes the source address everywhere; on macOS
 * (scoped routing) and Windows (strong host model) that also fixes the interface, while Linux (weak host)
 * still routes by destination unless a source policy rule exists (measured: tests/lab/connect.lab.test.ts).
 */
import { connect as netConnect, type Socket } from 'node:net'
import { systemClock } from '../util/clock'
import { runRace } from './connect/race'
import { dedupeTargets, interleaveFamilies, resolveTarget } from './connect/targets'
import type { ConnectOptions, ConnectResult, ConnectTargetInput, InvalidTarget, RaceSocket, ResolvedTarget, SocketFactory } from './connect/types'

export type * from './connect/types'
export { classifyConnectError, errnoOf, isLocalDestination, LOCAL_NETWORK_STEPS, type ClassifyContext } from './connect/classify-error'
export { interleaveFamilies, isIpv4LinkLocal, isIpv6LinkLocal, resolveTarget, withZone, type ZoneInterface } from './connect/targets'

/** RFC 8305 §5: recommended 250 ms, never below 10 ms, no more than 2 s. */
export const DEFAULT_ATTEMPT_DELAY_MS = 250
/** How long a whole race may take by default before it reports `timeout`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

/** Clamps a Connection Attempt Delay to RFC 8305's [10, 2000] ms; non-numbers give the default. */
export function clampAttemptDelay(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_ATTEMPT_DELAY_MS
  return Math.min(2000, Math.max(10, ms))
}

/** A usable overall timeout: positive and within what a timer can hold (Node fires a longer one after 1 ms). */
function overallTimeout(ms: number | undefined): number {
  return ms !== undefined && ms > 0 ? Math.min(ms, 2_147_483_647) : DEFAULT_CONNECT_TIMEOUT_MS
}

/** The real dialler: one plain TCP attempt per literal address, Node's own family selection off. */
export const netSocketFactory: SocketFactory<Socket> = (request) =>
  netConnect({
    host: request.host,
    port: request.port,
    family: request.family,
    autoSelectFamily: false,
    ...(request.localAddress !== undefined && { localAddress: request.localAddress }),
  })

/** Resolves every target; the valid ones in RFC 8305 §4 order, the rest with their reasons. */
export function planTargets(
  inputs: readonly ConnectTargetInput[],
  options: Pick<ConnectOptions<RaceSocket>, 'port' | 'interfaces' | 'platform' | 'firstAddressFamilyCount'>,
): { targets: ResolvedTarget[]; invalid: InvalidTarget[] } {
  const ctx = { port: options.port, interfaces: options.interfaces, platform: options.platform ?? process.platform }
  const targets: ResolvedTarget[] = []
  const invalid: InvalidTarget[] = []
  for (const input of inputs) {
    const resolved = resolveTarget(input, ctx)
    if (resolved.ok) targets.push(resolved.value)
    else invalid.push(resolved.error)
  }
  return { targets: interleaveFamilies(dedupeTargets(targets), options.firstAddressFamilyCount ?? 1), invalid }
}

/** Races TCP connections to `targets` per RFC 8305; resolves to the first connected socket or an error value. */
export function connectRace(targets: readonly ConnectTargetInput[], options?: ConnectOptions<Socket>): Promise<ConnectResult<Socket>>
/** Races with an injected socket factory (tests, or a transport other than `net`). */
export function connectRace<S extends RaceSocket>(
  targets: readonly ConnectTargetInput[],
  options: ConnectOptions<S> & { socketFactory: SocketFactory<S> },
): Promise<ConnectResult<S>>
export async function connectRace(
  inputs: readonly ConnectTargetInput[],
  options: ConnectOptions<RaceSocket> = {},
): Promise<ConnectResult<RaceSocket>> {
  const { targets, invalid } = planTargets(inputs, options)
  if (targets.length === 0) {
    const message = invalid.length === 0
      ? 'The device has not announced any address yet. Wait for it to appear, then try again.'
      : invalid.map((i) => i.message).join(' ')
    return { ok: false, error: { code: 'invalid-address', message, invalid } }
  }
  return runRace({
    targets,
    skipped: invalid,
    attemptDelayMs: clampAttemptDelay(options.attemptDelayMs),
    timeoutMs: overallTimeout(options.timeoutMs),
    signal: options.signal,
    platform: options.platform ?? process.platform,
    clock: options.clock ?? systemClock,
    factory: options.socketFactory ?? netSocketFactory,
    onAddressFailed: options.onAddressFailed,
  })
}
