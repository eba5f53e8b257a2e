/**
 * netsh wlan output against fixtures (CRLF, as netsh writes them) whose layouts were checked against public
 * real captures (tests/fixtures/wifi/README.md): Windows 10 and 11 (23H2, 24H2) English layouts, German,
 * French and Italian listings, and the Windows 11 24H2 location-permission refusal.
 */
import { describe, expect, it } from 'vitest'
import {
  classifyNetshText, mapNetshSecurity, parseNetshBlocks, parseNetshInterfaces, parseNetshNetworks, parseNetshProfiles, parseNetshProfileSsid,
} from '../../../main/wifi/netsh-parse'
import { buildWlanProfileXml, escapeXml, netshProfileName } from '../../../main/wifi/netsh-profile'
import { fixture } from './replay'

describe('netsh show interfaces', () => {
  // Windows 10/11 and the 24H2 layout (Connected Akm-cipher with colons in its value, Rssi, no hosted-network trailer).
  it.each([
    ['interfaces-connected.txt', '5f3c9a1e-2b7d-4c8e-9a01-23456789abcd', 92],
    ['interfaces-24h2.txt', '3d0c7e52-91a4-4b6f-8e27-5c1b9a0f4d68', 88],
  ])('reads a connected interface from %s', (file, guid, signal) => {
    expect(parseNetshInterfaces(fixture(`windows/${file}`))).toEqual({
      ok: true,
      value: [{
        name: 'Wi-Fi', guid, state: 'connected', ssid: 'Home Net', bssid: '9c:53:22:aa:bb:cc',
        channel: 44, signal, authentication: 'WPA2-Personal', cipher: 'CCMP', profile: 'Home Net',
      }],
    })
  })

  it('reads disconnected and authenticating states, and two interfaces with a hostile SSID', () => {
    expect(parseNetshInterfaces(fixture('windows/interfaces-disconnected.txt'))).toMatchObject({ ok: true, value: [{ name: 'Wi-Fi', state: 'disconnected' }] })
    expect(parseNetshInterfaces(fixture('windows/interfaces-authenticating.txt'))).toMatchObject({ ok: true, value: [{ state: 'authenticating', ssid: 'PROV_A1B2C3' }] })
    const two = parseNetshInterfaces(fixture('windows/interfaces-two.txt'))
    expect(two.ok && two.value.map((i) => [i.name, i.state, i.ssid])).toEqual([['Wi-Fi', 'disconnected', undefined], ['Wi-Fi 2', 'connected', 'Café:5G "x" <b>']])
    expect(two.ok && two.value[1]?.bssid).toBe('00:11:22:33:44:5c')
  })

  it('keeps the structure of a German listing: name, GUID, SSID, "AP BSSID", signal, "Kanal", and "connected" from the SSID line', () => {
    const de = parseNetshInterfaces(fixture('windows/interfaces-german.txt'))
    expect(de).toMatchObject({ ok: true, value: [{ name: 'WLAN', state: 'connected', ssid: 'Home Net', bssid: '9c:53:22:aa:bb:cc', signal: 92, channel: 44,
      authentication: 'WPA2-Personal', cipher: 'CCMP' }] })
    expect(de.ok && de.value[0]?.profile).toBeUndefined() // "Profil" is not read: only the SSID matters
  })

  it('reads a French listing (no-break spaces before colons, a BSSID label without "BSSID") and an Italian Windows 10 one', () => {
    expect(parseNetshInterfaces(fixture('windows/interfaces-french.txt'))).toMatchObject({
      ok: true, value: [{ name: 'Wi-Fi', state: 'connected', ssid: 'Café:5G', bssid: '00:11:22:33:44:5c', channel: 100, signal: 65, authentication: 'WPA2 - Personnel' }],
    })
    expect(mapNetshSecurity('WPA2 - Personnel', 'CCMP')).toBe('wpa2-psk')
    expect(parseNetshInterfaces(fixture('windows/interfaces-italian.txt'))).toMatchObject({
      ok: true, value: [{ name: 'Wi-Fi', state: 'connected', ssid: 'PROV_A1B2C3', bssid: '24:0a:c4:12:34:56', channel: 1, signal: 64 }],
    })
    // Pasted captures often lose the blank line after the header; the name is still the first indented value.
    const squeezed = 'Hay 1 interfaz en el sistema:\r\n    Nombre                 : Wi-Fi\r\n    GUID                   : 5f3c9a1e-2b7d-4c8e-9a01-23456789abcd\r\n'
    expect(parseNetshInterfaces(squeezed)).toMatchObject({ ok: true, value: [{ name: 'Wi-Fi' }] })
  })

  it('turns refusals into WifiErrors that say what to do', () => {
    // 24H2 prints the "There is 1 interface" header and then the refusal: the refusal wins.
    expect(parseNetshInterfaces(fixture('windows/interfaces-location-denied.txt'))).toMatchObject({ ok: false, error: { code: 'not-permitted', message: expect.stringContaining('Location') } })
    expect(parseNetshInterfaces(fixture('windows/interfaces-no-service.txt'))).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter', message: expect.stringContaining('WLAN AutoConfig') } })
    expect(parseNetshInterfaces(fixture('windows/interfaces-none.txt'))).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter' } })
    expect(parseNetshInterfaces('Dies ist keine Ausgabe, die wir kennen.')).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
    expect(parseNetshInterfaces('')).toEqual({ ok: true, value: [] })
  })
})

describe('netsh show networks mode=bssid', () => {
  const parsed = parseNetshNetworks(fixture('windows/networks.txt'))
  const nets = parsed.ok ? parsed.value : []

  it('reads each named network with its strongest signal, first BSSID and channel; hidden ones are dropped', () => {
    expect(nets).toHaveLength(9)
    expect(nets[0]).toEqual({ ssid: 'Home Net', authentication: 'WPA2-Personal', encryption: 'CCMP', security: 'wpa2-psk', bssid: '9c:53:22:aa:bb:cc', signal: 92, channel: 44 })
    expect(nets.map((n) => n.ssid)).toEqual(expect.arrayContaining(['Café:5G "x" <b>', '<script>alert(1)</script>', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345']))
  })

  it('maps Authentication/Cipher pairs', () => {
    expect(Object.fromEntries(nets.map((n) => [n.ssid, n.security]))).toMatchObject({
      PROV_A1B2C3: 'wpa2-psk', PROV_OPEN01: 'open', 'Sae Only': 'wpa3-sae', Office: 'enterprise', '<script>alert(1)</script>': 'wep', 'Cafe Enhanced Open': 'open',
    })
    expect(mapNetshSecurity('WPA3-Personal Transition', 'CCMP')).toBe('wpa2-wpa3')
    expect(mapNetshSecurity('WPA-Personal', 'TKIP')).toBe('wpa-psk')
    expect(mapNetshSecurity('Shared', 'WEP')).toBe('wep')
    expect(mapNetshSecurity('WPA3-Enterprise 192 Bits', 'GCMP-256')).toBe('enterprise')
    // Localized "Open" as real de/fr/es captures print it; unseen words stay unknown.
    expect(['Offen', 'Ouvrir', 'Abierta'].map((a) => mapNetshSecurity(a, 'Keine'))).toEqual(['open', 'open', 'open'])
    expect(mapNetshSecurity('Offen', 'WEP')).toBe('wep')
    expect(mapNetshSecurity('Aperto?', 'Nessuna')).toBe('unknown')
  })

  it('reads French and German listings (no-break space in "SSID 1\u00a0:", localized Authentication/Encryption/Channel)', () => {
    expect(parseNetshNetworks(fixture('windows/networks-french.txt'))).toEqual({ ok: true, value: [
      { ssid: 'PROV_A1B2C3', authentication: 'WPA2 - Personnel', encryption: 'CCMP', security: 'wpa2-psk', bssid: '24:0a:c4:12:34:56', signal: 64, channel: 1 },
      { ssid: 'PROV_OPEN01', authentication: 'Ouvrir', encryption: 'Aucun', security: 'open', bssid: '24:0a:c4:00:00:01', signal: 58, channel: 11 },
    ] })
    expect(parseNetshNetworks(fixture('windows/networks-german.txt'))).toMatchObject({ ok: true, value: [
      { ssid: 'PROV_A1B2C3', security: 'wpa2-psk', encryption: 'CCMP', channel: 1, signal: 64 },
      { ssid: 'PROV_OPEN01', security: 'open', encryption: 'Keine', channel: 11, signal: 58 },
    ] })
  })

  it('ignores the Windows 11 BSS-load and QoS lines inside BSSID blocks', () => {
    expect(nets.find((n) => n.ssid === 'Home Net')).toMatchObject({ signal: 92, channel: 44 })
  })

  it('handles none visible (in English and German), the location refusal and garbage as values', () => {
    expect(parseNetshNetworks(fixture('windows/networks-empty.txt'))).toEqual({ ok: true, value: [] })
    expect(parseNetshNetworks(fixture('windows/networks-empty-german.txt'))).toEqual({ ok: true, value: [] })
    expect(parseNetshNetworks(fixture('windows/networks-location-denied.txt'))).toMatchObject({ ok: false, error: { code: 'not-permitted' } })
    expect(parseNetshNetworks(fixture('windows/networks-garbage.txt'))).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
  })
})

describe('netsh profiles', () => {
  it('lists profile names whatever the labels say, and reads a profile SSID', () => {
    expect(parseNetshProfiles(fixture('windows/profiles.txt'))).toEqual(['Home Net', 'Cafe Guest', 'porchlight-tmp-PROV_A1B2C3-1e20a97f', 'Renamed Home'])
    expect(parseNetshProfileSsid(fixture('windows/profile-renamed.txt'))).toBe('Upstairs')
    expect(parseNetshProfileSsid('nothing here')).toBeUndefined()
  })

  it('splits key : value lines without losing colons in values', () => {
    expect(parseNetshBlocks('    SSID                   : a : b\r\n\r\n    Signal : 9%  \r\n')).toEqual([[{ indent: 4, key: 'SSID', value: 'a : b' }], [{ indent: 4, key: 'Signal', value: '9%' }]])
    expect(classifyNetshText('Connection request was completed successfully.')).toBeUndefined()
  })
})

describe('WLAN profile XML', () => {
  it('names profiles safely and stably', () => {
    expect(netshProfileName('PROV_A1B2C3', true)).toBe('porchlight-tmp-PROV_A1B2C3-1e20a97f')
    expect(netshProfileName('Café "x" <b>', false)).toMatch(/^porchlight-Caf___x___b_-[0-9a-f]{8}$/)
    expect(netshProfileName('a b', true)).not.toBe(netshProfileName('a_b', true))
  })

  it('writes a manual-mode WPA2 profile with the SSID as hex and the key escaped', () => {
    const xml = buildWlanProfileXml({ name: 'porchlight-tmp-x', ssid: '<script>&"', security: 'wpa2-psk', passphrase: 'p&ss<word>"\'', isTemporary: true, isHidden: false })
    expect(xml).toContain('<hex>3C7363726970743E2622</hex>')
    expect(xml).toContain('<name>&lt;script&gt;&amp;&quot;</name>')
    expect(xml).toContain('<connectionMode>manual</connectionMode>')
    expect(xml).toContain('<authentication>WPA2PSK</authentication>')
    expect(xml).toContain('<keyMaterial>p&amp;ss&lt;word&gt;&quot;&apos;</keyMaterial>')
    expect(xml).not.toContain('<script>')
  })

  it('writes open, OWE, WPA3 and hidden variants', () => {
    const open = buildWlanProfileXml({ name: 'n', ssid: 'PROV_OPEN01', security: 'open', isTemporary: true, isHidden: true })
    expect(open).toContain('<authentication>open</authentication>')
    expect(open).toContain('<encryption>none</encryption>')
    expect(open).not.toContain('sharedKey')
    expect(open).toContain('<nonBroadcast>true</nonBroadcast>')
    expect(buildWlanProfileXml({ name: 'n', ssid: 's', security: 'open', isOwe: true, isTemporary: false, isHidden: false })).toContain('<authentication>OWE</authentication>')
    const sae = buildWlanProfileXml({ name: 'n', ssid: 's', security: 'wpa3-sae', passphrase: 'abcdefgh', isTemporary: false, isHidden: false })
    expect(sae).toContain('<authentication>WPA3SAE</authentication>')
    expect(sae).toContain('<connectionMode>auto</connectionMode>')
    expect(escapeXml('a\u0001b')).toBe('ab')
  })
})
