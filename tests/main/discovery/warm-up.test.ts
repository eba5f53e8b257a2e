/**
 * The receive-path warm-up (main/discovery/engine/warm-up.ts): one pass per event-loop turn, never more than
 * asked, stopping when the engine closes or the CPU budget is spent.
 */
import { describe, expect, it } from 'vitest'
import { scheduleWarmUp } from '../../../main/discovery/engine/warm-up'
import { systemClock } from '../../../main/util/clock'

const turns = (n: number) => new Promise<void>((resolve) => {
  let left = n
  const next = () => (left-- <= 0 ? resolve() : setImmediate(next))
  next()
})

describe('discovery warm-up', () => {
  it('runs the asked number of passes, one per event-loop turn', async () => {
    let passes = 0
    scheduleWarmUp(systemClock, () => false, { passes: 5, run: () => void passes++ })
    expect(passes).toBe(0)
    await turns(2)
    expect(passes).toBeGreaterThan(0)
    expect(passes).toBeLessThan(5)
    await turns(10)
    expect(passes).toBe(5)
  })

  it('stops when the engine has stopped, and when the time budget is spent', async () => {
    let stopped = false
    let passes = 0
    scheduleWarmUp(systemClock, () => stopped, { passes: 50, run: () => void (passes++ === 1 && (stopped = true)) })
    await turns(10)
    expect(passes).toBe(2)
    let slow = 0
    let now = 0
    // Each pass "takes" 3 ms on the injected clock: after two (6 ms) the 5 ms budget is spent.
    scheduleWarmUp(systemClock, () => false, { passes: 50, budgetMs: 5, cpuNow: () => now, run: () => {
      slow++
      now += 3
    } })
    await turns(60)
    expect(slow).toBe(2)
  })
})
