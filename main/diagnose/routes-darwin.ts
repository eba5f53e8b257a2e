/**
 * macOS: the default route from `route -n get default` / `route -n get -inet6 default`, and the wide routes
 * a VPN adds ahead of it from `netstat -rn`.
 *
 * `route get` prints `label: value` lines (`gateway:`, `interface:`); with no default route it says
 * "not in table" (on stderr; the exit status is not relied on). `netstat -rn` prints one section per family
 * whose header names the columns (`Destination Gateway Flags Netif Expire`, older releases add `Refs Use`),
 * with IPv4 prefixes abbreviated (`0/1`, `128.0/1`). Routes with the `I` flag are bound to one interface
 * (IFSCOPE) and only carry traffic of sockets scoped to it, so they do not capture anything. Pure.
 */
import type { CommandOutput } from '../util/exec'
import { wideRoute, type IpFamily, type Outcome, type RouteSnapshot, type WideRoute } from './routes'

/** Arguments of `route` for one family. */
export function darwinRouteGetArgs(family: IpFamily): string[] {
  return family === 'IPv4' ? ['-n', 'get', 'default'] : ['-n', 'get', '-inet6', 'default']
}

/** Arguments of `netstat`: every route of both families, numeric. */
export const DARWIN_NETSTAT_ARGS = ['-rn']

/** Parses `route -n get`; `undefined` when there is no default route. */
export function parseRouteGet(family: IpFamily, out: CommandOutput): Outcome<WideRoute | undefined> {
  if (/not in table/i.test(`${out.stdout}\n${out.stderr}`)) return { ok: true, value: undefined }
  const fields = new Map<string, string>()
  for (const line of out.stdout.split(/\r?\n/)) {
    const match = /^\s*([a-z ]+):\s*(\S.*?)\s*$/i.exec(line)
    if (match?.[1] && match[2]) fields.set(match[1].trim().toLowerCase(), match[2])
  }
  const iface = fields.get('interface')
  if (iface === undefined) {
    const detail = out.stderr.trim().split(/\r?\n/)[0] ?? ''
    return { ok: false, error: { code: 'tool-output-unreadable', message: `route get printed no interface${detail ? `: ${detail}` : ''}` } }
  }
  const gateway = fields.get('gateway')
  const route = wideRoute(family, 'default', {
    type: (fields.get('flags') ?? '').includes('BLACKHOLE') ? 'blackhole' : (fields.get('flags') ?? '').includes('REJECT') ? 'unreachable' : 'unicast',
    nexthops: [{ interface: iface, ...(gateway !== undefined && { gateway }) }],
    metric: 0,
    table: 'main',
  })
  return { ok: true, value: route }
}

/** Expands netstat's abbreviated IPv4 network (`128.0/1` → `128.0.0.0/1`, `0/1` → `0.0.0.0/1`). */
function expandIpv4(destination: string): string {
  const [net = '', length] = destination.split('/')
  const octets = net.split('.')
  while (octets.length < 4) octets.push('0')
  return length === undefined ? octets.join('.') : `${octets.join('.')}/${length}`
}

/** Wide routes other than `default` in `netstat -rn` output, both families; interface-scoped ones left out. */
export function parseNetstatRoutes(text: string): WideRoute[] {
  const routes: WideRoute[] = []
  let family: IpFamily | undefined
  let columns: string[] = []
  for (const line of text.split(/\r?\n/)) {
    if (/^Internet:/.test(line)) family = 'IPv4'
    else if (/^Internet6:/.test(line)) family = 'IPv6'
    else if (/^Destination\s/.test(line)) columns = line.trim().split(/\s+/)
    else if (family && columns.length > 0 && line.trim() !== '') {
      const cells = line.trim().split(/\s+/)
      const at = (name: string) => cells[columns.indexOf(name)]
      const [destination = '', gateway = '', flags = '', netif] = [at('Destination'), at('Gateway'), at('Flags'), at('Netif')]
      if (destination === 'default' || !destination.includes('/') || flags.includes('I')) continue
      const dest = family === 'IPv4' ? expandIpv4(destination) : destination.split('%')[0] ?? destination
      const onLink = gateway.startsWith('link#') || gateway === netif
      const route = wideRoute(family, dest, {
        type: flags.includes('B') ? 'blackhole' : flags.includes('R') ? 'unreachable' : 'unicast',
        nexthops: [{ ...(netif !== undefined && { interface: netif }), ...(!onLink && gateway !== '' && { gateway }) }],
        metric: 0,
        table: 'main',
      })
      if (route) routes.push(route)
    }
  }
  return routes
}

/** Combines one family's `route get` with the wide routes netstat listed; without netstat, a note. */
export function buildDarwinSnapshot(family: IpFamily, routeGet: Outcome<CommandOutput>, netstat: Outcome<string>): Outcome<RouteSnapshot> {
  if (!routeGet.ok) return routeGet
  const parsed = parseRouteGet(family, routeGet.value)
  if (!parsed.ok) return parsed
  const wide = netstat.ok ? parseNetstatRoutes(netstat.value).filter((r) => r.family === family) : []
  const notes = netstat.ok ? [] : [`VPN split routes not checked (${netstat.error.message})`]
  return { ok: true, value: { family, routes: [...(parsed.value ? [parsed.value] : []), ...wide], notes } }
}
