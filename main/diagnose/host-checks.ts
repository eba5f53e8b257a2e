/**
 * Diagnose › Host: the interfaces, which one owns the default route (IPv4 and IPv6), a VPN that owns or
 * captures it, several active connections, and none at all — in plain words with what to do next.
 *
 * "Usable" means a link an accessory could share: up, carrier present, an address, and a Wi-Fi, wired,
 * cellular or unclassified link — or a bridge/virtual adapter that owns a default route (a Hyper-V external
 * switch, a Linux `br0` holding the LAN). Other bridges and virtual adapters are VM and container networks,
 * and tunnels and peer-to-peer links (AWDL, Wi-Fi Direct) never lead to the accessory's network. When only
 * virtual links are connected, "no usable interface" warns rather than fails: inside a VM, a container or the
 * lab's namespaces (whose "wlan0" is a veth) they are the network.
 * `buildHostChecks` is pure; `runHostChecks` reads the machine through the injected ports.
 */
import { type DiagnoseCheck, type Facts } from '../../shared/diagnose/view'
import type { InterfaceKind, NetInterface } from '../../shared/net/interfaces'
import type { RunCommand } from '../util/exec'
import { describeRoute, resolveInternetRoute, type InternetRoute, type IpFamily } from './routes'
import { readRoutes, type RouteRead } from './routes-read'

/** The ports the host checks read the machine through. */
export interface HostCheckDeps {
  run: RunCommand
  platform: NodeJS.Platform
  readInterfaces: () => Promise<NetInterface[]>
  /** Monotonic milliseconds for `tookMs` (default `performance.now`). */
  now?: () => number
  /** `%SystemRoot%` on Windows (default from the environment). */
  systemRoot?: string
}

/** What the checks are built from: the interface list (or why it is missing) and both families' routes. */
export interface HostFacts {
  interfaces: { ok: true; value: NetInterface[] } | { ok: false; error: { code: 'interfaces-unreadable'; message: string } }
  routes: RouteRead
  tookMs?: { interfaces: number; routes: number }
}

const KIND: Record<InterfaceKind, string> = {
  wifi: 'Wi-Fi', ethernet: 'Ethernet', loopback: 'loopback', tunnel: 'VPN/tunnel', bridge: 'bridge', virtual: 'virtual adapter',
  'peer-to-peer': 'peer-to-peer link', cellular: 'cellular', unknown: 'unknown type',
}
const LAN_KINDS = new Set<InterfaceKind>(['wifi', 'ethernet', 'cellular', 'unknown'])
const ROUTE_OWNER_KINDS = new Set<InterfaceKind>(['bridge', 'virtual'])
const VPN_ADVICE = 'Disconnect the VPN while you set up or use the accessory, or turn on the VPN app’s "allow local network access" ' +
  'option (some apps call it "LAN access" or split tunnelling), then run Diagnose again.'

type Check = Omit<DiagnoseCheck, 'group'>

const label = (i: NetInterface) => `${i.name} (${KIND[i.kind]})`
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`)
const routesText = (destinations: string[]) => `the route${destinations.length === 1 ? '' : 's'} ${list(destinations)}`
const cidr = (i: NetInterface) => i.addresses.map((a) => `${a.address}${a.scopeId ? `%${a.scopeId}` : ''}/${a.prefixLength}`)
const isActive = (i: NetInterface) => i.isUp && i.isRunning !== false && !i.isInternal && i.kind !== 'loopback' && i.addresses.length > 0

/** Interfaces that could share a network with an accessory, given which ones own a default route. */
export function usableInterfaces(interfaces: readonly NetInterface[], routeOwners: ReadonlySet<string>): NetInterface[] {
  return interfaces.filter((i) => isActive(i) && (LAN_KINDS.has(i.kind) || (ROUTE_OWNER_KINDS.has(i.kind) && routeOwners.has(i.name))))
}

function interfacesCheck(all: NetInterface[], usable: NetInterface[]): Check {
  const facts: Facts = {
    interfaces: all.map((i) => ({ name: i.name, kind: i.kind, kindReason: i.kindReason, up: i.isUp, running: i.isRunning ?? null, addresses: cidr(i) })),
    usable: usable.map((i) => i.name),
  }
  const base = { id: 'interfaces', title: 'Network interfaces', facts }
  const count = `${all.length} network interface${all.length === 1 ? '' : 's'} found`
  if (usable.length > 0) return { ...base, status: 'pass', summary: `${count}; usable for local devices: ${list(usable.map(label))}.`, advice: '' }
  return {
    ...base, status: 'warn',
    summary: `${count}, but none is a connected Wi-Fi or wired link with an address, so local devices are probably out of reach.`,
    advice: 'Connect to the network the accessory is on: turn on Wi-Fi and join it, or plug in a network cable.',
  }
}

function hopText(route: InternetRoute, kindOf: (name: string) => InterfaceKind | undefined): string {
  const names = route.interfaces.map((n) => (kindOf(n) ? `${n} (${KIND[kindOf(n) ?? 'unknown']})` : n))
  const gateways = [...new Set(route.routes.flatMap((r) => r.nexthops.flatMap((h) => (h.gateway ? [h.gateway] : []))))]
  return `${list(names)}${names.length > 1 ? ', shared between them' : ''}${gateways.length > 0 ? `, gateway ${list(gateways)}` : ''}`
}

/**
 * True when a VPN carries this family's Internet traffic: a tunnel's route does, or a split (/1-style) route
 * through an interface the OS does not classify — VPNs add those; a LAN link with a /1 route is not one.
 */
function isVpnRoute(route: InternetRoute, kindOf: (name: string) => InterfaceKind | undefined): boolean {
  return route.status === 'routed' && route.routes.some((r) => r.nexthops.some((h) => {
    const kind = h.interface === undefined ? undefined : kindOf(h.interface)
    return kind === 'tunnel' || (r.prefixLength > 0 && (kind === undefined || kind === 'unknown'))
  }))
}

function defaultRouteCheck(family: IpFamily, read: RouteRead[IpFamily], route: InternetRoute | undefined,
  kindOf: (name: string) => InterfaceKind | undefined): Check {
  const id = `default-route-${family.toLowerCase()}`
  const title = `${family} default route`
  if (!read.ok || !route) return { id, title, status: 'skip', summary: `Could not read the ${family} routes: ${read.ok ? 'no result' : read.error.message}.`, advice: '' }
  const facts: Facts = {
    status: route.status, interfaces: route.interfaces, kinds: route.interfaces.map((n) => kindOf(n) ?? null), split: route.isSplit,
    routes: route.routes.map(describeRoute), unusedDefaultRoutes: route.unused.map(describeRoute), rule: route.rule ?? null, notes: route.notes,
  }
  const base = { id, title, facts }
  if (route.status === 'none' && family === 'IPv6') {
    return { ...base, status: 'skip', summary: 'There is no IPv6 default route. That is normal on networks without IPv6 Internet access; accessories are still reached over IPv4 and IPv6 link-local addresses.', advice: '' }
  }
  if (route.status === 'none') {
    return {
      ...base, status: 'warn', summary: 'There is no IPv4 default route: this computer is not connected through a router, so it has no IPv4 Internet access. Devices on the same network can still be reached.',
      advice: 'If you expected to be online, check the Wi-Fi or cable connection and that the router gave this computer an address.',
    }
  }
  if (route.status === 'blocked') {
    return { ...base, status: 'warn', summary: `${family} traffic to the Internet is dropped by ${route.blockedBy ?? 'a routing rule'}.`, advice: `A VPN's kill switch or a network policy usually does this. ${VPN_ADVICE}` }
  }
  const splits = route.routes.filter((r) => r.prefixLength > 0).map((r) => r.destination)
  const bypassed = list(route.unused.flatMap((r) => r.nexthops.map((h) => h.interface ?? '?')))
  const how = route.isSplit ? `: ${routesText(splits)} take${splits.length === 1 ? 's' : ''} precedence over the default route${bypassed ? ` via ${bypassed}` : ''}` : ''
  const rule = route.rule ? `, chosen by the policy rule "${route.rule}"` : ''
  const summary = `${family} traffic to other networks and the Internet leaves through ${hopText(route, kindOf)}${rule}${how}.`
  if (isVpnRoute(route, kindOf)) {
    return { ...base, status: 'warn', summary: `${summary} Because that is a VPN or tunnel, local discovery and connections to accessories may fail or go through the VPN.`, advice: VPN_ADVICE }
  }
  return { ...base, status: 'pass', summary, advice: '' }
}

function vpnCheck(interfaces: NetInterface[] | undefined, routes: (InternetRoute | undefined)[], kindOf: (name: string) => InterfaceKind | undefined): Check {
  const tunnels = (interfaces ?? []).filter((i) => i.kind === 'tunnel' && i.isUp)
  const owned = routes.flatMap((r) => (r && isVpnRoute(r, kindOf) ? [r] : []))
  const facts: Facts = {
    tunnels: tunnels.map((i) => i.name),
    owners: owned.map((r) => ({ family: r.family, interfaces: r.interfaces, how: r.isSplit ? 'split-routes' : 'default-route', rule: r.rule ?? null })),
  }
  const base = { id: 'vpn', title: 'VPN or tunnel', facts }
  if (owned.length > 0) {
    const groups = new Map<string, InternetRoute[]>()
    for (const r of owned) {
      const key = `${r.interfaces.join(',')}|${String(r.isSplit)}`
      groups.set(key, [...(groups.get(key) ?? []), r])
    }
    const parts = [...groups.values()].map((rs) => {
      const [first] = rs as [InternetRoute]
      const families = `${rs.map((r) => r.family).join(' and ')} default ${first.isSplit ? 'traffic' : `route${rs.length > 1 ? 's' : ''}`}`
      if (!first.isSplit) return `${list(first.interfaces)} owns the ${families}`
      const splits = rs.flatMap((r) => r.routes.filter((x) => x.prefixLength > 0).map((x) => x.destination))
      return `${list(first.interfaces)} captures the ${families} through ${routesText(splits)} without replacing the default route${rs.length > 1 ? 's' : ''}`
    })
    return { ...base, status: 'warn', summary: `A VPN or tunnel is active: ${list(parts)}. Local discovery and connections to accessories may fail or go through the VPN.`, advice: VPN_ADVICE }
  }
  if (tunnels.length > 0) {
    return {
      ...base, status: 'warn',
      summary: `A VPN or tunnel interface is up (${list(tunnels.map((i) => i.name))}) but does not carry the default route. Local discovery usually still works, but some VPN apps block local traffic while connected.`,
      advice: 'If accessories are not found, disconnect the VPN or turn on its "allow local network access" option, then try again.',
    }
  }
  if (!interfaces && routes.every((r) => !r)) return { ...base, status: 'skip', summary: 'Neither the interfaces nor the routes could be read, so a VPN cannot be ruled out.', advice: '' }
  return { ...base, status: 'pass', summary: 'No VPN or tunnel is active.', advice: '' }
}

/** `198.18.0.0/24` for an interface's first IPv4 address. */
function subnetOf(i: NetInterface): string | undefined {
  const a = i.addresses.find((x) => x.family === 'IPv4')
  if (!a) return undefined
  const mask = a.netmask.split('.').map(Number)
  return `${a.address.split('.').map((o, k) => Number(o) & (mask[k] ?? 0)).join('.')}/${a.prefixLength}`
}

function severalCheck(usable: NetInterface[], routes: (InternetRoute | undefined)[]): Check {
  const owners = new Set(routes.flatMap((r) => (r?.status === 'routed' ? r.interfaces : [])))
  const facts: Facts = { active: usable.map((i) => ({ name: i.name, kind: i.kind, addresses: cidr(i) })), defaultRouteInterfaces: [...owners] }
  const base = { id: 'several-active-interfaces', title: 'Several active connections', facts }
  if (usable.length === 0) return { ...base, status: 'skip', summary: 'No network connection is active, so there is nothing to compare (see "Usable network connection").', advice: '' }
  if (usable.length === 1) return { ...base, status: 'pass', summary: `Only one network connection is active: ${label(usable[0] as NetInterface)}.`, advice: '' }
  const subnets = new Set(usable.map(subnetOf))
  const where = subnets.size === 1 && !subnets.has(undefined) ? ` on the same network (${[...subnets][0] ?? ''})` : ', on different networks'
  const main = usable.filter((i) => owners.has(i.name)).map((i) => i.name)
  const route = main.length > 0 ? `${list(main)} carries the default route (traffic to the Internet).` : 'None of them carries the default route.'
  return {
    ...base, status: 'warn',
    summary: `${usable.length} network connections are active${where}: ${list(usable.map((i) => `${label(i)} ${cidr(i).filter((c) => !c.startsWith('fe80')).join(' ') || 'link-local only'}`))}. ${route}`,
    advice: 'The accessory must be on the same network as one of them. If you are not sure which, turn off the connection you do not need ' +
      '(unplug the cable or turn off Wi-Fi) and run Diagnose again.',
  }
}

function usableCheck(all: NetInterface[], usable: NetInterface[]): Check {
  const base = { id: 'no-usable-interface', title: 'Usable network connection', facts: { usable: usable.map((i) => i.name) } }
  if (usable.length > 0) return { ...base, status: 'pass', summary: `${list(usable.map(label))} ${usable.length === 1 ? 'is' : 'are'} connected with an address.`, advice: '' }
  const virtual = all.filter((i) => isActive(i) && ROUTE_OWNER_KINDS.has(i.kind))
  if (virtual.length > 0) {
    // Inside a VM, a container or a test namespace a virtual link is the real network; elsewhere it is not.
    return {
      ...base, status: 'warn',
      summary: `Only virtual or bridge adapters are connected: ${list(virtual.map(label))}. That is the network only when this computer is itself a virtual machine or container.`,
      advice: 'If this is an ordinary computer, turn on Wi-Fi and join the network the accessory is on, or plug in a network cable, then run Diagnose again.',
    }
  }
  const tunnels = all.filter((i) => isActive(i) && i.kind === 'tunnel').map((i) => i.name)
  return {
    ...base, status: 'fail',
    summary: `No network connection is usable: no Wi-Fi or wired interface is up with an address.${tunnels.length > 0 ? ` Only the VPN/tunnel ${list(tunnels)} has one, and accessories are not reached through it.` : ''}`,
    advice: 'Turn on Wi-Fi and join the network the accessory is on, or plug in a network cable, then run Diagnose again.',
    steps: ['Turn on Wi-Fi, or plug in the network cable.', 'Join the same network as the accessory.', 'Wait until the computer shows it is connected, then run Diagnose again.'],
  }
}

/** Builds the six host checks (ids `interfaces`, `default-route-ipv4`, `default-route-ipv6`, `vpn`, `several-active-interfaces`, `no-usable-interface`). */
export function buildHostChecks(facts: HostFacts): DiagnoseCheck[] {
  const interfaces = facts.interfaces.ok ? facts.interfaces.value : undefined
  const kinds = new Map((interfaces ?? []).map((i) => [i.name, i.kind]))
  const kindOf = (name: string) => kinds.get(name)
  const resolved = { IPv4: resolve(facts.routes.IPv4), IPv6: resolve(facts.routes.IPv6) }
  const owners = new Set([resolved.IPv4, resolved.IPv6].flatMap((r) => (r?.status === 'routed' ? r.interfaces : [])))
  const usable = usableInterfaces(interfaces ?? [], owners)
  const t = facts.tookMs
  const took = (ms: number | undefined) => (ms === undefined ? {} : { tookMs: Math.max(0, Math.round(ms)) })
  const unreadable = (id: string, title: string): Check => ({
    id, title, status: 'skip', advice: '', summary: `Could not list the network interfaces: ${facts.interfaces.ok ? '' : facts.interfaces.error.message}.`,
  })
  const both = t && Math.max(t.interfaces, t.routes)
  const checks: [Check, number | undefined][] = [
    [interfaces ? interfacesCheck(interfaces, usable) : unreadable('interfaces', 'Network interfaces'), t?.interfaces],
    [defaultRouteCheck('IPv4', facts.routes.IPv4, resolved.IPv4, kindOf), t?.routes],
    [defaultRouteCheck('IPv6', facts.routes.IPv6, resolved.IPv6, kindOf), t?.routes],
    [vpnCheck(interfaces, [resolved.IPv4, resolved.IPv6], kindOf), both],
    [interfaces ? severalCheck(usable, [resolved.IPv4, resolved.IPv6]) : unreadable('several-active-interfaces', 'Several active connections'), both],
    [interfaces ? usableCheck(interfaces, usable) : unreadable('no-usable-interface', 'Usable network connection'), t?.interfaces],
  ]
  return checks.map(([check, ms]) => ({ group: 'host', ...check, ...took(ms) }))
}

function resolve(read: RouteRead[IpFamily]): InternetRoute | undefined {
  return read.ok ? resolveInternetRoute(read.value) : undefined
}

/** Reads interfaces and routes through the injected ports and returns the host checks; never rejects for the machine's state. */
export async function runHostChecks(deps: HostCheckDeps): Promise<DiagnoseCheck[]> {
  const now = deps.now ?? (() => performance.now())
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const start = now()
    const value = await work()
    return [value, now() - start]
  }
  const [[interfaces, interfacesMs], [routes, routesMs]] = await Promise.all([
    timed(async (): Promise<HostFacts['interfaces']> => {
      try {
        return { ok: true, value: await deps.readInterfaces() }
      } catch (error) {
        return { ok: false, error: { code: 'interfaces-unreadable', message: error instanceof Error ? error.message : String(error) } }
      }
    }),
    timed(() => readRoutes({ run: deps.run, platform: deps.platform, systemRoot: deps.systemRoot })),
  ])
  return buildHostChecks({ interfaces, routes, tookMs: { interfaces: interfacesMs, routes: routesMs } })
}
