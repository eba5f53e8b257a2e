/**
 * `prov-config` payloads as the driver port's values (reference §1.8, (b)14–15): credentials checked and
 * encoded for CmdSetConfig, the Set/Apply statuses, and GetStatus as a DeviceStatus. No value built here
 * carries the passphrase into an error.
 */
import { isIPv4 } from 'node:net'
import type { DeviceStatus, DriverError, DriverResult, WifiCredentials } from '../driver'
import { Status, WifiConnectFailedReason, WifiStationState } from './constants'
import type { WiFiConfigMessage } from './wifi-messages'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })
const HEX_PSK = /^[0-9a-fA-F]{64}$/

/** The reply to GetStatus. */
export type GetStatusReply = Extract<WiFiConfigMessage, { type: 'respGetStatus' }>

/**
 * CmdSetConfig for the credentials. `ssidBytes` maps names shown from the device's own scan to the exact
 * bytes it reported, so a name that was not valid UTF-8 still reaches the device unchanged.
 */
export function encodeSetConfig(credentials: WifiCredentials, ssidBytes: ReadonlyMap<string, Uint8Array>): DriverResult<WiFiConfigMessage> {
  const ssid = ssidBytes.get(credentials.ssid) ?? encoder.encode(credentials.ssid)
  // The firmware copies at most 32 SSID bytes: a longer name would silently become another network (§1.8).
  if (ssid.length === 0 || ssid.length > 32) return invalid('A Wi-Fi network name must be 1 to 32 bytes long.')
  const passphrase = credentials.passphrase ?? ''
  // The firmware keeps at most 63 passphrase bytes (strlcpy into 64, §1.8): a 64-digit hex key would be cut
  // to 63 digits and fail as a wrong password, so it is refused here with the real reason.
  if (HEX_PSK.test(passphrase)) return invalid('This accessory accepts Wi-Fi passwords of up to 63 characters; a 64-digit hexadecimal key cannot be sent to it.')
  if (passphrase !== '' && ([...passphrase].length < 8 || encoder.encode(passphrase).length > 63)) {
    return invalid('A Wi-Fi password must be 8 to 63 characters long.')
  }
  const message: WiFiConfigMessage = { type: 'cmdSetConfig', ssid, passphrase: encoder.encode(passphrase) }
  const bssid = credentials.bssid === undefined ? undefined : parseBssid(credentials.bssid)
  // Stock firmware ignores the BSSID (handlers.c); it is sent anyway for firmware that honours it.
  if (bssid) message.bssid = bssid
  return { ok: true, value: message }
}

function invalid(message: string): { ok: false; error: DriverError } {
  return { ok: false, error: { code: 'unsupported', message, detail: 'invalid-credentials' } }
}

function parseBssid(text: string): Uint8Array | undefined {
  const parts = text.split(/[:-]/)
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return undefined
  return Uint8Array.from(parts, (p) => Number.parseInt(p, 16))
}

/**
 * The Set/Apply status as a result. The stock handlers return ESP_ERR_INVALID_STATE while the state machine
 * still holds a failed (or running) attempt, which wifi_config.c reports as InternalError (§1.8).
 */
export function configStatus(step: 'set' | 'apply', status: Status): DriverResult<void> {
  if (status === Status.Success) return { ok: true, value: undefined }
  if (status === Status.InternalError) {
    return { ok: false, error: { code: 'invalid-state', message: 'The accessory still holds a previous attempt (failed or in progress); reset it, then send the network again.' } }
  }
  if (status === Status.InvalidArgument) {
    return { ok: false, error: { code: 'device-error', message: 'The accessory rejected the network name or password as invalid.', detail: `${step}-status-${status}` } }
  }
  return { ok: false, error: { code: 'device-error', message: `The accessory refused the ${step === 'set' ? 'network settings' : 'request to join'}.`, detail: `${step}-status-${status}` } }
}

/** GetStatus as a DeviceStatus; an error status is a device error. */
export function toDeviceStatus(reply: GetStatusReply): DriverResult<DeviceStatus> {
  if (reply.status !== Status.Success) {
    return { ok: false, error: { code: 'device-error', message: 'The accessory could not report its connection status.', detail: `status-${reply.status}` } }
  }
  switch (reply.staState) {
    case WifiStationState.Connecting:
      // attempts_remaining exists since v5.4.1 (wifi_conn_attempts > 0); older firmware sends no state oneof.
      return { ok: true, value: { state: 'connecting', ...(reply.attemptFailed && { attemptsRemaining: reply.attemptFailed.attemptsRemaining }) } }
    case WifiStationState.Connected: {
      const c = reply.connected
      const ssid = c && c.ssid.length > 0 && c.ssid.length <= 32 ? decoder.decode(c.ssid.subarray(0, c.ssid.indexOf(0) === -1 ? undefined : c.ssid.indexOf(0))) : undefined
      return {
        ok: true,
        value: {
          state: 'connected',
          ...(c && isIPv4(c.ip4Addr) && { ip4: c.ip4Addr }),
          ...(ssid && { ssid }),
          ...(c && c.channel > 0 && c.channel <= 233 && { channel: c.channel }),
        },
      }
    }
    case WifiStationState.ConnectionFailed: {
      const reason = reply.failReason === WifiConnectFailedReason.AuthError ? 'auth' : reply.failReason === WifiConnectFailedReason.NetworkNotFound ? 'network-not-found' : 'other'
      return { ok: true, value: { state: 'failed', reason } }
    }
    case WifiStationState.Disconnected:
      // Stock firmware never sends it (reference (b)15); other firmware may.
      return { ok: true, value: { state: 'disconnected' } }
  }
}
