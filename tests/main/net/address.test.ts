import { describe, expect, it } from 'vitest'
import { expandIpv6, netmaskFromPrefix, prefixFromNetmask, scopeOf } from '../../../main/net/address'

describe('address helpers', () => {
  it('converts prefixes to the netmasks os.networkInterfaces() prints', () => {
    expect(netmaskFromPrefix('IPv4', 24)).toBe('255.255.255.0')
    expect(netmaskFromPrefix('IPv4', 8)).toBe('255.0.0.0')
    expect(netmaskFromPrefix('IPv4', 32)).toBe('255.255.255.255')
    expect(netmaskFromPrefix('IPv4', 0)).toBe('0.0.0.0')
    expect(netmaskFromPrefix('IPv4', 15)).toBe('255.254.0.0')
    expect(netmaskFromPrefix('IPv6', 64)).toBe('ffff:ffff:ffff:ffff::')
    expect(netmaskFromPrefix('IPv6', 128)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')
    expect(netmaskFromPrefix('IPv6', 0)).toBe('::')
    expect(netmaskFromPrefix('IPv6', 10)).toBe('ffc0::')
  })

  it('round-trips prefix → netmask → prefix for every length', () => {
    for (let p = 0; p <= 32; p++) expect(prefixFromNetmask(netmaskFromPrefix('IPv4', p))).toBe(p)
    for (let p = 0; p <= 128; p++) expect(prefixFromNetmask(netmaskFromPrefix('IPv6', p))).toBe(p)
  })

  it('scopes addresses the way ip(8) does', () => {
    expect(scopeOf('IPv4', '127.0.0.1')).toBe('host')
    expect(scopeOf('IPv4', '169.254.10.2')).toBe('link')
    expect(scopeOf('IPv4', '198.18.0.1')).toBe('global')
    expect(scopeOf('IPv6', '::1')).toBe('host')
    expect(scopeOf('IPv6', 'fe80::1%eth0')).toBe('link')
    expect(scopeOf('IPv6', 'febf::1')).toBe('link')
    expect(scopeOf('IPv6', 'fec0::1')).toBe('site')
    expect(scopeOf('IPv6', 'fd00::2')).toBe('global')
  })

  it('expands compressed IPv6 addresses and ignores the zone', () => {
    expect(expandIpv6('fe80::1%4')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1])
    expect(expandIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
    expect(expandIpv6('2001:db8:0:0:1:0:0:1')).toEqual([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])
  })
})
