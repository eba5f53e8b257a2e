/**
 * The session manager: one live session per watched accessory (a device watched twice, or watched by
 * device and by one of its addresses, is one session), fed with the hints that make repairs fast —
 * interface changes, resume from sleep, discovery's address updates.
 */
import type { Socket } from 'node:net'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import type { NetInterface } from '../../shared/net/interfaces'
import { HEARTBEAT_DEFAULT_MS, type SessionChange, type SessionView, type WatchRequest } from '../../shared/session/view'
import { connectRace, type ConnectResult } from '../net/connect'
import type { Clock } from '../util/clock'
import { planForAddress, planForDevice } from './plan'
import { startSession, type Session, type SessionPlan } from './session'
import { CONNECT_TIMEOUT_MS } from './timing'
import type { WatchListStore } from './watch-list'

/** What the manager needs from discovery. */
export interface SessionDiscovery {
  /** The device as discovery knows it now (starting discovery if needed). */
  device(deviceId: string): Promise<DiscoveredDevice | undefined>
  /** Every device known now, to map an address onto its device. */
  devices(): Promise<readonly DiscoveredDevice[]>
  /** RFC 6762 §10.4: an address that failed to connect is reconfirmed. */
  reconfirm(address: string, interfaceName: string): void
}

/** Dependencies of the manager. */
export interface SessionManagerDeps {
  clock: Clock
  wallNow?: () => number
  random?: () => number
  discovery: SessionDiscovery
  readInterfaces(): Promise<readonly NetInterface[]>
  emit(change: SessionChange): void
  /** Remembers watched accessories across restarts (none: forgotten on exit, as the CLI wants). */
  store?: WatchListStore
  /** Replaces the real dialler (tests). */
  dial?: (plan: SessionPlan, interfaces: readonly NetInterface[], signal: AbortSignal, onFailed?: (address: string, iface: string) => void) => Promise<ConnectResult<Socket>>
}

/** The session manager of one core. */
export interface SessionManager {
  watch(request: WatchRequest): Promise<SessionView>
  /** Starts watching what the store remembers (once, at launch). */
  restore(): Promise<void>
  unwatch(id: string): boolean
  check(id: string): SessionView | undefined
  list(): SessionView[]
  interfacesChanged(interfaces: readonly NetInterface[]): void
  wake(): void
  devicesChanged(devices: readonly DiscoveredDevice[]): void
  dispose(): void
}

const realDial: NonNullable<SessionManagerDeps['dial']> = (plan, interfaces, signal, onFailed) =>
  connectRace(plan.targets, {
    port: plan.port,
    interfaces,
    timeoutMs: CONNECT_TIMEOUT_MS,
    signal,
    ...(onFailed && { onAddressFailed: (target) => onFailed(target.address, target.interfaceName ?? '') }),
  })

const bare = (address: string) => address.split('%')[0]?.toLowerCase() ?? address

/** Creates the manager; sessions start on `watch`. */
export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const sessions = new Map<string, { session: Session; request: WatchRequest; deviceId?: string; addresses?: string }>()
  const persist = () => void deps.store?.save([...sessions.values()].map((e) => e.request))
  const wallNow = deps.wallNow ?? Date.now
  const dial = deps.dial ?? realDial

  /** An address target that belongs to a discovered device is watched as that device. */
  const canonical = async (request: WatchRequest): Promise<WatchRequest> => {
    if (request.target.kind !== 'address') return request
    const host = bare(request.target.host)
    const owner = (await deps.discovery.devices()).find((d) => d.status === 'up' && d.addresses.some((a) => bare(a.address) === host))
    return owner ? { ...request, target: { kind: 'device', deviceId: owner.id } } : request
  }

  return {
    async watch(request) {
      const watched = await canonical(request)
      const { target } = watched
      const id = target.kind === 'device' ? `device:${target.deviceId}` : `address:${bare(target.host)}:${target.port}`
      const existing = sessions.get(id)
      if (existing) return existing.session.record.view()
      const protocol = request.protocol
      const session = startSession(id, target, watched.intervalMs ?? HEARTBEAT_DEFAULT_MS, {
        clock: deps.clock,
        wallNow,
        ...(deps.random && { random: deps.random }),
        emit: deps.emit,
        plan: async () => (target.kind === 'device' ? planForDevice(await deps.discovery.device(target.deviceId), target.deviceId, protocol) : planForAddress(target.host, target.port, protocol)),
        dial: async (plan, signal) => dial(plan, await deps.readInterfaces(), signal, target.kind === 'device' ? deps.discovery.reconfirm : undefined),
      })
      sessions.set(id, { session, request: watched, ...(target.kind === 'device' && { deviceId: target.deviceId }) })
      persist()
      return session.record.view()
    },
    async restore() {
      for (const request of (await deps.store?.load()) ?? []) await this.watch(request)
    },
    unwatch(id) {
      const entry = sessions.get(id)
      if (!entry) return false
      entry.session.close()
      sessions.delete(id)
      persist()
      deps.emit({ kind: 'removed', id })
      return true
    },
    check(id) {
      const entry = sessions.get(id)
      entry?.session.check()
      return entry?.session.record.view()
    },
    list: () => [...sessions.values()].map((e) => e.session.record.view()),
    interfacesChanged(interfaces) {
      const local = new Set(interfaces.flatMap((i) => i.addresses.map((a) => bare(a.address))))
      for (const entry of sessions.values()) entry.session.networkChanged(local)
    },
    wake() {
      for (const entry of sessions.values()) entry.session.wake()
    },
    devicesChanged(devices) {
      for (const device of devices) {
        for (const entry of sessions.values()) {
          if (entry.deviceId !== device.id) continue
          const addresses = device.status === 'up' ? device.addresses.map((a) => a.address) : []
          const key = [...addresses].sort().join(' ')
          if (key === entry.addresses) continue
          const first = entry.addresses === undefined
          entry.addresses = key
          // The first sighting only matters to a session still waiting for the device.
          if (!first || entry.session.record.state() !== 'connected') entry.session.addressesChanged(addresses)
        }
      }
    },
    dispose() {
      for (const entry of sessions.values()) entry.session.close()
      sessions.clear()
    },
  }
}
