/**
 * Linux: wide routes from `ip -json -4|-6 route show table all` and policy rules from `ip -json -4|-6 rule show`.
 *
 * `table all` rather than `ip -j route show default` (the main table only): wg-quick puts its default route in
 * table 51820 behind a `not fwmark` rule, Tailscale's exit node uses table 52, and OpenVPN's def1 halves are not
 * `default`. One dump per family because `default` alone does not say which family it is. Multipath routes list
 * `nexthops`; a missing `metric` is 0 (IPv4 routes added without one). Pure: routes-read.ts runs `ip`.
 */
import { z } from 'zod'
import { wideRoute, type IpFamily, type Outcome, type RouteSnapshot, type RouteType, type RoutingRule, type WideRoute } from './routes'

const Hop = z.object({ gateway: z.string().optional(), dev: z.string().optional(), weight: z.number().optional() })
const IpRoute = z.object({
  dst: z.string(),
  type: z.string().optional(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  metric: z.number().optional(),
  table: z.string().optional(),
  nexthops: z.array(Hop).optional(),
})
const IpRule = z.record(z.string(), z.unknown()).and(z.object({ priority: z.number() }))

const ROUTE_TYPES = new Set<string>(['unicast', 'blackhole', 'unreachable', 'prohibit', 'throw'])

/** Arguments of the route dump for one family. */
export function linuxRouteArgs(family: IpFamily): string[] {
  return ['-json', family === 'IPv4' ? '-4' : '-6', 'route', 'show', 'table', 'all']
}

/** Arguments of the policy-rule dump for one family. */
export function linuxRuleArgs(family: IpFamily): string[] {
  return ['-json', family === 'IPv4' ? '-4' : '-6', 'rule', 'show']
}

function parseArray(text: string, what: string): Outcome<unknown[]> {
  let raw: unknown
  try {
    raw = JSON.parse(text.trim() === '' ? '[]' : text)
  } catch {
    return { ok: false, error: { code: 'tool-output-unreadable', message: `${what} did not print JSON` } }
  }
  if (!Array.isArray(raw)) return { ok: false, error: { code: 'tool-output-unreadable', message: `${what} did not print an array` } }
  return { ok: true, value: raw }
}

function hopOf(h: z.infer<typeof Hop>) {
  return { ...(h.dev !== undefined && { interface: h.dev }), ...(h.gateway !== undefined && { gateway: h.gateway }), ...(h.weight !== undefined && { weight: h.weight }) }
}

/** Parses a route dump into the wide routes of every table but `local`; entries of other shapes are skipped. */
export function parseIpRouteJson(family: IpFamily, text: string): Outcome<WideRoute[]> {
  const raw = parseArray(text, 'ip route')
  if (!raw.ok) return raw
  const routes: WideRoute[] = []
  for (const entry of raw.value) {
    const parsed = IpRoute.safeParse(entry)
    if (!parsed.success) continue
    const r = parsed.data
    const type = r.type ?? 'unicast'
    if (!ROUTE_TYPES.has(type) || r.table === 'local') continue
    const nexthops = r.nexthops ? r.nexthops.map(hopOf) : type === 'unicast' ? [hopOf(r)] : []
    const route = wideRoute(family, r.dst, { type: type as RouteType, nexthops, metric: r.metric ?? 0, table: r.table ?? 'main' })
    if (route) routes.push(route)
  }
  return { ok: true, value: routes }
}

// Keys that do not narrow which packets a rule matches; every other selector (to, oif, uidrange, ipproto,
// ports, tos, l3mdev …) applies to only part of the traffic.
const NEUTRAL = new Set(['priority', 'table', 'action', 'goto', 'nop', 'not', 'suppress_prefixlen', 'protocol', 'flags', 'src', 'fwmark', 'fwmask', 'iif'])

/** Whether an app's ordinary packets (no fwmark, unbound source, sent from this host: `iif lo`) match. */
function appliesTo(rule: Record<string, unknown>): RoutingRule['appliesTo'] {
  const mark = rule.fwmark === undefined
    || ((Number(rule.fwmark) & Number(rule.fwmask ?? 0xffffffff)) >>> 0) === 0 // (mark ^ fwmark) & mask == 0 with mark 0
  const decided = (rule.src === undefined || rule.src === 'all') && (rule.iif === undefined || rule.iif === 'lo') && mark
  const narrowed = Object.keys(rule).some((k) => !NEUTRAL.has(k))
  // `not` inverts the whole selector (fib_rule_match): a selector that never matches makes the rule match all.
  if (!('not' in rule)) return !decided ? 'none' : narrowed ? 'some' : 'all'
  return !decided ? 'all' : narrowed ? 'some' : 'none'
}

const SHOW: Record<string, (v: unknown, r: Record<string, unknown>) => string> = {
  src: (v, r) => `from ${String(v)}${r.srclen !== undefined ? `/${String(r.srclen)}` : ''}`,
  dst: (v, r) => `to ${String(v)}${r.dstlen !== undefined ? `/${String(r.dstlen)}` : ''}`,
  fwmark: (v, r) => `fwmark ${String(v)}${r.fwmask !== undefined ? `/${String(r.fwmask)}` : ''}`,
  uid_start: (v, r) => `uidrange ${String(v)}-${String(r.uid_end)}`,
  table: (v) => `lookup ${String(v)}`,
  suppress_prefixlen: (v) => `suppress_prefixlength ${String(v)}`,
  action: (v) => String(v),
  nop: () => 'nop',
}
const HIDDEN = new Set(['priority', 'not', 'srclen', 'dstlen', 'fwmask', 'uid_end', 'flags', 'protocol'])

/** `32765: not from all fwmark 0xca6c lookup 51820`, as `ip rule` prints it. */
function ruleText(rule: Record<string, unknown>): string {
  const parts = Object.entries(rule).filter(([k]) => !HIDDEN.has(k)).map(([k, v]) => SHOW[k]?.(v, rule) ?? `${k} ${String(v)}`)
  return `${rule.priority as number}: ${'not' in rule ? 'not ' : ''}${parts.join(' ')}`
}

function actionOf(rule: Record<string, unknown>): RoutingRule['action'] {
  if (rule.action === 'blackhole' || rule.action === 'unreachable' || rule.action === 'prohibit') return rule.action
  if (typeof rule.goto === 'number') return 'goto'
  if ('nop' in rule) return 'nop'
  return typeof rule.table === 'string' && rule.action === undefined ? 'lookup' : 'other'
}

/** Parses a rule dump; entries without a priority are skipped. */
export function parseIpRuleJson(text: string): Outcome<RoutingRule[]> {
  const raw = parseArray(text, 'ip rule')
  if (!raw.ok) return raw
  const rules: RoutingRule[] = []
  for (const entry of raw.value) {
    const parsed = IpRule.safeParse(entry)
    if (!parsed.success) continue
    const r = parsed.data
    rules.push({
      priority: r.priority,
      action: actionOf(r),
      ...(typeof r.table === 'string' && { table: r.table }),
      ...(typeof r.goto === 'number' && { target: r.goto }),
      ...(typeof r.suppress_prefixlen === 'number' && { suppressPrefixLength: r.suppress_prefixlen }),
      appliesTo: appliesTo(r),
      text: ruleText(r),
    })
  }
  return { ok: true, value: rules }
}

/** Combines one family's dumps; without readable rules the main table alone is used, with a note. */
export function buildLinuxSnapshot(family: IpFamily, routeOut: Outcome<string>, ruleOut: Outcome<string>): Outcome<RouteSnapshot> {
  if (!routeOut.ok) return routeOut
  const routes = parseIpRouteJson(family, routeOut.value)
  if (!routes.ok) return routes
  const rules = ruleOut.ok ? parseIpRuleJson(ruleOut.value) : ruleOut
  if (!rules.ok) return { ok: true, value: { family, routes: routes.value, notes: [`policy rules not read (${rules.error.message}); the main table alone was used`] } }
  return { ok: true, value: { family, routes: routes.value, rules: rules.value, notes: [] } }
}
