/**
 * The uPlot side of the link-quality chart, loaded on demand by link-chart.tsx (uPlot calls matchMedia as soon
 * as it is imported, see rtt-chart.ts). Round-trip time over the probe run with a break in the line for every
 * unanswered probe, and a marker on the time axis where each was lost. The figures next to the chart and its
 * accessible name carry the same information in words.
 */
import uPlot from 'uplot'
import type { LinkChartData } from './link-chart'

/** What the wrapper needs of a chart. */
export interface LinkPlot {
  setData: (data: LinkChartData) => void
  resize: (width: number) => void
  destroy: () => void
}

/** Chart height in CSS pixels (the CSS gives the box the same height). */
export const LINK_CHART_HEIGHT = 180
const FALLBACK_WIDTH = 480

function cssColor(el: HTMLElement, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback
}

/**
 * Where uPlot hides the points of a dense series, an answer between two losses would be a line of no length,
 * so invisible: those isolated answers keep their point.
 */
export function isolatedPoints(u: uPlot, seriesIdx: number, show: boolean): number[] | null {
  if (show) return null
  const ys = u.data[seriesIdx] ?? []
  const answered = (i: number) => ys[i] !== null && ys[i] !== undefined
  const idxs: number[] = []
  for (let i = 0; i < ys.length; i++) if (answered(i) && !answered(i - 1) && !answered(i + 1)) idxs.push(i)
  return idxs.length > 0 ? idxs : null
}

/** Draws `data` into `container`. */
export function createLinkPlot(container: HTMLElement, data: LinkChartData): LinkPlot {
  const line = cssColor(container, '--accent', '#b35c00')
  const lost = cssColor(container, '--bad', '#b3261e')
  const text = cssColor(container, '--muted', '#5d636b')
  const grid = cssColor(container, '--border', '#dcdad3')
  const axis = (values: (u: uPlot, ticks: number[]) => string[]): uPlot.Axis => ({
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    values,
  })
  const options: uPlot.Options = {
    width: container.clientWidth || FALLBACK_WIDTH,
    height: LINK_CHART_HEIGHT,
    class: 'link-uplot',
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false },
      y: { range: (_u, _min, max) => [0, Number.isFinite(max) && max > 0 ? max * 1.15 : 1] },
    },
    axes: [
      axis((_u, ticks) => ticks.map((t) => `${Number(t.toFixed(1))} s`)),
      { ...axis((_u, ticks) => ticks.map((t) => `${Number(t.toFixed(1))} ms`)), size: 64 },
    ],
    series: [
      {},
      // spanGaps false: an unanswered probe (null) is a break in the line, never bridged.
      { label: 'Round-trip time', stroke: line, width: 1.5, spanGaps: false, points: { filter: isolatedPoints } },
      // Lost probes: markers only, on the time axis.
      { label: 'Lost', stroke: lost, fill: lost, paths: () => null, points: { show: true, size: 7, stroke: lost, fill: lost } },
    ],
  }
  const plot = new uPlot(options, data, container)
  return {
    setData: (next) => plot.setData(next),
    resize: (width) => {
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: LINK_CHART_HEIGHT })
    },
    destroy: () => plot.destroy(),
  }
}
