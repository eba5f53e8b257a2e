import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isWideDestination, resolveInternetRoute, wideRoute, type RoutingRule, type WideRoute } from '../../../main/diagnose/routes'
import { readRoutes } from '../../../main/diagnose/routes-read'
import type { CommandOutput, RunCommand } from '../../../main/util/exec'

const fixtures = join(import.meta.dirname, 'fixtures', 'routes')
const read = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8')

function route(destination: string, iface: string, extra: Partial<WideRoute> = {}): WideRoute {
  const family = destination.includes(':') ? 'IPv6' : 'IPv4'
  const built = wideRoute(family, destination, { type: 'unicast', nexthops: [{ interface: iface }], metric: 0, table: 'main', ...extra })
  if (!built) throw new Error(`${destination} is not wide`)
  return built
}
const rule = (priority: number, fields: Partial<RoutingRule>): RoutingRule => ({ priority, action: 'lookup', appliesTo: 'all', text: `${priority}: test`, ...fields })

describe('isWideDestination', () => {
  it('accepts the default route and the prefixes VPNs use to capture it, nothing narrower', () => {
    for (const d of ['default', '0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1']) expect(isWideDestination('IPv4', d), d).toBe(true)
    for (const d of ['default', '::/0', '::/1', '2000::/3', '2000::/4', '3000::/4']) expect(isWideDestination('IPv6', d), d).toBe(true)
    for (const d of ['198.18.0.0/15', '224.0.0.0/4', '0.0.0.0/2x', '300.0.0.0/1', '198.18.0.1']) expect(isWideDestination('IPv4', d), d).toBe(false)
    for (const d of ['8000::/1', 'fe80::/10', 'fd00::/8', '2000::/5', '0.0.0.0/1']) expect(isWideDestination('IPv6', d), d).toBe(false)
  })
})

describe('resolveInternetRoute', () => {
  it('a blackhole default route drops the traffic', () => {
    const r = resolveInternetRoute({ family: 'IPv4', routes: [route('0.0.0.0/0', 'eth0', { type: 'blackhole', nexthops: [] })], notes: [] })
    expect(r).toMatchObject({ status: 'blocked', blockedBy: 'a blackhole route to 0.0.0.0/0 in table main', routes: [] })
  })

  it('a prohibit rule ahead of main drops it; one that does not apply to our traffic does not', () => {
    const routes = [route('0.0.0.0/0', 'eth0')]
    const main = rule(32766, { table: 'main' })
    expect(resolveInternetRoute({ family: 'IPv4', routes, rules: [rule(10, { action: 'prohibit' }), main], notes: [] }))
      .toMatchObject({ status: 'blocked', blockedBy: '10: test (prohibit)' })
    expect(resolveInternetRoute({ family: 'IPv4', routes, rules: [rule(10, { action: 'prohibit', appliesTo: 'none' }), main], notes: [] }))
      .toMatchObject({ status: 'routed', interfaces: ['eth0'] })
  })

  it('suppress_prefixlength 0 drops only the default route, not a /1 in the same table', () => {
    const routes = [route('0.0.0.0/0', 'eth0'), route('0.0.0.0/1', 'tun0'), route('0.0.0.0/0', 'wg0', { table: '7' })]
    const r = resolveInternetRoute({ family: 'IPv4', routes, rules: [rule(1, { table: 'main', suppressPrefixLength: 0 }), rule(2, { table: '7' })], notes: [] })
    expect(r.routes.map((x) => `${x.destination} ${x.nexthops[0]?.interface ?? ''}`)).toEqual(['0.0.0.0/1 tun0', '0.0.0.0/0 wg0'])
    expect(r).toMatchObject({ interfaces: ['tun0', 'wg0'], isSplit: true, rule: '2: test' })
  })

  it('notes when only half of the address space has a route', () => {
    const r = resolveInternetRoute({ family: 'IPv4', routes: [route('128.0.0.0/1', 'tun0')], notes: [] })
    expect(r).toMatchObject({ status: 'routed', interfaces: ['tun0'], notes: ['only part of the address space has a route'] })
  })

  it('a goto with no rule at or after its target ends the lookup', () => {
    const r = resolveInternetRoute({ family: 'IPv4', routes: [route('0.0.0.0/0', 'eth0')], rules: [rule(5, { action: 'goto', target: 40000 }), rule(32766, { table: 'main' })], notes: [] })
    expect(r.status).toBe('none')
  })
})

/** A RunCommand that answers from a table keyed by "file arg arg…", and records the calls. */
function replay(answers: Record<string, CommandOutput | Error>) {
  const calls: string[] = []
  const run: RunCommand = async (file, args) => {
    const key = [file, ...args].join(' ')
    calls.push(key)
    const answer = answers[key]
    if (answer instanceof Error) throw answer
    return answer ?? { stdout: '', stderr: `no answer for ${key}`, exitCode: 127 }
  }
  return { run, calls }
}
const out = (stdout: string, exitCode = 0, stderr = ''): CommandOutput => ({ stdout, stderr, exitCode })
const enoent = () => Object.assign(new Error('spawn ip ENOENT'), { code: 'ENOENT' })

describe('readRoutes', () => {
  it('Linux: dumps routes and rules per family with ip -json (no shell)', async () => {
    const s = 'wg-quick'
    const { run, calls } = replay({
      'ip -json -4 route show table all': out(read('linux', s, 'route-4.json')),
      'ip -json -6 route show table all': out(read('linux', s, 'route-6.json')),
      'ip -json -4 rule show': out(read('linux', s, 'rule-4.json')),
      'ip -json -6 rule show': out(read('linux', s, 'rule-6.json')),
    })
    const routes = await readRoutes({ run, platform: 'linux' })
    expect(calls.sort()).toEqual(['ip -json -4 route show table all', 'ip -json -4 rule show', 'ip -json -6 route show table all', 'ip -json -6 rule show'])
    expect(routes.IPv4.ok && resolveInternetRoute(routes.IPv4.value).interfaces).toEqual(['wg0'])
  })

  it('Linux: a missing ip and a failing ip become error values', async () => {
    expect((await readRoutes({ run: replay({ 'ip -json -4 route show table all': enoent() }).run, platform: 'linux' })).IPv4)
      .toEqual({ ok: false, error: { code: 'tool-missing', message: 'ip is not installed' } })
    const failing = replay({ 'ip -json -6 route show table all': out('', 2, 'RTNETLINK answers: Address family not supported by protocol\n') })
    expect((await readRoutes({ run: failing.run, platform: 'linux' })).IPv6)
      .toEqual({ ok: false, error: { code: 'tool-failed', message: 'ip route exited with 2: RTNETLINK answers: Address family not supported by protocol' } })
  })

  it('macOS: route get per family by absolute path, netstat once; "not in table" is no route', async () => {
    const { run, calls } = replay({
      '/sbin/route -n get default': out(read('darwin', 'route-get-default-en0.txt')),
      '/sbin/route -n get -inet6 default': out('', 1, read('darwin', 'route-get-not-in-table.stderr.txt')),
      '/usr/sbin/netstat -rn': out(read('darwin', 'netstat-rn-tunnelblick-mojave.txt')),
    })
    const routes = await readRoutes({ run, platform: 'darwin' })
    expect(calls).toHaveLength(3)
    expect(routes.IPv4.ok && resolveInternetRoute(routes.IPv4.value)).toMatchObject({ interfaces: ['utun2'], isSplit: true })
    expect(routes.IPv6.ok && resolveInternetRoute(routes.IPv6.value).status).toBe('none')
  })

  it('Windows: runs Windows PowerShell from %SystemRoot% once; a timeout is an error value for both families', async () => {
    const ps = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'
    const { run, calls } = replay({})
    await readRoutes({ run, platform: 'win32', systemRoot: 'C:\\Windows' })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.startsWith(`${ps} -NoProfile -NonInteractive -Command [Console]::OutputEncoding`)).toBe(true)
    const slow: RunCommand = async () => {
      throw Object.assign(new Error('killed'), { killed: true })
    }
    expect(await readRoutes({ run: slow, platform: 'win32', systemRoot: 'C:\\Windows' })).toEqual({
      IPv4: { ok: false, error: { code: 'tool-timeout', message: `${ps} took longer than 10000 ms` } },
      IPv6: { ok: false, error: { code: 'tool-timeout', message: `${ps} took longer than 10000 ms` } },
    })
  })

  it('other platforms: an unsupported-platform error, nothing run', async () => {
    const { run, calls } = replay({})
    expect((await readRoutes({ run, platform: 'freebsd' })).IPv4).toMatchObject({ ok: false, error: { code: 'unsupported-platform' } })
    expect(calls).toEqual([])
  })
})
