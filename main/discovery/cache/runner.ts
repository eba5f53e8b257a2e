/**
 * The cache's two pieces of plumbing: one clock timer aimed at the next deadline, and a queue that delivers
 * callbacks only after the state is consistent, so a listener may call back into the cache.
 */
import type { Clock, TimerHandle } from '../../util/clock'

/** Node fires a longer timeout after 1 ms (TimeoutOverflowWarning), so longer waits are taken in steps. */
const MAX_TIMER_MS = 0x7fffffff

/** One pending clock timer at most, re-aimed as the earliest deadline moves. */
export class OneTimer {
  #handle: TimerHandle | undefined
  #at = Infinity

  constructor(
    private readonly clock: Clock,
    private readonly onFire: () => void,
  ) {}

  /** When the timer fires, if it is set. */
  get at(): number | undefined {
    return this.#handle === undefined ? undefined : this.#at
  }

  /**
   * Makes sure the timer fires by `deadline` (none: cancel). A timer already set to fire earlier is kept:
   * waking once for nothing is cheaper than re-arming on every record that arrives.
   */
  aim(deadline: number | undefined, now: number): void {
    if (deadline === undefined) return this.cancel()
    if (this.#handle !== undefined && this.#at <= deadline) return
    this.cancel()
    const wait = Math.min(Math.max(deadline - now, 0), MAX_TIMER_MS)
    this.#at = now + wait
    this.#handle = this.clock.setTimeout(() => {
      this.#handle = undefined
      this.#at = Infinity
      this.onFire()
    }, wait)
  }

  /** Clears the timer. */
  cancel(): void {
    if (this.#handle !== undefined) this.clock.clearTimeout(this.#handle)
    this.#handle = undefined
    this.#at = Infinity
  }
}

/** Callbacks in the order the changes happened, delivered once the cache is consistent. */
export class EffectQueue {
  readonly #queue: (() => void)[] = []
  #draining = false

  /** Queues a callback. */
  push(effect: () => void): void {
    this.#queue.push(effect)
  }

  /**
   * Delivers everything queued, including what callbacks queue meanwhile; a nested call returns at once and
   * the outer loop delivers. A callback that throws is a bug in the caller: the rest still run, then the first
   * error is rethrown. `stop` ends delivery early (the cache was disposed by a callback).
   */
  drain(stop: () => boolean): void {
    if (this.#draining) return
    this.#draining = true
    let failure: { error: unknown } | undefined
    for (let i = 0; i < this.#queue.length && !stop(); i++) {
      try {
        this.#queue[i]?.()
      } catch (error) {
        failure ??= { error }
      }
    }
    this.#queue.length = 0
    this.#draining = false
    if (failure) throw failure.error
  }

  /** Drops what is queued. */
  clear(): void {
    this.#queue.length = 0
  }
}
