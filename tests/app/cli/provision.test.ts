/**
 * `porchlight provision`: flag parsing, and whole runs of the real flow inside a real core whose Wi-Fi and
 * accessory are the in-memory fakes (the lab test runs it against simulated accessories for real). Exit 0
 * only when confirmed; the passphrase and setup code never appear in anything printed.
 */
import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../app/cli/cli'
import { parseProvisionFlags } from '../../../app/cli/provision'
import { createCore } from '../../../main/core'
import { socketlessTransport } from '../../helpers/quiet-discovery'
import { AP, FakeAccessory, FakeWifi, HOME, HOME_PASS, POP } from '../../main/provisioning/flow-fakes'

function nodeTableOf(wifi: FakeWifi): NodeJS.Dict<NetworkInterfaceInfo[]> {
  const address = wifi.current_ === AP ? '192.168.4.2' : '198.18.0.2'
  return { wlan0: [{ address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:02', internal: false, cidr: `${address}/24` }] }
}

const QR = JSON.stringify({ ver: 'v1', name: AP, pop: POP, transport: 'softap', username: 'wifiprov', security: 2 })

async function run(argv: string[], setup: { passphrase?: string; accessory?: FakeAccessory; wifi?: FakeWifi } = {}) {
  const out: string[] = []
  const err: string[] = []
  const wifi = setup.wifi ?? new FakeWifi()
  const accessory = setup.accessory ?? new FakeAccessory()
  const code = await runCli(argv, {
    makeCore: ({ watch }) => createCore({
      host: { kind: 'cli', name: 'Porchlight', version: '1.0.0' },
      watch,
      discovery: { transport: socketlessTransport },
      // The computer's interfaces follow the fake Wi-Fi (192.168.4.2/24 on the accessory's AP), from Node's table.
      interfaceSource: { platform: 'freebsd', nodeTable: () => nodeTableOf(wifi) },
      setup: { wifi: async () => ({ wifi }), driver: accessory.driver(wifi), timing: { confirmTimeoutMs: 300, pollMs: 20 } },
    }),
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    stopSignal: new Promise(() => undefined),
    readFile: async (path) => {
      if (path !== 'pass.txt') throw Object.assign(new Error('nope'), { code: 'ENOENT' })
      return `${setup.passphrase ?? HOME_PASS}\n`
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 10))),
  })
  return { code, out, err: err.join('\n'), wifi, all: [...out, ...err].join('\n') }
}

describe('porchlight provision: command line', () => {
  it('parses a QR payload or a manual code, and refuses contradictions without echoing the code', () => {
    expect(parseProvisionFlags({ qr: QR, ssid: HOME, passphraseFile: 'f' }, false)).toMatchObject({ ok: true, options: { code: { pop: POP, serviceName: AP, username: 'wifiprov' }, target: { kind: 'from-code' } } })
    expect(parseProvisionFlags({ pop: POP, username: 'u', ssid: HOME, passphraseFile: 'f', address: '198.18.0.9:80' }, true)).toMatchObject({ ok: true, options: { target: { kind: 'address', host: '198.18.0.9', port: 80 } } })
    expect(parseProvisionFlags({ ssid: HOME, passphraseFile: 'f' }, false)).toMatchObject({ ok: false, message: /exactly one of --qr/ })
    expect(parseProvisionFlags({ pop: POP, passphraseFile: 'f' }, false)).toMatchObject({ ok: false, message: /--ssid/ })
    expect(parseProvisionFlags({ pop: POP, ssid: HOME }, false)).toMatchObject({ ok: false, message: /--passphrase-file/ })
    expect(parseProvisionFlags({ pop: POP, ssid: HOME, passphraseFile: 'f', device: 'd', address: '1.2.3.4:5' }, false)).toMatchObject({ ok: false })
    const bad = parseProvisionFlags({ qr: `{"ver":"v9","pop":"${POP}"}`, ssid: HOME, passphraseFile: 'f' }, false)
    expect(bad.ok).toBe(false)
    expect(JSON.stringify(bad)).not.toContain(POP)
  })

  it('exits 2 for a bad command line, naming the problem in one line', async () => {
    expect(await run(['provision', '--ssid', HOME])).toMatchObject({ code: 2, err: expect.stringMatching(/exactly one of --qr/) })
    expect(await run(['discover', '--pop', POP])).toMatchObject({ code: 2, err: expect.stringMatching(/--pop is only for 'provision'/) })
    const unreadable = await run(['provision', '--pop', POP, '--ssid', HOME, '--passphrase-file', 'missing.txt'])
    expect(unreadable).toMatchObject({ code: 2, err: expect.stringMatching(/could not read --passphrase-file \(ENOENT\)/) })
  })

  it('runs the flow to the end and exits 1 when the accessory is not confirmed on the network, back on the home network', async () => {
    const result = await run(['provision', '--qr', QR, '--ssid', HOME, '--passphrase-file', 'pass.txt', '--json'])
    expect(result.code).toBe(1)
    const lines = result.out.map((l) => JSON.parse(l) as { event: string; step?: string; outcome?: string; error?: string })
    expect(lines.filter((l) => l.event === 'step').map((l) => l.step)).toEqual(expect.arrayContaining(['join-accessory', 'secure-session', 'sending', 'device-connecting', 'returning', 'confirming', 'failed']))
    expect(lines.at(-1)).toMatchObject({ event: 'result', outcome: 'failed', error: expect.stringMatching(/did not join/) })
    // Notices reach a terminal too, each once: here, that the accessory's network has no internet.
    const notices = lines.filter((l) => l.event === 'notice').map((l) => (l as { text?: string }).text)
    expect(notices.filter((t) => /no internet/.test(t ?? ''))).toHaveLength(1)
    expect(result.wifi.current_).toBe(HOME)
    expect(result.all).not.toContain(HOME_PASS)
    expect(result.all).not.toContain(POP)
  })

  it('a wrong passphrase stops with the reason (a person must re-enter it) and restores the network', async () => {
    const result = await run(['provision', '--qr', QR, '--ssid', HOME, '--passphrase-file', 'pass.txt'], { passphrase: 'not-the-home-pass' })
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/password was not accepted/)
    expect(result.wifi.calls).toEqual([`join ${AP}`, `rejoin ${HOME}`, `forget ${AP}`])
    expect(result.all).not.toContain('not-the-home-pass')
  })
})
