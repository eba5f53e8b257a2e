import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseIpAddrJson, type SysfsFacts } from '../../../main/net/linux-interfaces'
import { NetInterface } from '../../../shared/net/interfaces'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')

describe('parseIpAddrJson (recorded `ip -details -json address show`)', () => {
  const sysfs = new Map<string, SysfsFacts>([
    ['enp0s31f6', { isWireless: false, hasDevice: true }],
    ['wlp2s0', { devType: 'wlan', isWireless: true, hasDevice: true }],
    ['wg0', { devType: 'wireguard', isWireless: false, hasDevice: false }],
    ['docker0', { devType: 'bridge', isWireless: false, hasDevice: false }],
    ['vethb1c2', { isWireless: false, hasDevice: false }],
    ['tun0', { isWireless: false, hasDevice: false }],
    ['wwan0', { devType: 'wwan', isWireless: false, hasDevice: true }],
  ])
  const list = parseIpAddrJson(fixture('ip-addr-laptop.json'), sysfs)
  const byName = new Map(list.map((i) => [i.name, i]))

  it('lists every link that parses, including ones without addresses, and skips malformed entries', () => {
    expect(list.map((i) => i.name)).toEqual(['lo', 'enp0s31f6', 'wlp2s0', 'wg0', 'docker0', 'vethb1c2', 'tun0', 'wwan0'])
    for (const i of list) expect(NetInterface.safeParse(i).success).toBe(true)
  })

  it('classifies a laptop: Wi-Fi, unplugged Ethernet, WireGuard, docker bridge, veth, tun, modem', () => {
    const kinds = Object.fromEntries(list.map((i) => [i.name, i.kind]))
    expect(kinds).toEqual({
      lo: 'loopback', enp0s31f6: 'ethernet', wlp2s0: 'wifi', wg0: 'tunnel', docker0: 'bridge', vethb1c2: 'virtual',
      tun0: 'tunnel', wwan0: 'cellular',
    })
  })

  it('reports up/carrier state from the flags', () => {
    expect(byName.get('enp0s31f6')).toMatchObject({ isUp: true, isRunning: false })
    expect(byName.get('wlp2s0')).toMatchObject({ isUp: true, isRunning: true, canMulticast: true })
    expect(byName.get('wwan0')).toMatchObject({ isUp: false, isRunning: false })
    expect(byName.get('lo')).toMatchObject({ isInternal: true })
  })

  it('converts addresses with netmask, scope and the zone of link-local IPv6', () => {
    expect(byName.get('wlp2s0')?.addresses).toEqual([
      { address: '198.18.1.23', family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'global' },
      { address: 'fd00:1::5', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'global' },
      { address: 'fe80::a2c5:89ff:fe11:2233', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId: 3 },
    ])
    expect(byName.get('wg0')?.mac).toBeUndefined()
    expect(byName.get('wlp2s0')?.mac).toBe('a0:c5:89:11:22:33')
  })

  it('parses this project machine’s own recorded output (virtio NIC, ifb, loopback)', () => {
    const vm = parseIpAddrJson(fixture('ip-addr-vm.json'), new Map([['eth0', { isWireless: false, hasDevice: true }]]))
    expect(vm.find((i) => i.name === 'lo')?.kind).toBe('loopback')
    expect(vm.find((i) => i.name === 'eth0')?.kind).toBe('ethernet')
    expect(vm.find((i) => i.name === 'ifb0')).toMatchObject({ kind: 'virtual', isUp: false })
  })

  it('rejects output that is not an array', () => {
    expect(() => parseIpAddrJson('{"ifname":"lo"}', new Map())).toThrow(/array/)
  })
})
