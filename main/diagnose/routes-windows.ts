/**
 * Windows: default and VPN split routes from `Get-NetRoute … | Select-Object … | ConvertTo-Json`.
 *
 * Windows picks among routes of the same prefix by route metric + interface metric (the NetTCPIP docs:
 * "the RouteMetric property is added to the InterfaceMetric property … This total value is used to decide").
 * `-PolicyStore ActiveStore` leaves out persistent routes that are not in effect. A NextHop of 0.0.0.0 or ::
 * means on-link (VPN adapters often route that way). Windows PowerShell 5.1 prints one object rather than an
 * array for a single route, and may start with a UTF-8 BOM. Pure: routes-read.ts runs PowerShell.
 */
import { z } from 'zod'
import { wideRoute, type IpFamily, type Outcome, type RouteSnapshot, type WideRoute } from './routes'

/** The prefixes asked for: the defaults, the /1 halves (OpenVPN def1, wg-quick on macOS style) and 2000::/4 + 3000::/4. */
const PREFIXES = ['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '::/0', '::/1', '8000::/1', '2000::/3', '2000::/4', '3000::/4']

/** The PowerShell script; `-InputObject @(…)` keeps an array for one route, `[]` for none. */
export const GET_NET_ROUTE_SCRIPT =
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ' +
  `ConvertTo-Json -InputObject @(Get-NetRoute -PolicyStore ActiveStore -DestinationPrefix ${PREFIXES.map((p) => `'${p}'`).join(',')} ` +
  '-ErrorAction SilentlyContinue | Select-Object DestinationPrefix,InterfaceAlias,InterfaceIndex,NextHop,RouteMetric,InterfaceMetric)'

const NetRoute = z.object({
  DestinationPrefix: z.string(),
  InterfaceAlias: z.string().nullish(),
  InterfaceIndex: z.number().int().nullish(),
  NextHop: z.string().nullish(),
  RouteMetric: z.number().nullish(),
  InterfaceMetric: z.number().nullish(),
})

const ON_LINK = new Set(['0.0.0.0', '::'])

function unreadable(message: string): Outcome<never> {
  return { ok: false, error: { code: 'tool-output-unreadable', message } }
}

/** Parses the JSON into wide routes of both families; entries of other shapes are skipped. */
export function parseNetRouteJson(text: string): Outcome<{ routes: WideRoute[]; notes: Record<IpFamily, string[]> }> {
  const body = text.replace(/^\uFEFF/, '').trim()
  if (body === '') return { ok: true, value: { routes: [], notes: { IPv4: [], IPv6: [] } } }
  let raw: unknown
  try {
    raw = JSON.parse(body)
  } catch {
    return unreadable('Get-NetRoute did not print JSON')
  }
  if (raw === null || typeof raw !== 'object') return unreadable('Get-NetRoute printed neither an object nor an array')
  const routes: WideRoute[] = []
  const notes: Record<IpFamily, string[]> = { IPv4: [], IPv6: [] }
  for (const entry of Array.isArray(raw) ? raw : [raw]) {
    const parsed = NetRoute.safeParse(entry)
    if (!parsed.success) continue
    const r = parsed.data
    const family: IpFamily = r.DestinationPrefix.includes(':') ? 'IPv6' : 'IPv4'
    const alias = r.InterfaceAlias ?? (typeof r.InterfaceIndex === 'number' ? `interface ${r.InterfaceIndex}` : undefined)
    if (typeof r.InterfaceMetric !== 'number') notes[family].push(`no interface metric for the route to ${r.DestinationPrefix} on ${alias ?? '?'}; its route metric alone was used`)
    const route = wideRoute(family, r.DestinationPrefix, {
      type: 'unicast',
      nexthops: [{ ...(alias !== undefined && { interface: alias }), ...(r.NextHop && !ON_LINK.has(r.NextHop) && { gateway: r.NextHop }) }],
      metric: (r.RouteMetric ?? 0) + (r.InterfaceMetric ?? 0),
      table: 'main',
    })
    if (route) routes.push(route)
  }
  return { ok: true, value: { routes, notes } }
}

/** Splits the parsed routes into one snapshot per family (both fail alike when PowerShell did). */
export function buildWindowsSnapshots(out: Outcome<string>): Record<IpFamily, Outcome<RouteSnapshot>> {
  const parsed = out.ok ? parseNetRouteJson(out.value) : out
  if (!parsed.ok) return { IPv4: parsed, IPv6: parsed }
  const snapshot = (family: IpFamily): Outcome<RouteSnapshot> => ({
    ok: true,
    value: { family, routes: parsed.value.routes.filter((r) => r.family === family), notes: parsed.value.notes[family] },
  })
  return { IPv4: snapshot('IPv4'), IPv6: snapshot('IPv6') }
}
