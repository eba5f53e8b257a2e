/**
 * Link quality from a series of probe round trips (issue #6 item 4): loss, RTT spread, jitter, stalls, a
 * windowed series for the chart, RTT spikes, and whether spikes or loss bursts come back on a timer.
 * Measured, never inferred from signal strength: a strong signal says nothing about a radio that sleeps,
 * scans or freezes (field report B01: a 1 s ping link silent for ~30 s every few hours). Pure; samples come
 * from link-probe.ts (TCP connect timing) or a session heartbeat, `null` meaning the probe went unanswered.
 */

/** One probe: when it was sent (ms, monotonic) and its round trip, or null when it went unanswered. */
export interface LinkSampleInput { readonly at: number; readonly rttMs: number | null }
/** The verdict scale shared with the Diagnose checklist. */
export type LinkStatus = 'pass' | 'warn' | 'fail'
/** Distribution of the answered round trips, in ms. */
export interface RttStats { min: number; p50: number; p95: number; max: number; mean: number }
/** One chart bucket. `p50Ms`/`maxMs` are null when nothing in the bucket was answered. */
export interface LinkWindow { startAt: number; count: number; lost: number; lossPct: number; p50Ms: number | null; maxMs: number | null }
/** Consecutive anomalous samples (spiking or lost) merged into one event. */
export interface LinkEvent { startAt: number; endAt: number; samples: number; spikes: number; lost: number; peakRttMs: number | null }
/** A stretch without answers long enough for a user or a keep-alive to notice. */
export interface LinkStall { startAt: number; durationMs: number; lostProbes: number }
/** Spikes or loss bursts that repeat on a timer; `events` counts the events that fit the period. */
export interface LinkPeriodicity {
  kind: 'spikes' | 'loss' | 'spikes-and-loss'; periodMs: number; events: number
  /** Cycles with no event seen (probes can miss a short spike); `cv`: spread of the cycle lengths; `confidence`: 0–1. */
  missed: number; cv: number; confidence: number; explanation: string
}
/** One problem found, kebab-case `code`, with what to do about it. */
export interface LinkFinding {
  code: 'no-samples' | 'no-answer' | 'high-loss' | 'some-loss' | 'slow' | 'very-slow' | 'stall' | 'long-stall' | 'periodic'
  status: Exclude<LinkStatus, 'pass'>; message: string; advice: string
}
/** Where pass turns to warn and warn to fail; see DEFAULT_LINK_THRESHOLDS for why. */
export interface LinkThresholds { lossWarnPct: number; lossFailPct: number; p95WarnMs: number; p95FailMs: number; stallWarnMs: number; stallFailMs: number }
/** Tuning; every field has a default. */
export interface LinkAnalysisOptions { windowMs?: number; maxWindows?: number; periodicMaxCv?: number; minPeriodicEvents?: number; thresholds?: Partial<LinkThresholds> }

/** The whole analysis: figures, chart series, events and a verdict in plain language. */
export interface LinkQuality {
  /** `ignored`: samples dropped because `at` or `rttMs` was not a usable number. */
  count: number; ignored: number; received: number; lost: number; lossPct: number; durationMs: number
  rtt: RttStats | null
  /** RFC 3550 §6.4.1 smoothed jitter and the plain mean absolute successive difference, over answered RTTs. */
  jitter: { rfc3550Ms: number; meanAbsDiffMs: number } | null
  /** `longestGapMs`: longest wait for an answer: a loss run (first lost send → next answered send) or one answer's RTT. */
  longestLossRun: number; longestGapMs: number; stalls: LinkStall[]
  windowMs: number; windows: LinkWindow[]
  spikes: { thresholdMs: number | null; count: number; events: LinkEvent[] }
  periodic: LinkPeriodicity | null
  status: LinkStatus; summary: string; advice: string; findings: LinkFinding[]
}

/**
 * Loss: a LAN should lose well under 1 %; past 5 % TCP (throughput ∝ 1/√loss) and every request/response
 * exchange visibly suffer, past 25 % one exchange in four waits for a retransmission timeout.
 * RTT: a wired LAN answers in ~1 ms and healthy Wi-Fi within tens of ms (power save can add a beacon
 * interval, ~100 ms), so a p95 above 100 ms is worth a look; above 1 s it exceeds TCP's initial RTO
 * (RFC 6298 §2) and interactions feel broken. Stalls: 3 s outlasts the retransmissions a healthy LAN needs
 * (1 s initial RTO plus one doubling) and users notice it; 15 s is where keep-alives give up (B01's server
 * logged "No keep-alive received for 16 seconds" before timing out).
 */
export const DEFAULT_LINK_THRESHOLDS: LinkThresholds = { lossWarnPct: 5, lossFailPct: 25, p95WarnMs: 100, p95FailMs: 1000, stallWarnMs: 3000, stallFailMs: 15_000 }

/** Answered samples needed before a median/MAD baseline may call anything a spike. */
const MIN_SPIKE_BASELINE = 5
/** A period shorter than this many probe intervals is indistinguishable from sampling quantisation. */
const MIN_PERIOD_INTERVALS = 5
/** An inter-event interval fits the period when it is k periods ±25 % of one period, k = 1…4. */
const GRID_TOLERANCE = 0.25
/** At most this share of intervals may be off the grid (an unrelated spike splits one cycle in two). */
const MAX_OFF_GRID = 0.2

type Sample = { at: number; rttMs: number | null }
type Run = { from: number; to: number }

/** Ascending copy; a typed array sorts numbers natively, several times faster than a comparator. */
const sorted = (xs: readonly number[]) => new Float64Array(xs).sort()
/** Linear-interpolation quantile (numpy's default) of an ascending, non-empty list. */
function quantile(asc: ArrayLike<number>, q: number): number {
  const pos = (asc.length - 1) * q
  const lo = Math.floor(pos)
  const a = asc[lo] ?? 0
  return a + ((asc[lo + 1] ?? a) - a) * (pos - lo)
}
const median = (xs: readonly number[]) => quantile(sorted(xs), 0.5)
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
/** Largest value or 0; a loop, since Math.max(...xs) overflows the argument list on a day of 1 s probes. */
const largest = (xs: readonly number[]) => xs.reduce((m, x) => Math.max(m, x), 0)
function rttsOf(series: readonly Sample[]): number[] {
  const out: number[] = []
  for (const s of series) if (s.rttMs !== null) out.push(s.rttMs)
  return out
}

/** Maximal runs of consecutive samples matching `is`. */
function runsOf(series: readonly Sample[], is: (s: Sample) => boolean): Run[] {
  const runs: Run[] = []
  series.forEach((s, i) => {
    if (!is(s)) return
    const last = runs.at(-1)
    if (last && last.to === i - 1) last.to = i
    else runs.push({ from: i, to: i })
  })
  return runs
}

function rttStats(rtts: readonly number[]): RttStats | null {
  if (rtts.length === 0) return null
  const asc = sorted(rtts)
  return { min: asc[0] ?? 0, p50: quantile(asc, 0.5), p95: quantile(asc, 0.95), max: asc.at(-1) ?? 0, mean: mean(rtts) }
}

/** RFC 3550 §6.4.1 applied to round trips: J += (|D| − J) / 16 over consecutive answers (losses skipped, as
 * the RFC skips packets never received). It measures round-trip variation, not one-way jitter. */
function jitterOf(rtts: readonly number[]): LinkQuality['jitter'] {
  if (rtts.length < 2) return null
  const diffs = rtts.slice(1).map((r, i) => Math.abs(r - (rtts[i] ?? r)))
  return { rfc3550Ms: diffs.reduce((j, d) => j + (d - j) / 16, 0), meanAbsDiffMs: mean(diffs) }
}

/**
 * Spike threshold = max(3 × median, median + 6 × MAD, median + 20 ms). The MAD term (6 raw MAD ≈ 4σ for
 * normal noise) follows a link's own noise, so a jittery but healthy link is not all spikes; 3 × median keeps
 * a slow but steady path from flagging its ordinary spread; the 20 ms floor keeps a 1–3 ms LAN from calling
 * 8 ms a spike, while an off-channel Wi-Fi scan or a power-save wake (tens to hundreds of ms) clears it.
 */
function spikeThreshold(rtts: readonly number[]): number | null {
  if (rtts.length < MIN_SPIKE_BASELINE) return null
  const med = median(rtts)
  const mad = median(rtts.map((r) => Math.abs(r - med)))
  return Math.max(3 * med, med + 6 * mad, med + 20)
}

function windowsOf(series: readonly Sample[], windowMs: number): LinkWindow[] {
  const t0 = series[0]?.at ?? 0
  const buckets: Sample[][] = Array.from({ length: series.length === 0 ? 0 : Math.floor(((series.at(-1)?.at ?? t0) - t0) / windowMs) + 1 }, () => [])
  for (const s of series) buckets[Math.floor((s.at - t0) / windowMs)]?.push(s)
  return buckets.map((b, i) => {
    const asc = sorted(rttsOf(b))
    const lost = b.length - asc.length
    return { startAt: t0 + i * windowMs, count: b.length, lost, lossPct: b.length ? (100 * lost) / b.length : 0, p50Ms: asc.length ? quantile(asc, 0.5) : null, maxMs: asc.at(-1) ?? null }
  })
}

/**
 * Stalls: ≥ `minMs` without an answer, either one answer that took that long or a loss run that random loss
 * at the measured rate would not explain (expected number of such runs n·pʳ < 0.05). So scattered loss
 * stays a loss finding (5 % random loss gives a run of 3 in 30 min about one time in five) while a
 * freeze like B01's is a stall even when overall loss is low; one lost probe is never a stall.
 */
function stallsOf(series: readonly Sample[], spacing: number, minMs: number): { stalls: LinkStall[]; longestGapMs: number; longestLossRun: number } {
  const runs: LinkStall[] = runsOf(series, (s) => s.rttMs === null).map(({ from, to }) => {
    const start = series[from]?.at ?? 0
    const end = series[to + 1]?.at ?? (series[to]?.at ?? start) + spacing
    return { startAt: start, durationMs: end - start, lostProbes: to - from + 1 }
  })
  const lossRate = runs.reduce((n, g) => n + g.lostProbes, 0) / Math.max(1, series.length)
  const slow = series.flatMap((s) => (s.rttMs !== null && s.rttMs >= minMs ? [{ startAt: s.at, durationMs: s.rttMs, lostProbes: 0 }] : []))
  return {
    stalls: [...runs.filter((g) => g.durationMs >= minMs && series.length * lossRate ** g.lostProbes < 0.05), ...slow].sort((x, y) => x.startAt - y.startAt),
    longestGapMs: largest([...runs.map((g) => g.durationMs), ...rttsOf(series)]),
    longestLossRun: largest(runs.map((g) => g.lostProbes)),
  }
}

/** A period when ≥ `minEvents` event starts sit on a regular grid (missed cycles allowed) with cycle CV ≤ `maxCv`. */
function periodOf(starts: readonly number[], minEvents: number, maxCv: number, minPeriodMs: number): Omit<LinkPeriodicity, 'kind' | 'explanation'> | null {
  if (starts.length < minEvents) return null
  const intervals = starts.slice(1).map((t, i) => t - (starts[i] ?? t))
  const p0 = median(intervals)
  if (!(p0 >= minPeriodMs) || p0 <= 0) return null
  const cycles: number[] = []
  let missed = 0
  for (const iv of intervals) {
    const k = Math.round(iv / p0)
    if (k < 1 || k > 4 || Math.abs(iv / k - p0) > GRID_TOLERANCE * p0) continue
    cycles.push(iv / k)
    missed += k - 1
  }
  const offGrid = intervals.length - cycles.length
  if (offGrid > MAX_OFF_GRID * intervals.length || cycles.length < minEvents - 1) return null
  const periodMs = mean(cycles)
  const cv = Math.sqrt(mean(cycles.map((c) => (c - periodMs) ** 2))) / periodMs
  if (cv > maxCv) return null
  // Fit (1 at cv 0, 0.5 at the limit) × count (full from 5 on-grid cycles) × share of intervals on the grid.
  const confidence = (1 - cv / (2 * maxCv)) * Math.min(1, cycles.length / 5) * (cycles.length / intervals.length)
  return { periodMs, events: cycles.length + 1, missed, cv, confidence: Math.round(confidence * 100) / 100 }
}

const EXPLAIN: Record<LinkPeriodicity['kind'], string> = { spikes: 'RTT spikes', loss: 'Lost probes in bursts', 'spikes-and-loss': 'RTT spikes and lost probes' }
const CAUSE = 'typical of a Wi-Fi background scan or power-save on the accessory or this computer'

function periodicityOf(events: readonly LinkEvent[], minEvents: number, maxCv: number, minPeriodMs: number): LinkPeriodicity | null {
  const candidates = [
    ['spikes', events.filter((e) => e.spikes > 0)],
    ['loss', events.filter((e) => e.lost > 0)],
    ['spikes-and-loss', events],
  ] as const
  let best: LinkPeriodicity | null = null
  for (const [kind, list] of candidates) {
    const found = periodOf(list.map((e) => e.startAt), minEvents, maxCv, minPeriodMs)
    if (!found || (best && found.confidence <= best.confidence)) continue
    best = { kind, ...found, explanation: `${EXPLAIN[kind]} every ~${formatSpan(found.periodMs)}: ${CAUSE}.` }
  }
  return best
}

/** "3.2 ms", "48 ms". */
const formatMs = (ms: number) => (ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`)
/** "850 ms", "102 s", "12.5 min", "2.1 h". */
function formatSpan(ms: number): string {
  if (ms < 1000) return formatMs(ms)
  const s = ms / 1000
  if (s < 120) return `${Math.round(s)} s`
  return s < 7200 ? `${Number((s / 60).toFixed(1))} min` : `${Number((s / 3600).toFixed(1))} h`
}

type Figures = Omit<LinkQuality, 'status' | 'summary' | 'advice' | 'findings'>

function findingsOf(q: Figures, t: LinkThresholds): LinkFinding[] {
  const out: LinkFinding[] = []
  const add = (code: LinkFinding['code'], status: LinkFinding['status'], message: string, advice: string) => out.push({ code, status, message, advice })
  if (q.count === 0) {
    add('no-samples', 'warn', 'No probes were measured, so link quality is unknown.', 'Run the link test again while the device is connected.')
    return out
  }
  if (q.received === 0) {
    add('no-answer', 'fail', `The device answered none of ${q.count} probes.`, 'Check that the device is powered and on this network, and that its address and port are right.')
    return out
  }
  const lossText = `${q.lossPct.toFixed(1)} % of probes went unanswered`
  const lossAdvice = 'Check where the accessory sits relative to the access point and how crowded its Wi-Fi channel is; a busy device can also drop probes itself.'
  if (q.lossPct > t.lossFailPct) add('high-loss', 'fail', `${lossText}; the app will keep timing out.`, lossAdvice)
  else if (q.lossPct > t.lossWarnPct) add('some-loss', 'warn', `${lossText}; a local link should lose almost none.`, lossAdvice)
  const p95 = q.rtt?.p95 ?? 0
  const slowText = `1 in 20 answers took longer than ${formatMs(p95)}; a local network answers within a few ms`
  const slowAdvice = 'Look for a congested or distant access point, Wi-Fi power save on the accessory, or traffic leaving the local network (a VPN or a second router).'
  if (p95 > t.p95FailMs) add('very-slow', 'fail', `${slowText}.`, slowAdvice)
  else if (p95 > t.p95WarnMs) add('slow', 'warn', `${slowText}.`, slowAdvice)
  const worst = largest(q.stalls.map((s) => s.durationMs))
  const stallText = `The link went silent for ${formatSpan(worst)} (${q.stalls.length} time${q.stalls.length === 1 ? '' : 's'})`
  const stallAdvice = 'Connections that rely on a keep-alive will drop. Check whether the accessory or this computer puts Wi-Fi to sleep (power save, a locked phone screen) and whether the silences repeat.'
  if (worst >= t.stallFailMs) add('long-stall', 'fail', `${stallText}.`, stallAdvice)
  else if (worst >= t.stallWarnMs) add('stall', 'warn', `${stallText}.`, stallAdvice)
  if (q.periodic) {
    add('periodic', 'warn', q.periodic.explanation, 'Repeat the test with this computer on Ethernet: if the pattern stays, look at the accessory (power save, firmware) or its access point; if it goes, this computer\'s Wi-Fi is scanning (apps that locate you or list networks trigger scans).')
  }
  return out
}

function verdictOf(q: Figures, t: LinkThresholds): Pick<LinkQuality, 'status' | 'summary' | 'advice' | 'findings'> {
  const findings = findingsOf(q, t)
  const status: LinkStatus = findings.some((f) => f.status === 'fail') ? 'fail' : findings.length ? 'warn' : 'pass'
  const figures = q.rtt
    ? `${q.count} probes over ${formatSpan(q.durationMs)}: ${q.lossPct.toFixed(1)} % lost, RTT median ${formatMs(q.rtt.p50)}, p95 ${formatMs(q.rtt.p95)}` +
      (q.jitter ? `, jitter ${formatMs(q.jitter.rfc3550Ms)}.` : '.')
    : ''
  const worst = findings.find((f) => f.status === 'fail') ?? findings[0]
  const summary = [figures, worst ? worst.message : 'The link answered quickly and steadily.'].filter(Boolean).join(' ')
  const advice = findings.length ? [...new Set(findings.map((f) => f.advice))].join(' ') : 'Nothing to do.'
  return { status, summary, advice, findings }
}

/** Analyses a probe series (any order; unusable samples ignored): loss, RTT, jitter, stalls, spikes, periodicity, verdict. */
export function analyseLink(samples: readonly LinkSampleInput[], options: LinkAnalysisOptions = {}): LinkQuality {
  const thresholds = { ...DEFAULT_LINK_THRESHOLDS, ...options.thresholds }
  const series: Sample[] = samples
    .filter((s) => Number.isFinite(s.at) && (s.rttMs === null || (Number.isFinite(s.rttMs) && s.rttMs >= 0)))
    .map((s) => ({ at: s.at, rttMs: s.rttMs }))
    .sort((a, b) => a.at - b.at)
  const rtts = rttsOf(series)
  const durationMs = (series.at(-1)?.at ?? 0) - (series[0]?.at ?? 0)
  const spacing = series.length > 1 ? median(series.slice(1).map((s, i) => s.at - (series[i]?.at ?? s.at))) : 0
  const baseWindow = options.windowMs !== undefined && options.windowMs > 0 ? options.windowMs : 10_000
  const windowMs = baseWindow * Math.max(1, Math.ceil((Math.floor(durationMs / baseWindow) + 1) / Math.max(1, options.maxWindows ?? 360)))
  const thresholdMs = spikeThreshold(rtts)
  const isSpike = (s: Sample) => thresholdMs !== null && s.rttMs !== null && s.rttMs > thresholdMs
  const events: LinkEvent[] = runsOf(series, (s) => s.rttMs === null || isSpike(s)).map(({ from, to }) => {
    const run = series.slice(from, to + 1)
    const answered = rttsOf(run)
    return { startAt: run[0]?.at ?? 0, endAt: run.at(-1)?.at ?? 0, samples: run.length, spikes: run.filter(isSpike).length, lost: run.length - answered.length, peakRttMs: answered.length ? largest(answered) : null }
  })
  const minPeriodMs = Math.max(1, spacing * MIN_PERIOD_INTERVALS)
  const figures: Figures = {
    count: series.length,
    ignored: samples.length - series.length,
    received: rtts.length,
    lost: series.length - rtts.length,
    lossPct: series.length ? (100 * (series.length - rtts.length)) / series.length : 0,
    durationMs,
    rtt: rttStats(rtts),
    jitter: jitterOf(rtts),
    ...stallsOf(series, spacing, thresholds.stallWarnMs),
    windowMs,
    windows: windowsOf(series, windowMs),
    spikes: { thresholdMs, count: series.filter(isSpike).length, events: events.filter((e) => e.spikes > 0) },
    periodic: periodicityOf(events, Math.max(3, options.minPeriodicEvents ?? 3), options.periodicMaxCv ?? 0.15, minPeriodMs),
  }
  return { ...figures, ...verdictOf(figures, thresholds) }
}
