/**
 * Discovery as the hosts use it: the engine starts on first use (the Discover screen's first snapshot,
 * or a CLI command), follows interface changes from the watcher, and serves the contract's channels.
 */
import type { DiscoveredDevice, DiscoverySnapshot, DiscoveryStatus, RawPacket } from '../../shared/discovery/view'
import type { NetInterface } from '../../shared/net/interfaces'
import { connectRace, type ConnectResult } from '../net/connect'
import type { ReadInterfaces } from '../net/interfaces'
import type { Socket } from 'node:net'
import { createDiscoveryEngine, type DiscoveryEngine, type DiscoveryOptionsPatch, type EngineDeps } from './engine'

/** The discovery service of one core. */
export interface DiscoveryService {
  /** Starts the engine once; later calls wait for the same start. */
  ensureStarted(): Promise<DiscoveryEngine>
  snapshot(): Promise<DiscoverySnapshot>
  setOptions(options: DiscoveryOptionsPatch): Promise<DiscoveryStatus>
  packets(deviceId: string): Promise<RawPacket[]>
  restart(): Promise<DiscoveryStatus>
  /** The watcher saw a change; ignored until started. */
  interfacesChanged(interfaces: readonly NetInterface[]): void
  /** Resume from sleep. */
  wake(): void
  /**
   * Connects to a discovered device by racing every address of its service (RFC 8305, cases 44-45). Each
   * address that refuses or does not answer is reconfirmed in the cache (RFC 6762 §10.4, case 25), so a
   * device that is really gone leaves the list within ~10 s instead of when its TTL runs out.
   */
  connect(deviceId: string, options?: { type?: string; timeoutMs?: number; signal?: AbortSignal }): Promise<ConnectResult<Socket> | { ok: false; error: { code: 'unknown-device'; message: string } }>
  /** One device as known now (up or recently down), starting discovery if needed. */
  device(deviceId: string): Promise<DiscoveredDevice | undefined>
  /** Every device known now. */
  devices(): Promise<readonly DiscoveredDevice[]>
  /** Reconfirms an address a connection to it failed on (RFC 6762 §10.4); ignored until started. */
  reconfirm(address: string, interfaceName: string): void
  close(): Promise<void>
}

/** Creates the service; nothing is bound until first use. */
export function createDiscoveryService(readInterfaces: ReadInterfaces, engineDeps: EngineDeps = {}): DiscoveryService {
  const engine = createDiscoveryEngine(engineDeps)
  const log = engineDeps.log ?? (() => undefined)
  let starting: Promise<DiscoveryEngine> | undefined
  let latest: readonly NetInterface[] | undefined
  const ensureStarted = () =>
    (starting ??= (async () => {
      await engine.start(await readInterfaces())
      if (latest) await engine.setInterfaces(latest)
      return engine
    })())
  return {
    ensureStarted,
    snapshot: async () => (await ensureStarted()).snapshot(),
    setOptions: async (options) => (await ensureStarted()).setOptions(options),
    packets: async (id) => (await ensureStarted()).packets(id),
    restart: async () => (await ensureStarted()).restart(),
    interfacesChanged(interfaces) {
      latest = interfaces
      if (starting) void starting.then((e) => e.setInterfaces(interfaces)).catch((error: unknown) => log('discovery could not follow an interface change', error))
    },
    wake: () => {
      if (starting) engine.wake()
    },
    async connect(deviceId, options = {}) {
      const started = await ensureStarted()
      const device = started.snapshot().devices.find((d) => d.id === deviceId && d.status === 'up')
      const service = device?.services.find((s) => s.resolved && s.port !== null && (options.type === undefined || s.type === options.type))
      if (!device || !service || service.port === null) {
        return { ok: false, error: { code: 'unknown-device', message: `No reachable service of device ${deviceId} is known right now; it may have gone offline.` } }
      }
      return connectRace(
        service.addresses.map((a) => ({ address: a.address, interfaceName: a.interface })),
        {
          port: service.port,
          interfaces: await readInterfaces(),
          ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
          ...(options.signal && { signal: options.signal }),
          onAddressFailed: (target) => void started.reconfirmAddress(target.address, target.interfaceName ?? ''),
        },
      )
    },
    device: async (id) => (await ensureStarted()).snapshot().devices.find((d) => d.id === id),
    devices: async () => (await ensureStarted()).snapshot().devices,
    reconfirm(address, interfaceName) {
      if (starting) void starting.then((e) => e.reconfirmAddress(address, interfaceName)).catch(() => undefined)
    },
    close: () => engine.close(),
  }
}
