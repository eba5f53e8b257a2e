/**
 * The nmcli adapter against a fake nmcli that answers with the fixtures and keeps just enough state
 * (which network is active, which profiles exist, when DHCP finishes), on a fake clock. Asserts the exact
 * argv, that the passphrase never appears in one (it goes through a 0600 passwd-file that is gone
 * afterwards), and that a join resolves only once the OS reports the network with an address.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createNmcliWifi, probeNmcli } from '../../../main/wifi/nmcli'
import { createFakeClock } from '../../helpers/fake-clock'
import { fakeRun, fixture, out, settle } from './replay'


// Secret files go in per-call directories under this one; all of it is removed afterwards.
const TMP_ROOT = mkdtempSync(join(tmpdir(), 'porchlight-nmcli-test-'))
afterAll(() => rmSync(TMP_ROOT, { recursive: true, force: true }))
const PASS = 'canary-ap-pass-77'
const AP = 'PROV_A1B2C3'
const HOME_UUID = 'ace6cec3-0825-4cbc-ab76-d5d297164485'

function setup(opts: { up?: 'ok' | 'wrong' | 'timeout' | 'never-associates'; apVisible?: boolean; dhcpMs?: number } = {}) {
  const clock = createFakeClock()
  const state = { active: 'home' as 'home' | 'ap' | null, profiles: new Set<string>(), associatedAt: 0, secretSeen: '', secretMode: 0, secretPath: '' }
  const lists = { home: 'linux/wifi-list.txt', ap: 'linux/wifi-list-on-accessory.txt', none: 'linux/wifi-list-not-associated.txt' }
  const { run, calls } = fakeRun((args, file) => {
    expect([file, args[0], args[1]]).toEqual(['env', 'LC_ALL=C.UTF-8', 'nmcli'])
    const a = args.slice(2)
    const cmd = a.join(' ')
    if (cmd === '-t -f DEVICE,TYPE,STATE,CONNECTION device status') return out(fixture('linux/device-status.txt'))
    if (cmd.startsWith('-t -f ACTIVE,SSID,SSID-HEX,BSSID,CHAN,SIGNAL,SECURITY,DEVICE device wifi list --rescan')) {
      const text = fixture(lists[state.active ?? 'none'])
      return out(opts.apVisible === false ? text.split('\n').filter((l) => !l.includes(AP)).join('\n') : text)
    }
    if (a[0] === 'connection' && a[1] === 'delete') {
      const existed = state.profiles.delete(a[3] ?? '')
      return existed ? out(`Connection '${a[3]}' (uuid) successfully deleted.\n`) : out('', 10, fixture('linux/delete-unknown.real.stderr.txt'))
    }
    if (a[0] === 'connection' && a[1] === 'add') return state.profiles.add(a[5] ?? ''), out(fixture('linux/connection-add.stdout.txt'))
    if (a[0] === '--wait' && a[2] === 'connection' && a[3] === 'up') {
      const fileAt = a.indexOf('passwd-file')
      if (fileAt > 0) {
        state.secretPath = a[fileAt + 1] ?? ''
        state.secretSeen = readFileSync(state.secretPath, 'utf8')
        state.secretMode = statSync(state.secretPath).mode & 0o777
      }
      if (opts.up === 'wrong') return out('', 4, fixture('linux/up-wrong-passphrase.stderr.txt'))
      if (opts.up === 'timeout') return out('', 3, fixture('linux/up-timeout.stderr.txt'))
      if (opts.up !== 'never-associates') {
        state.active = a[5] === HOME_UUID ? 'home' : 'ap'
        state.associatedAt = clock.now()
      }
      return out(fixture('linux/connection-up.stdout.txt'))
    }
    if (cmd === '-t -f NAME,UUID,TYPE,TIMESTAMP connection show') return out(fixture('linux/connections.real.txt'))
    if (cmd.startsWith('-t -f connection.uuid,802-11-wireless.ssid connection show uuid')) return out(fixture('linux/connection-ssids.real.txt'))
    return out('', 2, `fake nmcli: unexpected ${cmd}`)
  })
  // DHCP finishes `dhcpMs` after association: the join must wait for it.
  const addressesOf = async (name: string) => (name === 'wlp2s0' && state.active && clock.now() >= state.associatedAt + (opts.dhcpMs ?? 0) ? ['fe80::1', '192.168.4.2'] : ['fe80::1'])
  const wifi = createNmcliWifi({ run, clock, addressesOf, tmpDir: TMP_ROOT, pollMs: 200 })
  const argvs = () => calls.map((c) => c.slice(3).join(' '))
  return { clock, state, calls, wifi, argvs }
}

describe('nmcli adapter: scan and current', () => {
  it('scans once per SSID (strongest BSSID), hides hidden networks, keeps hostile names', async () => {
    const { wifi, argvs } = setup()
    const scan = await wifi.scan()
    expect(scan.ok).toBe(true)
    const nets = scan.ok ? scan.value : []
    expect(nets.find((n) => n.ssid === AP)).toEqual({ ssid: AP, signal: 80, security: 'wpa2-psk', bssid: '24:0a:c4:12:34:57', channel: 1 })
    expect(nets.filter((n) => n.ssid === 'Home Net')).toHaveLength(1)
    expect(nets.map((n) => n.ssid)).toEqual(expect.arrayContaining(['Café:5G\\x', '🏠 Home', '<script>alert(1)</script>', '--']))
    expect(nets.some((n) => n.ssid === '')).toBe(false)
    expect(argvs()).toEqual(['-t -f ACTIVE,SSID,SSID-HEX,BSSID,CHAN,SIGNAL,SECURITY,DEVICE device wifi list --rescan auto'])
  })

  it('reports the active network without forcing a scan, or null', async () => {
    const { wifi, state, argvs } = setup()
    expect(await wifi.current()).toEqual({ ok: true, value: { ssid: 'Home Net', interfaceName: 'wlp2s0', bssid: '9c:53:22:aa:bb:cc' } })
    state.active = null
    expect(await wifi.current()).toEqual({ ok: true, value: null })
    expect(argvs().every((a) => a.endsWith('--rescan no'))).toBe(true)
  })
})

describe('nmcli adapter: join', () => {
  it('creates a temporary profile, passes the passphrase only in a 0600 passwd-file, and waits for an address', async () => {
    const { wifi, state, clock, calls, argvs } = setup({ dhcpMs: 1500 })
    let result: unknown
    const joining = wifi.join(AP, PASS, { isTemporary: true, timeoutMs: 20_000 }).then((r) => (result = r))
    await clock.advance(1000)
    expect(result).toBeUndefined() // associated, but DHCP is not done
    await settle(clock, joining)
    expect(result).toEqual({ ok: true, value: { ssid: AP, interfaceName: 'wlp2s0', bssid: '24:0a:c4:12:34:56' } })
    const up = argvs()[4]
    expect(argvs().slice(0, 4)).toEqual([
      '-t -f DEVICE,TYPE,STATE,CONNECTION device status',
      '-t -f ACTIVE,SSID,SSID-HEX,BSSID,CHAN,SIGNAL,SECURITY,DEVICE device wifi list --rescan auto',
      `connection delete id porchlight-tmp-${AP}`,
      `connection add type wifi con-name porchlight-tmp-${AP} ifname wlp2s0 ssid ${AP} connection.autoconnect no 802-11-wireless-security.key-mgmt wpa-psk 802-11-wireless-security.psk-flags 2`,
    ])
    expect(up).toMatch(new RegExp(`^--wait 20 connection up id porchlight-tmp-${AP} ifname wlp2s0 passwd-file .+/psk$`))
    expect(state.secretSeen).toBe(`802-11-wireless-security.psk:${PASS}\n`)
    expect(state.secretMode).toBe(0o600)
    expect(existsSync(state.secretPath)).toBe(false)
    expect(JSON.stringify([calls, result])).not.toContain(PASS)
  })

  it('joins an open AP with no security settings and no passwd-file, even when given a passphrase', async () => {
    const { wifi, clock, argvs } = setup()
    await settle(clock, wifi.join('PROV_OPEN01', PASS, { isTemporary: true }))
    expect(argvs().find((a) => a.startsWith('connection add'))).toBe('connection add type wifi con-name porchlight-tmp-PROV_OPEN01 ifname wlp2s0 ssid PROV_OPEN01 connection.autoconnect no')
    expect(argvs().find((a) => a.includes('connection up'))).not.toContain('passwd-file')
  })

  it('uses SAE for WPA3-only, OWE for Enhanced Open, and saves the secret of a non-temporary profile', async () => {
    const { wifi, clock, argvs } = setup()
    await settle(clock, wifi.join('Sae Only', PASS, { isTemporary: true }))
    expect(argvs().find((a) => a.startsWith('connection add'))).toContain('802-11-wireless-security.key-mgmt sae 802-11-wireless-security.psk-flags 2')
    const owe = setup()
    await settle(owe.clock, owe.wifi.join('Cafe Enhanced Open', undefined, { isTemporary: true }))
    expect(owe.argvs().find((a) => a.startsWith('connection add'))).toContain('802-11-wireless-security.key-mgmt owe')
    const again = setup()
    await settle(again.clock, again.wifi.join('Transition', PASS))
    expect(again.argvs().find((a) => a.startsWith('connection add'))).toBe('connection add type wifi con-name porchlight-Transition ifname wlp2s0 ssid Transition connection.autoconnect yes 802-11-wireless-security.key-mgmt wpa-psk 802-11-wireless-security.psk-flags 0')
  })

  it('joins a hidden network without looking for it in scans', async () => {
    const { wifi, clock, argvs } = setup()
    await settle(clock, wifi.join('Secret', PASS, { isHidden: true, isTemporary: true }))
    expect(argvs().some((a) => a.includes('device wifi list --rescan auto'))).toBe(false)
    expect(argvs().find((a) => a.startsWith('connection add'))).toContain('802-11-wireless.hidden yes')
  })

  it('reports a wrong passphrase, removes the profile it made, and leaks nothing', async () => {
    const { wifi, clock, state, calls } = setup({ up: 'wrong' })
    const result = await settle(clock, wifi.join(AP, PASS, { isTemporary: true }))
    expect(result).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } })
    expect(state.profiles.size).toBe(0)
    expect(existsSync(state.secretPath)).toBe(false)
    expect(JSON.stringify([calls, result])).not.toContain(PASS)
  })

  it('says network-not-found after a forced rescan, without creating anything', async () => {
    const { wifi, clock, argvs } = setup({ apVisible: false })
    expect(await settle(clock, wifi.join(AP, PASS))).toMatchObject({ ok: false, error: { code: 'network-not-found', message: expect.stringContaining(`"${AP}"`) } })
    expect(argvs().filter((a) => a.includes('wifi list'))).toEqual([
      '-t -f ACTIVE,SSID,SSID-HEX,BSSID,CHAN,SIGNAL,SECURITY,DEVICE device wifi list --rescan auto',
      '-t -f ACTIVE,SSID,SSID-HEX,BSSID,CHAN,SIGNAL,SECURITY,DEVICE device wifi list --rescan yes',
    ])
    expect(argvs().some((a) => a.startsWith('connection add'))).toBe(false)
  })

  it('does not believe a zero exit: no association within the bound is join-timeout', async () => {
    const { wifi, clock } = setup({ up: 'never-associates' })
    const result = await settle(clock, wifi.join(AP, PASS, { timeoutMs: 5000 }))
    expect(result).toMatchObject({ ok: false, error: { code: 'join-timeout' } })
    expect(!result.ok && result.error.code === 'join-timeout' && result.error.afterMs).toBeGreaterThanOrEqual(5000)
  })

  it('maps nmcli timeouts to join-timeout, and refuses passphrases no WPA network accepts before running anything', async () => {
    const { wifi, clock, calls } = setup({ up: 'timeout' })
    expect(await settle(clock, wifi.join(AP, PASS))).toMatchObject({ ok: false, error: { code: 'join-timeout' } })
    const n = calls.length
    expect(await wifi.join(AP, 'short')).toMatchObject({ ok: false, error: { code: 'wrong-passphrase', message: expect.stringContaining('8 to 63') } })
    expect(await wifi.join(AP, 'line\nbreak-injection')).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } })
    expect(calls.length).toBe(n)
  })
})

describe('nmcli adapter: rejoin and forgetTemporary', () => {
  it('rejoins the saved profile for the SSID by uuid, never a temporary one, with no passphrase', async () => {
    const { wifi, clock, state, argvs } = setup()
    state.active = 'ap'
    const result = await settle(clock, wifi.rejoin('Home Net', { timeoutMs: 10_000 }))
    expect(result).toMatchObject({ ok: true, value: { ssid: 'Home Net', interfaceName: 'wlp2s0' } })
    const lookup = argvs().find((a) => a.startsWith('-t -f connection.uuid')) ?? ''
    expect(lookup).not.toContain('281625d0') // porchlight-tmp-… is skipped
    expect(lookup).toContain(`uuid ${HOME_UUID}`)
    expect(argvs()).toContain(`--wait 10 connection up uuid ${HOME_UUID} ifname wlp2s0`)
  })

  it('says so when nothing is saved for the SSID', async () => {
    const { wifi, clock } = setup()
    expect(await settle(clock, wifi.rejoin('Elsewhere'))).toMatchObject({ ok: false, error: { code: 'network-not-found', message: expect.stringContaining('no saved profile') } })
  })

  it('deletes the temporary profile by name; a missing one is success', async () => {
    const { wifi, state, argvs } = setup()
    state.profiles.add(`porchlight-tmp-${AP}`)
    expect(await wifi.forgetTemporary(AP)).toEqual({ ok: true, value: undefined })
    expect(await wifi.forgetTemporary(AP)).toEqual({ ok: true, value: undefined })
    expect(argvs()).toEqual([`connection delete id porchlight-tmp-${AP}`, `connection delete id porchlight-tmp-${AP}`])
  })
})

describe('nmcli availability', () => {
  const probe = (answers: Record<string, ReturnType<typeof out>>) => {
    const { run } = fakeRun((args) => answers[args.slice(2).join(' ')] ?? out('', 2, 'unexpected'))
    return probeNmcli({ run, clock: createFakeClock() })
  }
  const general = '-t -f RUNNING,STATE,WIFI-HW,WIFI general status'
  const perms = '-t general permissions'

  it('is available with NetworkManager running, Wi-Fi on and network-control allowed', async () => {
    expect(await probe({ [general]: out(fixture('linux/general-status.txt')), [perms]: out(fixture('linux/general-permissions.real.txt')) })).toEqual({ available: true })
    expect(await probe({ [general]: out(fixture('linux/general-status.txt')), [perms]: out(fixture('linux/general-permissions-auth.txt')) }))
      .toMatchObject({ available: true, reason: expect.stringContaining('administrator password') })
  })

  it('explains each way it is not', async () => {
    expect(await probe({ [general]: out('', 8, fixture('linux/not-running.stderr.txt')) })).toMatchObject({ available: false, code: 'no-wifi-adapter', reason: expect.stringContaining('not running') })
    expect(await probe({ [general]: out('', 1, fixture('linux/no-dbus.real.stderr.txt')) })).toMatchObject({ available: false, code: 'no-wifi-adapter' })
    expect(await probe({ [general]: out(fixture('linux/general-status.real.txt')) })).toMatchObject({ available: false, reason: expect.stringContaining('no Wi-Fi hardware') })
    expect(await probe({ [general]: out(fixture('linux/general-status-wifi-off.txt')) })).toMatchObject({ available: false, reason: expect.stringContaining('turned off') })
    expect(await probe({ [general]: out(fixture('linux/general-status.txt')), [perms]: out(fixture('linux/general-permissions-denied.txt')) })).toMatchObject({ available: false, code: 'not-permitted' })
    expect(await probe({ [general]: out('', 127, "env: 'nmcli': No such file or directory") })).toMatchObject({ available: false, code: 'no-wifi-adapter', reason: expect.stringContaining('not installed') })
  })

  it('turns a tool that cannot start into no-wifi-adapter, not a throw', async () => {
    const run = () => Promise.reject(Object.assign(new Error('spawn env ENOENT'), { code: 'ENOENT' }))
    const wifi = createNmcliWifi({ run, clock: createFakeClock() })
    expect(await wifi.scan()).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter' } })
    wifi.dispose()
    expect(await wifi.current()).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter', message: expect.stringContaining('closed') } })
  })
})
