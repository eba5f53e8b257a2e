/**
 * Measures how a virtualized list scrolls: inside the page, a requestAnimationFrame loop moves the list's
 * scrollTop at a constant speed (time-based, like a fling, so a slow frame means a bigger jump rather than
 * a slower sweep) from the top to the end, and records per frame the time since the previous frame, how
 * many rows exist, whether the rows that will be painted cover the viewport, and any <img> in the list.
 * Long animation frames (the Long Animation Frames API) are collected alongside as the main thread's view.
 */
import type { Page } from '@playwright/test'

/** What the sweep asks of the page. */
export interface SweepOptions {
  /** CSS selector of the scrolling element. */
  list: string
  /** CSS selector of one rendered row; each must carry `data-index`. */
  row: string
  /** Fixed row height in px (the list's ROW_HEIGHT). */
  rowHeight: number
  /** Scroll speed in px per ms (12 = 12,000 px/s, a fast fling). */
  speedPxPerMs: number
  /** Stop after this long even if the end was not reached (ms). */
  maxMs: number
}

/** What the page measured. */
export interface SweepSample {
  /** Time between consecutive animation frames (ms), from rAF timestamps. */
  frameDeltas: number[]
  /** The same, for 30 frames at rest just before the sweep. */
  idleFrameDeltas: number[]
  frames: number
  /** Frames whose painted viewport had rows missing (the window lagged the scroll position). */
  uncoveredFrames: number
  maxRows: number
  minRows: number
  maxImages: number
  reachedEnd: boolean
  finalScrollTop: number
  scrollHeight: number
  durationMs: number
  longFrames: { count: number; maxMs: number; supported: boolean }
}

/** Frame statistics for a report. */
export interface FrameStats {
  frames: number
  medianMs: number
  p95Ms: number
  maxMs: number
  /** Frames lost: for each interval longer than 1.5 nominal frames, the frames it skipped. */
  droppedFrames: number
}

/** The value at quantile q (0–1) of sorted numbers, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

/** Summarises frame intervals; the nominal interval is the display's (60 Hz) unless the median is longer. */
export function frameStats(deltas: readonly number[], nominalMs = 1000 / 60): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b)
  const nominal = Math.max(nominalMs, quantile(sorted, 0.5))
  const dropped = deltas.reduce((sum, d) => sum + (d > 1.5 * nominal ? Math.round(d / nominal) - 1 : 0), 0)
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    frames: deltas.length,
    medianMs: round(quantile(sorted, 0.5)),
    p95Ms: round(quantile(sorted, 0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    droppedFrames: dropped,
  }
}

/** Runs the sweep in the page (bounded by `maxMs` plus a little) and returns the raw sample. */
export function sweepScroll(page: Page, options: SweepOptions): Promise<SweepSample> {
  return page.evaluate(async (o) => {
    const list = document.querySelector<HTMLElement>(o.list)
    if (!list) throw new Error(`no element matches ${o.list}`)
    const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))
    list.scrollTop = 0
    await nextFrame()
    await nextFrame()
    // The same page at rest, for comparison: what one frame costs here when nothing scrolls.
    const idleFrameDeltas: number[] = []
    for (let last = await nextFrame(); idleFrameDeltas.length < 30;) {
      const now = await nextFrame()
      idleFrameDeltas.push(now - last)
      last = now
    }
    const long = { count: 0, maxMs: 0, supported: PerformanceObserver.supportedEntryTypes.includes('long-animation-frame') }
    const observer = new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries()) {
        long.count++
        long.maxMs = Math.max(long.maxMs, Math.round(entry.duration))
      }
    })
    if (long.supported) observer.observe({ type: 'long-animation-frame' })
    const end = list.scrollHeight - list.clientHeight
    const sample = { frameDeltas: [] as number[], uncoveredFrames: 0, maxRows: 0, minRows: Number.POSITIVE_INFINITY, maxImages: 0 }
    // The rows in the DOM now are what this frame paints at the scrollTop set in the previous frame.
    const inspect = () => {
      const rows = list.querySelectorAll<HTMLElement>(o.row)
      const indexes = new Set(Array.from(rows, (r) => Number(r.dataset.index)))
      const first = Math.floor(list.scrollTop / o.rowHeight)
      const last = Math.min(Math.ceil(list.scrollHeight / o.rowHeight), Math.ceil((list.scrollTop + list.clientHeight) / o.rowHeight)) - 1
      let covered = true
      for (let i = first; i <= last && covered; i++) covered = indexes.has(i)
      if (!covered) sample.uncoveredFrames++
      sample.maxRows = Math.max(sample.maxRows, rows.length)
      sample.minRows = Math.min(sample.minRows, rows.length)
      sample.maxImages = Math.max(sample.maxImages, list.querySelectorAll('img').length)
    }
    const started = await nextFrame()
    let previous = started
    let reachedAt: number | undefined
    for (;;) {
      const now = await nextFrame()
      sample.frameDeltas.push(now - previous)
      previous = now
      inspect()
      if (reachedAt !== undefined && now - reachedAt > 250) break
      if (now - started > o.maxMs) break
      list.scrollTop = Math.min(end, (now - started) * o.speedPxPerMs)
      if (reachedAt === undefined && list.scrollTop >= end - 1) reachedAt = now
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    observer.disconnect()
    return {
      ...sample,
      idleFrameDeltas,
      frames: sample.frameDeltas.length,
      reachedEnd: reachedAt !== undefined,
      finalScrollTop: list.scrollTop,
      scrollHeight: list.scrollHeight,
      durationMs: Math.round(previous - started),
      longFrames: long,
    }
  }, options)
}
