import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRoute, resolveInternetRoute, type RouteSnapshot } from '../../../main/diagnose/routes'
import { buildWindowsSnapshots, GET_NET_ROUTE_SCRIPT, parseNetRouteJson } from '../../../main/diagnose/routes-windows'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'routes', 'windows', name), 'utf8')
const snapshots = (name: string) => buildWindowsSnapshots({ ok: true, value: fixture(name) })
const internet = (read: { ok: true; value: RouteSnapshot } | { ok: false }) => {
  if (!read.ok) throw new Error('no snapshot')
  return resolveInternetRoute(read.value)
}

describe('parseNetRouteJson (reconstructed Get-NetRoute | ConvertTo-Json)', () => {
  it('adds the interface metric to the route metric and treats 0.0.0.0 / :: as on-link', () => {
    const parsed = parseNetRouteJson(fixture('get-netroute-wireguard.json'))
    expect(parsed.ok && parsed.value.routes.map(describeRoute)).toEqual([
      '::/0 dev wg-office metric 5', '0.0.0.0/0 dev wg-office metric 5', '0.0.0.0/0 via 198.18.4.1 dev Wi-Fi metric 35', '::/0 via fe80::1 dev Wi-Fi metric 291',
    ])
  })

  it('accepts a single object with a BOM, and notes a missing interface metric', () => {
    const parsed = parseNetRouteJson(fixture('get-netroute-single.json'))
    expect(parsed.ok && parsed.value.routes).toMatchObject([{ destination: '0.0.0.0/0', metric: 0, nexthops: [{ interface: 'Ethernet', gateway: '198.18.4.1' }] }])
    expect(parsed.ok && parsed.value.notes.IPv4).toEqual(['no interface metric for the route to 0.0.0.0/0 on Ethernet; its route metric alone was used'])
  })

  it('reads an empty array or no output as no routes, and anything else as unreadable', () => {
    expect(parseNetRouteJson(fixture('get-netroute-none.json'))).toEqual({ ok: true, value: { routes: [], notes: { IPv4: [], IPv6: [] } } })
    expect(parseNetRouteJson('')).toMatchObject({ ok: true, value: { routes: [] } })
    expect(parseNetRouteJson('Get-NetRoute : The term is not recognized')).toMatchObject({ ok: false, error: { code: 'tool-output-unreadable' } })
    expect(parseNetRouteJson('42')).toMatchObject({ ok: false })
  })
})

describe('buildWindowsSnapshots', () => {
  it('laptop: the lowest effective metric wins (Ethernet 3 at 25 over Wi-Fi at 35); IPv6 only on Wi-Fi', () => {
    const read = snapshots('get-netroute-laptop.json')
    expect(internet(read.IPv4)).toMatchObject({ interfaces: ['Ethernet 3'], unused: [{ nexthops: [{ interface: 'Wi-Fi' }] }] })
    expect(internet(read.IPv6)).toMatchObject({ interfaces: ['Wi-Fi'], routes: [{ nexthops: [{ gateway: 'fe80::1' }] }] })
  })

  it('OpenVPN def1: the /1 halves on the TAP adapter capture IPv4; no IPv6 route at all', () => {
    const read = snapshots('get-netroute-openvpn.json')
    expect(internet(read.IPv4)).toMatchObject({ interfaces: ['OpenVPN TAP-Windows6'], isSplit: true })
    expect(internet(read.IPv6)).toMatchObject({ status: 'none' })
  })

  it('WireGuard: the tunnel owns both default routes by its lower metric', () => {
    const read = snapshots('get-netroute-wireguard.json')
    expect(internet(read.IPv4)).toMatchObject({ interfaces: ['wg-office'], isSplit: false })
    expect(internet(read.IPv6)).toMatchObject({ interfaces: ['wg-office'] })
  })

  it('gives both families the same error when PowerShell failed', () => {
    const error = { code: 'tool-failed' as const, message: 'Get-NetRoute exited with 1' }
    expect(buildWindowsSnapshots({ ok: false, error })).toEqual({ IPv4: { ok: false, error }, IPv6: { ok: false, error } })
  })

  it('asks only the active store for the defaults and every split prefix, as one array', () => {
    expect(GET_NET_ROUTE_SCRIPT).toContain('-PolicyStore ActiveStore')
    expect(GET_NET_ROUTE_SCRIPT).toContain("'0.0.0.0/1','128.0.0.0/1','::/0','::/1','8000::/1'")
    expect(GET_NET_ROUTE_SCRIPT).toContain('ConvertTo-Json -InputObject @(')
  })
})
