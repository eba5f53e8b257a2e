/**
 * Typed codecs for the Wi-Fi endpoint payloads: `prov-config` (WiFiConfigPayload), `prov-scan`
 * (WiFiScanPayload) and `prov-ctrl` (WiFiCtrlPayload). These travel encrypted once a session is up, so a
 * decode error after decryption usually means the session's cipher state is lost: restart the session.
 */
import type { Status, WifiConnectFailedReason, WifiStationState } from './constants'
import { decodeTagged, encodeMessage, isKnownEnum, packOneof, protoError, type OneofSpec, type ProtoResult } from './proto-codec'

/** WifiConnectedState, sent with sta_state Connected. `authMode` stays a number (firmware adds modes). */
export interface WifiConnectedState {
  ip4Addr: string
  authMode: number
  ssid: Uint8Array
  bssid: Uint8Array
  channel: number
}

/** WiFiConfigPayload. Decoded messages carry every field (proto3 defaults filled in). */
export type WiFiConfigMessage =
  | { type: 'cmdGetStatus' }
  | {
      type: 'respGetStatus'
      status: Status
      staState: WifiStationState
      /** At most one of the `state` oneof: failReason, connected, attemptFailed. */
      failReason?: WifiConnectFailedReason
      connected?: WifiConnectedState
      attemptFailed?: { attemptsRemaining: number }
    }
  | { type: 'cmdSetConfig'; ssid: Uint8Array; passphrase: Uint8Array; bssid?: Uint8Array; channel?: number }
  | { type: 'respSetConfig'; status: Status }
  | { type: 'cmdApplyConfig' }
  | { type: 'respApplyConfig'; status: Status }

/** One access point in a scan result page; `auth` is a WifiAuthMode number. */
export interface WiFiScanResult {
  ssid: Uint8Array
  channel: number
  rssi: number
  bssid: Uint8Array
  auth: number
}

/** WiFiScanPayload; `status` is field 2 of the payload itself (Success when absent on the wire). */
export type WiFiScanMessage = { status?: Status } & (
  | { type: 'cmdScanStart'; blocking: boolean; passive: boolean; groupChannels: number; periodMs: number }
  | { type: 'respScanStart' }
  | { type: 'cmdScanStatus' }
  | { type: 'respScanStatus'; scanFinished: boolean; resultCount: number }
  | { type: 'cmdScanResult'; startIndex: number; count: number }
  | { type: 'respScanResult'; entries: WiFiScanResult[] }
)

/** WiFiCtrlPayload (v5.1+): reset the provisioning state machine after a failure, or re-provision. */
export type WiFiCtrlMessage = { status?: Status } & (
  | { type: 'cmdCtrlReset' }
  | { type: 'respCtrlReset' }
  | { type: 'cmdCtrlReprov' }
  | { type: 'respCtrlReprov' }
)

const CONFIG = {
  name: 'WiFiConfigPayload',
  kinds: { cmdGetStatus: 0, respGetStatus: 1, cmdSetConfig: 2, respSetConfig: 3, cmdApplyConfig: 4, respApplyConfig: 5 },
} as const satisfies OneofSpec & { name: 'WiFiConfigPayload' }
const SCAN = {
  name: 'WiFiScanPayload',
  kinds: { cmdScanStart: 0, respScanStart: 1, cmdScanStatus: 2, respScanStatus: 3, cmdScanResult: 4, respScanResult: 5 },
  outer: ['status'],
} as const satisfies OneofSpec & { name: 'WiFiScanPayload' }
const CTRL = {
  name: 'WiFiCtrlPayload',
  kinds: { cmdCtrlReset: 1, respCtrlReset: 2, cmdCtrlReprov: 3, respCtrlReprov: 4 },
  outer: ['status'],
} as const satisfies OneofSpec & { name: 'WiFiCtrlPayload' }

/** Encodes a WiFiConfigPayload (plaintext; the session encrypts it). */
export function encodeWiFiConfig(message: WiFiConfigMessage): Uint8Array {
  return encodeMessage(CONFIG.name, packOneof(CONFIG, message))
}

/** Decodes a WiFiConfigPayload; never throws. Unknown Status / station state / fail reason are rejected. */
export function decodeWiFiConfig(bytes: Uint8Array): ProtoResult<WiFiConfigMessage> {
  const result = decodeTagged(CONFIG, bytes, 'Wi-Fi config message')
  if (!result.ok) return result
  const m = result.value
  const badStatus = 'status' in m && !isKnownEnum('Status', m.status)
  const badState = m.type === 'respGetStatus' && !isKnownEnum('WifiStationState', m.staState)
  const badReason = m.failReason !== undefined && !isKnownEnum('WifiConnectFailedReason', m.failReason)
  if (badStatus || badState || badReason) {
    return protoError('unexpected-message', 'The Wi-Fi config message carries an unknown status value; restart the session.')
  }
  return { ok: true, value: m as WiFiConfigMessage }
}

/** Encodes a WiFiScanPayload. */
export function encodeWiFiScan(message: WiFiScanMessage): Uint8Array {
  return encodeMessage(SCAN.name, packOneof(SCAN, message))
}

/** Decodes a WiFiScanPayload; never throws. */
export function decodeWiFiScan(bytes: Uint8Array): ProtoResult<WiFiScanMessage> {
  const result = decodeTagged(SCAN, bytes, 'Wi-Fi scan message')
  if (!result.ok) return result
  if (!isKnownEnum('Status', result.value.status)) {
    return protoError('unexpected-message', 'The Wi-Fi scan message carries an unknown status; restart the session.')
  }
  return { ok: true, value: result.value as WiFiScanMessage }
}

/** Encodes a WiFiCtrlPayload. */
export function encodeWiFiCtrl(message: WiFiCtrlMessage): Uint8Array {
  return encodeMessage(CTRL.name, packOneof(CTRL, message))
}

/** Decodes a WiFiCtrlPayload; never throws. */
export function decodeWiFiCtrl(bytes: Uint8Array): ProtoResult<WiFiCtrlMessage> {
  const result = decodeTagged(CTRL, bytes, 'Wi-Fi control message')
  if (!result.ok) return result
  if (!isKnownEnum('Status', result.value.status)) {
    return protoError('unexpected-message', 'The Wi-Fi control message carries an unknown status; restart the session.')
  }
  return { ok: true, value: result.value as WiFiCtrlMessage }
}
