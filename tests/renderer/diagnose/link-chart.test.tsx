/**
 * The link-quality chart for real: uPlot against the recording canvas of the Monitor tests (jsdom has none),
 * and the words that jsdom itself gets. Losses must be breaks in the line, never bridged.
 */
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LinkChart, toLinkChartData } from '../../../renderer/features/diagnose/link-chart'
import { installFakeCanvas, type FakeCanvas, type PathLog } from '../monitor/fake-canvas'
import { makeLink } from './fixtures'

let fake: FakeCanvas | null = null
afterEach(() => {
  cleanup()
  fake?.restore()
  fake = null
  vi.restoreAllMocks()
})

async function settle() {
  await act(async () => {
    await vi.dynamicImportSettled()
  })
}

/** Clip paths made only of rectangles: uPlot leaves gaps out by clipping, one rectangle per drawn segment. */
const gapClips = (paths: readonly PathLog[]) => paths.filter((p) => p.length >= 2 && p.every((s) => s === 'R'))

const WITH_LOSS = makeLink()
const LABEL = 'Round-trip time over 2.3 s: median 4 ms, 95th percentile 42 ms, max 42 ms, 20 % (2 of 10 probes) lost'

describe('toLinkChartData', () => {
  it('gives seconds since the first probe, RTTs with null for a loss, and a loss marker at 0', () => {
    const [x, rtt, lost] = toLinkChartData([{ at: 5000, rttMs: 3 }, { at: 5250, rttMs: null }, { at: 5500, rttMs: 4 }])
    expect(x).toEqual([0, 0.25, 0.5])
    expect(rtt).toEqual([3, null, 4])
    expect(lost).toEqual([null, 0, null])
  })
})

describe('where no canvas can be drawn (jsdom as it is)', () => {
  it('shows the run in words as an image named by the same words, and never loads uPlot', async () => {
    const { container } = render(<LinkChart link={WITH_LOSS} />)
    await settle()
    const img = screen.getByRole('img', { name: LABEL })
    expect(img.textContent).toBe(LABEL)
    expect(container.querySelector('canvas, .uplot')).toBeNull()
  })
})

describe('with a canvas (real uPlot)', () => {
  it('draws one chart with axes, named in words, and leaves the lost probes as a break in the line', async () => {
    fake = installFakeCanvas()
    const { container } = render(<LinkChart link={WITH_LOSS} />)
    await settle()
    const img = screen.getByRole('img', { name: LABEL })
    expect(img.querySelectorAll('.uplot canvas')).toHaveLength(1)
    expect(img.querySelector('.link-chart-text')).toBeNull()
    expect(container.querySelectorAll('.u-axis')).toHaveLength(2)
    // Two lost probes in a row: the line is clipped into the two segments either side.
    expect(gapClips(fake.paths).map((p) => p.length)).toEqual([2])
  })

  it('an unbroken run is one unbroken line', async () => {
    fake = installFakeCanvas()
    render(<LinkChart link={makeLink({ samples: [3, 4, 5, 4].map((rttMs, i) => ({ at: i * 250, rttMs })), lossPct: 0 })} />)
    await settle()
    expect(fake.paths.length).toBeGreaterThan(0)
    expect(gapClips(fake.paths)).toEqual([])
  })

  it('keeps a point for an answer between two losses when a long run hides the points', async () => {
    fake = installFakeCanvas()
    const rtts = Array.from({ length: 200 }, (_, i) => (i === 99 || i === 101 ? null : 4))
    render(<LinkChart link={makeLink({ samples: rtts.map((rttMs, i) => ({ at: i * 250, rttMs })) })} />)
    await settle()
    // The isolated answer is one point (move + arc); the two losses are the markers' two points.
    expect(fake.paths.filter((p) => p.join('') === 'MA')).toHaveLength(1)
    expect(fake.paths.filter((p) => p.join('') === 'MAMA')).toHaveLength(1)
  })

  it('feeds a new run into the same chart, and destroys it on unmount', async () => {
    fake = installFakeCanvas()
    const { container, rerender, unmount } = render(<LinkChart link={WITH_LOSS} />)
    await settle()
    const chart = container.querySelector('.uplot')
    const before = fake.paths.length
    rerender(<LinkChart link={makeLink({ samples: [3, 4, null, 5, 6, null, 7, 8].map((rttMs, i) => ({ at: i * 250, rttMs })) })} />)
    await settle()
    expect(container.querySelector('.uplot')).toBe(chart)
    expect(gapClips(fake.paths.slice(before)).map((p) => p.length)).toEqual([3])
    const removed = vi.spyOn(window, 'removeEventListener')
    unmount()
    expect(removed.mock.calls.map(([type]) => type)).toContain('dppxchange')
  })
})
