/**
 * The measuring driver for link quality on devices without a heartbeat protocol: one TCP connect per
 * probe (SYN → SYN/ACK, or SYN → RST), timed with `process.hrtime.bigint()` and closed at once. Feeds
 * `analyseLink` (link-quality.ts). Never more than one probe in flight, so the probe never queues behind
 * itself and a small accessory stack (a handful of TCP control blocks) is never flooded.
 *
 * Why a refused connect is a measured RTT: an RST to our SYN is the device's own TCP stack answering, so
 * the packet made the round trip just as a SYN/ACK would (on a LAN nothing else sends it, unless a local
 * firewall rule rejects with a reset). A timeout is a loss; other errors (no route, Local Network privacy,
 * …) are losses too and keep their errno in `code` for the error decoder.
 */
import { connect as netConnect, isIP } from 'node:net'
import { errnoOf, isIpv6LinkLocal } from '../net/connect'
import { stripZone } from '../net/connect/targets'
import type { Clock, TimerHandle } from '../util/clock'

/** Where to probe: an IP literal (no name lookup) and a TCP port; link-local IPv6 needs its zone. */
export interface LinkProbeTarget {
  host: string
  port: number
  /** IPv6 zone: an interface name (Linux, macOS) or numeric scope id (Windows), e.g. from `withZone`. */
  zone?: string
}

/** How a single probe ended. */
export type LinkProbeOutcome = 'connected' | 'refused' | 'timeout' | 'error'

/** One measured probe; structurally an `analyseLink` sample. */
export interface LinkProbeSample {
  /** Clock reading when the probe was sent. */
  at: number
  /** Round trip in ms (connected or refused), null when the probe was lost. */
  rttMs: number | null
  outcome: LinkProbeOutcome
  /** The errno for `refused` and `error`. */
  code?: string
}

/** The minimum of a `net.Socket` a probe uses. */
export interface ProbeSocket {
  once(event: 'connect', listener: () => void): unknown
  once(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  destroy(): unknown
  resetAndDestroy?(): unknown
}

/** What a probe dials with: the literal address, Node's family racing off. */
export interface ProbeConnectOptions { host: string; port: number; family: 4 | 6; autoSelectFamily: false }

/** Dependencies: a clock for scheduling and timeouts; `connect` and `hrtime` are replaceable in tests. */
export interface LinkProbeDeps {
  clock: Clock
  connect?: (options: ProbeConnectOptions) => ProbeSocket
  hrtime?: () => bigint
}

/** When to probe. At least one of `count` and `durationMs`; the probe stops at whichever comes first. */
export interface LinkProbeOptions {
  /** Time between probe starts, 10 ms – 1 h; a probe slower than this delays the next one instead of overlapping. */
  intervalMs: number
  count?: number
  durationMs?: number
  /**
   * How long to wait for an answer before counting a loss, 1 ms – 60 s. Keep it under the kernel's first SYN
   * retransmission (1 s initial RTO, RFC 6298 §2.1) to see a dropped SYN as a loss rather than as a ~1 s RTT.
   */
  timeoutMs: number
  /** Stops early; the promise then resolves with the samples so far (a probe cut short is dropped). */
  signal?: AbortSignal
  onSample?: (sample: LinkProbeSample) => void
}

/** Upper bounds, so a typo cannot probe a device for a year or flood it. */
const LIMITS = { minIntervalMs: 10, maxIntervalMs: 3_600_000, maxTimeoutMs: 60_000, maxCount: 100_000, maxDurationMs: 7 * 86_400_000 }

/** The real dialler: `net.connect` to the literal address with `autoSelectFamily` off. */
export const netProbeConnect = (options: ProbeConnectOptions): ProbeSocket => netConnect(options)

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`probeLink: ${message}`)
}

/** The host as `net.connect` needs it, with the zone for link-local IPv6; throws for programmer errors. */
function connectOptions(target: LinkProbeTarget): ProbeConnectOptions {
  const bare = stripZone(target.host)
  const family = isIP(bare)
  check(family === 4 || family === 6, `host must be an IP literal, got "${target.host}"`)
  check(Number.isInteger(target.port) && target.port > 0 && target.port < 65_536, `bad port ${target.port}`)
  const zone = target.zone ?? (target.host.includes('%') ? target.host.slice(target.host.indexOf('%') + 1) : undefined)
  check(!isIpv6LinkLocal(bare) || !!zone, `${bare} is link-local and needs a zone (see withZone in main/net/connect)`)
  const host = family === 6 && zone && isIpv6LinkLocal(bare) ? `${bare}%${zone}` : bare
  return { host, port: target.port, family: family === 4 ? 4 : 6, autoSelectFamily: false }
}

function checkOptions(o: LinkProbeOptions): void {
  check(o.intervalMs >= LIMITS.minIntervalMs && o.intervalMs <= LIMITS.maxIntervalMs, `intervalMs must be ${LIMITS.minIntervalMs}–${LIMITS.maxIntervalMs}`)
  check(o.timeoutMs >= 1 && o.timeoutMs <= LIMITS.maxTimeoutMs, `timeoutMs must be 1–${LIMITS.maxTimeoutMs}`)
  check(o.count !== undefined || o.durationMs !== undefined, 'give count or durationMs')
  check(o.count === undefined || (Number.isInteger(o.count) && o.count >= 1 && o.count <= LIMITS.maxCount), `count must be 1–${LIMITS.maxCount}`)
  check(o.durationMs === undefined || (o.durationMs > 0 && o.durationMs <= LIMITS.maxDurationMs), 'durationMs must be positive and at most 7 days')
}

/** Resolves after `ms` on the injected clock, or at once when `signal` aborts. */
function wait(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer: TimerHandle = clock.setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

type ProbeResult = Omit<LinkProbeSample, 'at'> | 'aborted'

/** One connect: resolves on SYN/ACK, RST, another error, the timeout or abort, whichever is first; never leaves a socket open. */
function probeOnce(dial: ProbeConnectOptions, deps: Required<LinkProbeDeps>, timeoutMs: number, signal: AbortSignal | undefined): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const started = deps.hrtime()
    const elapsedMs = () => Number(deps.hrtime() - started) / 1e6
    let socket: ProbeSocket | undefined
    let settled = false
    const finish = (result: ProbeResult) => {
      if (settled) return
      settled = true
      deps.clock.clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (socket) {
        socket.on('error', () => undefined) // a late error on a socket we are closing is nobody's business
        // A connected probe ends with RST, not FIN, so the accessory frees its control block at once instead of
        // waiting in CLOSE_WAIT. Anything else is plain destroy: resetAndDestroy on a socket still connecting
        // would wait for the connect to finish, leaving the SYN retrying in the kernel after our timeout.
        if (result !== 'aborted' && result.outcome === 'connected' && socket.resetAndDestroy) socket.resetAndDestroy()
        else socket.destroy()
      }
      resolve(result)
    }
    const onAbort = () => finish('aborted')
    const timer = deps.clock.setTimeout(() => finish({ rttMs: null, outcome: 'timeout' }), timeoutMs)
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      socket = deps.connect(dial)
    } catch (error) {
      finish({ rttMs: null, outcome: 'error', code: errnoOf(error) ?? 'EINVAL' })
      return
    }
    socket.once('connect', () => finish({ rttMs: elapsedMs(), outcome: 'connected' }))
    socket.once('error', (error) => {
      const rttMs = elapsedMs()
      const code = errnoOf(error) ?? 'UNKNOWN'
      finish(code === 'ECONNREFUSED' ? { rttMs, outcome: 'refused', code } : { rttMs: null, outcome: 'error', code })
    })
  })
}

/** Probes `target` with one timed TCP connect per interval (never two at once) and resolves with the samples. */
export async function probeLink(target: LinkProbeTarget, deps: LinkProbeDeps, options: LinkProbeOptions): Promise<LinkProbeSample[]> {
  const dial = connectOptions(target)
  checkOptions(options)
  const full: Required<LinkProbeDeps> = { connect: netProbeConnect, hrtime: () => process.hrtime.bigint(), ...deps }
  const { clock } = full
  const { signal, count = LIMITS.maxCount, durationMs = LIMITS.maxDurationMs } = options
  const samples: LinkProbeSample[] = []
  const startedAt = clock.now()
  let next = startedAt
  // systemClock's timers are unref'd, so between probes nothing would keep a CLI process alive and Node would
  // exit with this promise pending (seen with `count: 3`); a ref'd idle interval holds it for the measurement.
  const keepAlive = setInterval(() => undefined, 60_000)
  try {
    while (samples.length < count && next - startedAt < durationMs && !signal?.aborted) {
      // The first probe starts within the call, so a caller's clock reading right after it is the probe's `at`.
      if (next > clock.now()) await wait(clock, next - clock.now(), signal)
      if (signal?.aborted) break
      const at = clock.now()
      const result = await probeOnce(dial, full, options.timeoutMs, signal)
      if (result === 'aborted') break
      const sample: LinkProbeSample = { at, ...result }
      samples.push(sample)
      options.onSample?.(sample)
      // Fixed rate, but never catching up in a burst after a slow probe.
      next = Math.max(at + options.intervalMs, clock.now())
    }
  } finally {
    clearInterval(keepAlive)
  }
  return samples
}
