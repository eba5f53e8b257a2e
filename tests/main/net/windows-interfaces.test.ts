import { readFileSync } from 'node:fs'
import type { NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ToolOutcome } from '../../../main/net/classify'
import { buildWindowsInterfaces, GET_NET_ADAPTER_SCRIPT } from '../../../main/net/windows-interfaces'
import { NetInterface } from '../../../shared/net/interfaces'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'windows', name), 'utf8')
const out = (stdout: string): ToolOutcome => ({ ok: true, stdout })
const v4 = (address: string, netmask: string, mac = '00:00:00:00:00:00', internal = false): NetworkInterfaceInfo =>
  ({ address, netmask, family: 'IPv4', mac, internal, cidr: null })
const v6 = (address: string, scopeid: number, mac = '00:00:00:00:00:00', internal = false): NetworkInterfaceInfo =>
  ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac, internal, cidr: null, scopeid })
const kinds = (list: NetInterface[]) => Object.fromEntries(list.map((i) => [i.name, i.kind]))
const byName = (list: NetInterface[], name: string) => list.find((i) => i.name === name)

/** What Node would list on the laptop: adapters that are up, keyed by alias. */
const laptopNode = {
  'Wi-Fi': [v6('fe80::8d2a:13ff:fe4c:2201', 12, '00:00:5e:00:53:21'), v4('198.18.4.21', '255.255.255.0', '00:00:5e:00:53:21')],
  'Ethernet 3': [v4('198.18.4.23', '255.255.255.0', '00:00:5e:00:53:23')],
  'Local Area Connection* 2': [v4('192.168.137.1', '255.255.255.0', '06:00:5e:00:53:21')],
  'vEthernet (Default Switch)': [v4('172.29.16.1', '255.255.240.0', '00:15:5d:a8:01:02')],
  'VMware Network Adapter VMnet8': [v4('192.168.213.1', '255.255.255.0', '00:50:56:c0:00:08')],
  'OpenVPN TAP-Windows6': [v4('10.8.0.6', '255.255.255.0', '00:ff:4a:1b:2c:3d')],
  'wg-office': [v4('10.66.0.2', '255.255.255.255')],
  'Loopback Pseudo-Interface 1': [v4('127.0.0.1', '255.0.0.0', undefined, true), v6('::1', 0, undefined, true)],
}

describe('buildWindowsInterfaces: laptop (Wi-Fi, built-in and USB Ethernet, hotspot, Hyper-V, VMware, VPNs)', () => {
  const list = buildWindowsInterfaces({ node: laptopNode, adapters: out(fixture('get-netadapter-laptop.json')) })

  it('classifies Node’s interfaces by matching them to adapters by alias', () => {
    expect(kinds(list)).toEqual({
      'Wi-Fi': 'wifi',
      'Ethernet 3': 'ethernet',
      'Local Area Connection* 2': 'peer-to-peer',
      'vEthernet (Default Switch)': 'virtual',
      'VMware Network Adapter VMnet8': 'virtual',
      'OpenVPN TAP-Windows6': 'tunnel',
      'wg-office': 'tunnel',
      'Loopback Pseudo-Interface 1': 'loopback',
      Ethernet: 'ethernet',
      'Bluetooth Network Connection': 'peer-to-peer',
      Cellular: 'cellular',
    })
    for (const i of list) expect(NetInterface.safeParse(i).success, i.name).toBe(true)
  })

  it('lists physical adapters without addresses with their state, and leaves hidden virtual ones out', () => {
    expect(byName(list, 'Ethernet')).toMatchObject({ isUp: true, isRunning: false, addresses: [], mac: '00:00:5e:00:53:22' })
    expect(byName(list, 'Cellular')).toMatchObject({ isUp: false, isRunning: false })
    expect(list.map((i) => i.name)).not.toContain('Local Area Connection* 1')
    expect(list.map((i) => i.name)).not.toContain('Local Area Connection* 8')
    expect(list.map((i) => i.name)).not.toContain('Ethernet (Kernel Debugger)')
  })

  it('keeps Node’s addresses and reasons from the adapter', () => {
    expect(byName(list, 'Wi-Fi')).toMatchObject({ isRunning: true, kindReason: 'physical medium Native 802.11 (9)' })
    expect(byName(list, 'Wi-Fi')?.addresses.map((a) => a.address)).toEqual(['fe80::8d2a:13ff:fe4c:2201', '198.18.4.21'])
    expect(byName(list, 'wg-office')?.kindReason).toBe('VPN driver ("WireGuard Tunnel")')
    expect(byName(list, 'Local Area Connection* 2')?.kindReason).toMatch(/^Wi-Fi Direct virtual adapter/)
  })
})

describe('buildWindowsInterfaces: names', () => {
  const node = {
    이더넷: [v4('198.18.5.10', '255.255.255.0', '00:00:5e:00:53:31')],
    'vEthernet (WSL)': [v4('172.20.240.1', '255.255.240.0', '00:15:5d:3c:90:11')],
  }

  it('matches non-ASCII aliases and lists the disconnected USB adapter and the disabled Wi-Fi', () => {
    const list = buildWindowsInterfaces({ node, adapters: out(fixture('get-netadapter-korean.json')) })
    expect(kinds(list)).toEqual({ 이더넷: 'ethernet', 'vEthernet (WSL)': 'virtual', '이더넷 2': 'ethernet', 'Wi-Fi': 'wifi' })
    expect(byName(list, 'Wi-Fi')).toMatchObject({ isUp: false, isRunning: false })
  })

  it('matches by MAC when the console code page mangled a name, and says so', () => {
    const mangled = fixture('get-netadapter-korean.json').replaceAll('이더넷', '???')
    const list = buildWindowsInterfaces({ node, adapters: out(mangled) })
    expect(byName(list, '이더넷')).toMatchObject({ kind: 'ethernet' })
    expect(byName(list, '이더넷')?.kindReason).toBe('physical medium 802.3 (14) on a hardware interface; matched to adapter "???" by MAC address')
  })

  it('does not match by a MAC two adapters share (an external vSwitch shares the NIC’s address)', () => {
    const shared = JSON.stringify([
      { Name: 'Ethernet', MacAddress: '00-00-5E-00-53-31', NdisPhysicalMedium: 14, HardwareInterface: true, Status: 'Up' },
      { Name: 'vEthernet (External)', MacAddress: '00-00-5E-00-53-31', InterfaceDescription: 'Hyper-V Virtual Ethernet Adapter', Status: 'Up' },
    ])
    const list = buildWindowsInterfaces({ node: { 'Renamed NIC': node.이더넷 }, adapters: out(shared) })
    expect(byName(list, 'Renamed NIC')).toMatchObject({ kind: 'unknown', kindReason: 'not listed by Get-NetAdapter (e.g. a dial-up or RAS connection)' })
  })
})

describe('buildWindowsInterfaces: fallbacks', () => {
  it('returns Node’s table with the reason when PowerShell failed or printed something unreadable', () => {
    const failed = buildWindowsInterfaces({ node: laptopNode, adapters: { ok: false, error: { code: 'tool-timeout', message: 'powershell.exe took longer than 10000 ms' } } })
    expect(byName(failed, 'Wi-Fi')).toMatchObject({ kind: 'unknown', kindReason: 'link facts unavailable: powershell.exe took longer than 10000 ms' })
    expect(byName(failed, 'Loopback Pseudo-Interface 1')?.kind).toBe('loopback')
    const truncated = buildWindowsInterfaces({ node: laptopNode, adapters: out(fixture('get-netadapter-truncated.json')) })
    expect(byName(truncated, 'Wi-Fi')?.kindReason).toBe('link facts unavailable: Get-NetAdapter did not print JSON')
    expect(truncated).toHaveLength(Object.keys(laptopNode).length)
  })

  it('runs the documented Get-NetAdapter selection with UTF-8 output', () => {
    expect(GET_NET_ADAPTER_SCRIPT).toBe('[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ' +
      'ConvertTo-Json -InputObject @(Get-NetAdapter -IncludeHidden | Select-Object Name,InterfaceDescription,ifIndex,' +
      'MacAddress,MediaType,PhysicalMediaType,NdisPhysicalMedium,Virtual,HardwareInterface,ConnectorPresent,Status,InterfaceType)')
  })
})
