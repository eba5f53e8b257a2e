/** The `porchlight` CLI, in-process on a real core and as the installed command. */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../app/cli/cli'
import { formatInterfaces } from '../../../app/cli/format'
import { createCore } from '../../../main/core'
import { NetInterface } from '../../../shared/net/interfaces'

const root = join(import.meta.dirname, '..', '..', '..')

async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    makeCore: ({ watch }) => createCore({ host: { kind: 'cli', name: 'Porchlight', version: '3.1.4' }, watch }),
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    stopSignal: Promise.resolve(),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('runCli', () => {
  it('prints help and the version', async () => {
    expect((await run(['--help'])).out).toMatch(/^Usage: porchlight <command>/)
    expect(await run(['--version'])).toMatchObject({ code: 0, out: '3.1.4' })
  })

  it('interfaces --json prints exactly what the net:interfaces channel returns', async () => {
    const { code, out } = await run(['interfaces', '--json'])
    expect(code).toBe(0)
    const parsed = NetInterface.array().parse(JSON.parse(out))
    const direct = await createCore({ host: { kind: 'cli', name: 'P', version: '0' } }).handlers['net:interfaces'](undefined)
    expect(direct.ok && parsed.map((i) => i.name)).toEqual(direct.ok && direct.value.map((i) => i.name))
  })

  it('interfaces without --json prints a table with a header and every interface', async () => {
    const { code, out } = await run(['interfaces'])
    expect(code).toBe(0)
    expect(out.split('\n')[0]).toMatch(/^NAME\s+KIND\s+STATE\s+ADDRESS\s+SCOPE\s+MAC$/)
    expect(out).toMatch(/^lo\s+loopback\s+up,internal\s+127\.0\.0\.1\/8/m)
  })

  it('reports command-line mistakes in one line with exit code 2', async () => {
    for (const argv of [[], ['bogus'], ['interfaces', '--jsn'], ['interfaces', 'extra'], ['info', '--watch']]) {
      const { code, err, out } = await run(argv)
      expect(code, argv.join(' ')).toBe(2)
      expect(err.split('\n')).toHaveLength(1)
      expect(err).toMatch(/^porchlight: .+ \(see porchlight --help\)$/)
      expect(out).toBe('')
    }
  })
})

describe('formatInterfaces', () => {
  it('shows down links, zones and interfaces without addresses', () => {
    const text = formatInterfaces([
      { name: 'wlan0', kind: 'wifi', kindReason: 'x', isUp: true, isRunning: true, isInternal: false, mac: 'aa:bb:cc:dd:ee:ff',
        addresses: [{ address: 'fe80::1', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId: 3 }] },
      { name: 'eth0', kind: 'ethernet', kindReason: 'x', isUp: true, isRunning: false, isInternal: false, addresses: [] },
    ])
    expect(text).toContain('fe80::1%3/64')
    expect(text).toMatch(/^eth0\s+ethernet\s+up,no-carrier\s+-/m)
  })
})

describe('the installed command', () => {
  it('`porchlight interfaces --json` prints this machine’s interfaces and exits 0', () => {
    const res = spawnSync(process.execPath, [join(root, 'bin/porchlight.js'), 'interfaces', '--json'], { encoding: 'utf8', timeout: 15_000 })
    expect(res.status, res.stderr).toBe(0)
    const list = NetInterface.array().parse(JSON.parse(res.stdout))
    expect(list.some((i) => i.kind === 'loopback')).toBe(true)
  })

  it('an unknown command exits 2 with one line on stderr', () => {
    const res = spawnSync(process.execPath, [join(root, 'bin/porchlight.js'), 'frobnicate'], { encoding: 'utf8', timeout: 15_000 })
    expect(res.status).toBe(2)
    expect(res.stderr.trim().split('\n')).toEqual(["porchlight: unknown command 'frobnicate' (see porchlight --help)"])
    expect(res.stdout).toBe('')
  })
})
