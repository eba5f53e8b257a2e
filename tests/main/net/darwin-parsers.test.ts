import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { classifyPortName, parseHardwarePorts } from '../../../main/net/darwin-hardware-ports'
import { parseIfconfig } from '../../../main/net/darwin-ifconfig'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'darwin', name), 'utf8')

describe('parseIfconfig (reconstructed `ifconfig -a -v`)', () => {
  const links = parseIfconfig(fixture('ifconfig-v-macbook.txt'))
  const byName = new Map(links.map((l) => [l.name, l]))

  it('lists every interface block, with or without addresses', () => {
    expect(links.map((l) => l.name)).toEqual([
      'lo0', 'gif0', 'stf0', 'anpi0', 'en1', 'en2', 'ap1', 'en0', 'awdl0', 'llw0', 'bridge0',
      'utun0', 'utun1', 'utun4', 'ipsec0', 'en7', 'en8', 'vmenet0', 'bridge100',
    ])
  })

  it('reads flags, eflags, mtu, link address, carrier and the kernel type', () => {
    expect(byName.get('awdl0')).toMatchObject({
      flags: ['UP', 'BROADCAST', 'SMART', 'RUNNING', 'SIMPLEX', 'MULTICAST'],
      mtu: 1500,
      ether: '26:9e:3e:97:37:35',
      status: 'active',
      type: 'Wi-Fi',
    })
    expect(byName.get('awdl0')?.eflags).toContain('AWDL')
    expect(byName.get('stf0')).toMatchObject({ flags: [], mtu: 1280 })
    expect(byName.get('en7')?.type).toBe('USB Ethernet')
    expect(byName.get('utun4')?.type).toBeUndefined()
  })

  it('reads bridge configuration and members', () => {
    expect(byName.get('bridge0')).toMatchObject({ isBridge: true, members: ['en1', 'en2'] })
    expect(byName.get('bridge100')).toMatchObject({ isBridge: true, members: ['vmenet0'] })
    expect(byName.get('en1')?.isBridge).toBe(false)
  })

  it('converts addresses: hex netmasks, point-to-point peers, zones and scope ids', () => {
    expect(byName.get('utun4')?.addresses[0]).toEqual({
      address: '10.66.0.2', family: 'IPv4', netmask: '255.255.255.255', prefixLength: 32, scope: 'global',
    })
    expect(byName.get('lo0')?.addresses).toEqual([
      { address: '127.0.0.1', family: 'IPv4', netmask: '255.0.0.0', prefixLength: 8, scope: 'host' },
      { address: '::1', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', prefixLength: 128, scope: 'host' },
      { address: 'fe80::1', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId: 1 },
    ])
    expect(byName.get('en0')?.addresses.map((a) => a.address)).toEqual([
      'fe80::10d9:bcb0:601f:16fa', '2001:db8:15a4:8001:424:837a:870:6095', '2001:db8:15a4:8001:edf7:1b86:b5fc:9085', '198.18.1.23',
    ])
    expect(byName.get('en0')?.addresses[0]).toMatchObject({ scope: 'link', scopeId: 11 })
  })

  it('reads the VLAN parent line', () => {
    const vlan = parseIfconfig(fixture('ifconfig-v-imac-de.txt')).find((l) => l.name === 'vlan0')
    expect(vlan?.vlanParent).toBe('en0')
    expect(vlan?.type).toBeUndefined()
  })

  it('takes the type name from the `-v -v` form and ignores unnamed types', () => {
    const text = 'en0: flags=8863<UP,BROADCAST> mtu 1500 index 4\n\ttype: Wi-Fi (0x6) family: 2 subfamily: 3\n' +
      'bridge0: flags=8863<UP,BROADCAST> mtu 1500 index 5\n\ttype: 0xd1 family: 7 subfamily: 0\n'
    expect(parseIfconfig(text).map((l) => l.type)).toEqual(['Wi-Fi', undefined])
  })

  it('keeps what parsed before a truncation and drops garbage without crashing', () => {
    const truncated = parseIfconfig(fixture('ifconfig-v-truncated.txt'))
    const last = truncated.at(-1)
    expect(last?.name).toBe('en0')
    expect([last?.status, last?.type]).toEqual([undefined, undefined])
    expect(truncated.map((l) => l.name)).toContain('ap1')
    expect(parseIfconfig(fixture('ifconfig-garbage.txt'))).toEqual([])
    expect(parseIfconfig('')).toEqual([])
  })
})

describe('parseHardwarePorts (reconstructed `networksetup -listallhardwareports`)', () => {
  it('reads port, device and address, and knows the listing reached its end', () => {
    const { ports, isComplete } = parseHardwarePorts(fixture('networksetup-macbook.txt'))
    expect(isComplete).toBe(true)
    expect(ports.map((p) => [p.port, p.device])).toEqual([
      ['Thunderbolt Bridge', 'bridge0'], ['Wi-Fi', 'en0'], ['Thunderbolt 1', 'en1'], ['Thunderbolt 2', 'en2'],
      ['USB 10/100/1000 LAN', 'en7'], ['iPhone USB', 'en8'],
    ])
    expect(ports.find((p) => p.device === 'en7')?.mac).toBe('00:00:5e:00:53:07')
    expect(ports.find((p) => p.device === 'en8')?.mac).toBeUndefined()
  })

  it('keeps localized, non-ASCII port names verbatim', () => {
    const { ports } = parseHardwarePorts(fixture('networksetup-imac-de.txt'))
    expect(ports.map((p) => p.port)).toContain('Thunderbolt-Brücke')
    expect(ports.find((p) => p.device === 'en1')?.port).toBe('WLAN')
  })

  it('marks a cut-off listing incomplete and drops the block without a device', () => {
    const { ports, isComplete } = parseHardwarePorts(fixture('networksetup-truncated.txt'))
    expect(isComplete).toBe(false)
    expect(ports.map((p) => p.device)).toEqual(['bridge0', 'en0', 'en1', 'en2'])
  })

  it('finds nothing in garbage', () => {
    expect(parseHardwarePorts(fixture('networksetup-garbage.txt'))).toEqual({ ports: [], isComplete: false })
  })
})

describe('classifyPortName', () => {
  it('reads what a port name says, in the languages seen in the field', () => {
    const kinds = ['Wi-Fi', 'WLAN', 'AirPort', 'Ethernet', 'USB 10/100/1000 LAN', 'Thunderbolt Ethernet Slot 1',
      'Ethernet Adapter (en6)', 'Thunderbolt 1', 'Thunderbolt Bridge', 'iPhone USB', 'Bluetooth PAN', 'Thunderbolt-Brücke']
      .map((name) => classifyPortName(name)?.kind)
    expect(kinds).toEqual(['wifi', 'wifi', 'wifi', 'ethernet', 'ethernet', 'ethernet', 'ethernet', 'ethernet', 'bridge',
      'cellular', 'peer-to-peer', undefined])
  })

  it('explains why iPhone USB is cellular', () => {
    expect(classifyPortName('iPhone USB')?.reason).toMatch(/Personal Hotspot \(mobile data\)/)
  })
})
