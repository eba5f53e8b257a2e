/**
 * analyseLink on synthetic probe series: what support staff would read off the Diagnose link chart —
 * loss, stalls like field report B01's ~30 s freeze, spikes on a Wi-Fi scan timer, and the verdict.
 */
import { describe, expect, it } from 'vitest'
import { analyseLink, type LinkSampleInput } from '../../../main/diagnose/link-quality'

/** A small seeded PRNG (mulberry32) so "random" series are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `n` probes 1 s apart; `rtt(i)` gives each round trip (null = lost). */
function series(n: number, rtt: (i: number) => number | null, intervalMs = 1000): LinkSampleInput[] {
  return Array.from({ length: n }, (_, i) => ({ at: i * intervalMs, rttMs: rtt(i) }))
}

/** A healthy 3 ms LAN with ±0.5 ms noise. */
function lan(seed: number): (i: number) => number {
  const rand = prng(seed)
  return () => 3 + (rand() - 0.5)
}

const HALF_HOUR = 1800

/** 20 of 200 probe indices at random: a 10 % share with no pattern in time. */
const tenth = (() => {
  const rand = prng(3)
  return new Set([...Array(200).keys()].sort(() => rand() - 0.5).slice(0, 20))
})()

describe('analyseLink: loss and verdict', () => {
  it('passes a steady 3 ms link with 5 % loss scattered at random, and finds no pattern in it', () => {
    const rand = prng(7)
    const lost = new Set([...Array(HALF_HOUR).keys()].sort(() => rand() - 0.5).slice(0, 90))
    const noise = lan(1)
    const q = analyseLink(series(HALF_HOUR, (i) => (lost.has(i) ? null : noise(i))))
    expect(q).toMatchObject({ count: 1800, lost: 90, received: 1710, status: 'pass' })
    expect(q.lossPct).toBeCloseTo(5, 5)
    expect(q.rtt?.p50).toBeCloseTo(3, 0)
    expect(q.rtt?.p95).toBeLessThan(4)
    expect(q.longestLossRun).toBe(3) // a 3 s silence that 5 % random loss explains: not a stall
    expect(q.stalls).toEqual([])
    expect(q.spikes.count).toBe(0)
    expect(q.periodic).toBeNull()
    expect(q.summary).toMatch(/^1800 probes over 30 min: 5\.0 % lost, RTT median 3\.0 ms/)
  })

  it('warns above 5 % loss and fails above 25 %', () => {
    const noise = lan(2)
    const some = analyseLink(series(200, (i) => (tenth.has(i) ? null : noise(i))))
    expect(some.status).toBe('warn')
    expect(some.findings.map((f) => f.code)).toEqual(['some-loss'])
    const rand = prng(12)
    const bad = analyseLink(series(200, (i) => (rand() < 0.35 ? null : noise(i))))
    expect(bad.status).toBe('fail')
    expect(bad.findings.map((f) => f.code)).toEqual(['high-loss'])
  })

  it('fails when the device never answered', () => {
    const q = analyseLink(series(20, () => null))
    expect(q).toMatchObject({ count: 20, lost: 20, lossPct: 100, rtt: null, jitter: null, longestLossRun: 20, status: 'fail' })
    expect(q.findings[0]?.code).toBe('no-answer')
  })

  it('warns when 1 in 20 answers is slower than 100 ms, and fails past 1 s', () => {
    const slow = analyseLink(series(200, (i) => (tenth.has(i) ? 250 : 30)))
    expect(slow.status).toBe('warn')
    expect(slow.findings.map((f) => f.code)).toEqual(['slow'])
    expect(analyseLink(series(200, (i) => (tenth.has(i) ? 1500 : 30))).status).toBe('fail')
  })

  it('lets the caller move the thresholds', () => {
    const noise = lan(3)
    const samples = series(200, (i) => (tenth.has(i) ? null : noise(i)))
    expect(analyseLink(samples, { thresholds: { lossWarnPct: 20 } }).status).toBe('pass')
  })
})

describe('analyseLink: stalls (field report B01)', () => {
  it('reports a 30 s freeze of a 1 s ping link as a ~30 s gap and fails it', () => {
    const noise = lan(4)
    const q = analyseLink(series(600, (i) => (i >= 300 && i < 330 ? null : noise(i))))
    expect(q.longestLossRun).toBe(30)
    expect(q.longestGapMs).toBe(30_000)
    expect(q.stalls).toEqual([{ startAt: 300_000, durationMs: 30_000, lostProbes: 30 }])
    expect(q.status).toBe('fail')
    expect(q.findings.map((f) => f.code)).toContain('long-stall')
    expect(q.summary).toMatch(/silent for 30 s/)
  })

  it('warns about a 5 s silence even though overall loss is under 1 %', () => {
    const noise = lan(5)
    const q = analyseLink(series(1000, (i) => (i >= 500 && i < 505 ? null : noise(i))))
    expect(q.lossPct).toBeLessThan(1)
    expect(q).toMatchObject({ status: 'warn', longestGapMs: 5000 })
    expect(q.findings.map((f) => f.code)).toEqual(['stall'])
  })

  it('counts one answer that took 20 s as a stall, and one lost probe as loss only', () => {
    const late = analyseLink(series(60, (i) => (i === 30 ? 20_000 : 3)))
    expect(late.stalls).toEqual([{ startAt: 30_000, durationMs: 20_000, lostProbes: 0 }])
    expect(late.longestGapMs).toBe(20_000)
    const sparse = analyseLink(series(30, (i) => (i === 10 ? null : 3), 10_000))
    expect(sparse.longestGapMs).toBe(10_000)
    expect(sparse.stalls).toEqual([])
  })

  it('measures a loss run at the end of the series up to one probe interval past its last probe', () => {
    const q = analyseLink(series(20, (i) => (i >= 15 ? null : 3)))
    expect(q.stalls).toEqual([{ startAt: 15_000, durationMs: 5000, lostProbes: 5 }])
  })
})

describe('analyseLink: spikes and periodicity', () => {
  /** 30 min of a 3 ms link with a 2-probe spike (150 ms, 120 ms) starting every `periodS` seconds. */
  function scanned(periodS: number, skip: (k: number) => boolean = () => false): LinkSampleInput[] {
    const noise = lan(6)
    return series(HALF_HOUR, (i) => {
      const k = Math.floor((i - 40) / periodS)
      const phase = (i - 40) % periodS
      if (i >= 40 && !skip(k) && phase === 0) return 150
      return i >= 40 && !skip(k) && phase === 1 ? 120 : noise(i)
    })
  }

  it('finds RTT spikes every ~100 s, merging adjacent spike samples into one event', () => {
    const q = analyseLink(scanned(100))
    expect(q.spikes.count).toBe(36)
    expect(q.spikes.events).toHaveLength(18)
    expect(q.spikes.events[0]).toMatchObject({ startAt: 40_000, endAt: 41_000, samples: 2, spikes: 2, lost: 0, peakRttMs: 150 })
    expect(q.periodic).toMatchObject({ kind: 'spikes', events: 18, missed: 0 })
    expect(q.periodic?.periodMs).toBeCloseTo(100_000, -3)
    expect(q.periodic?.confidence).toBeGreaterThan(0.9)
    expect(q.status).toBe('warn')
    expect(q.findings.map((f) => f.code)).toEqual(['periodic'])
  })

  it('explains the period in words', () => {
    expect(analyseLink(scanned(102)).periodic?.explanation).toBe(
      'RTT spikes every ~102 s: typical of a Wi-Fi background scan or power-save on the accessory or this computer.',
    )
  })

  it('still finds the period when some spikes fell between probes', () => {
    const q = analyseLink(scanned(100, (k) => k === 4 || k === 11))
    expect(q.periodic).toMatchObject({ kind: 'spikes', missed: 2 })
    expect(q.periodic?.periodMs).toBeCloseTo(100_000, -3)
  })

  it('finds periodic loss bursts', () => {
    const noise = lan(8)
    const q = analyseLink(series(3600, (i) => (i % 600 >= 100 && i % 600 < 102 ? null : noise(i))))
    expect(q.periodic).toMatchObject({ kind: 'loss', events: 6, periodMs: 600_000 })
    expect(q.periodic?.explanation).toMatch(/^Lost probes in bursts every ~10 min/)
  })

  it('does not call randomly timed spikes periodic', () => {
    const rand = prng(9)
    const at = new Set(Array.from({ length: 18 }, () => Math.floor(rand() * HALF_HOUR)))
    const noise = lan(10)
    const q = analyseLink(series(HALF_HOUR, (i) => (at.has(i) ? 200 : noise(i))))
    expect(q.spikes.count).toBe(at.size)
    expect(q.periodic).toBeNull()
  })

  it('does not flag the ordinary spread of a slow, noisy link as spikes', () => {
    const rand = prng(11)
    const q = analyseLink(series(600, () => 40 + rand() * 30))
    expect(q.spikes.count).toBe(0)
    expect(q.status).toBe('pass')
  })
})

describe('analyseLink: figures and edge cases', () => {
  it('computes RFC 3550 jitter and the mean absolute successive difference, skipping losses', () => {
    const q = analyseLink([3, 5, null, 3, 5].map((rttMs, i) => ({ at: i * 1000, rttMs })))
    let j = 0
    for (let k = 0; k < 3; k++) j += (2 - j) / 16
    expect(q.jitter?.meanAbsDiffMs).toBe(2)
    expect(q.jitter?.rfc3550Ms).toBeCloseTo(j, 12)
    expect(q.rtt).toEqual({ min: 3, p50: 4, p95: 5, max: 5, mean: 4 })
  })

  it('buckets the series into chart windows with p50, max and loss', () => {
    const q = analyseLink(series(30, (i) => (i < 10 ? 2 : i < 20 ? (i === 15 ? null : 8) : 50)))
    expect(q.windowMs).toBe(10_000)
    expect(q.windows).toEqual([
      { startAt: 0, count: 10, lost: 0, lossPct: 0, p50Ms: 2, maxMs: 2 },
      { startAt: 10_000, count: 10, lost: 1, lossPct: 10, p50Ms: 8, maxMs: 8 },
      { startAt: 20_000, count: 10, lost: 0, lossPct: 0, p50Ms: 50, maxMs: 50 },
    ])
  })

  it('widens the windows so a long run stays a readable chart', () => {
    const q = analyseLink(series(3 * 3600, () => 3), { maxWindows: 360 })
    expect(q.windowMs).toBe(30_000)
    expect(q.windows).toHaveLength(360)
  })

  it('handles 0, 1 and 2 samples', () => {
    const none = analyseLink([])
    expect(none).toMatchObject({ count: 0, lossPct: 0, rtt: null, jitter: null, windows: [], periodic: null, status: 'warn' })
    expect(none.findings[0]?.code).toBe('no-samples')
    const one = analyseLink([{ at: 5, rttMs: 4 }])
    expect(one).toMatchObject({ count: 1, rtt: { min: 4, p50: 4, max: 4 }, jitter: null, status: 'pass' })
    expect(one.spikes.thresholdMs).toBeNull()
    const two = analyseLink([{ at: 0, rttMs: 4 }, { at: 1000, rttMs: null }])
    expect(two).toMatchObject({ count: 2, lost: 1, lossPct: 50, status: 'fail' })
  })

  it('sorts samples by time and ignores unusable ones', () => {
    const q = analyseLink([
      { at: 2000, rttMs: 6 },
      { at: 0, rttMs: 2 },
      { at: Number.NaN, rttMs: 1 },
      { at: 1000, rttMs: -1 },
      { at: 3000, rttMs: Number.POSITIVE_INFINITY },
      { at: 1000, rttMs: 4 },
    ])
    expect(q).toMatchObject({ count: 3, ignored: 3, durationMs: 2000 })
    expect(q.jitter?.meanAbsDiffMs).toBe(2)
  })
})
