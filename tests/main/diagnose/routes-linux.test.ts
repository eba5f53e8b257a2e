import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRoute, resolveInternetRoute, type IpFamily, type RouteSnapshot } from '../../../main/diagnose/routes'
import { buildLinuxSnapshot, parseIpRouteJson, parseIpRuleJson } from '../../../main/diagnose/routes-linux'

const fixture = (scenario: string, file: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'routes', 'linux', scenario, file), 'utf8')
const ok = <T>(value: T) => ({ ok: true as const, value })

function snapshot(scenario: string, family: IpFamily): RouteSnapshot {
  const suffix = family === 'IPv4' ? '4' : '6'
  const built = buildLinuxSnapshot(family, ok(fixture(scenario, `route-${suffix}.json`)), ok(fixture(scenario, `rule-${suffix}.json`)))
  if (!built.ok) throw new Error(built.error.message)
  return built.value
}
const internet = (scenario: string, family: IpFamily) => resolveInternetRoute(snapshot(scenario, family))

describe('parseIpRouteJson (recorded `ip -json route show table all`)', () => {
  it('keeps only routes that can carry Internet traffic, from every table but local', () => {
    const routes = parseIpRouteJson('IPv4', fixture('tailscale-exit-node', 'route-4.json'))
    expect(routes.ok && routes.value.map(describeRoute)).toEqual([
      '0.0.0.0/0 dev tailscale0 metric 0 (table 52)',
      '0.0.0.0/0 via 198.18.1.1 dev wlp2s0 metric 600',
    ])
  })

  it('reads multipath nexthops with their weights', () => {
    const routes = parseIpRouteJson('IPv4', fixture('multipath', 'route-4.json'))
    expect(routes.ok && routes.value[0]).toMatchObject({
      destination: '0.0.0.0/0', metric: 0,
      nexthops: [{ gateway: '198.18.4.1', interface: 'enp0s31f6', weight: 1 }, { gateway: '198.18.1.1', interface: 'wlp2s0', weight: 1 }],
    })
  })

  it('reads throw routes and IPv6 split routes', () => {
    const edge = parseIpRouteJson('IPv4', fixture('rules-edge', 'route-4.json'))
    expect(edge.ok && edge.value.find((r) => r.table === '203')).toMatchObject({ type: 'throw', nexthops: [] })
    const v6 = parseIpRouteJson('IPv6', fixture('openvpn-def1', 'route-6.json'))
    expect(v6.ok && v6.value.map((r) => r.destination)).toEqual(['2000::/4', '3000::/4', '::/0'])
  })

  it('turns output that is not a JSON array into an error value', () => {
    expect(parseIpRouteJson('IPv4', 'Error: ipv4: FIB table does not exist.')).toMatchObject({ ok: false, error: { code: 'tool-output-unreadable' } })
    expect(parseIpRouteJson('IPv4', '{"dst":"default"}')).toMatchObject({ ok: false })
    expect(parseIpRouteJson('IPv6', '')).toEqual({ ok: true, value: [] })
  })
})

describe('parseIpRuleJson (recorded `ip -json rule show`)', () => {
  it('shows rules as ip prints them and knows which apply to the app’s own unmarked traffic', () => {
    const rules = parseIpRuleJson(fixture('wg-quick', 'rule-4.json'))
    expect(rules.ok && rules.value.map((r) => [r.text, r.appliesTo])).toEqual([
      ['0: from all lookup local', 'all'],
      ['32764: from all lookup main suppress_prefixlength 0', 'all'],
      ['32765: not from all fwmark 0xca6c lookup 51820', 'all'],
      ['32766: from all lookup main', 'all'],
      ['32767: from all lookup default', 'all'],
    ])
  })

  it('classifies every selector of the edge fixture', () => {
    const rules = parseIpRuleJson(fixture('rules-edge', 'rule-4.json'))
    const by = new Map(rules.ok ? rules.value.map((r) => [r.priority, r]) : [])
    expect(by.get(100)).toMatchObject({ appliesTo: 'none', action: 'lookup' }) // fwmark 0x80000/0xff0000: we set no mark
    expect(by.get(110)?.appliesTo).toBe('some') // uidrange
    expect(by.get(120)).toMatchObject({ appliesTo: 'some', action: 'blackhole' }) // to 198.18.200.0/24
    expect(by.get(130)?.appliesTo).toBe('none') // from one source address
    expect(by.get(140)?.appliesTo).toBe('some') // ipproto tcp dport 80
    expect(by.get(150)).toMatchObject({ action: 'nop', appliesTo: 'all' })
    expect(by.get(160)).toMatchObject({ appliesTo: 'all', text: '160: from all fwmark 0/0x1 lookup 203' })
    expect(by.get(170)?.appliesTo).toBe('all') // iif lo: locally generated
    expect(by.get(180)).toMatchObject({ action: 'goto', target: 200 })
    expect(by.get(190)).toMatchObject({ action: 'prohibit', appliesTo: 'all' })
    expect(by.get(200)?.appliesTo).toBe('some') // oif
  })
})

describe('resolveInternetRoute on recorded Linux tables', () => {
  it('laptop: the lowest metric wins (Ethernet 100 over Wi-Fi 600), for IPv4 and IPv6', () => {
    const v4 = internet('laptop', 'IPv4')
    expect(v4).toMatchObject({ status: 'routed', interfaces: ['enp0s31f6'], isSplit: false })
    expect(v4.unused.map(describeRoute)).toEqual(['0.0.0.0/0 via 198.18.1.1 dev wlp2s0 metric 600'])
    expect(internet('laptop', 'IPv6')).toMatchObject({ status: 'routed', interfaces: ['enp0s31f6'], routes: [{ nexthops: [{ gateway: 'fe80::1' }] }] })
  })

  it('openvpn-def1: the /1 halves capture both families without replacing the default route', () => {
    const v4 = internet('openvpn-def1', 'IPv4')
    expect(v4).toMatchObject({ status: 'routed', interfaces: ['tun0'], isSplit: true })
    expect(v4.routes.map((r) => r.destination)).toEqual(['0.0.0.0/1', '128.0.0.0/1'])
    expect(v4.unused.map((r) => r.nexthops[0]?.interface)).toEqual(['wlp2s0'])
    expect(internet('openvpn-def1', 'IPv6')).toMatchObject({ interfaces: ['tun0'], isSplit: true })
  })

  it('wg-quick: the fwmark rule sends unmarked traffic to table 51820 once main’s default is suppressed', () => {
    for (const family of ['IPv4', 'IPv6'] as const) {
      expect(internet('wg-quick', family)).toMatchObject({
        status: 'routed', interfaces: ['wg0'], isSplit: false, rule: '32765: not from all fwmark 0xca6c lookup 51820',
      })
    }
  })

  it('tailscale exit node: marked-traffic rules are skipped and table 52 wins before main', () => {
    const v4 = internet('tailscale-exit-node', 'IPv4')
    expect(v4).toMatchObject({ interfaces: ['tailscale0'], rule: '5270: from all lookup 52' })
    expect(v4.unused.map((r) => r.nexthops[0]?.interface)).toEqual(['wlp2s0'])
  })

  it('multipath: the ECMP route carries the traffic over both links', () => {
    expect(internet('multipath', 'IPv4')).toMatchObject({ interfaces: ['enp0s31f6', 'wlp2s0'], routes: [{ metric: 0 }] })
    expect(internet('multipath', 'IPv6')).toMatchObject({ status: 'none', interfaces: [] })
  })

  it('tun-default: a tunnel that replaced the default route wins by metric', () => {
    expect(internet('tun-default', 'IPv4')).toMatchObject({ interfaces: ['tun0'], isSplit: false })
  })

  it('no-default: nothing routes the Internet', () => {
    expect(internet('no-default', 'IPv4')).toMatchObject({ status: 'none', routes: [], unused: [] })
  })

  it('rules-edge: follows nop, throw, iif lo and goto past prohibit, and notes the rules it could not follow', () => {
    const v4 = internet('rules-edge', 'IPv4')
    // 0.0.0.0/1 is caught by table 204 (rule 170); 128.0.0.0/1 falls through it, then goto 200 skips the
    // prohibit rule and oif-only rule 200 is not followed, so main's default carries the upper half.
    expect(v4.routes.map(describeRoute)).toEqual(['0.0.0.0/1 via 198.18.1.1 dev wlp2s0 metric 0 (table 204)', '0.0.0.0/0 via 198.18.1.1 dev wlp2s0 metric 600'])
    expect(v4.isSplit).toBe(true)
    expect(v4.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^110: .*uidrange 1000-2000.*applies to some traffic only/)]))
    expect(v4.notes.some((n) => n.startsWith('200: from all oif wlp2s0'))).toBe(true)
  })
})

describe('buildLinuxSnapshot', () => {
  it('passes a failed route dump through as the error', () => {
    const failed = { ok: false as const, error: { code: 'tool-missing' as const, message: 'ip is not installed' } }
    expect(buildLinuxSnapshot('IPv4', failed, failed)).toEqual(failed)
  })

  it('falls back to the main table alone, with a note, when rules cannot be read', () => {
    const built = buildLinuxSnapshot('IPv4', ok(fixture('wg-quick', 'route-4.json')), { ok: false, error: { code: 'tool-failed', message: 'ip rule exited with 255' } })
    expect(built.ok && built.value.notes).toEqual(['policy rules not read (ip rule exited with 255); the main table alone was used'])
    expect(built.ok && resolveInternetRoute(built.value).interfaces).toEqual(['wlp2s0'])
  })
})
