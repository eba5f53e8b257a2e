import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodeMessage } from '../../../../main/provisioning/esp/proto-codec'
import { espEnumValues } from '../../../../main/provisioning/esp/proto-schema'
import {
  decodeSessionData,
  decodeWiFiConfig,
  decodeWiFiCtrl,
  decodeWiFiScan,
  encodeSessionData,
  encodeWiFiConfig,
  encodeWiFiCtrl,
  encodeWiFiScan,
  Status,
  WifiAuthMode,
  WifiConnectFailedReason,
  WifiStationState,
  type SessionData,
  type WiFiConfigMessage,
  type WiFiCtrlMessage,
  type WiFiScanMessage,
} from '../../../../main/provisioning/esp/messages'
import { fromHex, SEC0_REQUEST, SEC1, toHex, WIFI } from './vectors'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('SessionData codec', () => {
  it('(b)4 field numbers: the encoded sec0 request is 5203a20100 and decodes back', () => {
    const request: SessionData = { secVer: 0, payload: { scheme: 0, type: 'sc' } }
    expect(toHex(encodeSessionData(request))).toBe(SEC0_REQUEST)
    expect(decodeSessionData(fromHex(SEC0_REQUEST))).toEqual({ ok: true, value: request })
  })

  it('(b)6 SessionCmd0 bytes are 10015a25a201220a20 ‖ client_pub', () => {
    const clientPubkey = fromHex(SEC1.clientPub)
    const bytes = encodeSessionData({ secVer: 1, payload: { scheme: 1, type: 'sc0', clientPubkey } })
    expect(toHex(bytes)).toBe(SEC1.sessionCmd0Prefix + SEC1.clientPub)
  })

  it('round-trips every security 1 and 2 message with its status', () => {
    const b = (n: number): Uint8Array => new Uint8Array(randomBytes(n))
    const messages: SessionData[] = [
      { secVer: 0, payload: { scheme: 0, type: 'sr', status: Status.Success } },
      { secVer: 1, payload: { scheme: 1, type: 'sr0', status: Status.Success, devicePubkey: b(32), deviceRandom: b(16) } },
      { secVer: 1, payload: { scheme: 1, type: 'sc1', clientVerifyData: b(32) } },
      { secVer: 1, payload: { scheme: 1, type: 'sr1', status: Status.CryptoError, deviceVerifyData: b(32) } },
      { secVer: 2, payload: { scheme: 2, type: 'sc0', clientUsername: text('wifiprov'), clientPubkey: b(384) } },
      { secVer: 2, payload: { scheme: 2, type: 'sr0', status: Status.Success, devicePubkey: b(383), deviceSalt: b(16) } },
      { secVer: 2, payload: { scheme: 2, type: 'sc1', clientProof: b(64) } },
      { secVer: 2, payload: { scheme: 2, type: 'sr1', status: Status.Success, deviceProof: b(64), deviceNonce: b(12) } },
      { secVer: 2 },
    ]
    for (const message of messages) expect(decodeSessionData(encodeSessionData(message))).toEqual({ ok: true, value: message })
  })

  it('rejects a msg that names another member, a payload without member, unknown sec_ver and unknown status', () => {
    const raw = (object: Record<string, unknown>): Uint8Array => encodeMessage('SessionData', object)
    const rejected = { ok: false, error: { code: 'unexpected-message' } }
    expect(decodeSessionData(raw({ secVer: 1, sec1: { msg: 2, sc0: { clientPubkey: new Uint8Array(32) } } }))).toMatchObject(rejected)
    expect(decodeSessionData(raw({ secVer: 1, sec1: { msg: 2 } }))).toMatchObject(rejected)
    expect(decodeSessionData(raw({ secVer: 1, sec1: { msg: 1, sr0: { status: 9 } } }))).toMatchObject(rejected)
    expect(decodeSessionData(fromHex('1009'))).toMatchObject(rejected) // sec_ver 9
    expect(decodeSessionData(fromHex('1001ff'))).toMatchObject({ ok: false, error: { code: 'invalid-protobuf' } })
    // Two schemes on the wire: protobuf's rule is that the last oneof member wins.
    expect(decodeSessionData(fromHex('5203a201005a03a20100'))).toMatchObject({ ok: true, value: { payload: { scheme: 1, type: 'sc0' } } })
  })
})

describe('Wi-Fi payload codecs', () => {
  it('(b)14 plaintexts: SetConfig(myssid, mypassword), GetStatus and ApplyConfig encode byte for byte', () => {
    expect(toHex(encodeWiFiConfig({ type: 'cmdSetConfig', ssid: text('myssid'), passphrase: text('mypassword') }))).toBe(WIFI.setConfig)
    expect(toHex(encodeWiFiConfig({ type: 'cmdGetStatus' }))).toBe(WIFI.getStatus)
    expect(toHex(encodeWiFiConfig({ type: 'cmdApplyConfig' }))).toBe(WIFI.applyConfig)
    const decoded = decodeWiFiConfig(fromHex(WIFI.setConfig))
    expect(decoded).toEqual({ ok: true, value: { type: 'cmdSetConfig', ssid: text('myssid'), passphrase: text('mypassword'), bssid: new Uint8Array(), channel: 0 } })
  })

  it('(b)15 status replies round-trip: connected details, failure reason, attempts remaining', () => {
    const connected = { ip4Addr: '192.168.1.23', authMode: WifiAuthMode.WPA2_PSK, ssid: text('home'), bssid: Uint8Array.of(1, 2, 3, 4, 5, 6), channel: 6 }
    const replies: WiFiConfigMessage[] = [
      { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connected, connected },
      { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.ConnectionFailed, failReason: WifiConnectFailedReason.NetworkNotFound },
      { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connecting, attemptFailed: { attemptsRemaining: 2 } },
      { type: 'respGetStatus', status: Status.Success, staState: WifiStationState.Connecting },
      { type: 'respSetConfig', status: Status.InvalidArgument },
      { type: 'respApplyConfig', status: Status.Success },
    ]
    for (const reply of replies) expect(decodeWiFiConfig(encodeWiFiConfig(reply))).toEqual({ ok: true, value: reply })
  })

  it('(b)16 scan: status is field 2 of the payload; start defaults, paging and results round-trip', () => {
    const start = encodeWiFiScan({ type: 'cmdScanStart', blocking: true, passive: false, groupChannels: 5, periodMs: 120 })
    expect(toHex(start)).toBe('5206080118052078') // cmd_scan_start = field 10: blocking 1, group_channels 3, period_ms 4
    expect(decodeWiFiScan(start)).toEqual({ ok: true, value: { type: 'cmdScanStart', status: 0, blocking: true, passive: false, groupChannels: 5, periodMs: 120 } })
    expect(toHex(encodeWiFiScan({ type: 'respScanStart', status: Status.InternalError }))).toBe('080110055a00')
    const entries = [
      { ssid: text('café'), channel: 11, rssi: -67, bssid: Uint8Array.of(0xaa, 0xbb, 0xcc, 0, 1, 2), auth: WifiAuthMode.WPA2_WPA3_PSK },
      { ssid: text('open'), channel: 1, rssi: -90, bssid: new Uint8Array(6), auth: 42 },
    ]
    const messages: WiFiScanMessage[] = [
      { type: 'cmdScanStatus', status: 0 },
      { type: 'respScanStatus', status: 0, scanFinished: true, resultCount: 2 },
      { type: 'cmdScanResult', status: 0, startIndex: 0, count: 4 },
      { type: 'respScanResult', status: 0, entries },
    ]
    for (const message of messages) expect(decodeWiFiScan(encodeWiFiScan(message))).toEqual({ ok: true, value: message })
  })

  it('prov-ctrl reset and reprov round-trip with msg numbers 1..4', () => {
    expect(toHex(encodeWiFiCtrl({ type: 'cmdCtrlReset' }))).toBe('08015a00')
    const messages: WiFiCtrlMessage[] = [
      { type: 'respCtrlReset', status: 0 },
      { type: 'cmdCtrlReprov', status: 0 },
      { type: 'respCtrlReprov', status: Status.InvalidSession },
    ]
    for (const message of messages) expect(decodeWiFiCtrl(encodeWiFiCtrl(message))).toEqual({ ok: true, value: message })
  })

  it('accepts ApplyConfig sent as msg alone (0804), as esp_prov v5.5.2 does; the firmware dispatches on msg', () => {
    expect(decodeWiFiConfig(fromHex('0804'))).toEqual({ ok: true, value: { type: 'cmdApplyConfig' } })
    expect(decodeWiFiCtrl(fromHex('0801'))).toMatchObject({ ok: true, value: { type: 'cmdCtrlReset' } })
    // A member with fields cannot be implied: SetConfig without its body is still an error.
    expect(decodeWiFiConfig(fromHex('0802'))).toMatchObject({ ok: false, error: { code: 'unexpected-message' } })
  })

  it('rejects empty payloads, msg/oneof mismatches and unknown status or station-state values', () => {
    expect(decodeWiFiConfig(new Uint8Array())).toMatchObject({ ok: false, error: { code: 'unexpected-message' } })
    expect(decodeWiFiConfig(fromHex('0801'))).toMatchObject({ ok: false, error: { code: 'unexpected-message' } })
    expect(decodeWiFiConfig(fromHex('08015200'))).toMatchObject({ ok: false }) // msg RespGetStatus, member CmdGetStatus
    expect(decodeWiFiConfig(fromHex('08035a020809'))).toMatchObject({ ok: false }) // resp_set_config status 9
    expect(decodeWiFiConfig(fromHex('08015a021009'))).toMatchObject({ ok: false }) // sta_state 9
    expect(decodeWiFiScan(fromHex('100962005a00'))).toMatchObject({ ok: false })
    expect(decodeWiFiCtrl(fromHex('5a00'))).toMatchObject({ ok: false }) // msg 0 is TypeCtrlReserved
  })

  it('never throws on garbage: 2000 random inputs decode to a value or a typed error', () => {
    const decoders = [decodeSessionData, decodeWiFiConfig, decodeWiFiScan, decodeWiFiCtrl]
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(randomBytes(i % 64))
      for (const decode of decoders) {
        const result = decode(bytes)
        if (!result.ok) expect(['invalid-protobuf', 'unexpected-message']).toContain(result.error.code)
      }
    }
  })

  it('the TypeScript constants agree with the .proto enums', () => {
    expect(new Set(Object.values(Status))).toEqual(espEnumValues('Status'))
    expect(new Set(Object.values(WifiStationState))).toEqual(espEnumValues('WifiStationState'))
    expect(new Set(Object.values(WifiConnectFailedReason))).toEqual(espEnumValues('WifiConnectFailedReason'))
    expect(new Set(Object.values(WifiAuthMode))).toEqual(espEnumValues('WifiAuthMode'))
  })
})
