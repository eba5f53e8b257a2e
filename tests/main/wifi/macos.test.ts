/**
 * macOS parsers against networksetup / system_profiler outputs whose shapes were checked against public real
 * captures (macOS 10.15, 12 and 15 JSON; see tests/fixtures/wifi/README.md), and the adapter against a
 * fake networksetup: the password-in-argv exception is asserted as documented (only -setairportnetwork
 * carries it, and never an error or result), and redacted names (macOS 14.4+ without Location Services)
 * come out as `not-permitted` rather than as a fake SSID.
 */
import { describe, expect, it } from 'vitest'
import { createMacosWifi, probeMacos } from '../../../main/wifi/macos'
import {
  mapMacSecurity, parseGetAirportNetwork, parseRemovePreferred, parseSetAirportNetwork, parseSystemProfiler, signalFromDbm,
} from '../../../main/wifi/macos-parse'
import { createFakeClock } from '../../helpers/fake-clock'
import { fakeRun, fixture, out, settle } from './replay'

const PASS = 'canary-mac-pass-99'
const AP = 'PROV_A1B2C3'

describe('macOS parsers', () => {
  it('reads -getairportnetwork in its forms', () => {
    expect(parseGetAirportNetwork(fixture('macos/getairportnetwork-home.txt'))).toEqual({ ok: true, value: { kind: 'associated', ssid: 'Home Net' } })
    expect(parseGetAirportNetwork(fixture('macos/getairportnetwork-old-airport.txt'))).toEqual({ ok: true, value: { kind: 'associated', ssid: 'Café:5G "x" <b>' } })
    expect(parseGetAirportNetwork(fixture('macos/getairportnetwork-not-associated.txt'))).toEqual({ ok: true, value: { kind: 'not-associated' } })
    expect(parseGetAirportNetwork(fixture('macos/getairportnetwork-off.txt'))).toEqual({ ok: true, value: { kind: 'wifi-off' } })
    expect(parseGetAirportNetwork(fixture('macos/getairportnetwork-not-wifi.txt'))).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter' } })
    expect(parseGetAirportNetwork('¿qué?')).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
  })

  it('reads the verdict -setairportnetwork prints while exiting 0', () => {
    expect(parseSetAirportNetwork(fixture('macos/setairportnetwork-ok.txt'), AP)).toBeUndefined()
    expect(parseSetAirportNetwork(fixture('macos/setairportnetwork-not-found.txt'), AP)).toMatchObject({ code: 'network-not-found' })
    expect(parseSetAirportNetwork(fixture('macos/setairportnetwork-wrong-key.txt'), AP)).toMatchObject({ code: 'wrong-passphrase' })
    expect(parseSetAirportNetwork(fixture('macos/setairportnetwork-not-permitted.txt'), AP)).toMatchObject({ code: 'not-permitted' })
    expect(parseSetAirportNetwork(fixture('macos/setairportnetwork-failed.txt'), AP)).toMatchObject({ code: 'adapter-failed', detail: expect.stringContaining('-3900') })
  })

  it('reads -removepreferredwirelessnetwork', () => {
    expect(parseRemovePreferred(fixture('macos/removepreferred-ok.txt'))).toBe('removed')
    expect(parseRemovePreferred(fixture('macos/removepreferred-missing.txt'))).toBe('absent')
    expect(parseRemovePreferred(fixture('macos/removepreferred-denied.txt'))).toBe('failed')
  })

  it('reads system_profiler JSON: current network, neighbours, dBm, channels, security modes', () => {
    const parsed = parseSystemProfiler(fixture('macos/system-profiler-named.json'))
    const en0 = parsed.ok ? parsed.value[0] : undefined
    expect(en0?.name).toBe('en0')
    expect(en0?.current).toEqual({ ssid: 'Home Net', signal: 88, rssiDbm: -56, channel: 44, security: 'wpa2-psk' })
    const security = Object.fromEntries((en0?.others ?? []).map((n) => [n.ssid, n.security]))
    expect(security).toMatchObject({ PROV_OPEN01: 'open', 'Sae Only': 'wpa3-sae', Transition: 'wpa2-wpa3', Office: 'enterprise', 'Neighbour Mixed': 'wpa2-psk',
      '<script>alert(1)</script>': 'wep', 'Cafe Enhanced Open': 'open', '🏠 Home': 'wpa2-psk' })
    // macOS 15's awdl0 carries a current-network stub with no _name: not a connection, and no parse failure.
    expect(parsed.ok && parsed.value[1]).toEqual({ name: 'awdl0', isConnected: false, others: [] })
    // Neighbours without spairport_signal_noise (common on macOS 15) keep signal 0 and no rssiDbm.
    expect(en0?.others.find((n) => n.ssid === 'Neighbour Mixed')).toEqual({ ssid: 'Neighbour Mixed', signal: 0, channel: 11, security: 'wpa2-psk' })
    expect(mapMacSecurity('pairport_security_mode_wpa3_transition')).toBe('wpa2-wpa3') // Apple's spelling, missing the "s"
    expect(mapMacSecurity('spairport_security_mode_wpa2_personal_mixed')).toBe('wpa2-psk')
    expect(mapMacSecurity('spairport_security_mode_something_new')).toBe('unknown')
    expect(signalFromDbm(-30)).toBe(100)
    expect(signalFromDbm(-110)).toBe(0)
  })

  it('reads the older (macOS 10.15/12) shape: numeric channels, "149,+1", per-network BSSIDs, "0 dBm" noise', () => {
    const parsed = parseSystemProfiler(fixture('macos/system-profiler-catalina.json'))
    const en0 = parsed.ok ? parsed.value[0] : undefined
    expect(en0?.current).toEqual({ ssid: 'Home Net', signal: 92, rssiDbm: -54, channel: 44, security: 'wpa2-psk', bssid: '9c:53:22:aa:bb:cc' })
    expect(en0?.others.map((n) => [n.ssid, n.channel, n.rssiDbm, n.security, n.bssid])).toEqual([
      ['PROV_A1B2C3', 1, -58, 'wpa2-psk', '24:0a:c4:12:34:56'], ['PROV_OPEN01', 11, -71, 'open', '24:0a:c4:00:00:01'],
      ['Upstairs 5G', 149, -69, 'wpa2-psk', '9c:53:22:aa:bb:ce'], ['Neighbour Old', 6, -90, 'wpa-psk', '00:11:22:33:44:61'],
    ])
  })

  it('reads not-associated (spairport_status_disassociated) and Wi-Fi off', () => {
    const away = parseSystemProfiler(fixture('macos/system-profiler-not-associated.json'))
    expect(away.ok && away.value[0]).toMatchObject({ name: 'en0', isConnected: false })
    expect(away.ok && away.value[0]?.current).toBeUndefined()
    expect(away.ok && away.value[0]?.others.length).toBe(12)
    const off = parseSystemProfiler(fixture('macos/system-profiler-off.json'))
    expect(off.ok && off.value.map((i) => [i.name, i.isConnected, i.others.length])).toEqual([['en0', false, 0], ['awdl0', false, 0]])
  })

  it('marks redacted names as null, and rejects garbage and truncation as values', () => {
    const redacted = parseSystemProfiler(fixture('macos/system-profiler-redacted.json'))
    expect(redacted.ok && redacted.value[0]?.current?.ssid).toBeNull()
    expect(redacted.ok && redacted.value[0]?.others.every((n) => n.ssid === null)).toBe(true)
    expect(parseSystemProfiler(fixture('macos/system-profiler-garbage.json'))).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
    expect(parseSystemProfiler(fixture('macos/system-profiler-truncated.json'))).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
    expect(parseSystemProfiler('')).toMatchObject({ ok: false })
  })
})

function setup(opts: { set?: string; profiler?: string; afterJoin?: { airport: string; profiler: string } } = {}) {
  const clock = createFakeClock()
  const state = { airport: 'macos/getairportnetwork-home.txt', profiler: opts.profiler ?? 'macos/system-profiler-named.json', hasAddress: true }
  const { run, calls } = fakeRun((args, file) => {
    if (file === 'system_profiler') return out(fixture(state.profiler))
    expect(file).toBe('networksetup')
    if (args[0] === '-listallhardwareports') return out(fixture('macos/hardware-ports.txt'))
    if (args[0] === '-getairportnetwork') return out(fixture(state.airport))
    if (args[0] === '-setairportnetwork') {
      if (!opts.set && opts.afterJoin) Object.assign(state, opts.afterJoin)
      else if (!opts.set) state.airport = args[2] === AP ? 'macos/getairportnetwork-accessory.txt' : 'macos/getairportnetwork-home.txt'
      return out(opts.set ? fixture(opts.set) : '')
    }
    if (args[0] === '-removepreferredwirelessnetwork') return out(fixture('macos/removepreferred-ok.txt'))
    if (args[0] === '-setairportpower') return out('')
    return out('', 1, 'unexpected')
  })
  const addressesOf = async (name: string) => (name === 'en0' && state.hasAddress ? ['fe80::3', '192.168.4.4'] : ['fe80::3'])
  const wifi = createMacosWifi({ run, clock, addressesOf, pollMs: 500 })
  return { clock, state, calls, wifi }
}

describe('macOS adapter', () => {
  it('finds en0, scans with system_profiler and reads the current network from networksetup', async () => {
    const { wifi, calls } = setup()
    const scan = await wifi.scan()
    expect(scan.ok && scan.value.find((n) => n.ssid === AP)).toEqual({ ssid: AP, signal: 90, rssiDbm: -55, channel: 1, security: 'wpa2-psk' })
    expect(await wifi.current()).toEqual({ ok: true, value: { ssid: 'Home Net', interfaceName: 'en0' } })
    expect(calls.map((c) => c.join(' '))).toEqual(['networksetup -listallhardwareports', 'system_profiler SPAirPortDataType -json', 'networksetup -getairportnetwork en0'])
  })

  it('joins with the password in -setairportnetwork argv only (the documented exception), then verifies', async () => {
    const { wifi, clock, calls } = setup()
    const result = await settle(clock, wifi.join(AP, PASS, { isTemporary: true }))
    expect(result).toEqual({ ok: true, value: { ssid: AP, interfaceName: 'en0' } })
    const withSecret = calls.filter((c) => c.includes(PASS))
    expect(withSecret).toEqual([['networksetup', '-setairportnetwork', 'en0', AP, PASS]])
    expect(JSON.stringify(result)).not.toContain(PASS)
  })

  it('reads failures from stdout despite exit 0, without echoing the password', async () => {
    const wrong = setup({ set: 'macos/setairportnetwork-wrong-key.txt' })
    const result = await settle(wrong.clock, wrong.wifi.join(AP, PASS))
    expect(result).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } })
    expect(JSON.stringify(result)).not.toContain(PASS)
    const missing = setup({ set: 'macos/setairportnetwork-not-found.txt' })
    expect(await settle(missing.clock, missing.wifi.join('PROV_ZZZZZZ', PASS))).toMatchObject({ ok: false, error: { code: 'network-not-found' } })
  })

  it('with names redacted: current() is not-permitted, scan too, but a join is accepted on association plus an address', async () => {
    const { wifi, clock } = setup({
      profiler: 'macos/system-profiler-redacted.json',
      afterJoin: { airport: 'macos/getairportnetwork-not-associated.txt', profiler: 'macos/system-profiler-redacted.json' },
    })
    expect(await wifi.scan()).toMatchObject({ ok: false, error: { code: 'not-permitted', message: expect.stringContaining('Location Services') } })
    expect(await settle(clock, wifi.join(AP, PASS))).toEqual({ ok: true, value: { ssid: AP, interfaceName: 'en0' } })
    expect(await wifi.current()).toMatchObject({ ok: false, error: { code: 'not-permitted' } })
  })

  it('times out when the Mac never gets an address', async () => {
    const { wifi, clock, state } = setup()
    state.hasAddress = false
    expect(await settle(clock, wifi.join(AP, PASS, { timeoutMs: 3000 }))).toMatchObject({ ok: false, error: { code: 'join-timeout' } })
  })

  it('rejoins without a password, and forgets the temporary network from the preferred list', async () => {
    const { wifi, clock, calls } = setup()
    expect(await settle(clock, wifi.rejoin('Home Net'))).toMatchObject({ ok: true, value: { ssid: 'Home Net' } })
    expect(calls.map((c) => c.join(' '))).toContain('networksetup -setairportnetwork en0 Home Net')
    expect(await wifi.forgetTemporary(AP)).toEqual({ ok: true, value: undefined })
    expect(calls.at(-1)).toEqual(['networksetup', '-removepreferredwirelessnetwork', 'en0', AP])
  })

  it('probes: no Wi-Fi port, Wi-Fi off, names hidden', async () => {
    const noWifi = fakeRun(() => out(fixture('macos/hardware-ports-no-wifi.txt')))
    expect(await probeMacos({ run: noWifi.run, clock: createFakeClock() })).toMatchObject({ available: false, code: 'no-wifi-adapter' })
    const off = fakeRun((args) => out(fixture(args[0] === '-listallhardwareports' ? 'macos/hardware-ports.txt' : 'macos/getairportnetwork-off.txt')))
    expect(await probeMacos({ run: off.run, clock: createFakeClock() })).toMatchObject({ available: false, reason: expect.stringContaining('turned off') })
    const hidden = fakeRun((args, file) => out(fixture(file === 'system_profiler' ? 'macos/system-profiler-redacted.json'
      : args[0] === '-listallhardwareports' ? 'macos/hardware-ports.txt' : 'macos/getairportnetwork-not-associated.txt')))
    expect(await probeMacos({ run: hidden.run, clock: createFakeClock() })).toMatchObject({ available: true, reason: expect.stringContaining('Location Services') })
  })
})
