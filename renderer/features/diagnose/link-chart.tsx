/**
 * The link-quality chart of one device: a uPlot chart created once per mount, fed with setData when the
 * report changes, resized with its box and destroyed on unmount (the same lifecycle as the Monitor
 * sparkline). It is an image to assistive technology, named by the run in words; where no canvas can be
 * drawn (or uPlot fails to load) the words are all it shows.
 */
import 'uplot/dist/uPlot.min.css'
import { useMemo } from 'react'
import { useLazyChart } from '../../lib/use-lazy-chart'
import type { LinkQualityView } from '../../../shared/diagnose/view'
import { describeLink } from './diagnose-format'

/** uPlot's aligned data: seconds since the first probe, RTT in ms (null: lost), and 0 where a probe was lost. */
export type LinkChartData = [number[], (number | null)[], (number | null)[]]

/** Converts probe samples to chart data, time relative to the first probe. */
export function toLinkChartData(samples: LinkQualityView['samples']): LinkChartData {
  const start = samples[0]?.at ?? 0
  return [
    samples.map((s) => (s.at - start) / 1000),
    samples.map((s) => s.rttMs),
    samples.map((s) => (s.rttMs === null ? 0 : null)),
  ]
}

/** Renders the chart of one link-quality run. */
export function LinkChart({ link }: { link: LinkQualityView }) {
  const label = describeLink(link)
  const data = useMemo(() => toLinkChartData(link.samples), [link.samples])
  const { box, drawable } = useLazyChart(data, () => import('./link-uplot').then(({ createLinkPlot }) => createLinkPlot), link.samples.length > 0)

  return (
    <figure className="link-chart">
      <div className="link-chart-box" role="img" aria-label={label}>
        {drawable ? <div ref={box} className="link-chart-canvas" /> : <span className="link-chart-text" aria-hidden="true">{label}</span>}
      </div>
      <figcaption className="muted small">
        Round-trip time of each probe over the run. A break in the line, with a marker on the time axis, is a probe
        that got no answer.
      </figcaption>
    </figure>
  )
}
