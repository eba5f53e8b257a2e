/**
 * Zones and interfaces (reference case 45): link-local IPv6 gets the zone of the interface it was found on,
 * as a name on Linux/macOS and a number on Windows (libuv: if_nametoindex vs atoi); 169.254/16 binds the
 * named interface's own address; a link-local address with no interface is refused with a clear reason.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { connectRace, resolveTarget, withZone, type DialRequest } from '../../../main/net/connect'
import type { NetInterface } from '../../../shared/net/interfaces'
import { createFakeClock } from '../../helpers/fake-clock'

const iface = (name: string, scopeId: number, ...v4: string[]): NetInterface => ({
  name, kind: 'wifi', kindReason: 'test', isUp: true, isInternal: false,
  addresses: [
    ...v4.map((address) => ({
      address, family: 'IPv4' as const, netmask: address.startsWith('169.254.') ? '255.255.0.0' : '255.255.255.0',
      prefixLength: address.startsWith('169.254.') ? 16 : 24, scope: address.startsWith('169.254.') ? 'link' as const : 'global' as const,
    })),
    { address: `fe80::${scopeId}`, family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId },
  ],
})
const interfaces = [iface('wlan0', 3, '198.18.0.2', '169.254.10.2'), iface('eth1', 7, '169.254.20.2'), iface('usb0', 9)]
const resolved = (input: Parameters<typeof resolveTarget>[0], platform: NodeJS.Platform, withInterfaces = true) =>
  resolveTarget(input, { port: 80, platform, ...(withInterfaces && { interfaces }) })

describe('withZone (case 45)', () => {
  it('case 45: Linux and macOS get the interface name; Windows gets the numeric scope id', () => {
    expect(withZone('fe80::11', { name: 'wlan0', scopeId: 3 }, 'linux')).toEqual({ ok: true, value: 'fe80::11%wlan0' })
    expect(withZone('fe80::11', { name: 'en0', scopeId: 4 }, 'darwin')).toEqual({ ok: true, value: 'fe80::11%en0' })
    expect(withZone('fe80::11', { name: 'Wi-Fi', scopeId: 12 }, 'win32')).toEqual({ ok: true, value: 'fe80::11%12' })
  })

  it('case 45: an existing zone is replaced, and addresses that are not link-local get none', () => {
    expect(withZone('fe80::11%eth9', { name: 'wlan0' }, 'linux')).toEqual({ ok: true, value: 'fe80::11%wlan0' })
    expect(withZone('febf::1', { name: 'wlan0' }, 'linux')).toEqual({ ok: true, value: 'febf::1%wlan0' })
    for (const address of ['fd00::11', '198.18.0.11', 'fec0::1', '2001:db8::1']) {
      expect(withZone(address, { name: 'wlan0', scopeId: 3 }, 'win32')).toEqual({ ok: true, value: address })
    }
  })

  it('case 45: Windows without a scope id is an error value that says what to check', () => {
    const out = withZone('fe80::11', { name: 'Wi-Fi' }, 'win32')
    expect(out).toMatchObject({ ok: false, error: { reason: 'no-scope-id' } })
    expect(!out.ok && out.error.message).toMatch(/scope id of "Wi-Fi".*IPv6 is enabled/)
  })
})

describe('resolveTarget: link-local IPv6 (case 45)', () => {
  it('case 45: fe80:: without a zone or interface is `zone-required`, naming the missing interface', () => {
    const out = resolved('fe80::11', 'linux')
    expect(out).toMatchObject({ ok: false, error: { reason: 'zone-required', input: 'fe80::11' } })
    expect(!out.ok && out.error.message).toMatch(/link-local.*needs the interface it was found on/)
  })

  it('case 45: a zone given as a name is used as it is on Linux and macOS', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(resolved('fe80::11%wlan0', platform)).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%wlan0', zone: 'wlan0', address: 'fe80::11' } })
      expect(resolved({ address: 'fe80::11', zone: 'wlan0' }, platform, false)).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%wlan0' } })
    }
  })

  it('case 45: the discovery interface becomes the zone (name on Unix, scope id on Windows)', () => {
    const sighting = { address: 'fe80::11', interfaceName: 'eth1' }
    expect(resolved(sighting, 'linux')).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%eth1', interfaceName: 'eth1' } })
    expect(resolved(sighting, 'win32')).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%7', zone: '7' } })
  })

  it('case 45: a name zone on Windows and a numeric zone on Unix are translated through the interface list', () => {
    expect(resolved('fe80::11%wlan0', 'win32')).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%3' } })
    expect(resolved('fe80::11%7', 'linux')).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%eth1' } })
    expect(resolved('fe80::11%12', 'win32', false)).toMatchObject({ ok: true, value: { connectAddress: 'fe80::11%12' } })
  })

  it('case 45: a zone that names no interface here is refused before dialling when the list is known', () => {
    expect(resolved('fe80::11%42', 'linux')).toMatchObject({ ok: false, error: { reason: 'unknown-interface' } })
    expect(resolved('fe80::11%42', 'linux', false)).toMatchObject({ ok: false, error: { reason: 'unknown-interface' } })
    expect(resolved('fe80::11%eth9', 'linux')).toMatchObject({ ok: false, error: { reason: 'unknown-interface' } })
    expect(resolved({ address: 'fe80::11', interfaceName: 'Wi-Fi 2' }, 'win32', false)).toMatchObject({ ok: false, error: { reason: 'unknown-interface' } })
  })
})

describe('resolveTarget: IPv4 link-local and the rest (case 45)', () => {
  it('case 45: 169.254/16 on a named interface binds that interface’s own link-local address', () => {
    expect(resolved({ address: '169.254.7.7', interfaceName: 'eth1' }, 'linux')).toMatchObject({ ok: true, value: { localAddress: '169.254.20.2' } })
    expect(resolved({ address: '169.254.7.7', interfaceName: 'wlan0' }, 'darwin')).toMatchObject({ ok: true, value: { localAddress: '169.254.10.2' } })
  })

  it('case 45: 169.254/16 with an interface that is gone or has no IPv4 address is refused', () => {
    expect(resolved({ address: '169.254.7.7', interfaceName: 'eth5' }, 'linux')).toMatchObject({ ok: false, error: { reason: 'unknown-interface' } })
    expect(resolved({ address: '169.254.7.7', interfaceName: 'usb0' }, 'linux')).toMatchObject({ ok: false, error: { reason: 'no-ipv4-on-interface' } })
  })

  it('case 45: 169.254/16 without an interface, and routable addresses, are not bound', () => {
    const unbound = [resolved('169.254.7.7', 'linux'), resolved({ address: '198.18.0.11', interfaceName: 'eth1' }, 'linux')]
    for (const out of unbound) expect(out.ok && out.value.localAddress).toBeUndefined()
  })

  it('case 45: the same-subnet fact is known only when the interfaces are', () => {
    expect(resolved('198.18.0.11', 'linux')).toMatchObject({ ok: true, value: { isSameSubnet: true } })
    expect(resolved('198.18.1.11', 'linux')).toMatchObject({ ok: true, value: { isSameSubnet: false } })
    expect(resolved('198.18.0.11', 'linux', false).ok && (resolved('198.18.0.11', 'linux', false) as { value: object }).value).not.toHaveProperty('isSameSubnet')
  })

  it('port: per target, else the option; anything outside 1–65535 is `bad-port`', () => {
    expect(resolved({ address: '198.18.0.11', port: 443 }, 'linux')).toMatchObject({ ok: true, value: { port: 443 } })
    expect(resolveTarget('198.18.0.11', { platform: 'linux' })).toMatchObject({ ok: false, error: { reason: 'bad-port' } })
    expect(resolved({ address: '198.18.0.11', port: 70_000 }, 'linux')).toMatchObject({ ok: false, error: { reason: 'bad-port' } })
  })
})

describe('connectRace hands the zone and the bind address to the socket (case 45)', () => {
  it('case 45: the dialled host carries the platform zone and 169.254/16 is dialled from the interface’s address', async () => {
    const requests: DialRequest[] = []
    const socketFactory = (request: DialRequest) => {
      requests.push(request)
      return Object.assign(new EventEmitter(), { destroy: () => undefined })
    }
    const clock = createFakeClock()
    void connectRace([{ address: 'fe80::11', interfaceName: 'wlan0' }, { address: '169.254.7.7', interfaceName: 'eth1' }],
      { port: 80, platform: 'win32', interfaces, clock, socketFactory, timeoutMs: 500 })
    await clock.advance(500)
    expect(requests).toEqual([
      { host: 'fe80::11%3', port: 80, family: 6 },
      { host: '169.254.7.7', port: 80, family: 4, localAddress: '169.254.20.2' },
    ])
  })
})
