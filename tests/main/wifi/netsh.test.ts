/**
 * The netsh adapter against a fake netsh replaying the Windows fixtures. After `connect`, each `show
 * interfaces` answers the next state of a script (authenticating → connected, or → disconnected for a
 * rejected key), so the verified join and the wrong-passphrase inference are exercised on a fake clock.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createNetshWifi, probeNetsh } from '../../../main/wifi/netsh'
import { netshProfileName } from '../../../main/wifi/netsh-profile'
import { createFakeClock } from '../../helpers/fake-clock'
import { fakeRun, fixture, out, settle } from './replay'


// Secret files go in per-call directories under this one; all of it is removed afterwards.
const TMP_ROOT = mkdtempSync(join(tmpdir(), 'porchlight-netsh-test-'))
afterAll(() => rmSync(TMP_ROOT, { recursive: true, force: true }))
const PASS = 'canary-win-pass-42'
const AP = 'PROV_A1B2C3'
const TMP = netshProfileName(AP, true)
type Phase = 'home' | 'authenticating' | 'ap' | 'disconnected'
const PHASES: Record<Phase, string> = {
  home: 'windows/interfaces-connected.txt', authenticating: 'windows/interfaces-authenticating.txt',
  ap: 'windows/interfaces-on-accessory.txt', disconnected: 'windows/interfaces-disconnected.txt',
}

function setup(opts: { after?: Phase[]; connect?: string; interfaces?: string } = {}) {
  const clock = createFakeClock()
  const state = { phase: 'home' as Phase, script: [] as Phase[], xml: '', xmlMode: 0, xmlPath: '', profiles: new Set<string>() }
  const { run, calls } = fakeRun((args, file) => {
    expect(file).toBe('netsh')
    const cmd = args.join(' ')
    if (cmd === 'wlan show interfaces') {
      if (opts.interfaces) return out(fixture(opts.interfaces))
      state.phase = state.script.shift() ?? state.phase
      return out(fixture(PHASES[state.phase]))
    }
    if (cmd === 'wlan show networks mode=bssid') return out(fixture('windows/networks.txt'))
    if (args[1] === 'add' && args[2] === 'profile') {
      state.xmlPath = (args[3] ?? '').replace(/^filename=/, '')
      state.xml = readFileSync(state.xmlPath, 'utf8')
      state.xmlMode = statSync(state.xmlPath).mode & 0o777
      state.profiles.add(/<name>(.*?)<\/name>/.exec(state.xml)?.[1] ?? '')
      return out(fixture('windows/add-profile-ok.txt'))
    }
    if (args[1] === 'connect') {
      if (opts.connect) return out(fixture(opts.connect), 1)
      state.script = [...(opts.after ?? ['authenticating', 'ap'])]
      return out(fixture('windows/connect-ok.txt'))
    }
    if (args[1] === 'delete') {
      const name = (args[3] ?? '').replace(/^name=/, '')
      return state.profiles.delete(name) ? out(fixture('windows/delete-profile-ok.txt')) : out(fixture('windows/delete-profile-missing.txt'), 1)
    }
    if (cmd === 'wlan show profiles interface=Wi-Fi') return out(fixture('windows/profiles.txt'))
    const shown = /^wlan show profile name=(.*) interface=Wi-Fi$/.exec(cmd)?.[1]
    if (shown) return out(fixture(`windows/profile-${({ 'Home Net': 'home', 'Cafe Guest': 'cafe', 'Renamed Home': 'renamed' } as Record<string, string>)[shown] ?? 'missing'}.txt`))
    return out('', 1, `fake netsh: unexpected ${cmd}`)
  })
  const addressesOf = async (name: string) => (name === 'Wi-Fi' && (state.phase === 'ap' || state.phase === 'home') ? ['fe80::2', '192.168.4.3'] : ['fe80::2'])
  const wifi = createNetshWifi({ run, clock, addressesOf, tmpDir: TMP_ROOT, pollMs: 250 })
  return { clock, state, calls, wifi, argvs: () => calls.map((c) => c.slice(1).join(' ')) }
}

describe('netsh adapter', () => {
  it('scans and reports the current network', async () => {
    const { wifi } = setup()
    const scan = await wifi.scan()
    expect(scan.ok && scan.value.find((n) => n.ssid === 'Home Net')).toEqual({ ssid: 'Home Net', signal: 92, security: 'wpa2-psk', bssid: '9c:53:22:aa:bb:cc', channel: 44 })
    expect(await wifi.current()).toEqual({ ok: true, value: { ssid: 'Home Net', interfaceName: 'Wi-Fi', bssid: '9c:53:22:aa:bb:cc' } })
  })

  it('joins through a manual-mode profile in a 0600 file that is deleted, then waits until connected with an address', async () => {
    const { wifi, clock, state, calls, argvs } = setup({ after: ['authenticating', 'authenticating', 'ap'] })
    const result = await settle(clock, wifi.join(AP, PASS, { isTemporary: true, timeoutMs: 15_000 }))
    expect(result).toEqual({ ok: true, value: { ssid: AP, interfaceName: 'Wi-Fi', bssid: '24:0a:c4:12:34:56' } })
    expect(argvs().slice(0, 4)).toEqual([
      'wlan show interfaces',
      'wlan show networks mode=bssid',
      `wlan add profile filename=${state.xmlPath} interface=Wi-Fi user=current`,
      `wlan connect name=${TMP} interface=Wi-Fi`,
    ])
    expect(state.xml).toContain(`<name>${TMP}</name>`)
    expect(state.xml).toContain('<connectionMode>manual</connectionMode>')
    expect(state.xml).toContain(`<keyMaterial>${PASS}</keyMaterial>`)
    expect(state.xmlMode).toBe(0o600)
    expect(existsSync(state.xmlPath)).toBe(false)
    expect(JSON.stringify([calls, result])).not.toContain(PASS)
  })

  it('infers a wrong passphrase from authenticating → disconnected, and removes the profile', async () => {
    const { wifi, clock, state } = setup({ after: ['authenticating', 'disconnected'] })
    expect(await settle(clock, wifi.join(AP, PASS, { isTemporary: true }))).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } })
    expect(state.profiles.size).toBe(0)
  })

  it('says network-not-found when the SSID is not visible or Windows says it is not available', async () => {
    const { wifi, clock, argvs } = setup()
    expect(await settle(clock, wifi.join('PROV_ZZZZZZ', PASS))).toMatchObject({ ok: false, error: { code: 'network-not-found' } })
    expect(argvs().some((a) => a.includes('add profile'))).toBe(false)
    const gone = setup({ connect: 'windows/connect-not-available.txt' })
    expect(await settle(gone.clock, gone.wifi.join(AP, PASS, { isTemporary: true }))).toMatchObject({ ok: false, error: { code: 'network-not-found' } })
    expect(gone.state.profiles.size).toBe(0)
  })

  it('does not trust "completed successfully": nothing happening is join-timeout', async () => {
    const { wifi, clock } = setup({ after: ['disconnected'] })
    expect(await settle(clock, wifi.join(AP, PASS, { timeoutMs: 4000 }))).toMatchObject({ ok: false, error: { code: 'join-timeout' } })
  })

  it('refuses enterprise networks and protected ones without a passphrase, before writing anything', async () => {
    const { wifi, clock, state } = setup()
    expect(await settle(clock, wifi.join('Office', PASS))).toMatchObject({ ok: false, error: { code: 'adapter-failed', message: expect.stringContaining('802.1X') } })
    expect(await settle(clock, wifi.join(AP, undefined))).toMatchObject({ ok: false, error: { code: 'wrong-passphrase', message: expect.stringContaining('needs a passphrase') } })
    expect(state.xml).toBe('')
  })

  it('rejoins by the saved profile whose SSID matches, even when renamed', async () => {
    const { wifi, clock, state, argvs } = setup({ after: ['home'] })
    state.phase = 'ap'
    expect(await settle(clock, wifi.rejoin('Home Net'))).toMatchObject({ ok: true, value: { ssid: 'Home Net' } })
    expect(argvs()).toContain('wlan connect name=Home Net interface=Wi-Fi')
    const renamed = setup()
    await settle(renamed.clock, renamed.wifi.rejoin('Upstairs'))
    expect(renamed.argvs()).toContain('wlan connect name=Renamed Home interface=Wi-Fi')
    expect(renamed.argvs().some((a) => a.includes(`name=${TMP}`))).toBe(false)
    expect(await settle(renamed.clock, renamed.wifi.rejoin('Nowhere'))).toMatchObject({ ok: false, error: { code: 'network-not-found' } })
  })

  it('forgets the temporary profile; a missing one is success', async () => {
    const { wifi, state, argvs } = setup()
    state.profiles.add(TMP)
    expect(await wifi.forgetTemporary(AP)).toEqual({ ok: true, value: undefined })
    expect(await wifi.forgetTemporary(AP)).toEqual({ ok: true, value: undefined })
    expect(argvs()).toEqual([`wlan delete profile name=${TMP}`, `wlan delete profile name=${TMP}`])
  })

  it('reports Location-permission refusal and a missing adapter, for calls and for the probe', async () => {
    const denied = setup({ interfaces: 'windows/interfaces-location-denied.txt' })
    expect(await denied.wifi.current()).toMatchObject({ ok: false, error: { code: 'not-permitted' } })
    const { run } = fakeRun(() => out(fixture('windows/interfaces-none.txt'), 1))
    expect(await probeNetsh({ run, clock: createFakeClock() })).toMatchObject({ available: false, code: 'no-wifi-adapter' })
    const ok = fakeRun(() => out(fixture('windows/interfaces-connected.txt')))
    expect(await probeNetsh({ run: ok.run, clock: createFakeClock() })).toEqual({ available: true })
  })
})
