/**
 * Where this computer sends traffic for the Internet, from the routes every OS reports in its own way.
 *
 * Only "wide" routes matter: the default route (/0) and the more specific halves VPNs add so they win by
 * longest-prefix match without replacing it — OpenVPN's `def1` (0.0.0.0/1 + 128.0.0.0/1, and 2000::/4 +
 * 3000::/4 for IPv6), wg-quick on macOS (::/1 + 8000::/1). Rather than matching those patterns by name, two
 * probe prefixes per family stand for the Internet (the two IPv4 halves; 2000::/4 and 3000::/4, the global
 * unicast space 2000::/3 of RFC 4291 §2.4) and each is looked up as the kernel would: policy rules in
 * priority order where the OS has them (Linux), longest prefix first, then the lowest metric. Pure.
 */
import { expandIpv6 } from '../net/address'
import type { ToolError } from '../net/classify'

/** An IP family as the interface model names it. */
export type IpFamily = 'IPv4' | 'IPv6'

/** Why routes could not be read: a tool error, or an OS without a reader. */
export type RouteError = ToolError | { code: 'unsupported-platform'; message: string }

/** A value or the reason there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: RouteError }

/** Route types that decide where a lookup ends (`throw` sends it on to the next policy rule). */
export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw'

/** One way out of a route: the interface and, unless on-link, the gateway. */
export interface Nexthop {
  interface?: string
  gateway?: string
  weight?: number
}

/** A default route or one of the wide routes a VPN adds ahead of it. */
export interface WideRoute {
  family: IpFamily
  /** `0.0.0.0/0`, `128.0.0.0/1`, `2000::/4` … */
  destination: string
  prefixLength: number
  type: RouteType
  nexthops: Nexthop[]
  /** Lower wins among routes of the same prefix (Windows: route metric + interface metric). */
  metric: number
  /** Routing table (`main` where the OS has only one). */
  table: string
}

/** A Linux policy rule, reduced to what decides the path of this computer's own unmarked traffic. */
export interface RoutingRule {
  priority: number
  action: 'lookup' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit' | 'other'
  table?: string
  /** `goto` target priority. */
  target?: number
  /** Results with a prefix this short or shorter are ignored (wg-quick's `suppress_prefixlength 0`). */
  suppressPrefixLength?: number
  /** Whether ordinary traffic of an app (no fwmark, any source, sent from this host) matches the selector. */
  appliesTo: 'all' | 'some' | 'none'
  /** How `ip rule` shows it, for the facts. */
  text: string
}

/** Everything read for one family; `rules` absent means one table (`main`) and no policy. */
export interface RouteSnapshot {
  family: IpFamily
  routes: WideRoute[]
  rules?: RoutingRule[]
  /** What could not be read or evaluated (e.g. "policy rules not read: …"). */
  notes: string[]
}

/** Where Internet traffic of one family goes. */
export interface InternetRoute {
  family: IpFamily
  /** `none`: no route for the Internet at all; `blocked`: a rule or route drops it. */
  status: 'routed' | 'none' | 'blocked'
  /** The routes that carry it, one per probe, de-duplicated (one route when the default route does). */
  routes: WideRoute[]
  /** Interfaces of those routes, in order, without repeats. */
  interfaces: string[]
  /** A route more specific than /0 carries it: the default route is kept but bypassed (split-tunnel VPN). */
  isSplit: boolean
  /** The policy rule that chose a table other than `main`, when one did. */
  rule?: string
  /** What dropped the traffic, when `blocked`. */
  blockedBy?: string
  /** Default routes present that do not carry Internet traffic (higher metric, bypassed by a VPN). */
  unused: WideRoute[]
  notes: string[]
}

const PROBES: Record<IpFamily, readonly string[]> = {
  IPv4: ['0.0.0.0/1', '128.0.0.0/1'],
  IPv6: ['2000::/4', '3000::/4'],
}

/** The first `length` bits of an address as a string of 0/1, or undefined when it does not parse. */
function leadingBits(family: IpFamily, address: string, length: number): string | undefined {
  if (family === 'IPv4') {
    const octets = address.split('.').map(Number)
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined
    return octets.map((o) => o.toString(2).padStart(8, '0')).join('').slice(0, length)
  }
  if (!address.includes(':')) return undefined
  return expandIpv6(address).map((g) => g.toString(2).padStart(16, '0')).join('').slice(0, length)
}

/** Splits `a.b.c.d/n` (or `default`) into address and length; undefined when it is not a prefix of `family`. */
export function parsePrefix(family: IpFamily, text: string): { address: string; length: number } | undefined {
  if (text === 'default') return { address: family === 'IPv4' ? '0.0.0.0' : '::', length: 0 }
  const [address = '', lengthText] = text.split('/')
  const max = family === 'IPv4' ? 32 : 128
  const length = lengthText === undefined ? max : Number(lengthText)
  if (!Number.isInteger(length) || length < 0 || length > max) return undefined
  return leadingBits(family, address, length) === undefined ? undefined : { address, length }
}

function covers(family: IpFamily, route: { address: string; length: number }, probe: string): boolean {
  const p = parsePrefix(family, probe)
  if (!p || route.length > p.length) return false
  return leadingBits(family, route.address, route.length) === leadingBits(family, p.address, route.length)
}

/** True when a route to `destination` can carry Internet traffic (it covers one of the probe prefixes). */
export function isWideDestination(family: IpFamily, destination: string): boolean {
  const prefix = parsePrefix(family, destination)
  return prefix !== undefined && PROBES[family].some((probe) => covers(family, prefix, probe))
}

/** Builds a wide route, or undefined when `destination` is narrower than the Internet probes. */
export function wideRoute(family: IpFamily, destination: string, fields: Omit<WideRoute, 'family' | 'destination' | 'prefixLength'>): WideRoute | undefined {
  const prefix = parsePrefix(family, destination)
  if (!prefix || !isWideDestination(family, destination)) return undefined
  return { family, destination: `${prefix.address}/${prefix.length}`, prefixLength: prefix.length, ...fields }
}

type Decision = { kind: 'route'; route: WideRoute; rule?: RoutingRule } | { kind: 'blocked'; by: string } | { kind: 'none' }

const MAIN_ONLY: RoutingRule[] = [{ priority: 0, action: 'lookup', table: 'main', appliesTo: 'all', text: 'main table' }]

/** Longest prefix first, then the lowest metric: the route a table gives for `probe`. */
function lookup(snapshot: RouteSnapshot, table: string, probe: string): WideRoute | undefined {
  const fits = snapshot.routes.filter((r) => r.table === table && covers(r.family, { address: r.destination.split('/')[0] ?? '', length: r.prefixLength }, probe))
  return fits.sort((a, b) => b.prefixLength - a.prefixLength || a.metric - b.metric)[0]
}

/** Follows the policy rules (or the single table) for one probe prefix. */
function decide(snapshot: RouteSnapshot, probe: string): Decision {
  const rules = [...(snapshot.rules ?? MAIN_ONLY)].sort((a, b) => a.priority - b.priority)
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]
    if (!rule || rule.appliesTo !== 'all') continue
    if (rule.action === 'blackhole' || rule.action === 'unreachable' || rule.action === 'prohibit') {
      return { kind: 'blocked', by: `${rule.text} (${rule.action})` }
    }
    if (rule.action === 'goto') {
      // The kernel only jumps forward, to the first rule at or after the target priority.
      const next = rules.findIndex((r, j) => j > i && r.priority >= (rule.target ?? Infinity))
      if (next < 0) break
      i = next - 1
      continue
    }
    if (rule.action !== 'lookup' || rule.table === undefined) continue
    const route = lookup(snapshot, rule.table, probe)
    if (!route || route.type === 'throw') continue
    if (rule.suppressPrefixLength !== undefined && route.prefixLength <= rule.suppressPrefixLength) continue
    if (route.type !== 'unicast') return { kind: 'blocked', by: `a ${route.type} route to ${route.destination} in table ${route.table}` }
    return { kind: 'route', route, ...(snapshot.rules && { rule }) }
  }
  return { kind: 'none' }
}

/** Works out which routes carry this family's Internet traffic. */
export function resolveInternetRoute(snapshot: RouteSnapshot): InternetRoute {
  const decisions = PROBES[snapshot.family].map((probe) => decide(snapshot, probe))
  const notes = [...snapshot.notes]
  const blocked = decisions.find((d): d is Extract<Decision, { kind: 'blocked' }> => d.kind === 'blocked')
  const routed = decisions.filter((d): d is Extract<Decision, { kind: 'route' }> => d.kind === 'route')
  const routes = [...new Set(routed.map((d) => d.route))]
  const defaults = snapshot.routes.filter((r) => r.prefixLength === 0 && r.type === 'unicast')
  const policy = routed.find((d) => d.rule && d.route.table !== 'main')?.rule
  if (routed.length > 0 && routed.length < decisions.length) notes.push('only part of the address space has a route')
  for (const rule of snapshot.rules ?? []) {
    if (rule.appliesTo === 'some') notes.push(`${rule.text} applies to some traffic only (not followed)`)
    if (rule.action === 'other' && rule.appliesTo !== 'none') notes.push(`${rule.text} has an action this check does not follow`)
  }
  return {
    family: snapshot.family,
    status: routed.length > 0 ? 'routed' : blocked ? 'blocked' : 'none',
    routes,
    interfaces: [...new Set(routes.flatMap((r) => r.nexthops.flatMap((n) => (n.interface ? [n.interface] : []))))],
    isSplit: routes.some((r) => r.prefixLength > 0),
    ...(policy && { rule: policy.text }),
    ...(blocked && routed.length === 0 && { blockedBy: blocked.by }),
    unused: defaults.filter((r) => !routes.includes(r)),
    notes,
  }
}

/** One line for the facts: `0.0.0.0/0 via 198.18.1.1 dev wlan0 metric 600 (table main)`. */
export function describeRoute(route: WideRoute): string {
  const hops = route.nexthops.map((n) => [n.gateway && `via ${n.gateway}`, n.interface && `dev ${n.interface}`, n.weight !== undefined && `weight ${n.weight}`]
    .filter(Boolean).join(' '))
  const type = route.type === 'unicast' ? '' : `${route.type} `
  return `${type}${route.destination} ${hops.join(', ')} metric ${route.metric}${route.table === 'main' ? '' : ` (table ${route.table})`}`.replace(/\s+/g, ' ')
}
