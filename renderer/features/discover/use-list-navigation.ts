/**
 * Keyboard behaviour of the device listbox (the ARIA listbox pattern with `aria-activedescendant`): which
 * row is active, Arrow/Page/Home/End to move it (scrolling it into the rendered window), Enter or Space to
 * open it, and where the active row lands when focus enters the list.
 */
import type { Virtualizer } from '@tanstack/react-virtual'
import { useState, type KeyboardEvent } from 'react'
import type { DiscoveredDevice } from '../../../shared/discovery/view'

/** Where a navigation key moves the active row to, clamped to the list; undefined for other keys. */
export function targetIndex(key: string, current: number, count: number, pageSize: number): number | undefined {
  const moves: Record<string, number> = {
    ArrowDown: current + 1,
    ArrowUp: current - 1,
    PageDown: current + pageSize,
    PageUp: current - pageSize,
    Home: 0,
    End: count - 1,
  }
  const next = Object.prototype.hasOwnProperty.call(moves, key) ? moves[key] : undefined
  return next === undefined ? undefined : Math.min(count - 1, Math.max(0, next))
}

/** What the listbox needs from the hook. */
export interface ListNavigation {
  activeIndex: number
  activate: (deviceId: string) => void
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void
  onFocus: () => void
}

/** Tracks the active row by device id, so it stays on its device when the list reorders or filters. */
export function useListNavigation(
  devices: readonly DiscoveredDevice[],
  selectedId: string | null,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  onOpen: (deviceId: string) => void,
  rowHeight: number,
): ListNavigation {
  const [activeId, setActiveId] = useState<string | null>(null)
  const activeIndex = activeId === null ? -1 : devices.findIndex((d) => d.id === activeId)
  const moveTo = (index: number) => {
    const device = devices[index]
    if (!device) return
    setActiveId(device.id)
    virtualizer.scrollToIndex(index, { align: 'auto' })
  }
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (devices.length === 0) return
    const active = devices[activeIndex]
    if ((event.key === 'Enter' || event.key === ' ') && active) {
      event.preventDefault()
      onOpen(active.id)
      return
    }
    const pageSize = Math.max(1, Math.floor(event.currentTarget.clientHeight / rowHeight) - 1)
    const next = targetIndex(event.key, activeIndex, devices.length, pageSize)
    if (next === undefined) return
    event.preventDefault()
    moveTo(next)
  }
  // Entering the list activates the open device if it is in view, else the first row in view: never a
  // jump, because a click focuses the listbox before it activates the row that was clicked.
  const onFocus = () => {
    if (activeIndex >= 0 || devices.length === 0) return
    const range = virtualizer.range ?? { startIndex: 0, endIndex: 0 }
    const selected = selectedId === null ? -1 : devices.findIndex((d) => d.id === selectedId)
    moveTo(selected >= range.startIndex && selected <= range.endIndex ? selected : range.startIndex)
  }
  return { activeIndex, activate: setActiveId, onKeyDown, onFocus }
}
