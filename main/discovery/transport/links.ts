/**
 * Which interfaces discovery uses and which interface a datagram came from. Pure, so the rules are tested
 * without sockets.
 *
 * Attribution is ours because Node's dgram has no IP_PKTINFO: a socket bound to 0.0.0.0:5353 hears the
 * group on every joined interface and cannot say which one. IPv6 link-local sources carry their zone in
 * `rinfo.address` (`fe80::1%wlan0`); other sources are matched against each interface's on-link prefixes.
 */
import type { NetInterface } from '../../../shared/net/interfaces'
import type { DiscoveryInterface, DiscoveryOptions } from '../../../shared/discovery/view'
import { expandIpv6 } from '../../net/address'

/** Address family as Node spells it. */
export type Family = 'IPv4' | 'IPv6'

/** One interface discovery runs on, with the addresses it binds and matches sources against. */
export interface TransportLink {
  /** The OS interface name: also the cache's interface id and the IPv6 zone on Unix. */
  name: string
  /** The IPv6 scope id (Windows uses it as the zone). */
  scopeId: number | undefined
  mtu: number | undefined
  ipv4: { address: string; prefixLength: number }[]
  ipv6: { address: string; prefixLength: number }[]
}

/** Discovery's verdict on every interface of the machine, and the links it will use. */
export interface LinkPlan {
  links: TransportLink[]
  interfaces: DiscoveryInterface[]
}

const SKIPPED_KINDS: Record<string, { option: keyof DiscoveryOptions; reason: string } | undefined> = {
  tunnel: { option: 'includeTunnels', reason: 'VPN or tunnel: skipped by default, multicast rarely crosses it (turn on "Include VPN and tunnel interfaces")' },
  'peer-to-peer': { option: 'includePeerToPeer', reason: 'Peer-to-peer link (e.g. AWDL): skipped by default (turn on "Include peer-to-peer interfaces")' },
}

/** Chooses the interfaces to browse on: up, multicast-capable, with an address, not loopback, kind allowed by the options. */
export function planLinks(interfaces: readonly NetInterface[], options: DiscoveryOptions): LinkPlan {
  const links: TransportLink[] = []
  const verdicts: DiscoveryInterface[] = []
  for (const iface of interfaces) {
    const ipv4 = iface.addresses.filter((a) => a.family === 'IPv4').map(({ address, prefixLength }) => ({ address, prefixLength }))
    const ipv6 = iface.addresses.filter((a) => a.family === 'IPv6' && a.scope !== 'host').map(({ address, prefixLength }) => ({ address, prefixLength }))
    const families = [...(ipv4.length > 0 ? ['IPv4' as const] : []), ...(ipv6.some((a) => isLinkLocal6(a.address)) ? ['IPv6' as const] : [])]
    const verdict = (state: DiscoveryInterface['state'], reason: string) => verdicts.push({ name: iface.name, kind: iface.kind, families, state, reason })
    const skip = SKIPPED_KINDS[iface.kind]
    if (iface.isInternal || iface.kind === 'loopback') verdict('skipped', 'Loopback: only this computer is there')
    else if (!iface.isUp) verdict('skipped', 'Interface is down')
    else if (iface.isRunning === false) verdict('skipped', 'No link (cable unplugged or not associated)')
    else if (iface.canMulticast === false) verdict('skipped', 'The interface does not support multicast, which mDNS needs')
    else if (skip && !options[skip.option]) verdict('skipped', skip.reason)
    else if (families.length === 0) verdict('skipped', 'No IPv4 address and no IPv6 link-local address yet')
    else {
      verdict('active', '')
      const scopeId = iface.addresses.find((a) => a.family === 'IPv6' && isLinkLocal6(a.address))?.scopeId
      links.push({ name: iface.name, scopeId, mtu: iface.mtu, ipv4, ipv6 })
    }
  }
  return { links, interfaces: verdicts }
}

/** True for fe80::/10. */
export function isLinkLocal6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address.split('%')[0] ?? '')
}

/** The zone to put after `%`: the name on Unix, the scope id on Windows (libuv's rule, reference §5). */
export function zoneOf(link: Pick<TransportLink, 'name' | 'scopeId'>, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' && link.scopeId !== undefined ? String(link.scopeId) : link.name
}

function ipv4ToInt(address: string): number | undefined {
  const parts = address.split('.')
  if (parts.length !== 4) return undefined
  let value = 0
  for (const part of parts) {
    const n = Number(part)
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined
    value = value * 256 + n
  }
  return value
}

function inPrefix4(address: string, network: string, prefixLength: number): boolean {
  const a = ipv4ToInt(address)
  const b = ipv4ToInt(network)
  if (a === undefined || b === undefined) return false
  const size = 2 ** (32 - prefixLength)
  return Math.floor(a / size) === Math.floor(b / size)
}

function inPrefix6(address: string, network: string, prefixLength: number): boolean {
  const a = expandIpv6(address)
  const b = expandIpv6(network)
  if (a.length !== 8 || b.length !== 8) return false
  for (let bit = 0; bit < prefixLength; bit += 16) {
    const take = Math.min(16, prefixLength - bit)
    const mask = (0xffff << (16 - take)) & 0xffff
    if (((a[bit / 16] ?? 0) & mask) !== ((b[bit / 16] ?? 0) & mask)) return false
  }
  return true
}

/**
 * The link a datagram's source belongs to, or undefined when it cannot be told (then it is dropped and
 * counted rather than guessed). A source that is one of our own addresses belongs to that interface.
 */
export function attributeSource(source: string, family: Family, links: readonly TransportLink[], platform: NodeJS.Platform = process.platform): string | undefined {
  if (family === 'IPv6') {
    const [address = '', zone] = source.split('%')
    if (zone !== undefined) return links.find((link) => zoneOf(link, platform) === zone || link.name === zone)?.name
    const matches = links.filter((link) => link.ipv6.some((a) => !isLinkLocal6(a.address) && inPrefix6(address, a.address, a.prefixLength)))
    return matches.length === 1 ? matches[0]?.name : undefined
  }
  const own = links.find((link) => link.ipv4.some((a) => a.address === source))
  if (own) return own.name
  const matches = links.filter((link) => link.ipv4.some((a) => inPrefix4(source, a.address, a.prefixLength)))
  if (matches.length === 1) return matches[0]?.name
  // 169.254/16 peers (RFC 3927) on a link without such an address: unambiguous only when one link has IPv4.
  // Nothing else off-link is accepted: Node cannot check the IP TTL (RFC 6762 §11), and the wildcard
  // listener also hears unicast sent to any local address, so an off-link source must not pass as the LAN.
  const v4 = links.filter((link) => link.ipv4.length > 0)
  return matches.length === 0 && v4.length === 1 && source.startsWith('169.254.') ? v4[0]?.name : undefined
}

/** A stable signature of what a link binds, so an unchanged link keeps its sockets across updates. */
export function linkSignature(link: TransportLink): string {
  return JSON.stringify([link.name, link.scopeId, link.ipv4.map((a) => a.address), link.ipv6.filter((a) => isLinkLocal6(a.address)).map((a) => a.address)])
}

/** The interface verdicts with the sockets' failures folded in: an active link whose every family failed is `error`. */
export function withSocketStates(verdicts: readonly DiscoveryInterface[], sockets: readonly { link: string; ok: boolean; error: string }[]): DiscoveryInterface[] {
  return verdicts.map((v) => {
    const failing = sockets.filter((s) => s.link === v.name && !s.ok)
    if (v.state !== 'active' || failing.length === 0) return v
    const allFailed = failing.length === v.families.length
    return { ...v, state: allFailed ? ('error' as const) : v.state, reason: failing.map((s) => s.error).join('; ') }
  })
}

/** The families a link is served on: IPv4 with an address, IPv6 with a link-local address. */
export function linkFamilies(link: Pick<TransportLink, 'ipv4' | 'ipv6'>): Family[] {
  return [...(link.ipv4.length > 0 ? ['IPv4' as const] : []), ...(link.ipv6.some((a) => isLinkLocal6(a.address)) ? ['IPv6' as const] : [])]
}
