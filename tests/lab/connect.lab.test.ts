/**
 * The connection racer against a real kernel (cases 44–45), in three namespaces this test builds:
 *
 *   client (wlan0 ── eth0 server)   wlan0: 198.18.0.2/24, fd00:706c:6b::2/64, fe80::2, 169.254.10.2/16
 *          (eth1  ── eth0 other)    eth1:  fe80::3, 169.254.20.2/16
 *   server eth0: 198.18.0.11/24, fd00:706c:6b::11/64, fe80::11, 169.254.10.1/16
 *   other  eth0: fe80::11, 169.254.10.1/16 — the same link-local addresses on another link, another device
 *
 * Addresses are only 198.18/15, 169.254/16, fe80::/10 and fd00::/8, inside these namespaces (docs/lab.md).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AttemptRecord, ConnectResult } from '../../main/net/connect'
import { createNamespace, deleteNamespace, ip, namespaceExists, ownedName } from '../helpers/netns'
import { bundleEntry, labPath } from './bundle'
import { labUnavailableReason } from './topology'
import { execResult } from './topology/shell'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab connect tests skipped: ${skip}\n`)

/** Served only on fe80::11%eth0 (server) and fe80::11%eth0 (other). */
const LL_PORT = 47_101
/** Served on 198.18.0.11 and 169.254.10.1 (server) and 169.254.10.1 (other); fd00:706c:6b::11 refuses it. */
const V4_PORT = 47_102
const ULA = 'fd00:706c:6b::'

type RaceOutput = { result: ConnectResult<never>; reply?: string; failedHook: { address: string; code: string }[] }

describe.skipIf(skip !== undefined)(`lab: connection racer${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const client = ownedName('plxkc')
  const server = ownedName('plxks')
  const other = ownedName('plxko')
  const children: ChildProcess[] = []
  const measured: Record<string, number[]> = {}
  let entry = ''

  const teardown = async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    for (const ns of [client, server, other]) deleteNamespace(ns)
  }

  const build = () => {
    for (const ns of [client, server, other]) createNamespace(ns)
    ip('-n', client, 'link', 'add', 'wlan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', server)
    ip('-n', client, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', other)
    const addresses: [string, string, string[]][] = [
      [client, 'wlan0', ['198.18.0.2/24', `${ULA}2/64`, 'fe80::2/64', '169.254.10.2/16']],
      [client, 'eth1', ['fe80::3/64', '169.254.20.2/16']],
      [server, 'eth0', ['198.18.0.11/24', `${ULA}11/64`, 'fe80::11/64', '169.254.10.1/16']],
      [other, 'eth0', ['fe80::11/64', '169.254.10.1/16']],
    ]
    for (const [ns, dev, list] of addresses) {
      // Fixed link-local addresses only, and no DAD wait: the test must not depend on random EUI-64s or timing.
      ip('-n', ns, 'link', 'set', dev, 'addrgenmode', 'none')
      for (const cidr of list) ip('-n', ns, 'addr', 'add', cidr, 'dev', dev, ...(cidr.includes(':') ? ['nodad'] : []))
      ip('-n', ns, 'link', 'set', dev, 'up')
    }
  }

  const startServer = async (ns: string, name: string, port: number, hosts: string[]) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, entry, 'serve', name, String(port), ...hosts], { stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    child.stderr.resume()
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not listen within 5 s`)), 5000)
      createInterface({ input: child.stdout }).once('line', () => {
        clearTimeout(timer)
        resolve()
      })
      child.once('exit', (code) => reject(new Error(`${name} server exited (${code})`)))
    })
  }

  const race = async (request: Record<string, unknown>): Promise<RaceOutput> => {
    const run = await execResult('ip', ['netns', 'exec', client, process.execPath, entry, 'race', JSON.stringify(request)], { timeoutMs: 15_000 })
    expect(run, run.stderr).toMatchObject({ code: 0 })
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as RaceOutput
  }
  const won = (out: RaceOutput) => {
    if (!out.result.ok) throw new Error(`expected a connection: ${out.result.error.message}`)
    return out.result.value
  }
  const record = (name: string, ms: number) => (measured[name] ??= []).push(Math.round(ms * 10) / 10)

  beforeAll(async () => {
    try {
      build()
      entry = await bundleEntry(labPath('probes', 'connect-race-main.ts'))
      await startServer(server, 'S', LL_PORT, ['fe80::11%eth0'])
      await startServer(server, 'S', V4_PORT, ['198.18.0.11', '169.254.10.1'])
      await startServer(other, 'O', LL_PORT, ['fe80::11%eth0'])
      await startServer(other, 'O', V4_PORT, ['169.254.10.1'])
    } catch (error) {
      await teardown()
      throw error
    }
  }, 30_000)

  afterAll(async () => {
    await teardown()
    process.stderr.write(`lab connect measured (ms): ${JSON.stringify(measured)}\n`)
    for (const ns of [client, server, other]) expect(namespaceExists(ns)).toBe(false)
  }, 30_000)

  it('case 45: a listener reachable only on fe80::11 is reached with the zone of the interface it was found on', async () => {
    const out = await race({ targets: [{ address: 'fe80::11', interfaceName: 'wlan0' }], port: LL_PORT, withInterfaces: true })
    expect(won(out).winner).toMatchObject({ connectAddress: 'fe80::11%wlan0', zone: 'wlan0' })
    expect(out.reply).toMatch(/^S fe80::2/)
    // The same service is not reachable on the server's other addresses: only link-local works.
    const others = await race({ targets: [`${ULA}11`, '198.18.0.11'], port: LL_PORT })
    expect(!others.result.ok && others.result.error.code).toBe('all-failed')
  }, 20_000)

  it('case 45: the zone picks the link: fe80::11%eth1 is a different device with the same address', async () => {
    const out = await race({ targets: ['fe80::11%eth1'], port: LL_PORT })
    expect(won(out).winner.connectAddress).toBe('fe80::11%eth1')
    expect(out.reply).toMatch(/^O fe80::3/)
  }, 20_000)

  it('case 45: without a zone the racer refuses with `zone-required`, where plain net.connect gets EINVAL', async () => {
    const out = await race({ targets: ['fe80::11'], port: LL_PORT })
    if (out.result.ok || out.result.error.code !== 'invalid-address') throw new Error('expected invalid-address')
    expect(out.result.error.invalid).toMatchObject([{ input: 'fe80::11', reason: 'zone-required' }])
    expect(out.result.error.message).toMatch(/needs the interface it was found on \(e\.g\. fe80::1%wlan0\)/)
    const raw = await execResult('ip', ['netns', 'exec', client, process.execPath, entry, 'raw', 'fe80::11', String(LL_PORT)])
    expect(JSON.parse(raw.stdout)).toEqual({ errno: 'EINVAL' })
  }, 20_000)

  it('case 44: a dead IPv6 address first, a live IPv4 second: IPv4 wins after the 250 ms delay; the IPv6 attempt ran until then', async () => {
    for (let run = 0; run < 3; run++) {
      const out = await race({ targets: ['198.18.0.11', `${ULA}99`], port: V4_PORT })
      const value = won(out)
      const [v6, v4] = value.attempts as [AttemptRecord, AttemptRecord]
      expect(v6).toMatchObject({ address: `${ULA}99`, outcome: 'lost' })
      expect(v4).toMatchObject({ address: '198.18.0.11', outcome: 'won' })
      // The stagger, not a failure, started IPv4: one attempt delay after IPv6 started.
      expect((v4.startedAtMs ?? 0) - (v6.startedAtMs ?? Infinity)).toBeGreaterThanOrEqual(250)
      expect(v6.endedAtMs).toBeGreaterThanOrEqual(v4.endedAtMs ?? Infinity)
      expect(v6.endedAtMs).toBeLessThan((v4.endedAtMs ?? 0) + 20)
      expect(value.elapsedMs).toBeGreaterThanOrEqual(250)
      expect(value.elapsedMs).toBeLessThan(1000)
      expect(out.reply).toBe('S 198.18.0.2')
      expect(out.failedHook).toEqual([])
      record('deadV6ThenV4WinMs', value.elapsedMs)
    }
  }, 30_000)

  it('case 44: a refused IPv6 address hands over to IPv4 at once, and asks discovery to reconfirm it', async () => {
    for (let run = 0; run < 3; run++) {
      const out = await race({ targets: ['198.18.0.11', `${ULA}11`], port: V4_PORT })
      const value = won(out)
      expect(value.attempts.map((a) => [a.address, a.outcome, a.errno])).toEqual([[`${ULA}11`, 'failed', 'ECONNREFUSED'], ['198.18.0.11', 'won', undefined]])
      expect(value.elapsedMs).toBeLessThan(250)
      expect(out.failedHook).toEqual([{ address: `${ULA}11`, code: 'connection-refused' }])
      record('refusedV6ThenV4WinMs', value.elapsedMs)
    }
  }, 20_000)

  it('case 44/46: a dead on-link address alone fails with EHOSTUNREACH once neighbour discovery gives up: host-unreachable, reconfirmed', async () => {
    // Its own dead address, so no earlier test's neighbour-cache entry shortens the wait.
    const out = await race({ targets: [`${ULA}98`], port: V4_PORT, timeoutMs: 8000 })
    if (out.result.ok || out.result.error.code !== 'all-failed') throw new Error('expected all-failed')
    expect(out.result.error.failures).toMatchObject([{ address: `${ULA}98`, errno: 'EHOSTUNREACH', finding: { code: 'host-unreachable' } }])
    expect(out.failedHook).toEqual([{ address: `${ULA}98`, code: 'host-unreachable' }])
    record('deadV6UnreachableAfterMs', out.result.error.elapsedMs)
  }, 20_000)

  it('case 45: 169.254/16 on a named interface is dialled from that interface’s address; Linux routes it by a source rule only', async () => {
    const via = async (interfaceName: string) => {
      const out = await race({ targets: [{ address: '169.254.10.1', interfaceName }], port: V4_PORT, withInterfaces: true })
      return { bound: won(out).attempts[0]?.localAddress, reply: out.reply }
    }
    expect(await via('wlan0')).toEqual({ bound: '169.254.10.2', reply: 'S 169.254.10.2' })
    // Linux is a weak-host system: the bound source does not choose the route, the first 169.254/16 route (wlan0) does.
    expect(await via('eth1')).toEqual({ bound: '169.254.20.2', reply: 'S 169.254.20.2' })
    // With a source-based rule (what macOS scoped routing and Windows' strong host model do by themselves) it leaves via eth1.
    ip('-n', client, 'route', 'add', '169.254.0.0/16', 'dev', 'eth1', 'table', '120')
    ip('-n', client, 'rule', 'add', 'from', '169.254.20.2', 'lookup', '120', 'pref', '100')
    expect(await via('eth1')).toEqual({ bound: '169.254.20.2', reply: 'O 169.254.20.2' })
  }, 20_000)
})
