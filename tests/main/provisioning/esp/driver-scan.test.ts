/**
 * What the device reports, as the app shows it: hostile and malformed SSIDs from the device's scan
 * (markup, NULs, invalid UTF-8, duplicates, over-long names), the exact bytes going back in SetConfig,
 * and GetStatus / Set / Apply statuses as DeviceStatus values.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Status, WifiAuthMode, WifiConnectFailedReason, WifiStationState } from '../../../../main/provisioning/esp/constants'
import { createEspDriver } from '../../../../main/provisioning/esp/driver'
import { normaliseScan } from '../../../../main/provisioning/esp/scan'
import { configStatus, encodeSetConfig, toDeviceStatus } from '../../../../main/provisioning/esp/status'
import type { WiFiScanResult } from '../../../../main/provisioning/esp/wifi-messages'
import { startLoopbackDevice } from './driver-fixture'

const running: { stop(): Promise<void> | void }[] = []
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
})

const bytes = (...parts: (string | number[])[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))
const entry = (ssid: Uint8Array, rssi: number, auth: number = WifiAuthMode.WPA2_PSK): WiFiScanResult => ({ ssid, rssi, auth, channel: 1, bssid: new Uint8Array(6) })

describe('scan results from the device', () => {
  it('keeps markup as text, strips NULs, de-duplicates by name keeping the strongest, strongest first', async () => {
    const dev = await startLoopbackDevice({
      networks: [
        { ssid: '<script>alert(1)</script>', rssi: -60, channel: 1 },
        { ssid: 'Padded\u0000\u0000\u0000', rssi: -50, channel: 6 },
        { ssid: 'Twin', rssi: -75, channel: 1 },
        { ssid: 'Twin', passphrase: 'twin-secret-1', rssi: -45, channel: 11 },
        { ssid: 'Café ☕', rssi: -90, channel: 3 },
      ],
    })
    const driver = createEspDriver()
    running.push(dev, { stop: () => driver.dispose() })
    const opened = await driver.openSession(dev.endpoint, { pop: 'abcd1234' })
    if (!opened.ok) throw new Error(opened.error.message)
    running.push({ stop: () => opened.value.close() })
    const scanned = await opened.value.scanNetworks()
    expect(scanned.ok && scanned.value.map((n) => [n.ssid, n.rssi, n.security])).toEqual([
      ['Twin', -45, 'wpa2-psk'],
      ['Padded', -50, 'open'],
      ['<script>alert(1)</script>', -60, 'open'],
      ['Café ☕', -90, 'open'],
    ])
  })

  it('decodes invalid UTF-8 with replacement characters and sends the original bytes back', () => {
    const raw = bytes('Bad', [0xff, 0xfe], 'Name')
    const scanned = normaliseScan([entry(raw, -40)])
    expect(scanned.networks.map((n) => n.ssid)).toEqual(['Bad\ufffd\ufffdName'])
    const set = encodeSetConfig({ ssid: 'Bad\ufffd\ufffdName', passphrase: 'password-1' }, scanned.ssidBytes)
    expect(set.ok && set.value.type === 'cmdSetConfig' && Buffer.from(set.value.ssid).equals(Buffer.from(raw))).toBe(true)
    // A name typed by the user (not from the scan) is sent as UTF-8.
    const typed = encodeSetConfig({ ssid: 'Typed' }, scanned.ssidBytes)
    expect(typed.ok && typed.value.type === 'cmdSetConfig' && Buffer.from(typed.value.ssid).toString()).toBe('Typed')
  })

  it('drops hidden (empty) and over-long names, ends names at the first NUL, and maps unknown auth modes', () => {
    const scanned = normaliseScan([
      entry(new Uint8Array(0), -30),
      entry(new Uint8Array(33).fill(0x41), -31),
      entry(bytes('Cut', [0], 'after-nul'), -50),
      entry(bytes('Future'), -60, 42),
      entry(bytes('Ent'), -70, WifiAuthMode.WPA2_ENTERPRISE),
      entry(bytes('Mixed'), -80, WifiAuthMode.WPA2_WPA3_PSK),
    ])
    expect(scanned.networks.map((n) => [n.ssid, n.security])).toEqual([['Cut', 'wpa2-psk'], ['Future', 'unknown'], ['Ent', 'wpa2-enterprise'], ['Mixed', 'wpa2-wpa3-psk']])
    expect(scanned.networks[0]?.bssid).toBe('00:00:00:00:00:00')
  })
})

describe('config statuses', () => {
  const status = (fields: Partial<Parameters<typeof toDeviceStatus>[0]>) => toDeviceStatus({ type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connecting, ...fields })

  it('maps station states and failure reasons', () => {
    expect(status({})).toEqual({ ok: true, value: { state: 'connecting' } })
    expect(status({ attemptFailed: { attemptsRemaining: 3 } })).toEqual({ ok: true, value: { state: 'connecting', attemptsRemaining: 3 } })
    expect(status({ staState: WifiStationState.ConnectionFailed, failReason: WifiConnectFailedReason.AuthError })).toEqual({ ok: true, value: { state: 'failed', reason: 'auth' } })
    expect(status({ staState: WifiStationState.ConnectionFailed, failReason: WifiConnectFailedReason.NetworkNotFound })).toEqual({ ok: true, value: { state: 'failed', reason: 'network-not-found' } })
    expect(status({ staState: WifiStationState.ConnectionFailed })).toEqual({ ok: true, value: { state: 'failed', reason: 'other' } })
    expect(status({ staState: WifiStationState.Disconnected })).toEqual({ ok: true, value: { state: 'disconnected' } })
    expect(status({ status: Status.InternalError })).toMatchObject({ ok: false, error: { code: 'device-error' } })
  })

  it('keeps only well-formed connected details', () => {
    const connected = (ip4Addr: string, ssid: Uint8Array, channel: number) =>
      status({ staState: WifiStationState.Connected, connected: { ip4Addr, ssid, channel, authMode: 3, bssid: new Uint8Array(6) } })
    expect(connected('198.18.0.11', bytes('Home', [0, 0]), 6)).toEqual({ ok: true, value: { state: 'connected', ip4: '198.18.0.11', ssid: 'Home', channel: 6 } })
    expect(connected('<img src=x>', new Uint8Array(0), 0)).toEqual({ ok: true, value: { state: 'connected' } })
  })

  it('InternalError on Set or Apply means a previous attempt is still held (invalid-state)', () => {
    expect(configStatus('apply', Status.InternalError)).toMatchObject({ ok: false, error: { code: 'invalid-state' } })
    expect(configStatus('set', Status.InvalidArgument)).toMatchObject({ ok: false, error: { code: 'device-error', detail: 'set-status-4' } })
    expect(configStatus('set', Status.Success)).toEqual({ ok: true, value: undefined })
  })
})
