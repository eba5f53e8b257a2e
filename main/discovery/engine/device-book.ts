/**
 * The engine's list of devices as the screen sees them: views built from model changes with their history,
 * down devices kept (greyed) for ten minutes, and changes delivered in batches — at most one `onChange`
 * per `batchMs`, the first change after a quiet period at once.
 */
import type { DiscoveredDevice, DiscoveryChange, DiscoveryStatus } from '../../../shared/discovery/view'
import type { Clock, TimerHandle } from '../../util/clock'
import type { Device, DeviceChange } from '../model'
import { deviceView, withHistory, type DeviceRecord, type Lookup, type ToWall } from './view'

/** Down devices stay listed this long, then are forgotten. */
export const DOWN_RETENTION_MS = 10 * 60_000

/** What the book needs. */
export interface DeviceBookDeps {
  clock: Clock
  wallNow: () => number
  toWall: ToWall
  lookup: Lookup
  status: () => DiscoveryStatus
  onChange: ((change: DiscoveryChange) => void) | undefined
  batchMs: number
  /** A device was forgotten (its packets can go). */
  onForget: (id: string) => void
}

/** Device views with batching. */
export class DeviceBook {
  private readonly records = new Map<string, DeviceRecord>()
  private readonly dirty = new Set<string>()
  private readonly removed = new Set<string>()
  private readonly refreshedAt = new Map<string, number>()
  private timer: TimerHandle | undefined
  private lastEmitAt = Number.NEGATIVE_INFINITY

  constructor(private readonly deps: DeviceBookDeps) {}

  /** Applies one model change to the views and schedules an emit. */
  apply(change: DeviceChange): void {
    const { clock, wallNow, toWall, lookup } = this.deps
    const at = wallNow()
    const id = change.device.id
    const previous = this.records.get(id)?.view
    if (change.type === 'down') {
      if (!previous) return
      const detail = `no live records left (${change.device.interfaceIds.join(', ') || 'all interfaces'})`
      this.records.set(id, { view: withHistory({ ...previous, status: 'down' }, { at, event: 'down', detail }), downAt: clock.now() })
    } else {
      let view = deviceView(change.device, previous, lookup, toWall, at)
      if (previous === undefined || previous.status === 'down') view = withHistory(view, { at, event: 'up', detail: `seen on ${view.interfaces.join(', ')}` })
      else view = { ...view, lastChangeAt: at }
      this.records.set(id, { view, downAt: undefined })
      this.removed.delete(id)
    }
    this.touch(id)
  }

  /**
   * Rebuilds the views of live devices whose records were just received again: a refresh with the same TTL
   * changes nothing in the model, but the expiry times the screen shows moved.
   */
  refresh(ids: Iterable<string>, devices: ReadonlyMap<string, Device>): void {
    const { toWall, lookup, wallNow } = this.deps
    const now = this.deps.clock.now()
    for (const id of ids) {
      const record = this.records.get(id)
      const device = devices.get(id)
      if (!record || record.downAt !== undefined || !device) continue
      // Expiry is shown to the second: one rebuild per device per second is enough, however chatty it is.
      if (now - (this.refreshedAt.get(id) ?? Number.NEGATIVE_INFINITY) < 1000) continue
      this.refreshedAt.set(id, now)
      this.records.set(id, { view: deviceView(device, record.view, lookup, toWall, wallNow()), downAt: undefined })
      this.touch(id)
    }
  }

  /** Schedules an emit (with `id` among the changed devices, if given). */
  touch(id?: string): void {
    if (id !== undefined) this.dirty.add(id)
    if (this.timer || !this.deps.onChange) return
    const wait = Math.max(0, this.lastEmitAt + this.deps.batchMs - this.deps.clock.now())
    this.timer = this.deps.clock.setTimeout(() => this.emit(), wait)
  }

  /** Every device view, up and recently down. */
  views(): DiscoveredDevice[] {
    this.prune()
    return [...this.records.values()].map((r) => r.view)
  }

  /** Forgets every device, reporting them as removed. */
  clear(): void {
    for (const id of this.records.keys()) {
      this.removed.add(id)
      this.deps.onForget(id)
    }
    this.records.clear()
    this.dirty.clear()
    this.touch()
  }

  /** Cancels the pending emit. */
  dispose(): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  private prune(): void {
    const now = this.deps.clock.now()
    for (const [id, record] of this.records)
      if (record.downAt !== undefined && now - record.downAt > DOWN_RETENTION_MS) {
        this.records.delete(id)
        this.refreshedAt.delete(id)
        this.dirty.delete(id)
        this.removed.add(id)
        this.deps.onForget(id)
      }
  }

  private emit(): void {
    this.timer = undefined
    this.lastEmitAt = this.deps.clock.now()
    this.prune()
    const devices = [...this.dirty].flatMap((id) => this.records.get(id)?.view ?? [])
    this.dirty.clear()
    const change = { devices, removed: [...this.removed], status: this.deps.status() }
    this.removed.clear()
    this.deps.onChange?.(change)
  }
}
