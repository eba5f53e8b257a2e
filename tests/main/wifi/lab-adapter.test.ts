/**
 * The lab host-Wi-Fi adapter against a fake kernel: a RunCommand that keeps link state the way `ip` reports
 * it (shapes recorded from iproute2 6.x) and a manual clock, so joins, DAD waits and the wrong-passphrase
 * delay are checked without sleeping. The real kernel path is covered in tests/lab/topology.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { createLabWifi, isIpv6Settled, parseLinks } from '../../../main/wifi/lab-adapter'
import { AP_PASS, HOME_PASS, networks, settle, setup } from './lab-kernel'

describe('lab Wi-Fi adapter', () => {
  it('scans home and every AP on air with SSID, signal and security', async () => {
    const { wifi, kernel } = setup()
    kernel.state.beacons.set('p-a2-ap', false)
    expect(await wifi.scan()).toEqual({
      ok: true,
      value: [
        { ssid: 'Home', signal: 80, security: 'wpa2-psk', bssid: '02:70:6c:78:00:00', channel: 6 },
        { ssid: 'PROV_A1', signal: 70, security: 'wpa2-psk' },
      ],
    })
    kernel.state.beacons.set('p-a2-ap', true)
    const again = await wifi.scan()
    expect(again.ok && again.value.find((n) => n.ssid === 'PROV_A2')).toEqual({ ssid: 'PROV_A2', signal: 40, security: 'open' })
  })

  it('reports the network whose bridge holds the app port, or null when there is none or it went off air', async () => {
    const { wifi, kernel } = setup()
    expect(await wifi.current()).toEqual({ ok: true, value: { ssid: 'Home', interfaceName: 'wlan0', bssid: '02:70:6c:78:00:00' } })
    kernel.state.master = 'br-ap-a1'
    expect(await wifi.current()).toEqual({ ok: true, value: { ssid: 'PROV_A1', interfaceName: 'wlan0' } })
    kernel.state.beacons.set('p-a1-ap', false)
    expect(await wifi.current()).toEqual({ ok: true, value: null })
    kernel.state.master = undefined
    expect(await wifi.current()).toEqual({ ok: true, value: null })
  })

  it('reads the app port through the getter each time (the lab swaps it while shaping)', async () => {
    let port = 'p-app'
    const { wifi } = setup({ port: () => port })
    port = 's-app'
    expect(await wifi.current()).toEqual({ ok: true, value: null })
  })

  it('joins: re-masters the port, addresses wlan0, restores the multicast route, and waits for DAD', async () => {
    const { wifi, kernel, clock } = setup({ dadMs: 300 })
    let result: unknown
    const joining = wifi.join('PROV_A1', AP_PASS).then((r) => (result = r))
    await clock.advance(200)
    expect(result).toBeUndefined()
    await settle(clock, joining)
    expect(result).toEqual({ ok: true, value: { ssid: 'PROV_A1', interfaceName: 'wlan0' } })
    const changes = kernel.calls.filter((c) => !c.includes('-j')).map((c) => c.slice(1).join(' '))
    expect(changes).toEqual([
      '-n app link set wlan0 down',
      '-n app addr flush dev wlan0',
      '-n sw link set p-app master br-ap-a1',
      '-n app link set wlan0 up',
      '-n app addr add 198.19.1.2/24 dev wlan0',
      '-n app route replace 224.0.0.0/4 dev wlan0',
    ])
    expect(kernel.state.addrs).toEqual(['198.19.1.2/24'])
    expect(await wifi.current()).toMatchObject({ ok: true, value: { ssid: 'PROV_A1' } })
  })

  it('joins an open AP without a passphrase and home with its ULA', async () => {
    const { wifi, kernel, clock } = setup()
    expect(await settle(clock, wifi.join('PROV_A2', undefined))).toMatchObject({ ok: true, value: { ssid: 'PROV_A2' } })
    expect(await settle(clock, wifi.join('Home', HOME_PASS))).toMatchObject({ ok: true, value: { ssid: 'Home' } })
    expect(kernel.state.addrs).toEqual(['198.18.0.2/24', 'fd00:706c:78::2/64'])
  })

  it('reports a wrong passphrase only after the handshake delay, and changes nothing', async () => {
    const { wifi, kernel, clock } = setup()
    let result: unknown
    const joining = wifi.join('PROV_A1', 'guess-guess').then((r) => (result = r))
    for (let i = 0; i < 100 && clock.pendingTimers() === 0; i++) await new Promise((r) => setImmediate(r))
    await clock.advance(1490)
    expect(result).toBeUndefined()
    await clock.advance(20)
    await joining
    expect(result).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } })
    expect(kernel.calls.every((c) => c.includes('-j'))).toBe(true)
    expect(await settle(clock, wifi.join('PROV_A1', undefined))).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } })
    expect(kernel.state.master).toBe('br-home')
  })

  it('never puts a passphrase into a command line, an error or a result', async () => {
    const { wifi, kernel, clock } = setup()
    const results = [
      await settle(clock, wifi.join('PROV_A1', 'guess-guess')),
      await settle(clock, wifi.join('PROV_A1', AP_PASS)),
      await settle(clock, wifi.join('Home', HOME_PASS)),
    ]
    const seen = JSON.stringify([kernel.calls, results])
    for (const secret of ['guess-guess', AP_PASS, HOME_PASS]) expect(seen).not.toContain(secret)
  })

  it('says network-not-found for an unknown SSID and for an AP that is off air', async () => {
    const { wifi, kernel } = setup()
    expect(await wifi.join('Nowhere', 'whatever1')).toMatchObject({ ok: false, error: { code: 'network-not-found', message: expect.stringContaining('"Nowhere"') } })
    kernel.state.beacons.set('p-a2-ap', false)
    expect(await wifi.join('PROV_A2', undefined)).toMatchObject({ ok: false, error: { code: 'network-not-found' } })
  })

  it('gives up with join-timeout when DAD never finishes', async () => {
    const { wifi, clock } = setup({ dadMs: 60_000 })
    const result = await settle(clock, wifi.join('PROV_A2', undefined, { timeoutMs: 700 }))
    expect(result).toMatchObject({ ok: false, error: { code: 'join-timeout' } })
    expect(!result.ok && result.error.code === 'join-timeout' && result.error.afterMs).toBeGreaterThanOrEqual(700)
  })

  it('turns a failing ip command into adapter-failed with the detail, not a throw', async () => {
    const { wifi, kernel, clock } = setup()
    kernel.state.failOn = 'master'
    const result = await settle(clock, wifi.join('PROV_A2', undefined))
    expect(result).toMatchObject({ ok: false, error: { code: 'adapter-failed', detail: expect.stringContaining('Operation not permitted') } })
    const run = () => Promise.reject(new Error('spawn ip ENOENT'))
    const broken = createLabWifi({ run, clock, switchNs: 'sw', appNs: 'app', ifname: 'wlan0', switchPort: 'p-app', networks })
    expect(await broken.scan()).toMatchObject({ ok: false, error: { code: 'adapter-failed', detail: expect.stringContaining('ENOENT') } })
  })

  it('runs one operation at a time: a scan during a join waits for it', async () => {
    const { wifi, kernel, clock } = setup()
    const joining = wifi.join('PROV_A2', undefined)
    const scanning = wifi.scan()
    await settle(clock, Promise.all([joining, scanning]))
    const lastChange = kernel.calls.findLastIndex((c) => c.includes('route'))
    const lastList = kernel.calls.findLastIndex((c) => c.join(' ') === 'ip -n sw -j link show')
    expect(lastList).toBeGreaterThan(lastChange)
  })

  it('refuses work after dispose', async () => {
    const { wifi } = setup()
    wifi.dispose()
    expect(await wifi.scan()).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter' } })
  })
})

describe('ip JSON parsing', () => {
  it('reads masters and carrier from `ip -j link show`, and rejects other shapes', () => {
    const links = parseLinks('[{"ifname":"p-app","flags":["BROADCAST","UP","LOWER_UP"],"master":"br-home"},{"ifname":"p-x","flags":["NO-CARRIER","UP"]}]')
    expect(links?.get('p-app')).toEqual({ isUp: true, master: 'br-home' })
    expect(links?.get('p-x')).toEqual({ isUp: false })
    expect(parseLinks('{"not":"a list"}')).toBeUndefined()
    expect(parseLinks('garbage')).toBeUndefined()
  })

  it('treats IPv6 as settled only with a link-local address and nothing tentative or failed', () => {
    expect(isIpv6Settled('[{"addr_info":[{"scope":"link"}]}]')).toBe(true)
    expect(isIpv6Settled('[{"addr_info":[{"scope":"link","tentative":true}]}]')).toBe(false)
    expect(isIpv6Settled('[{"addr_info":[{"scope":"global"}]}]')).toBe(false)
    expect(isIpv6Settled('[{"addr_info":[{"scope":"link","dadfailed":true}]}]')).toBe(false)
    expect(isIpv6Settled('[]')).toBe(false)
  })
})
