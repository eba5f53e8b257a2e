/**
 * The lifecycle both uPlot charts share (Monitor's sparkline, Diagnose's link chart): uPlot is imported on
 * demand (it calls matchMedia at import time), the chart is created once per mount, fed with setData as
 * the data changes, resized with its box and destroyed on unmount. If it cannot load or draw, `drawable`
 * turns false and the caller shows its description in words instead.
 */
import { useEffect, useRef, useState, type RefObject } from 'react'

/** What a chart module's factory returns. */
export interface LazyChart<D> {
  setData(data: D): void
  resize(width: number): void
  destroy(): void
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

/** Mounts a chart made by `load()` into the returned box; `enabled` false keeps it in words only. */
export function useLazyChart<D>(data: D, load: () => Promise<(el: HTMLDivElement, data: D) => LazyChart<D>>, enabled = true): { box: RefObject<HTMLDivElement | null>; drawable: boolean } {
  const [drawable, setDrawable] = useState(() => enabled && canDrawCharts())
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<LazyChart<D> | null>(null)
  const latest = useRef(data)
  const loader = useRef(load)

  useEffect(() => {
    latest.current = data
    chart.current?.setData(data)
  }, [data])

  useEffect(() => {
    const el = box.current
    if (!drawable || !el) return undefined
    let cancelled = false
    let observer: ResizeObserver | undefined
    let made: LazyChart<D> | undefined
    loader.current().then((create) => {
      if (cancelled) return
      const created = create(el, latest.current)
      made = created
      chart.current = created
      if (typeof ResizeObserver === 'function') {
        observer = new ResizeObserver(() => created.resize(el.clientWidth))
        observer.observe(el)
      }
    }).catch(() => {
      // uPlot failed to load or to draw: the description in words is still there.
      if (!cancelled) setDrawable(false)
    })
    return () => {
      cancelled = true
      observer?.disconnect()
      made?.destroy()
      chart.current = null
    }
  }, [drawable])

  return { box, drawable }
}
