/**
 * Reconnect pacing: exponential backoff with jitter (AWS "equal jitter": half fixed, half random), so a
 * room full of accessories coming back does not see every client retry in lock-step, while the first
 * retries after a drop stay fast on a LAN. Pure: the random source is injected.
 */

/** Backoff parameters. */
export interface BackoffPolicy {
  /** First delay before jitter (ms). */
  baseMs: number
  /** Upper bound of any delay (ms). */
  capMs: number
  factor: number
}

/** LAN defaults: 250 ms, 500 ms, 1 s … up to 30 s. */
export const LAN_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 30_000, factor: 2 }

/** Delay before retry number `attempt` (0 = the first retry), jittered into [d/2, d]. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = LAN_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, attempt), 30)
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** exponent)
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(1, Math.max(0, random())))
}
