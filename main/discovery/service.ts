/**
 * Discovery as the hosts use it: the engine starts on first use (the Discover screen's first snapshot,
 * or a CLI command), follows interface changes from the watcher, and serves the contract's channels.
 */
import type { DiscoverySnapshot, DiscoveryStatus, RawPacket } from '../../shared/discovery/view'
import type { NetInterface } from '../../shared/net/interfaces'
import type { ReadInterfaces } from '../net/interfaces'
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
    close: () => engine.close(),
  }
}
