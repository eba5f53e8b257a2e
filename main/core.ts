/**
 * Composition root for main: builds the services, their handler table and event hub, and owns lifetimes.
 * Each host creates one core; the CLI creates one without watchers.
 */
import type { Handlers } from '../shared/ipc'
import { createDiscoveryService, type DiscoveryService } from './discovery/service'
import type { EngineDeps } from './discovery/engine'
import { createEventHub, type EventHub } from './events'
import { createHandlers, type HostFacts } from './handlers'
import { createInterfaceReader, type InterfaceSourceDeps } from './net/interfaces'
import { createInterfaceWatcher, type ChangeMonitor } from './net/interface-watcher'
import { ipMonitor } from './net/ip-monitor'
import { createSessionManager, type SessionManager } from './session/manager'
import { fileWatchList } from './session/watch-list'
import { createDiagnoseService, type DiagnoseService } from './diagnose/service'
import { recordRecentEvents } from './diagnose/recent-events'
import { standardDiagnoseSteps } from './diagnose/steps'
import { runCommand, type RunCommand } from './util/exec'
import { createSetupService, type SetupService, type TrustPort, type WifiChoice } from './provisioning/setup-service'
import { fileJournal, memoryJournal } from './provisioning/journal'
import type { ProvisioningDriver } from './provisioning/driver'
import type { FlowTiming } from './provisioning/flow-support'
import { createEspDriver } from './provisioning/esp/driver'
import { systemClock, type Clock } from './util/clock'

/** Options for a core. */
export interface CoreOptions {
  host: HostFacts
  /** Start background watchers (interfaces); hosts with a UI do, one-shot CLI commands do not. */
  watch?: boolean
  clock?: Clock
  interfaceSource?: InterfaceSourceDeps
  monitors?: readonly ChangeMonitor[]
  /** Where internal errors are reported; never given secrets. */
  log?: (message: string, error?: unknown) => void
  /** Runs OS tools (Diagnose); tests replay recorded outputs. */
  run?: RunCommand
  /** Ports this host listens on, for Diagnose's port-conflict check (the web host's). */
  listenPorts?: () => { protocol: 'tcp' | 'udp'; port: number; address?: string; purpose: string; changeHint?: string }[]
  /** Where watched accessories are remembered across launches; omitted: not remembered (CLI, tests). */
  watchListFile?: string
  /** Overrides for the discovery engine (types, batching); events go to the hub. */
  discovery?: Omit<EngineDeps, 'onChange' | 'log'>
  /** Wi-Fi onboarding: the computer's Wi-Fi, where the journal and trust store live. */
  setup?: SetupOptions
}

/** What the Set up service runs on; hosts choose the Wi-Fi adapter and storage. */
export interface SetupOptions {
  /** Finds the computer's Wi-Fi (asked once, on first use); omitted: manual joins only. */
  wifi?: () => Promise<WifiChoice>
  /** The onboarding journal; with it, an interrupted flow's network is restored at creation. Omitted: memory only. */
  journalFile?: string
  trust?: TrustPort
  driver?: ProvisioningDriver
  timing?: Partial<FlowTiming>
}

/** A running core. */
export interface Core {
  handlers: Handlers
  events: EventHub
  discovery: DiscoveryService
  sessions: SessionManager
  diagnose: DiagnoseService
  setup: SetupService
  /** Settles once an interrupted onboarding (journal) has been recovered; at once without a journal. */
  setupRestored: Promise<void>
  /** Re-checks everything that may have changed (resume from sleep, network change hints). */
  poke(): void
  dispose(): void
}

/** Builds the services for one host. */
export function createCore(options: CoreOptions): Core {
  const log = options.log ?? (() => undefined)
  const events = createEventHub((error) => log('event listener failed', error))
  const readInterfaces = createInterfaceReader(options.interfaceSource)
  const clock = options.clock ?? systemClock
  const discovery = createDiscoveryService(readInterfaces, {
    ...options.discovery,
    ...(options.clock && { clock: options.clock }),
    log,
    onChange: (change) => {
      events.emit('discovery:changed', change)
      sessions.devicesChanged(change.devices)
    },
  })
  const sessions = createSessionManager({
    clock,
    discovery,
    readInterfaces,
    emit: (change) => events.emit('session:changed', change),
    ...(options.watchListFile !== undefined && { store: fileWatchList(options.watchListFile, (m) => log(m)) }),
  })
  const recent = recordRecentEvents(events)
  const diagnose = createDiagnoseService({
    ...standardDiagnoseSteps({ discovery, readInterfaces, run: options.run ?? runCommand }),
    host: options.host,
    platform: process.platform,
    clock,
    run: options.run ?? runCommand,
    readInterfaces,
    discovery,
    sessions,
    recent,
    progress: (p) => events.emit('diagnose:progressed', p),
    ...(options.listenPorts && { listenPorts: options.listenPorts }),
  })
  const setupOptions = options.setup ?? {}
  const setup = createSetupService({
    wifi: setupOptions.wifi ?? (async () => ({ wifi: undefined, reason: 'This Porchlight host does not control the computer’s Wi-Fi; join the accessory’s network from the Wi-Fi menu.' })),
    driver: setupOptions.driver ?? createEspDriver({ clock }),
    readInterfaces,
    devices: () => discovery.devices(),
    confirm: { devices: () => discovery.devices(), wake: () => discovery.wake(), answers: (id, signal) => answers(discovery, id, signal), clock },
    journal: setupOptions.journalFile ? fileJournal(setupOptions.journalFile, (m) => log(m)) : memoryJournal(),
    ...(setupOptions.trust && { trust: setupOptions.trust }),
    clock,
    emit: (view) => events.emit('setup:changed', { view }),
    log: (m) => log(m),
    ...(setupOptions.timing && { timing: setupOptions.timing }),
  })
  const setupRestored = setupOptions.journalFile
    ? setup.restore().then(() => undefined, (error: unknown) => log('restoring the network after an interrupted setup failed', error))
    : Promise.resolve()
  if (options.watchListFile !== undefined) void sessions.restore().catch((error: unknown) => log('restoring watched accessories failed', error))
  const watcher = options.watch
    ? createInterfaceWatcher({
        read: readInterfaces,
        clock,
        onChange: (change) => {
          events.emit('net:interfacesChanged', change)
          discovery.interfacesChanged(change.interfaces)
          sessions.interfacesChanged(change.interfaces)
        },
        monitors: options.monitors ?? (process.platform === 'linux' ? [ipMonitor] : []),
        onError: (error) => log('reading network interfaces failed', error),
      })
    : undefined
  return {
    handlers: createHandlers({ host: options.host, readInterfaces, discovery, sessions, diagnose, setup }),
    events,
    discovery,
    sessions,
    diagnose,
    setup,
    setupRestored,
    poke: () => {
      watcher?.poke()
      discovery.wake()
      sessions.wake()
    },
    dispose: () => {
      setup.dispose()
      recent.dispose()
      sessions.dispose()
      watcher?.dispose()
      void discovery.close()
    },
  }
}

/**
 * True when the device accepts a TCP connection now (one RFC 8305 race over its addresses). Short, because the
 * caller asks again every 50 ms: a device that has just announced may refuse on IPv4 (not listening yet) while
 * a SYN to its IPv6 address waits on neighbour discovery — a long race would turn that moment into seconds.
 */
async function answers(discovery: DiscoveryService, deviceId: string, signal: AbortSignal): Promise<boolean> {
  const result = await discovery.connect(deviceId, { timeoutMs: 1000, signal })
  if (!result.ok) return false
  result.value.socket.destroy()
  return true
}
