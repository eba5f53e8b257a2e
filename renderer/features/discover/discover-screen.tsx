/**
 * Discover: the live accessory list. Loads `discovery:snapshot` on mount (which also starts discovery),
 * then follows `discovery:changed` through the store. Searchable and filterable, virtualized for thousands
 * of devices, with a detail panel per device and an honest empty state that says what was tried.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { useAppStore } from '../../store'
import { EmptyState } from '../../ui/empty-state'
import { Screen } from '../../ui/screen'
import { DeviceDetail } from './device-detail'
import { DeviceList } from './device-list'
import { DiscoverEmpty } from './discover-empty'
import { visibleDevices } from './discover-filter'
import { DiscoverToolbar } from './discover-toolbar'
import { DiscoveryOptionsPanel } from './discovery-options-panel'

const LEDE = 'Accessories that announce themselves on your networks, grouped by device.'

function LoadFailed({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <EmptyState
      title="Could not start discovery"
      action={
        <div className="empty-actions">
          <button type="button" onClick={onRetry}>Try again</button>
          <a href="#/diagnose">Check this computer’s networks in Diagnose</a>
        </div>
      }
    >
      <p>{message}</p>
    </EmptyState>
  )
}

function NoMatch({ onClear }: { onClear: () => void }) {
  return (
    <div className="no-match" role="status">
      <p>No device matches the search and filters.</p>
      <button type="button" className="button-quiet" onClick={onClear}>Clear search and filters</button>
    </div>
  )
}

/** The list, the no-match notice or the detail panel, side by side on wide windows. */
function DeviceArea() {
  const devices = useAppStore((s) => s.discoveryDevices)
  const query = useAppStore((s) => s.discoverQuery)
  const filters = useAppStore((s) => s.discoverFilters)
  const selectedId = useAppStore((s) => s.selectedDeviceId)
  const select = useAppStore((s) => s.selectDevice)
  const clear = useAppStore((s) => s.clearDiscoverSearch)
  const listRef = useRef<HTMLDivElement>(null)
  const visible = useMemo(() => visibleDevices(devices, query, filters), [devices, query, filters])
  const close = () => {
    select(null)
    listRef.current?.focus({ preventScroll: true })
  }
  return (
    <>
      <DiscoverToolbar shown={visible.length} total={devices.size} />
      <div className={`discover-layout${selectedId !== null ? ' has-detail' : ''}`}>
        <section className="device-list-panel" aria-labelledby="discover-list-title">
          <h2 id="discover-list-title" className="visually-hidden">Devices</h2>
          {visible.length === 0 ? (
            <NoMatch onClear={clear} />
          ) : (
            <DeviceList devices={visible} selectedId={selectedId} onOpen={select} listRef={listRef} labelledBy="discover-list-title" />
          )}
        </section>
        {selectedId !== null ? <DeviceDetail key={selectedId} device={devices.get(selectedId) ?? null} onClose={close} /> : null}
      </div>
    </>
  )
}

/** Renders the Discover screen. */
export function DiscoverScreen() {
  const load = useAppStore((s) => s.loadDiscovery)
  const loadState = useAppStore((s) => s.discoveryLoad)
  const error = useAppStore((s) => s.discoveryError)
  const status = useAppStore((s) => s.discoveryStatus)
  const count = useAppStore((s) => s.discoveryDevices.size)
  useEffect(() => {
    void load()
  }, [load])

  let body: ReactNode
  if (status === null) {
    body = loadState === 'error' && error
      ? <LoadFailed message={error.message} onRetry={() => void load()} />
      : <p className="muted" role="status">Starting discovery…</p>
  } else {
    body = (
      <>
        {loadState === 'error' && error ? <p className="banner banner-error" role="alert">Could not refresh the list: {error.message}</p> : null}
        <DiscoveryOptionsPanel status={status} />
        {count === 0 ? <DiscoverEmpty status={status} /> : <DeviceArea />}
      </>
    )
  }
  return <Screen title="Discover" lede={LEDE}>{body}</Screen>
}
