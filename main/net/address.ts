/**
 * Pure helpers for IP address facts the OS does not always report: netmasks, prefixes and scopes.
 */
import type { AddressScope } from '../../shared/net/interfaces'

/** Dotted or colon netmask for a prefix length. */
export function netmaskFromPrefix(family: 'IPv4' | 'IPv6', prefixLength: number): string {
  if (family === 'IPv4') {
    const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0
    return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.')
  }
  const groups: string[] = []
  for (let g = 0; g < 8; g++) {
    const ones = Math.max(0, Math.min(16, prefixLength - g * 16))
    groups.push((ones === 0 ? 0 : (0xffff << (16 - ones)) & 0xffff).toString(16))
  }
  return compressIpv6(groups)
}

/** Prefix length for a netmask; counts leading one bits. */
export function prefixFromNetmask(netmask: string): number {
  if (netmask.includes(':')) {
    return expandIpv6(netmask).reduce((n, group) => n + countOnes(group, 16), 0)
  }
  return netmask.split('.').reduce((n, octet) => n + countOnes(Number(octet), 8), 0)
}

/** Scope of an address as `ip addr` would report it (RFC 4291 §2.5 for IPv6, RFC 3927 for 169.254/16). */
export function scopeOf(family: 'IPv4' | 'IPv6', address: string): AddressScope {
  if (family === 'IPv4') {
    if (address.startsWith('127.')) return 'host'
    if (address.startsWith('169.254.')) return 'link'
    return 'global'
  }
  const first = expandIpv6(address)[0] ?? 0
  if (address === '::1') return 'host'
  if ((first & 0xffc0) === 0xfe80) return 'link'
  if ((first & 0xffc0) === 0xfec0) return 'site'
  return 'global'
}

function countOnes(value: number, width: number): number {
  let n = 0
  for (let bit = width - 1; bit >= 0 && (value >> bit) & 1; bit--) n++
  return n
}

/** The eight 16-bit groups of an IPv6 address (zone suffix ignored). */
export function expandIpv6(address: string): number[] {
  const bare = address.split('%')[0] ?? ''
  const [head = '', tail] = bare.split('::')
  const parse = (part: string) => (part ? part.split(':').map((h) => parseInt(h, 16) || 0) : [])
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const fill = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0)
  return [...left, ...fill, ...right].slice(0, 8)
}

function compressIpv6(groups: string[]): string {
  const text = groups.join(':')
  const runs = text.match(/(^|:)0(:0)+(:|$)/g)
  if (!runs) return text
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a))
  return text.replace(longest, '::')
}
