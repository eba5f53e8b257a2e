/**
 * In-memory stand-ins for the onboarding flow's ports: a host Wi-Fi with a home network and an accessory
 * AP, an accessory that answers like ESP provisioning (scripted statuses, faults), the interfaces that
 * follow the Wi-Fi, and discovery that sees the accessory once it has joined home. The real driver and
 * adapters have their own tests; these let the flow's decisions be tested step by step on a fake clock.
 */
import type { NetInterface } from '../../../shared/net/interfaces'
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import type { SetupView } from '../../../shared/provisioning/view'
import type { DeviceStatus, DriverResult, ProbeInfo, ProvisioningDriver, ProvisioningSession } from '../../../main/provisioning/driver'
import type { ConfirmDeps } from '../../../main/provisioning/confirm'
import type { HostWifi, WifiResult, CurrentWifi } from '../../../main/wifi/port'
import { memoryJournal, type JournalEntry } from '../../../main/provisioning/journal'
import type { FlowDeps, TrustRecord } from '../../../main/provisioning/flow-support'
import { createFakeClock, type FakeClock } from '../../helpers/fake-clock'

export const HOME = 'Home-Net'
export const HOME_PASS = 'canary-home-passphrase-1'
export const AP = 'PROV_A1B2C3'
export const POP = 'canary-pop-7731'
export const DEVICE_ID = '02706c780001'

const ok = <T>(value: T) => ({ ok: true as const, value })
const lost = { ok: false as const, error: { code: 'connection-lost' as const, message: 'The connection dropped.' } }

/** The fake computer's Wi-Fi. */
export class FakeWifi implements HostWifi {
  current_: string | null = HOME
  apInRange = true
  calls: string[] = []
  async scan() {
    return ok([{ ssid: HOME, signal: 80, security: 'wpa2-psk' as const }, ...(this.apInRange ? [{ ssid: AP, signal: 60, security: 'open' as const }] : [])])
  }
  async current(): Promise<WifiResult<CurrentWifi | null>> {
    return ok(this.current_ ? { ssid: this.current_, interfaceName: 'wlan0' } : null)
  }
  async join(ssid: string): Promise<WifiResult<CurrentWifi>> {
    this.calls.push(`join ${ssid}`)
    if (ssid === AP && !this.apInRange) return { ok: false, error: { code: 'network-not-found', message: 'not in range' } }
    this.current_ = ssid
    return ok({ ssid, interfaceName: 'wlan0' })
  }
  async rejoin(ssid: string): Promise<WifiResult<CurrentWifi>> {
    this.calls.push(`rejoin ${ssid}`)
    this.current_ = ssid
    return ok({ ssid, interfaceName: 'wlan0' })
  }
  async forgetTemporary(ssid: string): Promise<WifiResult<void>> {
    this.calls.push(`forget ${ssid}`)
    return ok(undefined)
  }
  dispose() {}
}

/** The fake accessory. */
export class FakeAccessory {
  pop = POP
  homePassphrase = HOME_PASS
  /** Statuses returned by successive polls after a good Apply; the last repeats. */
  connecting = 2
  joinedHome = false
  vanishAfterApply = false
  rebootOnNextSend = false
  canReset = true
  failedAttempt = false
  knowsNetwork = true
  sent: string[] = []
  resets = 0
  sessions = 0
  private polls = 0
  private result: DeviceStatus | undefined

  info(): ProbeInfo {
    return { protocol: 'esp-unified', version: 'v1.1', security: 2, securityPatch: 1, capabilities: ['wifi_scan'], canScan: true, canReset: null, needsCode: true, deviceId: DEVICE_ID }
  }

  driver(wifi: FakeWifi): ProvisioningDriver {
    const reachable = () => wifi.current_ === AP
    return {
      protocol: 'esp-unified',
      probe: async () => (reachable() ? ok(this.info()) : { ok: false, error: { code: 'unreachable', message: 'No answer.' } }),
      openSession: async (_endpoint, secret): Promise<DriverResult<ProvisioningSession>> => {
        if (!reachable()) return { ok: false, error: { code: 'unreachable', message: 'No answer.' } }
        if (secret.pop !== this.pop) return { ok: false, error: { code: 'wrong-code', message: 'The code did not match.' } }
        this.sessions++
        return ok(this.session(wifi))
      },
    }
  }

  private session(wifi: FakeWifi): ProvisioningSession {
    let open = true
    const alive = () => open && wifi.current_ === AP && !this.vanished
    return {
      info: this.info(),
      scanNetworks: async () => (alive() ? ok([{ ssid: HOME, rssi: -48, channel: 6, security: 'wpa2-psk' as const }, { ssid: 'Open-Cafe', rssi: -80, channel: 1, security: 'open' as const }]) : lost),
      sendCredentials: async (c) => {
        if (!alive()) return lost
        if (this.rebootOnNextSend) {
          this.rebootOnNextSend = false
          open = false
          return lost
        }
        if (this.failedAttempt) return { ok: false, error: { code: 'invalid-state', message: 'Holds a failed attempt.' } }
        if (/^[0-9a-f]{64}$/i.test(c.passphrase ?? '')) return { ok: false, error: { code: 'unsupported', message: 'A 64-digit hexadecimal key cannot be sent to it.' } }
        this.sent.push(c.ssid)
        this.polls = 0
        this.result = c.ssid !== HOME || !this.knowsNetwork ? { state: 'failed', reason: 'network-not-found' }
          : c.passphrase !== this.homePassphrase ? { state: 'failed', reason: 'auth' }
          : { state: 'connected', ip4: '198.18.0.77', ssid: HOME }
        if (this.result.state === 'connected' && this.vanishAfterApply) {
          this.vanished = true
          this.joinedHome = true
        }
        return ok(undefined)
      },
      status: async () => {
        if (!alive()) return lost
        if (this.polls++ < this.connecting) return ok({ state: 'connecting' as const })
        const result = this.result ?? { state: 'disconnected' as const }
        if (result.state === 'connected') this.joinedHome = true
        if (result.state === 'failed') this.failedAttempt = true
        return ok(result)
      },
      reset: async () => {
        if (!alive()) return lost
        if (!this.canReset) return { ok: false, error: { code: 'unsupported', message: 'No prov-ctrl.' } }
        this.resets++
        this.failedAttempt = false
        return ok(undefined)
      },
      close: () => {
        open = false
      },
    }
  }

  vanished = false

  /** What discovery sees on the home LAN. */
  device(): DiscoveredDevice {
    const txt = [{ key: 'id', value: DEVICE_ID, hex: null, isText: true }]
    const address = { address: '198.18.0.77', family: 'IPv4' as const, interface: 'wlan0' }
    return {
      id: `id:${DEVICE_ID}`, name: AP, groupedBy: 'id', types: ['_esp_local_ctrl._tcp'], interfaces: ['wlan0'],
      services: [{ instance: AP, type: '_esp_local_ctrl._tcp', domain: 'local', subtypes: [], host: 'esp.local', port: 8080, txt, txtRaw: [], addresses: [address], interfaces: ['wlan0'], resolved: true }],
      addresses: [address], status: 'up', firstSeenAt: 0, lastChangeAt: 0, history: [],
    }
  }
}

/** Interfaces that follow the fake Wi-Fi: 192.168.4.2/24 on the AP, 198.18.0.2/24 at home. */
export function interfacesOf(wifi: FakeWifi, extra: () => NetInterface[] = () => []) {
  return async (): Promise<NetInterface[]> => {
    const address = wifi.current_ === AP ? '192.168.4.2' : wifi.current_ === HOME ? '198.18.0.2' : undefined
    const wlan: NetInterface = {
      name: 'wlan0', kind: 'wifi', kindReason: 'test', isUp: true, isInternal: false,
      addresses: address ? [{ address, family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'site' }] : [],
    }
    return [wlan, ...extra()]
  }
}

/** A complete set of fakes and the deps of a flow over them. */
export interface Rig {
  clock: FakeClock
  wifi: FakeWifi
  accessory: FakeAccessory
  journal: ReturnType<typeof memoryJournal>
  journalWrites: JournalEntry[]
  views: SetupView[]
  trusted: TrustRecord[]
  deps: FlowDeps
}

/** Builds a rig; `patch` adjusts the deps. */
export function createRig(patch: (rig: Omit<Rig, 'deps'>) => Partial<FlowDeps> = () => ({})): Rig {
  const clock = createFakeClock()
  const wifi = new FakeWifi()
  const accessory = new FakeAccessory()
  const journal = memoryJournal()
  const journalWrites: JournalEntry[] = []
  const write = journal.write.bind(journal)
  journal.write = async (entry) => {
    journalWrites.push(entry)
    return write(entry)
  }
  const views: SetupView[] = []
  const trusted: TrustRecord[] = []
  const confirm: ConfirmDeps = {
    devices: async () => (accessory.joinedHome && wifi.current_ === HOME ? [accessory.device()] : []),
    wake: () => undefined,
    answers: async () => wifi.current_ === HOME,
    clock,
  }
  const base = { clock, wifi, accessory, journal, journalWrites, views, trusted }
  const deps: FlowDeps = {
    wifi,
    driver: accessory.driver(wifi),
    confirm,
    readInterfaces: interfacesOf(wifi),
    journal,
    trust: { put: async (record) => void trusted.push(record) },
    clock,
    wallClock: () => 1_700_000_000_000 + clock.now(),
    emit: (view) => void views.push(view),
    ...patch(base),
  }
  return { ...base, deps }
}

/** Advances the fake clock in small steps until `predicate` holds (or fails after `limitMs` of fake time). */
export async function until(rig: Rig, predicate: () => boolean, limitMs = 120_000): Promise<void> {
  for (let t = 0; t <= limitMs; t += 50) {
    if (predicate()) return
    await rig.clock.advance(50)
  }
  throw new Error(`condition not reached in ${limitMs} ms of fake time; last view: ${JSON.stringify(rig.views.at(-1)?.step)} ${JSON.stringify(rig.views.at(-1)?.error)}`)
}
