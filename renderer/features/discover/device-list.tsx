/**
 * The live device list: a virtualized listbox (@tanstack/react-virtual), so a thousand devices cost a
 * screenful of rows. Focus stays on the listbox and `aria-activedescendant` names the active row (the
 * ARIA listbox pattern); the active row is always scrolled into the rendered window, so the id it points
 * to exists. Arrow keys, Page Up/Down, Home and End move; Enter or Space opens the device.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useId, type RefObject } from 'react'
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import { plural } from './discover-format'
import { useListNavigation } from './use-list-navigation'

/** Row height in px; fixed, so no row is measured (the CSS gives `.device-row` the same height). */
export const ROW_HEIGHT = 64

/** Props of DeviceList. */
export interface DeviceListProps {
  devices: readonly DiscoveredDevice[]
  selectedId: string | null
  onOpen: (deviceId: string) => void
  /** The scrolling listbox element, so the screen can return focus here when the detail closes. */
  listRef: RefObject<HTMLDivElement | null>
  /** Names the listbox. */
  labelledBy: string
}

/** One line of what a device offers: "_hap._tcp, _http._tcp · wlan0 · 2 addresses". */
export function deviceSummary(device: DiscoveredDevice): string {
  const types = device.types.length > 0 ? device.types.join(', ') : 'no service type yet'
  const interfaces = device.interfaces.length > 0 ? device.interfaces.join(', ') : 'no interface'
  return `${types} · ${interfaces} · ${plural(device.addresses.length, 'address', 'addresses')}`
}

function DeviceRow({ device }: { device: DiscoveredDevice }) {
  return (
    <>
      <span className="device-row-main">
        <span className="device-name">{device.name || device.id}</span>
        <span className={`state state-${device.status}`}>{device.status === 'up' ? 'Up' : 'Down'}</span>
      </span>
      <span className="device-row-meta muted small">{deviceSummary(device)}</span>
    </>
  )
}

/** Props of one row. */
interface DeviceOptionProps {
  device: DiscoveredDevice
  id: string
  index: number
  start: number
  count: number
  isActive: boolean
  isSelected: boolean
  onClick: () => void
}

function DeviceOption({ device, id, index, start, count, isActive, isSelected, onClick }: DeviceOptionProps) {
  return (
    <div
      id={id}
      role="option"
      aria-selected={isSelected}
      aria-setsize={count}
      aria-posinset={index + 1}
      data-index={index}
      className={`device-row${isActive ? ' is-active' : ''}`}
      // Positions are numbers we compute, set through the CSSOM (which the style-src CSP does not block).
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={onClick}
    >
      <DeviceRow device={device} />
    </div>
  )
}

/** Renders the virtualized listbox of devices. */
export function DeviceList({ devices, selectedId, onOpen, listRef, labelledBy }: DeviceListProps) {
  const idPrefix = useId()
  const virtualizer = useVirtualizer({
    count: devices.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => devices[index]?.id ?? index,
    overscan: 10,
    // flushSync stays on (the default): react-virtual re-renders synchronously on every scroll event while
    // scrolling, so rows are in place before the browser paints the new position. With it off, the e2e run
    // measured ~86 % of frames painted with rows missing at 36,000 px/s. The cost is a development-only
    // React 19 warning from the mount-time size callback.
    useFlushSync: true,
  })
  const { activeIndex, activate, onKeyDown, onFocus } = useListNavigation(devices, selectedId, virtualizer, onOpen, ROW_HEIGHT)
  const optionId = (index: number) => `${idPrefix}-option-${index}`
  return (
    <div
      ref={listRef}
      className="device-list"
      role="listbox"
      aria-labelledby={labelledBy}
      aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div className="device-list-sizer" role="presentation" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const device = devices[item.index]
          return device ? (
            <DeviceOption
              key={item.key}
              device={device}
              id={optionId(item.index)}
              index={item.index}
              start={item.start}
              count={devices.length}
              isActive={item.index === activeIndex}
              isSelected={device.id === selectedId}
              onClick={() => {
                activate(device.id)
                onOpen(device.id)
              }}
            />
          ) : null
        })}
      </div>
    </div>
  )
}
