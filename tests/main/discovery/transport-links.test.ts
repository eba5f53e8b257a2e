/**
 * Which interfaces discovery uses (planLinks) and which one a datagram came from (attributeSource): pure
 * rules, because Node's dgram cannot say which interface a multicast datagram arrived on (no IP_PKTINFO).
 */
import { describe, expect, it } from 'vitest'
import { attributeSource, linkSignature, planLinks, zoneOf, type TransportLink } from '../../../main/discovery/transport/links'
import type { DiscoveryOptions } from '../../../shared/discovery/view'
import { netIf } from './engine-harness'

const DEFAULTS: DiscoveryOptions = { includeTunnels: false, includePeerToPeer: false }

const link = (name: string, ipv4: string[] = [], ipv6: string[] = [], scopeId?: number): TransportLink => ({
  name, scopeId, mtu: 1500,
  ipv4: ipv4.map((cidr) => ({ address: cidr.split('/')[0] ?? '', prefixLength: Number(cidr.split('/')[1] ?? 24) })),
  ipv6: ipv6.map((cidr) => ({ address: cidr.split('/')[0] ?? '', prefixLength: Number(cidr.split('/')[1] ?? 64) })),
})

describe('planLinks', () => {
  const machine = [
    netIf('lo', { kind: 'loopback', v4: ['127.0.0.1/8'], v6: ['::1/128'], isInternal: true }),
    netIf('eth1', { v4: ['198.18.3.2/24'], isUp: false }),
    netIf('eth2', { v4: ['198.18.4.2/24'], isRunning: false }),
    netIf('ib0', { v4: ['198.18.5.2/24'], canMulticast: false }),
    netIf('tun0', { kind: 'tunnel', v4: ['198.19.0.2/24'] }),
    netIf('awdl0', { kind: 'peer-to-peer', v6: ['fe80::aa/64'], scopeId: 11 }),
    netIf('eth3', { v6: ['fd00::3/64'] }),
    netIf('eth4'),
    netIf('wlan0', { kind: 'wifi', v4: ['198.18.0.2/24'], v6: ['fe80::2/64', 'fd00::2/64'], scopeId: 4, mtu: 1400 }),
  ]

  it('uses only up, running, multicast-capable, non-loopback interfaces with IPv4 or IPv6 link-local', () => {
    const plan = planLinks(machine, DEFAULTS)
    expect(plan.links).toEqual([{
      name: 'wlan0', scopeId: 4, mtu: 1400,
      ipv4: [{ address: '198.18.0.2', prefixLength: 24 }],
      ipv6: [{ address: 'fe80::2', prefixLength: 64 }, { address: 'fd00::2', prefixLength: 64 }],
    }])
    expect(plan.interfaces.map((i) => `${i.name}:${i.state}`)).toEqual([
      'lo:skipped', 'eth1:skipped', 'eth2:skipped', 'ib0:skipped', 'tun0:skipped', 'awdl0:skipped', 'eth3:skipped', 'eth4:skipped', 'wlan0:active',
    ])
    expect(plan.interfaces.find((i) => i.name === 'wlan0')).toEqual({ name: 'wlan0', kind: 'wifi', families: ['IPv4', 'IPv6'], state: 'active', reason: '' })
  })

  it('says why each interface was skipped, in plain language (no errno codes, no jargon-only reasons)', () => {
    const reasons = new Map(planLinks(machine, DEFAULTS).interfaces.map((i) => [i.name, i.reason]))
    expect(reasons.get('lo')).toMatch(/^Loopback/)
    expect(reasons.get('eth1')).toBe('Interface is down')
    expect(reasons.get('eth2')).toMatch(/No link \(cable unplugged or not associated\)/)
    expect(reasons.get('ib0')).toMatch(/does not support multicast/)
    expect(reasons.get('tun0')).toMatch(/VPN or tunnel.*Include VPN and tunnel interfaces/)
    expect(reasons.get('awdl0')).toMatch(/Peer-to-peer.*Include peer-to-peer interfaces/)
    expect(reasons.get('eth3')).toBe('No IPv4 address and no IPv6 link-local address yet')
    expect(reasons.get('eth4')).toBe('No IPv4 address and no IPv6 link-local address yet')
    for (const reason of reasons.values()) expect(reason).not.toMatch(/\bE[A-Z]{4,}\b/)
  })

  it('includes tunnels and peer-to-peer links when the options say so', () => {
    expect(planLinks(machine, { includeTunnels: true, includePeerToPeer: false }).links.map((l) => l.name)).toEqual(['tun0', 'wlan0'])
    const both = planLinks(machine, { includeTunnels: true, includePeerToPeer: true })
    expect(both.links.map((l) => l.name)).toEqual(['tun0', 'awdl0', 'wlan0'])
    expect(both.links.find((l) => l.name === 'awdl0')).toMatchObject({ scopeId: 11, ipv4: [] })
    // The options never override the hard reasons: loopback and down stay skipped.
    expect(both.interfaces.find((i) => i.name === 'lo')?.state).toBe('skipped')
  })

  it('an interface with isRunning undefined (the OS does not say) is used', () => {
    expect(planLinks([netIf('en0', { v4: ['198.18.0.2/24'] })], DEFAULTS).links.map((l) => l.name)).toEqual(['en0'])
  })

  it('host-scope IPv6 addresses are not matched against', () => {
    const weird = netIf('eth0', { v4: ['198.18.0.2/24'] })
    weird.addresses.push({ address: '::1', family: 'IPv6', netmask: '', prefixLength: 128, scope: 'host' })
    expect(planLinks([weird], DEFAULTS).links[0]?.ipv6).toEqual([])
  })
})

describe('attributeSource', () => {
  const eth0 = link('eth0', ['198.18.0.2/24'], ['fe80::2/64', 'fd00:1::2/64'], 2)
  const wlan0 = link('wlan0', ['198.18.1.2/24'], ['fe80::3/64', 'fd00:2::3/64'], 3)
  const links = [eth0, wlan0]

  it('IPv6 with a zone: by interface name on Unix', () => {
    expect(attributeSource('fe80::40%wlan0', 'IPv6', links, 'linux')).toBe('wlan0')
    expect(attributeSource('fe80::40%eth0', 'IPv6', links, 'darwin')).toBe('eth0')
    expect(attributeSource('fe80::40%eth9', 'IPv6', links, 'linux')).toBeUndefined()
  })

  it('IPv6 with a zone: by scope id on Windows (and the name still works)', () => {
    expect(attributeSource('fe80::40%3', 'IPv6', links, 'win32')).toBe('wlan0')
    expect(attributeSource('fe80::40%2', 'IPv6', links, 'win32')).toBe('eth0')
    expect(attributeSource('fe80::40%7', 'IPv6', links, 'win32')).toBeUndefined()
    expect(attributeSource('fe80::40%3', 'IPv6', links, 'linux')).toBeUndefined() // on Linux the zone is a name
  })

  it('IPv6 without a zone: the one link whose routable prefix holds it, else undefined', () => {
    expect(attributeSource('fd00:2::40', 'IPv6', links, 'linux')).toBe('wlan0')
    expect(attributeSource('fd00:9::40', 'IPv6', links, 'linux')).toBeUndefined()
    expect(attributeSource('fe80::40', 'IPv6', links, 'linux')).toBeUndefined() // link-local without zone: could be any link
    const twin = link('eth1', [], ['fd00:1::9/64'])
    expect(attributeSource('fd00:1::40', 'IPv6', [...links, twin], 'linux')).toBeUndefined()
  })

  it('IPv4: by subnet; our own address belongs to its interface even when subnets overlap', () => {
    expect(attributeSource('198.18.1.77', 'IPv4', links)).toBe('wlan0')
    expect(attributeSource('198.18.0.77', 'IPv4', links)).toBe('eth0')
    const overlap = [link('eth0', ['198.18.0.2/24']), link('eth1', ['198.18.0.3/24'])]
    expect(attributeSource('198.18.0.3', 'IPv4', overlap)).toBe('eth1')
    expect(attributeSource('198.18.0.77', 'IPv4', overlap)).toBeUndefined() // ambiguous: counted, not guessed
  })

  it('IPv4: prefix lengths are honoured, including /16 and /32', () => {
    const wide = [link('eth0', ['198.18.0.2/16']), link('eth1', ['198.19.7.1/32'])]
    expect(attributeSource('198.18.200.1', 'IPv4', wide)).toBe('eth0')
    expect(attributeSource('198.19.7.1', 'IPv4', wide)).toBe('eth1')
  })

  it('IPv4 169.254/16 peers: the only IPv4 link gets them; with two IPv4 links they stay unattributed', () => {
    expect(attributeSource('169.254.10.20', 'IPv4', [eth0, link('wlan1', [], ['fe80::5/64'])])).toBe('eth0')
    expect(attributeSource('169.254.10.20', 'IPv4', links)).toBeUndefined()
    expect(attributeSource('169.254.10.20', 'IPv4', [link('eth5', ['169.254.1.1/16']), wlan0])).toBe('eth5')
  })

  it('IPv4 off-link sources are never attributed, even with one IPv4 link (RFC 6762 §11: accept only on-link responses)', () => {
    // Node cannot read the IP TTL, so the source address is the only on-link check left. The wildcard listener
    // also hears unicast sent to any other local address on 5353 (loopback, a skipped VPN interface).
    const single = [eth0, link('wlan1', [], ['fe80::5/64'])]
    expect(attributeSource('203.0.113.9', 'IPv4', single)).toBeUndefined()
    expect(attributeSource('127.0.0.1', 'IPv4', single)).toBeUndefined()
    expect(attributeSource('198.19.0.7', 'IPv4', single)).toBeUndefined()
  })

  it('garbage sources are undefined, never a throw', () => {
    for (const source of ['', 'x', '1.2.3', '300.1.1.1', '::%', '%', 'fe80::1%']) {
      expect(() => attributeSource(source, 'IPv4', links)).not.toThrow()
      expect(() => attributeSource(source, 'IPv6', links)).not.toThrow()
    }
    expect(attributeSource('300.1.1.1', 'IPv4', links)).toBeUndefined()
  })
})

describe('zoneOf', () => {
  it('is the name on Unix and the scope id on Windows (libuv), the name when Windows has no scope id', () => {
    expect(zoneOf({ name: 'wlan0', scopeId: 3 }, 'linux')).toBe('wlan0')
    expect(zoneOf({ name: 'en0', scopeId: 4 }, 'darwin')).toBe('en0')
    expect(zoneOf({ name: 'Wi-Fi', scopeId: 12 }, 'win32')).toBe('12')
    expect(zoneOf({ name: 'Wi-Fi', scopeId: undefined }, 'win32')).toBe('Wi-Fi')
  })
})

describe('linkSignature', () => {
  const base = link('wlan0', ['198.18.0.2/24'], ['fe80::2/64', 'fd00::2/64'], 3)

  it('ignores what does not touch sockets: prefix lengths, MTU, routable IPv6', () => {
    expect(linkSignature({ ...base, mtu: 9000 })).toBe(linkSignature(base))
    expect(linkSignature({ ...base, ipv4: [{ address: '198.18.0.2', prefixLength: 16 }] })).toBe(linkSignature(base))
    expect(linkSignature({ ...base, ipv6: [{ address: 'fe80::2', prefixLength: 64 }, { address: 'fd00::9', prefixLength: 64 }] })).toBe(linkSignature(base))
  })

  it('changes with what the sockets bind: the IPv4 address, the link-local address, the scope id, the name', () => {
    const variants: TransportLink[] = [
      { ...base, ipv4: [{ address: '198.18.0.3', prefixLength: 24 }] },
      { ...base, ipv6: [{ address: 'fe80::9', prefixLength: 64 }] },
      { ...base, scopeId: 4 },
      { ...base, name: 'wlan1' },
      { ...base, ipv4: [] },
    ]
    const signatures = new Set([base, ...variants].map(linkSignature))
    expect(signatures.size).toBe(variants.length + 1)
  })
})
