/**
 * The simulated accessory's Wi-Fi station: what ESP's wifi_prov_mgr does between `CmdSetConfig`, `CmdApplyConfig`
 * and `CmdGetStatus` (reference provisioning-protocols.md §1.8), with the lab's networks as the radio.
 *
 * Faithful to the stock firmware where it matters to a client: Apply without Set fails; AuthError and
 * NetworkNotFound are final unless retries are configured (then `attempts_remaining` counts down); after a
 * failure the state stays failed until `prov-ctrl` reset (or the firmware resets it itself).
 */
import type { Clock, TimerHandle } from '../../../main/util/clock'

/** A network the accessory's radio can "see", with the passphrase it accepts. */
export interface SimNetwork {
  ssid: string
  /** undefined = open network. */
  passphrase?: string | undefined
  rssi: number
  channel: number
  bssid: Uint8Array
}

/** What GetStatus reports. */
export type StationStatus =
  | { state: 'idle' }
  | { state: 'connecting'; attemptsRemaining?: number }
  | { state: 'connected'; ssid: string; ip4: string; bssid: Uint8Array; channel: number; secured: boolean }
  | { state: 'failed'; reason: 'auth-error' | 'network-not-found' }

/** Options of the station. */
export interface StationOptions {
  networks: () => readonly SimNetwork[]
  clock: Clock
  /** How long a join takes (association + DHCP) before the outcome is known. */
  joinDelayMs: number
  /** ESP `wifi_conn_attempts`: extra attempts after an auth failure (0 = fail at once). */
  attempts: number
  /** The firmware calls wifi_prov_mgr_reset_sm_state_on_failure() itself, so new credentials work without prov-ctrl. */
  resetOnFailure: boolean
  /** Joins the network for real (lab: brings the home link up); resolves to the station's IPv4 address. */
  onJoin: (ssid: string) => Promise<string>
}

/** Result of a station command, as protocomm's Status enum names it. */
export type StationCommandStatus = 'success' | 'invalid-state' | 'invalid-argument'

/** The station state machine. */
export interface Station {
  setConfig(ssid: Uint8Array, passphrase: Uint8Array): StationCommandStatus
  apply(): StationCommandStatus
  status(): StationStatus
  /** prov-ctrl reset: back to accepting credentials (also "success" when already idle, as network_provisioning 1.2.1 does). */
  reset(): StationCommandStatus
  /** The configured SSID (for logs; never the passphrase). */
  configuredSsid(): string | undefined
  dispose(): void
}

const decoder = new TextDecoder('utf-8', { fatal: false })

/** Creates a station. */
export function createStation(options: StationOptions): Station {
  let config: { ssid: string; passphrase: string } | undefined
  let status: StationStatus = { state: 'idle' }
  let attemptsLeft = options.attempts
  let timer: TimerHandle | undefined

  const finish = (next: StationStatus) => {
    status = next
    timer = undefined
  }

  const attempt = () => {
    timer = options.clock.setTimeout(() => {
      const network = config && options.networks().find((n) => n.ssid === config?.ssid)
      if (!config || !network) return finish({ state: 'failed', reason: 'network-not-found' })
      const matches = (network.passphrase ?? '') === config.passphrase
      if (!matches) {
        if (attemptsLeft > 0) {
          attemptsLeft--
          status = { state: 'connecting', attemptsRemaining: attemptsLeft }
          return attempt()
        }
        return finish({ state: 'failed', reason: 'auth-error' })
      }
      void options.onJoin(network.ssid).then(
        (ip4) => finish({ state: 'connected', ssid: network.ssid, ip4, bssid: network.bssid, channel: network.channel, secured: network.passphrase !== undefined }),
        () => finish({ state: 'failed', reason: 'network-not-found' }),
      )
    }, options.joinDelayMs)
  }

  return {
    setConfig(ssid, passphrase) {
      if (status.state === 'connecting' || status.state === 'connected') return 'invalid-state'
      if (status.state === 'failed' && !options.resetOnFailure) return 'invalid-state'
      // The firmware copies at most 32 SSID bytes and 63 passphrase characters (strlcpy into 64).
      if (ssid.length === 0 || ssid.length > 32 || passphrase.length > 64) return 'invalid-argument'
      config = { ssid: decoder.decode(ssid), passphrase: decoder.decode(passphrase.subarray(0, 63)) }
      status = { state: 'idle' }
      return 'success'
    },
    apply() {
      if (!config || status.state === 'connecting' || status.state === 'connected') return 'invalid-state'
      attemptsLeft = options.attempts
      status = { state: 'connecting' }
      attempt()
      return 'success'
    },
    status: () => status,
    reset() {
      if (status.state === 'connecting' || status.state === 'connected') return 'invalid-state'
      config = undefined
      status = { state: 'idle' }
      return 'success'
    },
    configuredSsid: () => config?.ssid,
    dispose() {
      if (timer) options.clock.clearTimeout(timer)
    },
  }
}
