/**
 * The lab adapter's profiles (rejoin, temporary joins, forgetTemporary) on the fake kernel, and building it
 * from a 0600 JSON file the way a host process inside the lab does (lab-config.ts).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createLabWifiFromFile, parseLabWifiConfig } from '../../../main/wifi/lab-config'
import { createFakeClock } from '../../helpers/fake-clock'
import { AP_PASS, fakeKernel, HOME_PASS, networks, settle, setup } from './lab-kernel'

describe('lab adapter profiles', () => {
  it('rejoins a known network without a passphrase, and refuses one it never saved', async () => {
    const { wifi, kernel, clock } = setup({ extra: { knownNetworks: ['Home'] } })
    kernel.state.master = 'br-ap-a1'
    expect(await settle(clock, wifi.rejoin('Home'))).toEqual({ ok: true, value: { ssid: 'Home', interfaceName: 'wlan0', bssid: '02:70:6c:78:00:00' } })
    expect(kernel.state.master).toBe('br-home')
    expect(await settle(clock, wifi.rejoin('PROV_A1'))).toMatchObject({ ok: false, error: { code: 'network-not-found', message: expect.stringContaining('no saved profile') } })
  })

  it('remembers a non-temporary join for rejoin, but not a temporary one, which forgetTemporary drops', async () => {
    const { wifi, clock } = setup()
    expect(await settle(clock, wifi.join('PROV_A1', AP_PASS, { isTemporary: true }))).toMatchObject({ ok: true })
    expect(wifi.profiles()).toEqual({ known: [], temporary: ['PROV_A1'] })
    expect(await settle(clock, wifi.rejoin('PROV_A1'))).toMatchObject({ ok: false, error: { code: 'network-not-found' } })
    expect(await wifi.forgetTemporary('PROV_A1')).toEqual({ ok: true, value: undefined })
    expect(await wifi.forgetTemporary('PROV_A1')).toEqual({ ok: true, value: undefined })
    expect(wifi.profiles().temporary).toEqual([])
    expect(await settle(clock, wifi.join('Home', HOME_PASS))).toMatchObject({ ok: true })
    expect(wifi.profiles().known).toEqual(['Home'])
    expect(await settle(clock, wifi.rejoin('Home'))).toMatchObject({ ok: true })
  })

  it('cannot rejoin a known network that is off air', async () => {
    const { wifi, kernel, clock } = setup({ extra: { knownNetworks: ['PROV_A2'] } })
    kernel.state.beacons.set('p-a2-ap', false)
    expect(await settle(clock, wifi.rejoin('PROV_A2'))).toMatchObject({ ok: false, error: { code: 'network-not-found', message: expect.stringContaining('not in range') } })
  })
})

describe('lab adapter from a file', () => {
  const root = mkdtempSync(join(tmpdir(), 'porchlight-labcfg-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const config = { switchNs: 'sw', appNs: 'app', ifname: 'wlan0', switchPort: 'p-app', networks, knownNetworks: ['Home'], joinTimeoutMs: 2000 }
  const write = (value: unknown, mode = 0o600) => {
    const path = join(mkdtempSync(join(root, 'c-')), 'wifi.json')
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value), { mode })
    chmodSync(path, mode)
    return path
  }

  it('builds a working adapter from a 0600 file', async () => {
    const clock = createFakeClock()
    const kernel = fakeKernel(clock)
    const built = await createLabWifiFromFile(write(config), { run: kernel.run, clock })
    expect(built.ok).toBe(true)
    if (!built.ok) return
    kernel.state.master = 'br-ap-a2'
    expect(await settle(clock, built.value.rejoin('Home'))).toMatchObject({ ok: true, value: { ssid: 'Home' } })
  })

  it('refuses a file others can read, without reading secrets into the message', async () => {
    const result = await createLabWifiFromFile(write(config, 0o644), { run: fakeKernel(createFakeClock()).run, clock: createFakeClock() })
    expect(result).toMatchObject({ ok: false, error: { code: 'not-permitted', message: expect.stringContaining('chmod 600') } })
    expect(JSON.stringify(result)).not.toContain(HOME_PASS)
  })

  it('rejects invalid configs by path, never echoing values', () => {
    const bad = parseLabWifiConfig({ ...config, switchNs: '-n evil', networks: [{ ...networks[0], passphrase: 'short' }], extra: 1 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'adapter-failed' } })
    const detail = !bad.ok && bad.error.code === 'adapter-failed' ? bad.error.detail ?? '' : ''
    expect(detail).toContain('switchNs')
    expect(detail).toContain('networks.0.passphrase')
    expect(detail).not.toContain('short')
    expect(parseLabWifiConfig({ ...config, networks: [{ ...networks[0], ssid: 'x'.repeat(33) }] })).toMatchObject({ ok: false })
  })

  it('reports missing files and non-JSON as values', async () => {
    const deps = { run: fakeKernel(createFakeClock()).run, clock: createFakeClock() }
    expect(await createLabWifiFromFile('/nonexistent/plx/wifi.json', deps)).toMatchObject({ ok: false, error: { code: 'adapter-failed', detail: 'ENOENT' } })
    expect(await createLabWifiFromFile(write('{not json'), deps)).toMatchObject({ ok: false, error: { code: 'adapter-failed', message: expect.stringContaining('not JSON') } })
  })
})
