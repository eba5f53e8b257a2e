/**
 * Linux: interfaces from `ip -details -json address show` plus a few sysfs facts.
 *
 * `os.networkInterfaces()` lists only interfaces that have an address and carries no flags, so an
 * interface that is down, or up without DHCP yet, would be invisible — exactly the cases support asks
 * about. rtnetlink (through iproute2's JSON) reports every link with its flags and driver kind.
 */
import { z } from 'zod'
import type { InterfaceAddress, NetInterface } from '../../shared/net/interfaces'
import { netmaskFromPrefix } from './address'
import { classifyLink, type LinkFacts } from './classify'

const IpAddrInfo = z.object({
  family: z.string(),
  local: z.string().optional(),
  prefixlen: z.number(),
  scope: z.union([z.string(), z.number()]).optional(),
})

const IpLink = z.object({
  ifindex: z.number(),
  ifname: z.string(),
  flags: z.array(z.string()).default([]),
  mtu: z.number().optional(),
  operstate: z.string().optional(),
  link_type: z.string().optional(),
  address: z.string().optional(),
  linkinfo: z.object({ info_kind: z.string().optional() }).optional(),
  addr_info: z.array(IpAddrInfo).default([]),
})

/** sysfs facts for one link (from /sys/class/net/<name>). */
export interface SysfsFacts {
  devType?: string
  isWireless: boolean
  hasDevice: boolean
}

/** Reads sysfs facts for a link name; injected so parsing is tested without a real /sys. */
export type ReadSysfs = (name: string) => Promise<SysfsFacts>

const SCOPES = { host: 'host', link: 'link', site: 'site', global: 'global', universe: 'global' } as const

/** Parses `ip -details -json address show` output into interfaces; entries that do not parse are skipped. */
export function parseIpAddrJson(json: string, sysfs: ReadonlyMap<string, SysfsFacts>): NetInterface[] {
  const raw: unknown = JSON.parse(json)
  if (!Array.isArray(raw)) throw new Error('ip -json did not print an array')
  const out: NetInterface[] = []
  for (const entry of raw) {
    const parsed = IpLink.safeParse(entry)
    if (!parsed.success) continue
    out.push(toInterface(parsed.data, sysfs.get(parsed.data.ifname)))
  }
  return out
}

function toInterface(link: z.infer<typeof IpLink>, sys: SysfsFacts | undefined): NetInterface {
  const facts: LinkFacts = {
    isLoopback: link.flags.includes('LOOPBACK'),
    isPointToPoint: link.flags.includes('POINTOPOINT'),
    ...(link.link_type !== undefined && { linkType: link.link_type }),
    ...(link.linkinfo?.info_kind !== undefined && { infoKind: link.linkinfo.info_kind }),
    ...(sys?.devType !== undefined && { devType: sys.devType }),
    ...(sys !== undefined && { isWireless: sys.isWireless, hasDevice: sys.hasDevice }),
  }
  const { kind, reason } = classifyLink(facts)
  const isUp = link.flags.includes('UP')
  return {
    name: link.ifname,
    kind,
    kindReason: reason,
    ...(link.address !== undefined && link.link_type === 'ether' && { mac: link.address }),
    ...(link.mtu !== undefined && { mtu: link.mtu }),
    isUp,
    isRunning: isUp && (link.flags.includes('LOWER_UP') || link.operstate === 'UP'),
    isInternal: facts.isLoopback === true,
    canMulticast: link.flags.includes('MULTICAST') || facts.isLoopback === true,
    addresses: link.addr_info.flatMap((a) => toAddress(a, link.ifindex)),
  }
}

function toAddress(info: z.infer<typeof IpAddrInfo>, ifindex: number): InterfaceAddress[] {
  if (info.local === undefined || (info.family !== 'inet' && info.family !== 'inet6')) return []
  const family = info.family === 'inet' ? 'IPv4' : 'IPv6'
  const scope = typeof info.scope === 'string' && info.scope in SCOPES ? SCOPES[info.scope as keyof typeof SCOPES] : 'global'
  return [{
    address: info.local,
    family,
    netmask: netmaskFromPrefix(family, info.prefixlen),
    prefixLength: info.prefixlen,
    scope,
    // On Linux the IPv6 zone index of a link-local address is the interface index.
    ...(family === 'IPv6' && scope === 'link' && { scopeId: ifindex }),
  }]
}
