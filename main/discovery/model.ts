/**
 * The DNS-SD model over the record cache: service instances resolved per interface (PTR → SRV/TXT →
 * A/AAAA), grouped into devices that go up, change and go down; what is still missing, for the querier;
 * and the types `_services._dns-sd._udp` announced. Pure logic: it reads cache events, never a socket.
 *
 * Fed with cache events (not `cache.lookup`) because the events carry every change, expiry included, so
 * the model needs no timer and no polling. Each `apply` re-derives the whole picture from its copy of the
 * records and diffs devices against the last result: simple and order-independent, and a few hundred
 * devices cost well under a millisecond per packet, because the engine applies one packet's events at once.
 */
import type { CacheEvent, InterfaceId } from './cache/types'
import { groupDevices } from './model/grouping'
import { resolveAll, type Resolution } from './model/instances'
import { RecordMirror } from './model/records'
import type { Device, DeviceChange, PendingQuery, ServiceInstance, ServiceTypeSighting } from './model/types'

export type * from './model/types'
export { toDiscoverJson, type DiscoverJsonAddress, type DiscoverJsonDevice, type DiscoverJsonService } from './model/json'
export { normalizeMac } from './model/grouping'
export { isLinkLocalIpv6 } from './model/records'

/** What the model needs. */
export interface ServiceModelDeps {
  /** Device changes after each `apply`, downs first, then changes, then ups. */
  onChange?: (change: DeviceChange) => void
  /** The announced service types, whenever that list changes (RFC 6763 §9). */
  onServiceTypes?: (types: ServiceTypeSighting[]) => void
  /** The OS name of an interface id, used as the IPv6 link-local zone; defaults to the id itself. */
  interfaceName?: (interfaceId: InterfaceId) => string
}

/** The live DNS-SD picture. */
export interface ServiceModel {
  /** Applies one batch of cache events (ideally one packet's worth) and reports device changes once. */
  apply(events: readonly CacheEvent[]): void
  /** Current devices with at least one resolved service, sorted by id. */
  devices(): Device[]
  /** Every PTR-announced instance, resolved or not. */
  instances(): ServiceInstance[]
  /** SRV/TXT of instances, then A/AAAA of hosts, that the cache lacks (case 12). */
  pendingQueries(): PendingQuery[]
  /** Types announced under `_services._dns-sd._udp`, to browse each (case 11). */
  serviceTypes(): ServiceTypeSighting[]
  /** Forgets everything without reporting downs; later calls do nothing. */
  dispose(): void
}

/** Snapshot equality for diffing; bytes compare by content. */
function signature(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))
}

/** Creates an empty model. */
export function createServiceModel(deps: ServiceModelDeps = {}): ServiceModel {
  const interfaceName = deps.interfaceName ?? ((id: InterfaceId) => id)
  const mirror = new RecordMirror()
  let state: Resolution = { instances: [], types: [], pending: [] }
  let devices = new Map<string, { device: Device; signature: string }>()
  let typesSignature = signature([])
  let disposed = false

  const report = (next: Map<string, { device: Device; signature: string }>) => {
    const changes: DeviceChange[] = []
    for (const [id, { device }] of devices) if (!next.has(id)) changes.push({ type: 'down', device })
    for (const [id, now] of next) if (devices.has(id) && devices.get(id)?.signature !== now.signature) changes.push({ type: 'changed', device: now.device })
    for (const [id, { device }] of next) if (!devices.has(id)) changes.push({ type: 'up', device })
    devices = next
    for (const change of changes) deps.onChange?.(change)
  }

  return {
    apply(events) {
      if (disposed || events.length === 0) return
      for (const event of events) mirror.apply(event)
      state = resolveAll(mirror, interfaceName)
      report(new Map(groupDevices(state.instances).map((device) => [device.id, { device, signature: signature(device) }])))
      const types = signature(state.types)
      if (types !== typesSignature) {
        typesSignature = types
        deps.onServiceTypes?.(state.types)
      }
    },
    devices: () => [...devices.values()].map(({ device }) => device),
    instances: () => state.instances,
    pendingQueries: () => state.pending,
    serviceTypes: () => state.types,
    dispose() {
      disposed = true
      mirror.clear()
      devices = new Map()
      state = { instances: [], types: [], pending: [] }
    },
  }
}
