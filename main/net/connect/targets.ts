/**
 * Turning what discovery or the user gave into addresses a socket can dial (reference case 45), and the
 * RFC 8305 §4 order to dial them in. Pure: the interface list and platform come in as arguments.
 *
 * Zones: an mDNS AAAA record for fe80::/10 carries no zone, and Node's `net.connect` then fails with
 * EINVAL. libuv reads the text after `%` with if_nametoindex() on Unix and atoi() on Windows (RFC 4007 §11
 * leaves the format to the OS), so the zone is an interface *name* on Linux/macOS and a *number* on Windows.
 */
import { isIP } from 'node:net'
import type { NetInterface } from '../../../shared/net/interfaces'
import { expandIpv6, scopeOf } from '../address'
import type { ConnectTargetInput, InvalidTarget, ResolvedTarget } from './types'

/** The facts about an interface a zone is built from. */
export interface ZoneInterface {
  name: string
  /** The IPv6 scope id (interface index) from `os.networkInterfaces()`; Windows needs it. */
  scopeId?: number | undefined
}

/** A value or the reason a target cannot be dialled. */
export type TargetResult<T> = { ok: true; value: T } | { ok: false; error: InvalidTarget }

/** What target resolution needs besides the target. */
export interface ResolveContext {
  port?: number | undefined
  interfaces?: readonly NetInterface[] | undefined
  platform: NodeJS.Platform
}

const invalid = (input: string, reason: InvalidTarget['reason'], message: string): TargetResult<never> =>
  ({ ok: false, error: { input, reason, message } })

/** True for IPv6 link-local unicast (fe80::/10), the addresses that need a zone. */
export function isIpv6LinkLocal(address: string): boolean {
  return isIP(stripZone(address)) === 6 && scopeOf('IPv6', stripZone(address)) === 'link'
}

/** True for IPv4 link-local (169.254/16, RFC 3927), ambiguous when several interfaces have one. */
export function isIpv4LinkLocal(address: string): boolean {
  return isIP(address) === 4 && address.startsWith('169.254.')
}

/** The address without any `%zone` suffix. */
export function stripZone(address: string): string {
  const at = address.indexOf('%')
  return at < 0 ? address : address.slice(0, at)
}

/** Adds the platform's zone for `iface` to a link-local IPv6 address; other addresses come back unchanged. */
export function withZone(address: string, iface: ZoneInterface, platform: NodeJS.Platform): TargetResult<string> {
  const bare = stripZone(address)
  if (!isIpv6LinkLocal(bare)) return { ok: true, value: bare }
  if (platform !== 'win32') return { ok: true, value: `${bare}%${iface.name}` }
  if (iface.scopeId === undefined || iface.scopeId <= 0) {
    return invalid(address, 'no-scope-id', `Windows needs the numeric scope id of "${iface.name}" to reach ${bare}, and none is known. ` +
      'Check that IPv6 is enabled on that adapter, then search again.')
  }
  return { ok: true, value: `${bare}%${iface.scopeId}` }
}

/** The IPv6 scope id of an interface (from its link-local address), if the OS reported one. */
function scopeIdOf(iface: NetInterface): number | undefined {
  return iface.addresses.find((a) => a.family === 'IPv6' && a.scopeId !== undefined && a.scopeId > 0)?.scopeId
}

/** Finds the interface a zone names: by name, or by scope id when the zone is a number. */
function interfaceForZone(zone: string, interfaces: readonly NetInterface[]): NetInterface | undefined {
  if (/^\d+$/.test(zone)) return interfaces.find((i) => scopeIdOf(i) === Number(zone))
  return interfaces.find((i) => i.name === zone)
}

/** Rewrites a zone into the form this platform's libuv understands (name on Unix, number on Windows). */
function zoneFor(input: string, bare: string, zone: string, ctx: ResolveContext): TargetResult<string> {
  const isNumeric = /^\d+$/.test(zone)
  const isNative = ctx.platform === 'win32' ? isNumeric : !isNumeric
  // Without an interface list a zone already in the native form goes to the OS as it is (EINVAL if unknown).
  if (isNative && !ctx.interfaces) return withZone(bare, { name: zone, scopeId: Number(zone) }, ctx.platform)
  const iface = ctx.interfaces ? interfaceForZone(zone, ctx.interfaces) : undefined
  if (!iface) {
    return invalid(input, 'unknown-interface', `The zone "%${zone}" of ${bare} names no interface this computer has now. ` +
      'The interface may have gone away; search for the device again.')
  }
  return withZone(bare, { name: iface.name, scopeId: scopeIdOf(iface) }, ctx.platform)
}

/** The IPv4 address to bind on `iface` for a 169.254/16 destination: its own link-local address first. */
function bindAddressOn(iface: NetInterface): string | undefined {
  const v4 = iface.addresses.filter((a) => a.family === 'IPv4')
  return (v4.find((a) => isIpv4LinkLocal(a.address)) ?? v4[0])?.address
}

function parseInput(input: ConnectTargetInput): { text: string; address: string; zone?: string; interfaceName?: string; port?: number } {
  if (typeof input === 'string') {
    const at = input.indexOf('%')
    return { text: input, address: stripZone(input), ...(at >= 0 && { zone: input.slice(at + 1) }) }
  }
  const at = input.address.indexOf('%')
  const zone = input.zone ?? (at >= 0 ? input.address.slice(at + 1) : undefined)
  return {
    text: input.zone ? `${input.address}%${input.zone}` : input.address,
    address: stripZone(input.address),
    ...(zone !== undefined && zone !== '' && { zone }),
    ...(input.interfaceName !== undefined && { interfaceName: input.interfaceName }),
    ...(input.port !== undefined && { port: input.port }),
  }
}

/** Checks one target and works out its zone, bind address and same-subnet fact. */
export function resolveTarget(input: ConnectTargetInput, ctx: ResolveContext): TargetResult<ResolvedTarget> {
  const { text, address, zone, interfaceName, port = ctx.port } = parseInput(input)
  const family = isIP(address)
  if (family !== 4 && family !== 6) return invalid(text, 'not-an-ip-address', `"${text}" is not an IP address, so there is nothing to connect to.`)
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    return invalid(text, 'bad-port', `The device announced port ${String(port)} for ${address}, which cannot be dialled. Search again.`)
  }
  const base = { address, family, port, connectAddress: address, ...(interfaceName !== undefined && { interfaceName }) } as const
  const isSameSubnet = ctx.interfaces ? sharesSubnet(address, family, ctx.interfaces) : undefined
  const extra = isSameSubnet === undefined ? {} : { isSameSubnet }
  if (family === 6 && isIpv6LinkLocal(address)) {
    const named = zone ?? interfaceName
    if (named === undefined) {
      return invalid(text, 'zone-required', `${address} is an IPv6 link-local address: it exists once per interface, so it needs ` +
        'the interface it was found on (e.g. fe80::1%wlan0). Connect through the discovered device, which knows it.')
    }
    const zoned = zoneFor(text, address, named, ctx)
    if (!zoned.ok) return zoned
    return { ok: true, value: { ...base, ...extra, zone: zoned.value.slice(zoned.value.indexOf('%') + 1), connectAddress: zoned.value } }
  }
  if (family === 4 && isIpv4LinkLocal(address) && interfaceName !== undefined && ctx.interfaces) {
    const iface = ctx.interfaces.find((i) => i.name === interfaceName)
    if (!iface) return invalid(text, 'unknown-interface', `Interface "${interfaceName}" is gone, so ${address} cannot be reached through it. Search again.`)
    const localAddress = bindAddressOn(iface)
    if (!localAddress) return invalid(text, 'no-ipv4-on-interface', `"${interfaceName}" has no IPv4 address to reach ${address} from. Reconnect it, then try again.`)
    return { ok: true, value: { ...base, ...extra, localAddress } }
  }
  return { ok: true, value: { ...base, ...extra } }
}

/** RFC 8305 §4: keep each family's order, start with IPv6, then alternate (after `firstCount` of the first family). */
export function interleaveFamilies<T extends { family: 4 | 6 }>(targets: readonly T[], firstCount: 1 | 2 = 1): T[] {
  const v6 = targets.filter((t) => t.family === 6)
  const v4 = targets.filter((t) => t.family === 4)
  const [first, second] = v6.length > 0 ? [v6, v4] : [v4, v6]
  const out = first.splice(0, firstCount)
  while (first.length > 0 || second.length > 0) {
    const a = second.shift()
    if (a) out.push(a)
    const b = first.shift()
    if (b) out.push(b)
  }
  return out
}

/** Drops repeats of the same (address, zone, port, bind address), keeping the first. */
export function dedupeTargets(targets: readonly ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Set<string>()
  return targets.filter((t) => {
    const key = `${t.connectAddress.toLowerCase()}|${t.port}|${t.localAddress ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** True when `address` lies in the subnet of one of this machine's addresses of the same family. */
export function sharesSubnet(address: string, family: 4 | 6, interfaces: readonly NetInterface[]): boolean {
  const want = family === 4 ? 'IPv4' : 'IPv6'
  return interfaces.some((i) => i.addresses.some((a) => a.family === want && !i.isInternal && a.prefixLength > 0 &&
    prefixMatches(address, a.address, a.prefixLength, family)))
}

function prefixMatches(a: string, b: string, prefixLength: number, family: 4 | 6): boolean {
  const bitsA = family === 4 ? a.split('.').map(Number) : expandIpv6(a)
  const bitsB = family === 4 ? b.split('.').map(Number) : expandIpv6(b)
  const width = family === 4 ? 8 : 16
  for (let i = 0, left = prefixLength; left > 0; i++, left -= width) {
    const take = Math.min(width, left)
    const mask = ((1 << take) - 1) << (width - take)
    if (((bitsA[i] ?? 0) & mask) !== ((bitsB[i] ?? 0) & mask)) return false
  }
  return true
}
