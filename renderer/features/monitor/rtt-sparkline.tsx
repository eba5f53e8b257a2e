/**
 * The RTT sparkline: a uPlot chart created once per mount, fed with setData as samples arrive, resized
 * with its box and destroyed on unmount. It is an image to assistive technology, named by a summary in
 * words. Where no canvas can be drawn (or uPlot fails to load) the summary is all it shows.
 */
import 'uplot/dist/uPlot.min.css'
import { useEffect, useMemo, useRef } from 'react'
import { useLazyChart } from '../../lib/use-lazy-chart'
import { MAX_SAMPLES, type RttSample } from '../../../shared/session/view'
import { summarizeRtt } from './monitor-format'

/** uPlot's aligned data: times in seconds, RTTs in ms with null for a missed heartbeat (a gap). */
export type ChartData = [number[], (number | null)[]]

/** Converts samples to chart data. */
export function toChartData(samples: readonly RttSample[]): ChartData {
  return [samples.map((s) => s.at / 1000), samples.map((s) => s.rttMs)]
}

export { canDrawCharts } from '../../lib/use-lazy-chart'

/** Props of RttSparkline. */
export interface RttSparklineProps {
  samples: readonly RttSample[]
  intervalMs: number
}

/** Renders the sparkline of one session. */
export function RttSparkline({ samples, intervalMs }: RttSparklineProps) {
  const label = summarizeRtt(samples, intervalMs)
  const data = useMemo(() => toChartData(samples), [samples])
  const windowMs = useRef(MAX_SAMPLES * intervalMs)
  useEffect(() => {
    windowMs.current = MAX_SAMPLES * intervalMs
  }, [intervalMs])
  const { box, drawable } = useLazyChart(data, () => import('./rtt-chart').then(({ createRttChart }) => (el: HTMLDivElement, d: ChartData) => createRttChart(el, d, () => windowMs.current)))

  return (
    <div className="rtt-sparkline" role="img" aria-label={label}>
      {drawable ? <div ref={box} className="rtt-sparkline-chart" /> : <span className="rtt-sparkline-text" aria-hidden="true">{label}</span>}
    </div>
  )
}
