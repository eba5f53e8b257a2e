/**
 * netsh wlan output against reconstructed fixtures (CRLF, as netsh writes them), including a German and a
 * French listing to show what survives localization, and the Windows 11 24H2 location-permission refusal.
 */
import { describe, expect, it } from 'vitest'
import {
  classifyNetshText, mapNetshSecurity, parseNetshBlocks, parseNetshInterfaces, parseNetshNetworks, parseNetshProfiles, parseNetshProfileSsid,
} from '../../../main/wifi/netsh-parse'
import { buildWlanProfileXml, escapeXml, netshProfileName } from '../../../main/wifi/netsh-profile'
import { fixture } from './replay'

describe('netsh show interfaces', () => {
  it('reads a connected interface', () => {
    expect(parseNetshInterfaces(fixture('windows/interfaces-connected.txt'))).toEqual({
      ok: true,
      value: [{
        name: 'Wi-Fi', guid: '5f3c9a1e-2b7d-4c8e-9a01-23456789abcd', state: 'connected', ssid: 'Home Net', bssid: '9c:53:22:aa:bb:cc',
        channel: 44, signal: 92, authentication: 'WPA2-Personal', cipher: 'CCMP', profile: 'Home Net',
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

  it('keeps the structure of a German listing: name, GUID, SSID, BSSID, signal, and "connected" from the SSID line', () => {
    const de = parseNetshInterfaces(fixture('windows/interfaces-german.txt'))
    expect(de).toMatchObject({ ok: true, value: [{ name: 'WLAN', state: 'connected', ssid: 'Home Net', bssid: '9c:53:22:aa:bb:cc', signal: 92 }] })
    expect(de.ok && de.value[0]?.channel).toBeUndefined() // "Kanal" is not read: documented
  })

  it('turns refusals into WifiErrors that say what to do', () => {
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
    expect(mapNetshSecurity('Offen', 'Keine')).toBe('unknown')
  })

  it('reads a French listing by structure (SSID n, BSSID, NN%)', () => {
    expect(parseNetshNetworks(fixture('windows/networks-french.txt'))).toMatchObject({ ok: true, value: [{ ssid: 'PROV_A1B2C3', bssid: '24:0a:c4:12:34:56', signal: 64, security: 'unknown' }] })
  })

  it('handles none visible, the location refusal and garbage as values', () => {
    expect(parseNetshNetworks(fixture('windows/networks-empty.txt'))).toEqual({ ok: true, value: [] })
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
