/**
 * The provisioning driver port: what the onboarding state machine needs from one accessory protocol
 * (ESP Unified Provisioning first; Improv, Shelly, HAP and Matter later). Every operation resolves to a
 * value or a DriverError — drivers never throw, and no error, event or log line carries a passphrase or
 * setup code (docs/architecture.md, Secrets).
 */

/** What a driver needs to reach the accessory: its provisioning endpoint, and the local address to send from. */
export interface DriverEndpoint {
  /** Host (IPv4, IPv6 with zone, or name) and port of the provisioning HTTP server, e.g. 192.168.4.1:80. */
  host: string
  port: number
  /**
   * The computer's address on the accessory's network: requests are bound to it so they cannot leave by
   * another interface when the OS prefers a network with internet (field report: android#64).
   */
  localAddress?: string
  /** Path prefix of the endpoints ('' for SoftAP `prov-*`; on-network firmware may mount them elsewhere). */
  pathPrefix?: string
}

/** Secret material that opens a session (from a QR payload or typed by the user). Never logged. */
export interface SetupSecret {
  /** Proof of possession (security 1) or SRP password (security 2); absent for security 0 / no_pop. */
  pop?: string
  /** SRP username (security 2); Espressif's default is `wifiprov`. */
  username?: string
  /** Forces a security version instead of the one `proto-ver` announces. */
  security?: 0 | 1 | 2
}

/** What a probe learns without a session. */
export interface ProbeInfo {
  protocol: 'esp-unified'
  /** e.g. "v1.1". */
  version: string
  security: 0 | 1 | 2
  /** Security 2 nonce scheme (1 = counter nonces, patched firmware). */
  securityPatch: 0 | 1
  capabilities: string[]
  /** The device scans for us (`wifi_scan`). */
  canScan: boolean
  /** The device accepts `prov-ctrl` reset after a failed attempt (IDF ≥ 5.1); learnt, not announced: null = unknown yet. */
  canReset: boolean | null
  /** True when security 1 runs without a PoP (`no_pop`) or security is 0: no code is needed. */
  needsCode: boolean
  /** A stable device id if the firmware reveals one during provisioning (app-info capability `id=<hex>`). */
  deviceId?: string
}

/** One network the accessory can see. */
export interface DeviceNetwork {
  ssid: string
  /** dBm as the device reports it. */
  rssi: number
  channel: number
  bssid?: string
  security: 'open' | 'wep' | 'wpa-psk' | 'wpa2-psk' | 'wpa-wpa2-psk' | 'wpa2-enterprise' | 'wpa3-psk' | 'wpa2-wpa3-psk' | 'unknown'
}

/** Credentials to send; the passphrase is held only as long as the call runs. */
export interface WifiCredentials {
  ssid: string
  /** Absent for open networks. 8–63 characters, or 64 hex digits. */
  passphrase?: string
  /** Pins a BSSID (ignored by stock ESP firmware, sent anyway). */
  bssid?: string
}

/** The accessory's own view of its station interface after Apply. */
export type DeviceStatus =
  | { state: 'connecting'; attemptsRemaining?: number }
  | { state: 'connected'; ip4?: string; ssid?: string; channel?: number }
  | { state: 'failed'; reason: 'auth' | 'network-not-found' | 'other' }
  | { state: 'disconnected' }

/** Why a driver operation failed. Messages are plain language and never include secrets. */
export type DriverError =
  /** Nothing answered at the endpoint (no route, refused, timed out before any byte). */
  | { code: 'unreachable'; message: string; detail?: string }
  /** The connection dropped or timed out mid-exchange (reboot, AP vanished, channel change). */
  | { code: 'connection-lost'; message: string; detail?: string }
  /** The setup code (PoP / SRP password) did not match. */
  | { code: 'wrong-code'; message: string }
  /** The device speaks something we do not (unknown security, malformed replies). */
  | { code: 'unsupported'; message: string; detail?: string }
  /** The device answered with an error status or out-of-sequence data. */
  | { code: 'device-error'; message: string; detail?: string }
  /** The session was lost (cookie mismatch, decrypt failure); reopen it. */
  | { code: 'session-lost'; message: string }
  /** An operation was called in the wrong order (no session, Apply before Set). */
  | { code: 'invalid-state'; message: string }
  /** The caller aborted. */
  | { code: 'aborted'; message: string }

/** A value or a DriverError. */
export type DriverResult<T> = { ok: true; value: T } | { ok: false; error: DriverError }

/** Options of status polling. */
export interface StatusOptions {
  signal?: AbortSignal
}

/** One open provisioning session with one accessory. */
export interface ProvisioningSession {
  readonly info: ProbeInfo
  /** Networks the device sees (one blocking scan, all result pages), strongest first, SSIDs de-duplicated. */
  scanNetworks(options?: StatusOptions): Promise<DriverResult<DeviceNetwork[]>>
  /** Set + Apply. Resolves when the device accepted both; then poll `status`. */
  sendCredentials(credentials: WifiCredentials): Promise<DriverResult<void>>
  /** One status poll. */
  status(options?: StatusOptions): Promise<DriverResult<DeviceStatus>>
  /** Clears a failed attempt so new credentials are accepted (`prov-ctrl` reset); `unsupported` on old firmware. */
  reset(): Promise<DriverResult<void>>
  /** Closes the connection; idempotent. */
  close(): void
}

/** A provisioning protocol. */
export interface ProvisioningDriver {
  readonly protocol: 'esp-unified'
  /** Reads what the device supports, without a session (ESP: `proto-ver`). */
  probe(endpoint: DriverEndpoint, options?: StatusOptions): Promise<DriverResult<ProbeInfo>>
  /** Opens a secure session with the setup secret (handshake, cookie kept). */
  openSession(endpoint: DriverEndpoint, secret: SetupSecret, options?: StatusOptions): Promise<DriverResult<ProvisioningSession>>
}
