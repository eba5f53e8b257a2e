/**
 * The connection racer's public shapes (reference cases 44–46): what a caller hands in, what the race
 * logs per attempt, and the errors it resolves to. Plain data, so Diagnose can log and show them as they are.
 */
import type { NetInterface } from '../../../shared/net/interfaces'
import type { Clock } from '../../util/clock'

/** An address to try: a literal (`'198.18.0.11'`, `'fe80::1%wlan0'`) or one with its zone and interface. */
export type ConnectTargetInput =
  | string
  | {
      /** An IP literal; a `%zone` suffix is accepted as well as `zone`. */
      address: string
      /** IPv6 zone: an interface name (Linux, macOS) or a numeric scope id (Windows); normalised per platform. */
      zone?: string | undefined
      /** The interface the address was discovered on: gives link-local IPv6 its zone and 169.254/16 its bind address. */
      interfaceName?: string | undefined
      /** Overrides `ConnectOptions.port` for this address. */
      port?: number | undefined
    }

/** A target checked and ready to dial. */
export interface ResolvedTarget {
  /** The address without zone, as the caller or the DNS record gave it. */
  address: string
  family: 4 | 6
  port: number
  /** The zone actually used (name on Unix, scope id on Windows), for link-local IPv6 only. */
  zone?: string
  /** What `net.connect` receives as `host`: `fe80::1%wlan0` for link-local IPv6, the address otherwise. */
  connectAddress: string
  /** The interface the caller named, if any. */
  interfaceName?: string
  /** Bound source address (IPv4 link-local on a named interface, RFC 3927). */
  localAddress?: string
  /** The destination shares a subnet with one of this machine's addresses (undefined: interfaces not given). */
  isSameSubnet?: boolean
}

/** A target refused before any socket was opened, and why. */
export interface InvalidTarget {
  /** The input as text, for the log. */
  input: string
  reason: 'not-an-ip-address' | 'zone-required' | 'unknown-interface' | 'no-scope-id' | 'no-ipv4-on-interface' | 'bad-port'
  message: string
}

/** What a connect failure means for the user; `code` is kebab-case, `nextStep` says what to do. */
export interface ConnectFinding {
  code:
    | 'local-network-denied'
    | 'connection-refused'
    | 'timed-out'
    | 'host-unreachable'
    | 'network-unreachable'
    | 'zone-required'
    | 'zone-invalid'
    | 'local-address-unavailable'
    | 'connection-reset'
    | 'blocked-by-firewall'
    | 'unknown'
  /** The OS error code (`EHOSTUNREACH` …) the finding rests on, when there was one. */
  errno?: string
  message: string
  nextStep: string
  /** Numbered steps for findings that need more than one action (Local Network permission). */
  steps?: string[]
  /** The failure says something about the peer's address (refused, unreachable, no answer): reconfirm it (case 25). */
  pointsAtPeer: boolean
}

/** How one attempt ended. */
export type AttemptOutcome = 'won' | 'failed' | 'lost' | 'cancelled' | 'not-started'

/** One row of the race log; times are milliseconds since the race started. */
export interface AttemptRecord {
  address: string
  port: number
  family: 4 | 6
  localAddress?: string
  startedAtMs?: number
  endedAtMs?: number
  outcome: AttemptOutcome
  errno?: string
  finding?: ConnectFinding
}

/** A failed address and what its failure means. */
export interface AddressFailure {
  address: string
  errno?: string
  finding: ConnectFinding
}

/** Fields every race error carries, so Diagnose can show the whole story. */
interface RaceErrorBase {
  message: string
  attempts: AttemptRecord[]
  /** Targets refused before the race (e.g. a link-local address without its interface). */
  skipped: InvalidTarget[]
  elapsedMs: number
}

/** Why `connectRace` did not connect; `code` is the discriminant. */
export type ConnectError =
  | { code: 'invalid-address'; message: string; invalid: InvalidTarget[] }
  | (RaceErrorBase & { code: 'all-failed'; failures: AddressFailure[] })
  | (RaceErrorBase & { code: 'local-network-denied'; steps: string[]; failures: AddressFailure[] })
  | (RaceErrorBase & { code: 'timeout'; afterMs: number })
  | (RaceErrorBase & { code: 'aborted' })

/** A won race: the connected socket, which address won, and the log. */
export interface ConnectSuccess<S> {
  socket: S
  winner: ResolvedTarget
  attempts: AttemptRecord[]
  skipped: InvalidTarget[]
  elapsedMs: number
}

/** The outcome of `connectRace`: never a rejection for network errors. */
export type ConnectResult<S> = { ok: true; value: ConnectSuccess<S> } | { ok: false; error: ConnectError }

/** What the racer needs from a socket; `net.Socket` has it, test fakes implement it. */
export interface RaceSocket {
  on(event: 'connect' | 'error', listener: (error?: Error) => void): unknown
  removeListener(event: 'connect' | 'error', listener: (error?: Error) => void): unknown
  destroy(): void
}

/** What the socket factory is asked to dial. */
export interface DialRequest {
  host: string
  port: number
  family: 4 | 6
  localAddress?: string
}

/** Opens one connection attempt; may throw synchronously (counted as that attempt failing). */
export type SocketFactory<S extends RaceSocket> = (request: DialRequest) => S

/** Options of `connectRace`. */
export interface ConnectOptions<S extends RaceSocket> {
  /** Port for targets that do not carry their own. */
  port?: number
  /** RFC 8305 §5 Connection Attempt Delay; default 250, clamped to [10, 2000]. */
  attemptDelayMs?: number
  /** RFC 8305 §4 First Address Family Count: 1 (default) or 2. */
  firstAddressFamilyCount?: 1 | 2
  /** Give up after this long overall; default 10 000 ms (also for 0, NaN); capped at 2^31-1 ms. */
  timeoutMs?: number
  signal?: AbortSignal
  /** This machine's interfaces: zones by scope id (Windows), 169.254/16 bind addresses, same-subnet checks. */
  interfaces?: readonly NetInterface[]
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform
  /** Called once per attempt that failed at connect level (refused, unreachable, no answer) so discovery can reconfirm (RFC 6762 §10.4). */
  onAddressFailed?: (target: ResolvedTarget, finding: ConnectFinding) => void
  socketFactory?: SocketFactory<S>
  clock?: Clock
}
