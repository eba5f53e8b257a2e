/** A manual clock for timing logic: time moves only when the test advances it. */
import type { Clock, TimerHandle } from '../../main/util/clock'

/** A Clock whose timers fire only inside `advance`. */
export interface FakeClock extends Clock {
  advance(ms: number): Promise<void>
  pendingTimers(): number
}

/** Creates a fake clock starting at 0. */
export function createFakeClock(): FakeClock {
  let now = 0
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve))
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: now + ms, fn })
      return id as unknown as TimerHandle
    },
    clearTimeout: (handle) => void timers.delete(handle as unknown as number),
    pendingTimers: () => timers.size,
    async advance(ms) {
      const end = now + ms
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
        await flush()
      }
      now = end
      await flush()
    },
  }
}
