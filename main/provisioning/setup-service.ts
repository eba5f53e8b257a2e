/**
 * The Set up service behind the `setup:*` and `trust:*` channels: one onboarding flow at a time, the
 * candidates the wizard offers, and the crash recovery that runs at launch — a journal left by a flow that
 * never finished means the computer may still sit on an accessory's network, so it is put back first.
 */
import { randomUUID } from 'node:crypto'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import type { SetupCandidate, SetupCandidates, SetupView, StartSetupRequest, TrustedAccessoryView } from '../../shared/provisioning/view'
import type { Clock } from '../util/clock'
import type { HostWifi } from '../wifi/port'
import { announcedId, type ConfirmDeps } from './confirm'
import type { ProvisioningDriver } from './driver'
import { OnboardingFlow } from './flow'
import type { FlowDeps, FlowInput, FlowTiming, TrustRecord } from './flow-support'
import type { OnboardingJournal } from './journal'
import { recoverInterrupted } from './recover'
import type { ReadInterfaces } from '../net/interfaces'

/** What the trust store offers the service. */
export interface TrustPort {
  put(record: TrustRecord): Promise<unknown>
  list(): Promise<readonly TrustedAccessoryView[]>
  remove(deviceId: string): Promise<boolean>
}

/** The computer's Wi-Fi as a host found it: undefined with the reason when it cannot be driven here. */
export interface WifiChoice {
  wifi: HostWifi | undefined
  reason?: string
}

/** What the service needs. */
export interface SetupServiceDeps {
  /** Finds the computer's Wi-Fi adapter; asked once, on first use (probing runs OS tools). */
  wifi: () => Promise<WifiChoice>
  driver: ProvisioningDriver
  readInterfaces: ReadInterfaces
  devices(): Promise<readonly DiscoveredDevice[]>
  confirm: ConfirmDeps
  journal: OnboardingJournal
  trust?: TrustPort
  clock: Clock
  emit(view: SetupView | null): void
  log?: (message: string) => void
  timing?: Partial<FlowTiming>
}

/** Why a request could not be served (mapped onto IpcError by the handlers). */
export type SetupRefusal = { code: 'unavailable' | 'not-found'; message: string }

/** The service. */
export interface SetupService {
  candidates(): Promise<SetupCandidates>
  start(request: StartSetupRequest): Promise<SetupView | SetupRefusal>
  current(): SetupView | null
  give(input: FlowInput): SetupView | SetupRefusal
  cancel(): SetupView | SetupRefusal
  dismiss(): boolean
  /** Recovers from a flow interrupted by a crash or quit (call once at launch). */
  restore(): Promise<SetupView | undefined>
  trusted(): Promise<readonly TrustedAccessoryView[]>
  forget(deviceId: string): Promise<boolean>
  /** The running flow, for tests and the CLI (which awaits `finished`). */
  flow(): OnboardingFlow | undefined
  dispose(): void
}

/** SSIDs accessories use for their setup networks (ESP examples, Shelly, Tasmota, WLED, ESPHome…). */
const SETUP_SSID = /^(PROV_|ESP[_-]|shelly|tasmota[-_]|WLED-AP|.*[-_ ]setup\b|.*[-_]AP$)/i

/** Builds the service. */
export function createSetupService(deps: SetupServiceDeps): SetupService {
  let flow: OnboardingFlow | undefined
  let restored: SetupView | undefined
  let restoring = false
  let choice: Promise<WifiChoice> | undefined
  const hostWifi = () => (choice ??= deps.wifi().catch(() => ({ wifi: undefined, reason: 'Checking this computer’s Wi-Fi failed; join the accessory’s network from the Wi-Fi menu.' })))
  const refuse = (message: string): SetupRefusal => ({ code: 'unavailable', message })
  const isRunning = () => flow !== undefined && flow.view.phase !== 'finished'
  const flowDeps = (wifi: HostWifi | undefined): FlowDeps => ({
    wifi,
    driver: deps.driver,
    confirm: deps.confirm,
    readInterfaces: deps.readInterfaces,
    journal: deps.journal,
    ...(deps.trust && { trust: deps.trust }),
    clock: deps.clock,
    emit: (view) => deps.emit(view),
    ...(deps.log && { log: deps.log }),
    ...(deps.timing && { timing: deps.timing }),
  })
  return {
    async candidates() {
      const { wifi: host, reason } = await hostWifi()
      const [aps, lan, current] = await Promise.all([accessoryAps(host), onLanCandidates(deps), host?.current()])
      const wifi = host
        ? { available: true, ...(current?.ok && current.value && { current: current.value.ssid }) }
        : { available: false, reason: reason ?? 'Porchlight cannot change this computer’s Wi-Fi here; you will join the accessory’s network from the Wi-Fi menu.' }
      return { candidates: [...aps, ...lan], wifi }
    },
    async start(request) {
      if (isRunning()) return refuse('A setup is already running. Finish or cancel it first.')
      if (restoring) return refuse('Porchlight is still restoring your network after an interrupted setup; try again in a moment.')
      const { wifi } = await hostWifi()
      if (isRunning()) return refuse('A setup is already running. Finish or cancel it first.')
      restored = undefined
      flow = new OnboardingFlow(flowDeps(wifi), request, randomUUID())
      return flow.view
    },
    current: () => flow?.view ?? restored ?? null,
    give(input) {
      if (!flow || !isRunning()) return { code: 'not-found', message: 'No setup is running.' }
      if (!flow.give(input)) return refuse(`The setup is not waiting for that now (it is at “${flow.view.step}”).`)
      return flow.view
    },
    cancel() {
      if (!flow || !isRunning()) return { code: 'not-found', message: 'No setup is running.' }
      flow.cancel()
      return flow.view
    },
    dismiss() {
      if (isRunning()) return false
      const had = flow !== undefined || restored !== undefined
      flow = undefined
      restored = undefined
      deps.emit(null)
      return had
    },
    async restore() {
      restoring = true
      try {
        restored = await recoverInterrupted({ journal: deps.journal, wifi: async () => (await hostWifi()).wifi, ...(deps.log && { log: deps.log }) })
      } finally {
        restoring = false
      }
      if (restored) deps.emit(restored)
      return restored
    },
    trusted: async () => (deps.trust ? deps.trust.list() : []),
    forget: async (deviceId) => (deps.trust ? deps.trust.remove(deviceId) : false),
    flow: () => flow,
    dispose() {
      flow?.cancel()
      void choice?.then((c) => c.wifi?.dispose())
    },
  }
}

async function accessoryAps(wifi: HostWifi | undefined): Promise<SetupCandidate[]> {
  if (!wifi) return []
  const scan = await wifi.scan()
  if (!scan.ok) return []
  const bySsid = new Map<string, SetupCandidate>()
  for (const n of scan.value) {
    if (!SETUP_SSID.test(n.ssid) || (bySsid.get(n.ssid)?.signal ?? -1) >= n.signal) continue
    bySsid.set(n.ssid, { key: `ap:${n.ssid}`, name: n.ssid, target: { kind: 'softap', ssid: n.ssid }, signal: n.signal, apSecured: n.security !== 'open' })
  }
  return [...bySsid.values()].sort((a, b) => (b.signal ?? 0) - (a.signal ?? 0))
}

async function onLanCandidates(deps: SetupServiceDeps): Promise<SetupCandidate[]> {
  const devices = await deps.devices().catch(() => [])
  return devices.flatMap((device): SetupCandidate[] => {
    if (device.status !== 'up') return []
    const service = device.services.find((s) => s.type === '_esp_wifi_prov._tcp' && s.port !== null && s.addresses.length > 0)
    const address = service?.addresses.find((a) => a.family === 'IPv4') ?? service?.addresses[0]
    if (!service?.port || !address) return []
    const id = announcedId(device)
    return [{ key: `lan:${device.id}`, name: device.name, ...(id && { deviceId: id }), target: { kind: 'on-network', host: address.address, port: service.port, ...(id && { deviceId: id }) } }]
  })
}
