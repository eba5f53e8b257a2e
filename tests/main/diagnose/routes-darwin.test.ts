import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRoute, resolveInternetRoute } from '../../../main/diagnose/routes'
import { buildDarwinSnapshot, parseNetstatRoutes, parseRouteGet } from '../../../main/diagnose/routes-darwin'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'routes', 'darwin', name), 'utf8')
const output = (stdout: string, stderr = '', exitCode = 0) => ({ stdout, stderr, exitCode })
const ok = <T>(value: T) => ({ ok: true as const, value })

describe('parseRouteGet (reconstructed `route -n get default`)', () => {
  it('reads the interface and gateway of the IPv4 and IPv6 default routes', () => {
    expect(parseRouteGet('IPv4', output(fixture('route-get-default-en0.txt')))).toMatchObject({
      ok: true, value: { destination: '0.0.0.0/0', type: 'unicast', nexthops: [{ interface: 'en0', gateway: '198.18.1.1' }] },
    })
    expect(parseRouteGet('IPv6', output(fixture('route-get-inet6-default-en0.txt')))).toMatchObject({
      ok: true, value: { destination: '::/0', nexthops: [{ interface: 'en0', gateway: 'fe80::1%en0' }] },
    })
  })

  it('reads a VPN default route without a gateway line', () => {
    const got = parseRouteGet('IPv4', output(fixture('route-get-default-utun.txt')))
    expect(got.ok && got.value?.nexthops).toEqual([{ interface: 'utun4' }])
  })

  it('treats "not in table" as no default route, whatever the exit status', () => {
    const stderr = fixture('route-get-not-in-table.stderr.txt')
    expect(parseRouteGet('IPv6', output('', stderr, 1))).toEqual({ ok: true, value: undefined })
    expect(parseRouteGet('IPv6', output('', stderr, 0))).toEqual({ ok: true, value: undefined })
  })

  it('reports output without an interface as unreadable', () => {
    expect(parseRouteGet('IPv4', output('', 'route: bad address: default', 68))).toMatchObject({
      ok: false, error: { code: 'tool-output-unreadable', message: 'route get printed no interface: route: bad address: default' },
    })
  })
})

describe('parseNetstatRoutes (reconstructed `netstat -rn`)', () => {
  it('finds wg-quick’s /1 routes in both families and skips default lines', () => {
    // 8000::/1 holds no global unicast space (2000::/3), so it is not a route to the Internet and is left out.
    expect(parseNetstatRoutes(fixture('netstat-rn-wg-quick.txt')).map(describeRoute)).toEqual([
      '0.0.0.0/1 dev utun3 metric 0', '128.0.0.0/1 dev utun3 metric 0', '::/1 dev utun3 metric 0',
    ])
  })

  it('reads the older layout with Refs and Use columns (Tunnelblick def1 via the tunnel peer)', () => {
    expect(parseNetstatRoutes(fixture('netstat-rn-tunnelblick-mojave.txt')).map(describeRoute)).toEqual([
      '0.0.0.0/1 via 198.18.9.5 dev utun2 metric 0', '128.0.0.0/1 via 198.18.9.5 dev utun2 metric 0',
    ])
  })

  it('leaves out interface-scoped (I flag) routes: they capture nothing', () => {
    expect(parseNetstatRoutes(fixture('netstat-rn-macbook.txt'))).toEqual([])
  })
})

describe('buildDarwinSnapshot', () => {
  it('wg-quick on macOS: default via en0, captured by utun3 for both families', () => {
    const netstat = ok(fixture('netstat-rn-wg-quick.txt'))
    const v4 = buildDarwinSnapshot('IPv4', ok(output(fixture('route-get-default-en0.txt'))), netstat)
    const v6 = buildDarwinSnapshot('IPv6', ok(output(fixture('route-get-inet6-default-en0.txt'))), netstat)
    if (!v4.ok || !v6.ok) throw new Error('snapshot failed')
    expect(resolveInternetRoute(v4.value)).toMatchObject({ interfaces: ['utun3'], isSplit: true, unused: [{ nexthops: [{ interface: 'en0' }] }] })
    expect(resolveInternetRoute(v6.value)).toMatchObject({ interfaces: ['utun3'], isSplit: true })
  })

  it('a plain MacBook: en0 owns both default routes', () => {
    const v4 = buildDarwinSnapshot('IPv4', ok(output(fixture('route-get-default-en0.txt'))), ok(fixture('netstat-rn-macbook.txt')))
    expect(v4.ok && resolveInternetRoute(v4.value)).toMatchObject({ status: 'routed', interfaces: ['en0'], isSplit: false })
  })

  it('keeps the default route with a note when netstat fails, and passes a route failure through', () => {
    const failed = { ok: false as const, error: { code: 'tool-timeout' as const, message: '/usr/sbin/netstat took longer than 5000 ms' } }
    const v4 = buildDarwinSnapshot('IPv4', ok(output(fixture('route-get-default-en0.txt'))), failed)
    expect(v4.ok && v4.value.notes).toEqual(['VPN split routes not checked (/usr/sbin/netstat took longer than 5000 ms)'])
    expect(buildDarwinSnapshot('IPv4', failed, ok(''))).toEqual(failed)
  })
})
