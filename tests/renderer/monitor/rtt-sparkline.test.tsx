/**
 * The sparkline for real: uPlot runs against a recording canvas (tests/renderer/monitor/fake-canvas.ts),
 * because jsdom has none; and the fallback that jsdom itself gets, where the summary in words is all.
 */
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RttSample } from '../../../shared/session/view'
import { canDrawCharts, RttSparkline, toChartData } from '../../../renderer/features/monitor/rtt-sparkline'
import { installFakeCanvas, type FakeCanvas, type PathLog } from './fake-canvas'
import { NOW } from './fixtures'

let fake: FakeCanvas | null = null
afterEach(() => {
  cleanup()
  fake?.restore()
  fake = null
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

const samples = (rtts: readonly (number | null)[]): RttSample[] => rtts.map((rttMs, i) => ({ at: NOW + i * 1000, rttMs }))
const WITH_GAP = samples([3, 4, null, 5, 6])

/** Lets the dynamic import of the chart module settle. */
async function settle() {
  await act(async () => {
    await vi.dynamicImportSettled()
  })
}

/** A clip path made only of rectangles: uPlot's way of leaving out the gaps, one rectangle per drawn segment. */
const gapClips = (paths: readonly PathLog[]) => paths.filter((p) => p.length >= 2 && p.every((s) => s === 'R'))

describe('toChartData', () => {
  it('turns samples into seconds and milliseconds, keeping a missed heartbeat as null (a gap)', () => {
    expect(toChartData(WITH_GAP)).toEqual([[NOW / 1000, NOW / 1000 + 1, NOW / 1000 + 2, NOW / 1000 + 3, NOW / 1000 + 4], [3, 4, null, 5, 6]])
  })
})

describe('where no canvas can be drawn', () => {
  it('jsdom as it is (no matchMedia, no canvas): shows the summary in words and never loads uPlot', async () => {
    expect(canDrawCharts()).toBe(false)
    const { container } = render(<RttSparkline samples={WITH_GAP} intervalMs={1000} />)
    await settle()
    const img = screen.getByRole('img')
    expect(img.getAttribute('aria-label')).toBe('RTT last 5 s: median 4.5 ms, max 6 ms, 1 missed')
    expect(img.textContent).toBe('RTT last 5 s: median 4.5 ms, max 6 ms, 1 missed')
    expect(container.querySelector('canvas, .uplot')).toBeNull()
  })

  it('a browser whose canvas has no 2D context gets the same fallback', async () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener: () => undefined, removeEventListener: () => undefined }))
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    expect(canDrawCharts()).toBe(false)
    const { container } = render(<RttSparkline samples={[]} intervalMs={1000} />)
    await settle()
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('RTT: no heartbeats yet')
    expect(container.querySelector('canvas')).toBeNull()
  })
})

describe('with a canvas (real uPlot)', () => {
  it('draws into a canvas, named by the summary, and leaves a missed heartbeat as a break in the line', async () => {
    fake = installFakeCanvas()
    const { container } = render(<RttSparkline samples={WITH_GAP} intervalMs={1000} />)
    await settle()
    const img = screen.getByRole('img', { name: 'RTT last 5 s: median 4.5 ms, max 6 ms, 1 missed' })
    expect(img.querySelectorAll('.uplot canvas')).toHaveLength(1)
    expect(img.querySelector('.rtt-sparkline-text')).toBeNull()
    // Two segments either side of the null: the line is clipped to two rectangles, not bridged.
    expect(gapClips(fake.paths).map((p) => p.length)).toEqual([2])
    expect(container.querySelectorAll('.uplot')).toHaveLength(1)
  })

  it('a series without misses is one unbroken line', async () => {
    fake = installFakeCanvas()
    render(<RttSparkline samples={samples([3, 4, 5, 6])} intervalMs={1000} />)
    await settle()
    expect(fake.paths.length).toBeGreaterThan(0)
    expect(gapClips(fake.paths)).toEqual([])
  })

  it('creates the chart once and feeds it new samples; the label follows', async () => {
    fake = installFakeCanvas()
    const { container, rerender } = render(<RttSparkline samples={samples([3, 4, 5])} intervalMs={1000} />)
    await settle()
    const chart = container.querySelector('.uplot')
    const drawnBefore = fake.paths.length
    rerender(<RttSparkline samples={samples([3, 4, 5, null, 40, 41])} intervalMs={1000} />)
    await settle()
    expect(container.querySelector('.uplot')).toBe(chart)
    expect(container.querySelectorAll('.uplot')).toHaveLength(1)
    expect(fake.paths.length).toBeGreaterThan(drawnBefore)
    expect(gapClips(fake.paths.slice(drawnBefore)).map((p) => p.length)).toEqual([2])
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('RTT last 6 s: median 5 ms, max 41 ms, 1 missed')
  })

  it('resizes with its box', async () => {
    fake = installFakeCanvas()
    const observed: ResizeObserverCallback[] = []
    vi.stubGlobal('ResizeObserver', class {
      constructor(callback: ResizeObserverCallback) {
        observed.push(callback)
      }
      observe() {}
      disconnect() {}
    })
    const { container } = render(<RttSparkline samples={WITH_GAP} intervalMs={1000} />)
    await settle()
    const box = container.querySelector('.rtt-sparkline-chart') as HTMLElement
    expect(container.querySelector('canvas')?.getAttribute('width')).toBe('240')
    Object.defineProperty(box, 'clientWidth', { configurable: true, value: 520 })
    // uPlot redraws in a microtask, hence the async act.
    await act(async () => observed.forEach((callback) => callback([], {} as ResizeObserver)))
    expect(container.querySelector('canvas')?.getAttribute('width')).toBe(String(520 * devicePixelRatio))
  })

  it('destroys the chart on unmount (uPlot lets go of its window listeners)', async () => {
    fake = installFakeCanvas()
    const { unmount } = render(<RttSparkline samples={WITH_GAP} intervalMs={1000} />)
    await settle()
    const removed = vi.spyOn(window, 'removeEventListener')
    unmount()
    expect(removed.mock.calls.map(([type]) => type)).toContain('dppxchange')
  })
})
