/**
 * The RTT sparkline: a uPlot chart created once per mount, fed with setData as samples arrive, resized
 * with its box and destroyed on unmount. It is an image to assistive technology, named by a summary in
 * words. Where no canvas can be drawn (or uPlot fails to load) the summary is all it shows.
 */
import 'uplot/dist/uPlot.min.css'
import { useEffect, useMemo, useRef, useState } from 'react'
import { MAX_SAMPLES, type RttSample } from '../../../shared/session/view'
import { summarizeRtt } from './monitor-format'
import type { RttChart } from './rtt-chart'

/** uPlot's aligned data: times in seconds, RTTs in ms with null for a missed heartbeat (a gap). */
export type ChartData = [number[], (number | null)[]]

/** Converts samples to chart data. */
export function toChartData(samples: readonly RttSample[]): ChartData {
  return [samples.map((s) => s.at / 1000), samples.map((s) => s.rttMs)]
}

/** True where uPlot can run: it needs matchMedia when imported and a 2D canvas context to draw. */
export function canDrawCharts(): boolean {
  if (typeof window.matchMedia !== 'function') return false
  try {
    return document.createElement('canvas').getContext('2d') !== null
  } catch {
    return false
  }
}

/** Props of RttSparkline. */
export interface RttSparklineProps {
  samples: readonly RttSample[]
  intervalMs: number
}

/** Renders the sparkline of one session. */
export function RttSparkline({ samples, intervalMs }: RttSparklineProps) {
  const label = summarizeRtt(samples, intervalMs)
  const data = useMemo(() => toChartData(samples), [samples])
  const [drawable, setDrawable] = useState(canDrawCharts)
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<RttChart | null>(null)
  const latest = useRef(data)
  const windowMs = useRef(MAX_SAMPLES * intervalMs)

  useEffect(() => {
    latest.current = data
    chart.current?.setData(data)
  }, [data])
  useEffect(() => {
    windowMs.current = MAX_SAMPLES * intervalMs
  }, [intervalMs])

  useEffect(() => {
    const el = box.current
    if (!drawable || !el) return undefined
    let cancelled = false
    let observer: ResizeObserver | undefined
    let made: RttChart | undefined
    import('./rtt-chart').then(({ createRttChart }) => {
      if (cancelled) return
      const created = createRttChart(el, latest.current, () => windowMs.current)
      made = created
      chart.current = created
      if (typeof ResizeObserver === 'function') {
        observer = new ResizeObserver(() => created.resize(el.clientWidth))
        observer.observe(el)
      }
    }).catch(() => {
      // uPlot failed to load or to draw: the summary in words is still there.
      if (!cancelled) setDrawable(false)
    })
    return () => {
      cancelled = true
      observer?.disconnect()
      made?.destroy()
      chart.current = null
    }
  }, [drawable])

  return (
    <div className="rtt-sparkline" role="img" aria-label={label}>
      {drawable ? <div ref={box} className="rtt-sparkline-chart" /> : <span className="rtt-sparkline-text" aria-hidden="true">{label}</span>}
    </div>
  )
}
