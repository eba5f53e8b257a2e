/**
 * Time as a dependency, so debounce, backoff, TTL and heartbeat logic is tested without sleeping.
 */

/** An opaque timer handle. */
export type TimerHandle = { readonly __timer: unique symbol }

/** The clock every timing-dependent service receives. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** The real clock; timers are unref'd so a pending debounce never keeps a CLI alive. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref()
    return t as unknown as TimerHandle
  },
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
}
