/**
 * nmcli's terse output against fixtures: `*.real.*` were captured from nmcli 1.42 talking to a private
 * NetworkManager in a throw-away namespace; the Wi-Fi lists are reconstructed with the escaping those
 * captures show (tests/fixtures/wifi/README.md).
 */
import { describe, expect, it } from 'vitest'
import {
  classifyNmcliFailure, mapNmcliSecurity, parseConnections, parseConnectionSsids, parseDeviceStatus, parseGeneralStatus, parsePermissions,
  parseWifiList, splitTerse,
} from '../../../main/wifi/nmcli-parse'
import { fixture } from './replay'

describe('terse splitting', () => {
  it('splits on bare colons and undoes \\: and \\\\ only', () => {
    expect(splitTerse('a\\:b:c\\\\d:')).toEqual(['a:b', 'c\\d', ''])
    expect(splitTerse('porchlight-tmp-Café\\:5G\\\\x:281625d0:802-11-wireless:0')).toEqual(['porchlight-tmp-Café:5G\\x', '281625d0', '802-11-wireless', '0'])
    expect(splitTerse('\\n stays')).toEqual(['\\n stays'])
    expect(splitTerse('')).toEqual([''])
  })
})

describe('device wifi list', () => {
  const parsed = parseWifiList(fixture('linux/wifi-list.txt'))
  const aps = parsed.ok ? parsed.value : []

  it('reads every access point, the active one, BSSIDs unescaped and lower-cased, channels and signals', () => {
    expect(aps).toHaveLength(19)
    expect(aps[0]).toEqual({ isActive: true, ssid: 'Home Net', bssid: '9c:53:22:aa:bb:cc', channel: 44, signal: 92, securityText: 'WPA2', security: 'wpa2-psk', device: 'wlp2s0' })
    expect(aps.filter((a) => a.isActive)).toHaveLength(1)
  })

  it('keeps hostile SSIDs byte-exact (from SSID-HEX) and tells hidden networks from one named "--"', () => {
    const names = aps.map((a) => a.ssid)
    for (const ssid of ['Café:5G\\x', '"quoted" \'ssid\'', '🏠 Home', '<script>alert(1)</script>', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', '--', ' spaced ']) {
      expect(names).toContain(ssid)
    }
    expect(names.filter((n) => n === null)).toHaveLength(1)
  })

  it('maps nmcli security words to WifiSecurity', () => {
    const security = Object.fromEntries(aps.filter((a) => a.ssid).map((a) => [a.ssid, a.security]))
    expect(security).toMatchObject({
      'PROV_A1B2C3': 'wpa2-psk', 'PROV_OPEN01': 'open', 'Neighbour Mixed': 'wpa2-psk', 'Sae Only': 'wpa3-sae', Transition: 'wpa2-wpa3', Office: 'enterprise',
      'Cafe Enhanced Open': 'open', 'Old Printer': 'wep',
    })
    expect(mapNmcliSecurity('WPA1')).toBe('wpa-psk')
    expect(mapNmcliSecurity('--')).toBe('open')
    expect(mapNmcliSecurity('WAPI')).toBe('unknown')
  })

  it('returns an empty list for empty output, and an error value (not a throw) for pretty or translated output', () => {
    expect(parseWifiList(fixture('linux/wifi-list-empty.txt'))).toEqual({ ok: true, value: [] })
    expect(parseWifiList(fixture('linux/wifi-list-pretty.txt'))).toMatchObject({ ok: false, error: { code: 'adapter-failed', detail: expect.stringContaining('expected 8 fields') } })
    expect(parseWifiList(fixture('linux/wifi-list-localized.txt'))).toMatchObject({ ok: false, error: { code: 'adapter-failed', detail: expect.stringContaining('ACTIVE is "ja"') } })
    expect(parseWifiList('\u0000\u0001 garbage')).toMatchObject({ ok: false })
  })
})

describe('device status, profiles, general', () => {
  it('lists devices with their state and connection', () => {
    const devices = parseDeviceStatus(fixture('linux/device-status.txt'))
    expect(devices.ok && devices.value[0]).toEqual({ device: 'wlp2s0', type: 'wifi', state: 'connected', connection: 'Home Net' })
    expect(devices.ok && devices.value.at(-1)).toEqual({ device: 'lo', type: 'loopback', state: 'connected (externally)', connection: 'lo' })
    expect(parseDeviceStatus(fixture('linux/device-status-no-wifi.real.txt'))).toEqual({ ok: true, value: [{ device: 'lo', type: 'loopback', state: 'unmanaged', connection: '' }] })
  })

  it('reads recorded profile lists with escaped names, and the unescaped detail form', () => {
    const conns = parseConnections(fixture('linux/connections.real.txt'))
    expect(conns.ok && conns.value.map((c) => c.name)).toEqual(['ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 'Home Net', 'Wired connection 1', 'porchlight-tmp-Café:5G\\x', '🏠 "Home" <script>'])
    expect(conns.ok && conns.value[2]).toMatchObject({ type: '802-3-ethernet', timestamp: 0 })
    const ssids = parseConnectionSsids(fixture('linux/connection-ssids.real.txt'))
    expect(ssids.get('281625d0-8dc1-4b24-ac7e-ce006ccec1bd')).toBe('Café:5G\\x')
    expect(ssids.get('35e2148e-6b44-4d58-aefa-73b0a899cf8a')).toBe('🏠 "Home" <script>')
    expect(ssids.has('b7e07a18-3ce5-4749-80c5-dec2add03400')).toBe(false)
    expect(parseConnectionSsids('garbage')).toEqual(new Map())
  })

  it('reads general status and permissions', () => {
    expect(parseGeneralStatus(fixture('linux/general-status.real.txt'))).toEqual({ ok: true, value: { isRunning: true, wifiHardware: 'missing', isWifiEnabled: true } })
    expect(parseGeneralStatus(fixture('linux/general-status-wifi-off.txt'))).toMatchObject({ ok: true, value: { isWifiEnabled: false } })
    expect(parseGeneralStatus('')).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
    expect(parsePermissions(fixture('linux/general-permissions.real.txt')).get('org.freedesktop.NetworkManager.network-control')).toBe('yes')
    expect(parsePermissions(fixture('linux/general-permissions-auth.txt')).get('org.freedesktop.NetworkManager.network-control')).toBe('auth')
  })
})

describe('nmcli failures', () => {
  const classify = (file: string, exitCode: number) => classifyNmcliFailure(exitCode, fixture(`linux/${file}`), 'PROV_A1B2C3', 20_000).code

  it('maps exit codes and NetworkManager reasons to WifiError codes', () => {
    expect(classify('up-wrong-passphrase.stderr.txt', 4)).toBe('wrong-passphrase')
    expect(classify('up-wrong-passphrase-old.stderr.txt', 4)).toBe('wrong-passphrase')
    expect(classify('up-ssid-not-found.stderr.txt', 4)).toBe('network-not-found')
    expect(classify('up-timeout.stderr.txt', 3)).toBe('join-timeout')
    expect(classify('up-not-authorized.stderr.txt', 4)).toBe('not-permitted')
    expect(classify('not-running.stderr.txt', 8)).toBe('no-wifi-adapter')
    expect(classify('no-dbus.real.stderr.txt', 1)).toBe('no-wifi-adapter')
    expect(classify('up-no-device.real.stderr.txt', 4)).toBe('no-wifi-adapter')
    expect(classify('up-device-not-found.real.stderr.txt', 4)).toBe('no-wifi-adapter')
    expect(classifyNmcliFailure(2, 'Error: something new.', 'X', 0)).toMatchObject({ code: 'adapter-failed', detail: 'nmcli exit 2: Error: something new.' })
  })

  it('says what to do next', () => {
    const error = classifyNmcliFailure(4, fixture('linux/up-wrong-passphrase.stderr.txt'), 'PROV_A1B2C3', 0)
    expect(error.message).toMatch(/"PROV_A1B2C3".*Check it and try again/)
  })
})
