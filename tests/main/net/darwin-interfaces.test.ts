import { readFileSync } from 'node:fs'
import type { NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ToolOutcome } from '../../../main/net/classify'
import { buildDarwinInterfaces } from '../../../main/net/darwin-interfaces'
import { NetInterface } from '../../../shared/net/interfaces'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'darwin', name), 'utf8')
const out = (name: string): ToolOutcome => ({ ok: true, stdout: fixture(name) })
const missing = (file: string): ToolOutcome => ({ ok: false, error: { code: 'tool-missing', message: `${file} is not installed` } })
const v4 = (address: string, netmask: string, mac = '00:00:00:00:00:00', internal = false): NetworkInterfaceInfo =>
  ({ address, netmask, family: 'IPv4', mac, internal, cidr: null })
const v6 = (address: string, scopeid: number, mac = '00:00:00:00:00:00', internal = false): NetworkInterfaceInfo =>
  ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac, internal, cidr: null, scopeid })

/** What Node would list on the MacBook: links that are up and running and have an address. */
const macbookNode = {
  lo0: [v4('127.0.0.1', '255.0.0.0', undefined, true), v6('fe80::1', 1, undefined, true)],
  en0: [v6('fe80::10d9:bcb0:601f:16fa', 11, '00:00:5e:00:53:01'), v4('198.18.1.23', '255.255.255.0', '00:00:5e:00:53:01')],
  awdl0: [v6('fe80::249e:3eff:fe97:3735', 12, '26:9e:3e:97:37:35')],
  llw0: [v6('fe80::249e:3eff:fe97:3735', 13, '26:9e:3e:97:37:35')],
  utun4: [v4('10.66.0.2', '255.255.255.255')],
  en7: [v4('198.18.1.40', '255.255.255.0', '00:00:5e:00:53:07')],
  en8: [v4('172.20.10.2', '255.255.255.240', '9a:3c:1b:22:7e:01')],
  bridge100: [v4('192.168.64.1', '255.255.255.0', 'ae:c9:06:42:28:64')],
}
const kinds = (list: NetInterface[]) => Object.fromEntries(list.map((i) => [i.name, i.kind]))
const byName = (list: NetInterface[], name: string) => list.find((i) => i.name === name)

describe('buildDarwinInterfaces: MacBook (Wi-Fi, USB Ethernet, iPhone USB, Thunderbolt Bridge, VPNs, VM)', () => {
  const list = buildDarwinInterfaces({ node: macbookNode, ifconfig: out('ifconfig-v-macbook.txt'), ports: out('networksetup-macbook.txt') })

  it('classifies every link from kernel facts and the port list, not from names', () => {
    expect(kinds(list)).toEqual({
      lo0: 'loopback', gif0: 'tunnel', stf0: 'unknown', anpi0: 'virtual', en1: 'ethernet', en2: 'ethernet',
      ap1: 'virtual', en0: 'wifi', awdl0: 'peer-to-peer', llw0: 'peer-to-peer', bridge0: 'bridge',
      utun0: 'tunnel', utun1: 'tunnel', utun4: 'tunnel', ipsec0: 'tunnel', en7: 'ethernet', en8: 'cellular',
      vmenet0: 'virtual', bridge100: 'bridge',
    })
    for (const i of list) expect(NetInterface.safeParse(i).success, i.name).toBe(true)
  })

  it('says which fact each kind rests on', () => {
    expect(byName(list, 'en0')?.kindReason).toBe('type Wi-Fi, hardware port "Wi-Fi"')
    expect(byName(list, 'awdl0')?.kindReason).toBe('AWDL eflag (Apple peer-to-peer Wi-Fi)')
    expect(byName(list, 'llw0')?.kindReason).toMatch(/link address of AWDL link awdl0/)
    expect(byName(list, 'bridge0')?.kindReason).toBe('bridge configuration (members en1, en2)')
    expect(byName(list, 'utun4')?.kindReason).toMatch(/point-to-point flag without broadcast/)
    expect(byName(list, 'en7')?.kindReason).toBe('type USB Ethernet, hardware port "USB 10/100/1000 LAN"')
    expect(byName(list, 'en8')?.kindReason).toMatch(/"iPhone USB": tethering .* Personal Hotspot/)
    expect(byName(list, 'vmenet0')?.kindReason).toMatch(/not a hardware port/)
    expect(byName(list, 'ap1')?.kindReason).toMatch(/extra interface on the Wi-Fi radio/)
    expect(byName(list, 'stf0')?.kindReason).toMatch(/reports nothing/)
  })

  it('reports up, carrier and multicast from flags and media status', () => {
    expect(byName(list, 'en0')).toMatchObject({ isUp: true, isRunning: true, canMulticast: true, mtu: 1500, mac: '00:00:5e:00:53:01' })
    expect(byName(list, 'en1')).toMatchObject({ isUp: true, isRunning: false })
    expect(byName(list, 'ap1')).toMatchObject({ isUp: false, isRunning: false })
    expect(byName(list, 'utun4')).toMatchObject({ isUp: true, isRunning: true, canMulticast: true })
    expect(byName(list, 'lo0')).toMatchObject({ isInternal: true, mtu: 16384 })
    expect(byName(list, 'gif0')).toMatchObject({ isUp: false })
  })

  it('takes addresses from Node where it lists the link, from ifconfig otherwise', () => {
    expect(byName(list, 'en0')?.addresses.map((a) => a.address)).toEqual(['fe80::10d9:bcb0:601f:16fa', '198.18.1.23'])
    expect(byName(list, 'anpi0')?.addresses).toEqual([
      { address: 'fe80::2c6d:1ff:fe5a:7be4', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId: 4 },
    ])
    expect(byName(list, 'ipsec0')?.addresses.map((a) => `${a.address}/${a.prefixLength}`)).toEqual(['10.20.0.7/32'])
  })
})

describe('buildDarwinInterfaces: iMac on a German system (older ifconfig, localized port names)', () => {
  const node = {
    lo0: [v4('127.0.0.1', '255.0.0.0', undefined, true)],
    en1: [v4('198.18.7.12', '255.255.255.0', '00:00:5e:00:53:11')],
    en5: [v4('198.18.9.30', '255.255.255.0', '00:00:5e:00:53:15')],
    ppp0: [v4('10.10.10.5', '255.0.0.0')],
    vmnet8: [v4('192.168.213.1', '255.255.255.0', '00:50:56:c0:00:08')],
  }
  const list = buildDarwinInterfaces({ node, ifconfig: out('ifconfig-v-imac-de.txt'), ports: out('networksetup-imac-de.txt') })

  it('classifies built-in and Thunderbolt Ethernet, WLAN, Bluetooth, FireWire, VMware, VirtualBox, VLAN and L2TP', () => {
    expect(kinds(list)).toMatchObject({
      en0: 'ethernet', en1: 'wifi', en2: 'ethernet', en3: 'peer-to-peer', en5: 'ethernet', fw0: 'ethernet',
      p2p0: 'virtual', awdl0: 'peer-to-peer', bridge0: 'bridge', utun0: 'tunnel', vboxnet0: 'virtual',
      vmnet1: 'virtual', vmnet8: 'virtual', vlan0: 'virtual', ppp0: 'tunnel',
    })
    expect(byName(list, 'en1')?.kindReason).toBe('type Wi-Fi, hardware port "WLAN"')
    expect(byName(list, 'vlan0')?.kindReason).toBe('VLAN on en0')
  })

  it('finds the bridge from ifconfig even though its localized port name matches nothing', () => {
    expect(byName(list, 'bridge0')?.kindReason).toBe('bridge configuration (members en2)')
  })

  it('shows the unplugged built-in Ethernet as up without carrier', () => {
    expect(byName(list, 'en0')).toMatchObject({ kind: 'ethernet', isUp: true, isRunning: false, addresses: [] })
    expect(byName(list, 'vboxnet0')).toMatchObject({ isUp: false })
  })
})

describe('buildDarwinInterfaces: fallbacks', () => {
  it('without networksetup, keeps kernel facts and says that virtual links cannot be told apart', () => {
    const list = buildDarwinInterfaces({ node: macbookNode, ifconfig: out('ifconfig-v-macbook.txt'), ports: missing('/usr/sbin/networksetup') })
    expect(kinds(list)).toMatchObject({ en0: 'wifi', awdl0: 'peer-to-peer', llw0: 'peer-to-peer', bridge0: 'bridge', utun4: 'tunnel', en7: 'ethernet' })
    expect(byName(list, 'vmenet0')).toMatchObject({ kind: 'ethernet' })
    expect(byName(list, 'vmenet0')?.kindReason).toMatch(/networksetup unavailable: \/usr\/sbin\/networksetup is not installed; virtual links look the same/)
    expect(byName(list, 'en8')?.kind).toBe('ethernet')
  })

  it('treats a cut-off or garbage port list as unknown, never as proof that a link is virtual', () => {
    const truncated = buildDarwinInterfaces({ node: macbookNode, ifconfig: out('ifconfig-v-macbook.txt'), ports: out('networksetup-truncated.txt') })
    expect(byName(truncated, 'en7')).toMatchObject({ kind: 'ethernet' })
    expect(byName(truncated, 'en7')?.kindReason).toMatch(/networksetup output ended early/)
    expect(byName(truncated, 'en0')?.kindReason).toBe('type Wi-Fi, hardware port "Wi-Fi"')
    const garbage = buildDarwinInterfaces({ node: macbookNode, ifconfig: out('ifconfig-v-macbook.txt'), ports: out('networksetup-garbage.txt') })
    expect(byName(garbage, 'vmenet0')?.kindReason).toMatch(/networksetup printed no hardware ports/)
  })

  it('without ifconfig, lists Node’s table, classified by port name where networksetup answered', () => {
    const list = buildDarwinInterfaces({ node: macbookNode, ifconfig: missing('/sbin/ifconfig'), ports: out('networksetup-macbook.txt') })
    expect(list.map((i) => i.name)).toEqual(Object.keys(macbookNode))
    expect(kinds(list)).toMatchObject({ lo0: 'loopback', en0: 'wifi', en7: 'ethernet', en8: 'cellular', awdl0: 'unknown', utun4: 'unknown' })
    expect(byName(list, 'en0')?.kindReason).toBe('hardware port "Wi-Fi" (no link facts: /sbin/ifconfig is not installed)')
    expect(byName(list, 'utun4')?.kindReason).toBe('link facts unavailable: /sbin/ifconfig is not installed')
  })

  it('with neither tool, behaves as before: Node’s table, loopback only, and says why', () => {
    const list = buildDarwinInterfaces({ node: macbookNode, ifconfig: out('ifconfig-garbage.txt'), ports: missing('networksetup') })
    expect(new Set(list.map((i) => i.kind))).toEqual(new Set(['loopback', 'unknown']))
    expect(byName(list, 'en0')?.kindReason).toBe('link facts unavailable: ifconfig printed no interface it could parse')
  })

  it('uses what a truncated ifconfig printed and adds the links only Node saw', () => {
    const list = buildDarwinInterfaces({ node: macbookNode, ifconfig: out('ifconfig-v-truncated.txt'), ports: out('networksetup-macbook.txt') })
    expect(byName(list, 'en0')).toMatchObject({ kind: 'wifi', kindReason: 'hardware port "Wi-Fi"' })
    expect(byName(list, 'en7')).toMatchObject({ kind: 'unknown', kindReason: 'listed by Node but not by ifconfig' })
    for (const i of list) expect(NetInterface.safeParse(i).success, i.name).toBe(true)
  })

  it('falls back to the awdl/llw name family only when macOS reported no type or eflags, and says so', () => {
    const list = buildDarwinInterfaces({ node: {}, ifconfig: out('ifconfig-a-plain.txt'), ports: out('networksetup-macbook.txt') })
    expect(kinds(list)).toEqual({
      lo0: 'loopback', en1: 'ethernet', en0: 'wifi', bridge0: 'bridge', awdl0: 'peer-to-peer', llw0: 'peer-to-peer',
      utun3: 'tunnel', en7: 'ethernet',
    })
    expect(byName(list, 'llw0')?.kindReason).toMatch(/^name family llw .*no type or eflags, so the name is the last resort$/)
  })

  it('takes a companion link (ipsec to a paired watch) as peer-to-peer before the tunnel rule', () => {
    const ipsec = 'ipsec1: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1400 index 20\n' +
      '\teflags=1002080<TXSTART,NOAUTOIPV6LL,ECN_ENABLE>\n\tinet 192.0.0.6 --> 192.0.0.6 netmask 0xffffffff\n' +
      '\ttype: Companion Link Bluetooth\n'
    const [link] = buildDarwinInterfaces({ node: {}, ifconfig: { ok: true, stdout: ipsec }, ports: out('networksetup-macbook.txt') })
    expect(link).toMatchObject({ kind: 'peer-to-peer', kindReason: 'type Companion Link Bluetooth: a link to a paired device such as a watch' })
  })
})
