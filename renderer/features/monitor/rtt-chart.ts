/**
 * The uPlot side of the RTT sparkline, loaded on demand by rtt-sparkline.tsx: uPlot measures the screen's
 * pixel ratio with matchMedia as soon as it is imported, so it is only imported where a canvas can be drawn.
 * No axes, legend or cursor: the numbers are next to the chart and in its aria-label.
 */
import uPlot from 'uplot'
import type { ChartData } from './rtt-sparkline'

/** What the wrapper needs of a chart. */
export interface RttChart {
  setData: (data: ChartData) => void
  resize: (width: number) => void
  destroy: () => void
}

/** Sparkline height in CSS pixels (the CSS gives the box the same height). */
export const CHART_HEIGHT = 48
const FALLBACK_WIDTH = 240

/** Draws `data` into `container`; `windowMs` is read on every redraw, so the x window follows the interval. */
export function createRttChart(container: HTMLElement, data: ChartData, windowMs: () => number): RttChart {
  const stroke = getComputedStyle(container).getPropertyValue('--accent').trim() || '#b35c00'
  const options: uPlot.Options = {
    width: container.clientWidth || FALLBACK_WIDTH,
    height: CHART_HEIGHT,
    class: 'rtt-uplot',
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [4, 2, 4, 2],
    scales: {
      // A fixed window ending at the newest sample, so a young session fills from the right.
      // The window grows with the data from one minute up to the whole window, so a new session is not a sliver.
      x: { time: true, range: (_u, min, max) => (Number.isFinite(max) ? [max - Math.min(windowMs() / 1000, Math.max(60, max - min)), max] : [0, windowMs() / 1000]) },
      y: { range: (_u, _min, max) => [0, Number.isFinite(max) && max > 0 ? max * 1.15 : 1] },
    },
    axes: [{ show: false }, { show: false }],
    // spanGaps false: a missed heartbeat (null) is drawn as a break in the line, not bridged.
    series: [{}, { stroke, width: 1.5, spanGaps: false, points: { show: false } }],
  }
  const plot = new uPlot(options, data, container)
  return {
    setData: (next) => plot.setData(next),
    resize: (width) => {
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: CHART_HEIGHT })
    },
    destroy: () => plot.destroy(),
  }
}
