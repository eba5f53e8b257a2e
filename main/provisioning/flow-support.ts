/**
 * Small pieces the onboarding flow is built from: its dependencies and timing, user input as awaited
 * values, the two ways a flow stops early (cancel, a definite failure), and the address arithmetic that
 * finds the accessory's provisioning endpoint on the network the computer just joined.
 */
import type { NetInterface } from '../../shared/net/interfaces'
import type { AccessoryCategory, SetupAction, SetupCodeInput, SetupView } from '../../shared/provisioning/view'
import type { ReadInterfaces } from '../net/interfaces'
import type { Clock } from '../util/clock'
import type { HostWifi } from '../wifi/port'
import type { ConfirmDeps } from './confirm'
import type { ProvisioningDriver } from './driver'
import type { OnboardingJournal } from './journal'

/** Timeouts and cadences of a flow (ms). */
export interface FlowTiming {
  /** One join of a Wi-Fi network (accessory AP or the original one). */
  joinTimeoutMs: number
  /** How long the provisioning endpoint may take to answer after a join (DHCP, httpd start). */
  probeTimeoutMs: number
  /** Status poll interval after Apply (esp_prov uses 5 s; one GetStatus costs the accessory a millisecond, and every poll saved shortens "done"). */
  pollMs: number
  /** Our own bound on "Connecting": stock firmware retries silently forever on some errors (reference §1.8). */
  deviceConnectTimeoutMs: number
  /** How long to look for the accessory on the home LAN. */
  confirmTimeoutMs: number
  /** How long a rebooting accessory may take to serve provisioning again. */
  rebootWaitMs: number
  /** How often the manual-join step looks for the accessory's network. */
  manualPollMs: number
  /** How long the manual-join step waits for the user. */
  manualTimeoutMs: number
}

/** Defaults: generous where a real accessory is slow (association, DHCP), short where we only wait on ourselves. */
export const DEFAULT_TIMING: FlowTiming = {
  joinTimeoutMs: 30_000,
  probeTimeoutMs: 10_000,
  pollMs: 250,
  deviceConnectTimeoutMs: 45_000,
  confirmTimeoutMs: 30_000,
  rebootWaitMs: 20_000,
  manualPollMs: 1_000,
  manualTimeoutMs: 10 * 60_000,
}

/** A paired accessory handed to the trust store (the setup code is the credential kept). */
export interface TrustRecord {
  deviceId: string
  name: string
  protocol: 'esp-unified'
  security: 0 | 1 | 2
  username?: string
  pop?: string
  network?: string
  address?: string
  pairedAt: number
}

/** What a flow needs. */
export interface FlowDeps {
  /** The computer's Wi-Fi; undefined when it cannot be controlled here (the flow guides a manual join). */
  wifi: HostWifi | undefined
  driver: ProvisioningDriver
  confirm: ConfirmDeps
  readInterfaces: ReadInterfaces
  journal: OnboardingJournal
  trust?: { put(record: TrustRecord): Promise<unknown> }
  clock: Clock
  /** Wall-clock ms for the history (default Date.now). */
  wallClock?: () => number
  emit(view: SetupView): void
  log?: (message: string) => void
  timing?: Partial<FlowTiming>
}

/** Input from the wizard while a flow waits. */
export type FlowInput =
  | { kind: 'credentials'; ssid: string; passphrase?: string; isHidden?: boolean }
  | { kind: 'code'; code: SetupCodeInput }
  | { kind: 'rescan' }
  | { kind: 'joined' }

/** The user cancelled; unwinds the flow to its clean-up. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled')
    this.name = 'Cancelled'
  }
}

/** A definite failure the wizard shows with its next action; unwinds the flow to its clean-up. */
export class FlowFailure extends Error {
  constructor(readonly code: string, message: string, readonly action: SetupAction) {
    super(message)
    this.name = 'FlowFailure'
  }
}

/** The category a request implies when it names none. */
export function defaultCategory(targetKind: 'softap' | 'on-network'): AccessoryCategory {
  return targetKind === 'softap' ? 'bound' : 'on-lan'
}

const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')

/** The first host of an IPv4 subnet: where ESP SoftAPs serve (192.168.4.1 on 192.168.4.0/24, reference §1.2). */
export function firstHost(address: string, prefixLength: number): string | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address) || prefixLength < 8 || prefixLength > 30) return undefined
  const size = 2 ** (32 - prefixLength)
  const network = Math.floor(toInt(address) / size) * size
  const host = network + 1
  return host === toInt(address) ? undefined : toIp(host)
}

/** IPv4 addresses (not link-local) of up interfaces, as `name|address/prefix` keys. */
export function ipv4Keys(interfaces: readonly NetInterface[]): Set<string> {
  const keys = new Set<string>()
  for (const i of interfaces) {
    if (!i.isUp || i.isInternal) continue
    for (const a of i.addresses) if (a.family === 'IPv4' && a.scope !== 'link') keys.add(`${i.name}|${a.address}/${a.prefixLength}`)
  }
  return keys
}

/** Splits an `ipv4Keys` key. */
export function parseIpv4Key(key: string): { name: string; address: string; prefixLength: number } {
  const [name = '', rest = ''] = key.split('|')
  const [address = '', prefix = '0'] = rest.split('/')
  return { name, address, prefixLength: Number(prefix) }
}

/** The effective timing. */
export function timingOf(deps: FlowDeps): FlowTiming {
  return { ...DEFAULT_TIMING, ...deps.timing }
}

/** Resolves after `ms` on the clock, rejecting with Cancelled when `signal` aborts. */
export function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Cancelled())
    const onAbort = () => {
      clock.clearTimeout(timer)
      reject(new Cancelled())
    }
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
