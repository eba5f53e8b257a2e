/**
 * The device's provisioning endpoints (reference provisioning-protocols.md §1.3–1.8): `proto-ver` in clear,
 * `prov-session` driving the security handshake, and `prov-scan`, `prov-config`, `prov-ctrl` and one custom
 * endpoint (`custom-data`) as encrypted protobuf once the session is up. Protocol codecs and crypto are the
 * app's own (main/provisioning/esp, main/pairing), so the lab exercises exactly what ships.
 */
import { Status, WifiAuthMode, WifiConnectFailedReason, WifiStationState } from '../../../main/provisioning/esp/constants'
import { buildProtoVer } from '../../../main/provisioning/esp/proto-ver'
import { createSecurity0Device } from '../../../main/provisioning/esp/security0'
import { createSecurity1Device } from '../../../main/provisioning/esp/security1'
import { createSecurity2Device } from '../../../main/provisioning/esp/security2'
import type { DeviceSecurity } from '../../../main/provisioning/esp/security-types'
import { decodeWiFiConfig, decodeWiFiCtrl, decodeWiFiScan, encodeWiFiConfig, encodeWiFiCtrl, encodeWiFiScan, type WiFiConfigMessage } from '../../../main/provisioning/esp/wifi-messages'
import { generateSrpCredentials } from '../../../main/pairing/srp6a-esp'
import type { AccessoryConfig } from './config'
import type { EndpointReply } from './http-transport'
import type { Station, StationCommandStatus, StationStatus } from './station'

/** What the endpoints need from the rest of the device. */
export interface EndpointHooks {
  station: () => Station
  /** Called with every status a client read (a Connected read ends provisioning on ESP). */
  onStatusRead: (status: StationStatus) => void
  /** Called after a successful Apply response. */
  onApplied: () => void
}

/** The endpoint table of one device. */
export interface Endpoints {
  handle(endpoint: string, body: Uint8Array, sessionId: number, isNew: boolean): Promise<EndpointReply>
  endSession(sessionId: number): void
}

/** ESP keeps at most CONFIG_WIFI_PROV_SCAN_MAX_ENTRIES (16) results. */
const MAX_SCAN_ENTRIES = 16
const encoder = new TextEncoder()

/** A fresh device-side security session for this device's configuration, per protocomm session. */
export function createSecurityFactory(config: AccessoryConfig): () => DeviceSecurity {
  // The firmware stores only salt + verifier (protocomm_security2_params_t); derive them once, like flashing.
  const srp = config.security === 2 ? generateSrpCredentials(config.username, config.pop ?? '') : undefined
  return () => {
    if (config.security === 0) return createSecurity0Device()
    if (config.security === 1) return createSecurity1Device(config.pop ? { pop: config.pop } : {})
    if (!srp) throw new Error('security 2 needs SRP credentials')
    return createSecurity2Device({ salt: srp.salt, verifier: srp.verifier, patchVersion: config.secPatchVersion })
  }
}

/** Runs a protected endpoint: decrypt, answer, encrypt; any failure is a 500 like protocomm's. */
export function protectedReply(security: DeviceSecurity, body: Uint8Array, answer: (plain: Uint8Array) => Uint8Array | undefined): EndpointReply {
  if (!security.isEstablished) return { status: 500, message: 'no secure session' }
  let plain: Uint8Array
  try {
    plain = security.decrypt(body)
  } catch {
    return { status: 500, message: 'decryption failed' }
  }
  const response = answer(plain)
  if (!response) return { status: 500, message: 'malformed request' }
  return { status: 200, body: security.encrypt(response) }
}

/** Handles `prov-session`-style handshake messages for a session. */
export function sessionReply(security: DeviceSecurity, body: Uint8Array): EndpointReply {
  const step = security.handleSession(body)
  if (step.ok) return { status: 200, body: step.response }
  // security1.c/security2.c return an error and httpd closes the socket without a reply.
  return step.response ? { status: 200, body: step.response } : { status: 'drop' }
}

/** Builds the endpoints for a device configuration. */
export function createEndpoints(config: AccessoryConfig, hooks: EndpointHooks): Endpoints {
  const sessions = new Map<number, DeviceSecurity>()
  const newSecurity = createSecurityFactory(config)

  return {
    async handle(endpoint, body, sessionId, isNew) {
      if (endpoint === 'proto-ver') {
        const json = buildProtoVer({
          secVer: config.security,
          hasPop: Boolean(config.pop),
          ...(config.security === 2 && { secPatchVer: config.secPatchVersion }),
          ...(config.appInfoId && { apps: { device: { ver: '1.0', cap: [`id=${config.deviceId}`] } } }),
        })
        return { status: 200, body: encoder.encode(json) }
      }
      if (isNew || !sessions.has(sessionId)) sessions.set(sessionId, newSecurity())
      const security = sessions.get(sessionId) as DeviceSecurity
      switch (endpoint) {
        case 'prov-session':
          return sessionReply(security, body)
        case 'prov-scan':
          return protectedReply(security, body, (plain) => scan(plain, config))
        case 'prov-config':
          return protectedReply(security, body, (plain) => configure(plain, hooks))
        case 'prov-ctrl':
          // Firmware before IDF 5.1 registers no prov-ctrl: httpd answers 404 without touching the session.
          if (!config.provCtrl) return { status: 404, message: 'Not Found' }
          return protectedReply(security, body, (plain) => control(plain, hooks.station()))
        case 'custom-data':
          // The IDF example's custom endpoint answers "SUCCESS\0" to anything.
          return protectedReply(security, body, () => encoder.encode('SUCCESS\0'))
        default:
          return { status: 404, message: 'Not Found' }
      }
    },
    endSession: (sessionId) => void sessions.delete(sessionId),
  }
}

function scan(plain: Uint8Array, config: AccessoryConfig): Uint8Array | undefined {
  const decoded = decodeWiFiScan(plain)
  if (!decoded.ok) return undefined
  const networks = config.networks.slice(0, MAX_SCAN_ENTRIES)
  const m = decoded.value
  if (m.type === 'cmdScanStart') return encodeWiFiScan({ type: 'respScanStart', status: Status.Success })
  if (m.type === 'cmdScanStatus') return encodeWiFiScan({ type: 'respScanStatus', status: Status.Success, scanFinished: true, resultCount: networks.length })
  if (m.type !== 'cmdScanResult') return undefined
  const page = networks.slice(m.startIndex, m.startIndex + m.count)
  return encodeWiFiScan({
    type: 'respScanResult',
    status: m.startIndex > networks.length ? Status.InvalidArgument : Status.Success,
    entries: page.map((n, i) => ({
      ssid: encoder.encode(n.ssid),
      channel: n.channel,
      rssi: n.rssi,
      bssid: new Uint8Array([0x02, 0x70, 0x6c, 0x78, 0x00, m.startIndex + i]),
      auth: n.passphrase === undefined ? WifiAuthMode.Open : WifiAuthMode.WPA2_PSK,
    })),
  })
}

const STATUS_OF: Record<StationCommandStatus, Status> = {
  success: Status.Success,
  'invalid-argument': Status.InvalidArgument,
  // Handlers return ESP_ERR_INVALID_STATE, which wifi_config.c reports as InternalError.
  'invalid-state': Status.InternalError,
}

function configure(plain: Uint8Array, hooks: EndpointHooks): Uint8Array | undefined {
  const decoded = decodeWiFiConfig(plain)
  if (!decoded.ok) return undefined
  const m = decoded.value
  const station = hooks.station()
  if (m.type === 'cmdSetConfig') return encodeWiFiConfig({ type: 'respSetConfig', status: STATUS_OF[station.setConfig(m.ssid, m.passphrase)] })
  if (m.type === 'cmdApplyConfig') {
    const status = STATUS_OF[station.apply()]
    if (status === Status.Success) setImmediate(hooks.onApplied)
    return encodeWiFiConfig({ type: 'respApplyConfig', status })
  }
  if (m.type !== 'cmdGetStatus') return undefined
  const status = station.status()
  setImmediate(() => hooks.onStatusRead(status))
  return encodeWiFiConfig(statusMessage(status))
}

function statusMessage(status: StationStatus): WiFiConfigMessage {
  switch (status.state) {
    case 'idle':
      // Before Apply the firmware's zeroed context reads WIFI_PROV_STA_CONNECTING (enum value 0), so stock
      // devices answer Connecting; Disconnected is never sent (wifi_config.c, reference (b)15).
      return { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connecting }
    case 'connecting':
      return { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connecting,
        ...(status.attemptsRemaining !== undefined && { attemptFailed: { attemptsRemaining: status.attemptsRemaining } }) }
    case 'connected':
      return { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connected, connected: {
        ip4Addr: status.ip4, authMode: status.secured ? WifiAuthMode.WPA2_PSK : WifiAuthMode.Open,
        ssid: encoder.encode(status.ssid), bssid: status.bssid, channel: status.channel } }
    case 'failed':
      return { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.ConnectionFailed,
        failReason: status.reason === 'auth-error' ? WifiConnectFailedReason.AuthError : WifiConnectFailedReason.NetworkNotFound }
  }
}

function control(plain: Uint8Array, station: Station): Uint8Array | undefined {
  const decoded = decodeWiFiCtrl(plain)
  if (!decoded.ok) return undefined
  if (decoded.value.type === 'cmdCtrlReset') return encodeWiFiCtrl({ type: 'respCtrlReset', status: STATUS_OF[station.reset()] })
  if (decoded.value.type === 'cmdCtrlReprov') return encodeWiFiCtrl({ type: 'respCtrlReprov', status: STATUS_OF[station.reset()] })
  return undefined
}
