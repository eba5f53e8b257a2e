import { describe, expect, it } from 'vitest'
import { backoffDelay, LAN_BACKOFF } from '../../../main/session/backoff'
import { startHeartbeat, type HeartbeatEvents } from '../../../main/session/heartbeat'
import { createFakeClock } from '../../helpers/fake-clock'

function recorder() {
  const log: string[] = []
  const sent: number[] = []
  const events: HeartbeatEvents = {
    send: (seq) => void sent.push(seq),
    sample: (rtt) => void log.push(rtt === null ? 'miss' : `rtt ${rtt}`),
    stalled: (ms) => void log.push(`stalled ${ms}`),
    recovered: (gap) => void log.push(`recovered ${gap}`),
  }
  return { log, sent, events }
}

describe('heartbeat: receive-silence timer', () => {
  it('declares a stall 2.5 intervals after the last byte although heartbeats keep going out', async () => {
    const clock = createFakeClock()
    const r = recorder()
    const hb = startHeartbeat({ clock, intervalMs: 1000 }, r.events)
    await clock.advance(30)
    hb.replied(1) // the first PONG, 30 ms after the PING
    expect(r.log).toEqual(['rtt 30'])
    await clock.advance(2499)
    expect(r.log.some((l) => l.startsWith('stalled'))).toBe(false)
    await clock.advance(1)
    expect(r.log.at(-1)).toBe('stalled 2500')
    expect(r.sent.length).toBe(3) // sends never stopped: silence, not send failure, is the signal
    expect(hb.isStalled()).toBe(true)
    await clock.advance(5000)
    expect(r.log.filter((l) => l.startsWith('stalled'))).toHaveLength(1)
    hb.activity()
    expect(r.log.at(-1)).toBe('recovered 7500')
    expect(hb.isStalled()).toBe(false)
    hb.stop()
  })

  it('activity pushes the deadline back; unanswered heartbeats count as misses and late replies are ignored', async () => {
    const clock = createFakeClock()
    const r = recorder()
    const hb = startHeartbeat({ clock, intervalMs: 1000 }, r.events)
    for (let i = 0; i < 5; i++) {
      await clock.advance(2000)
      hb.activity()
    }
    expect(r.log.filter((l) => l.startsWith('stalled'))).toHaveLength(0)
    expect(r.log.filter((l) => l === 'miss').length).toBeGreaterThanOrEqual(9)
    hb.replied(1)
    expect(r.log.filter((l) => l.startsWith('rtt'))).toHaveLength(0)
    hb.stop()
  })

  it('pingNow sends at once without counting the heartbeat sent just before as missed', async () => {
    const clock = createFakeClock()
    const r = recorder()
    const hb = startHeartbeat({ clock, intervalMs: 1000 }, r.events)
    await clock.advance(10)
    hb.pingNow()
    expect(r.sent).toEqual([1, 2])
    expect(r.log).toEqual([])
    await clock.advance(5)
    hb.replied(2)
    hb.replied(1)
    expect(r.log).toEqual(['rtt 5', 'rtt 15'])
    hb.stop()
    expect(clock.pendingTimers()).toBe(0)
  })
})

describe('backoff', () => {
  it('grows exponentially from 250 ms, stays within [d/2, d] and is capped at 30 s', () => {
    expect(backoffDelay(0, LAN_BACKOFF, () => 0)).toBe(125)
    expect(backoffDelay(0, LAN_BACKOFF, () => 1)).toBe(250)
    expect(backoffDelay(3, LAN_BACKOFF, () => 0.5)).toBe(1500)
    expect(backoffDelay(50, LAN_BACKOFF, () => 1)).toBe(30_000)
    expect(backoffDelay(50, LAN_BACKOFF, () => 0)).toBe(15_000)
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(4)))
    expect(spread.size).toBeGreaterThan(10) // jitter: clients do not retry in lock-step
  })
})
