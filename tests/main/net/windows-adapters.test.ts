import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { classifyAdapter, parseNetAdapterJson, type NetAdapter } from '../../../main/net/windows-adapters'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'windows', name), 'utf8')

function adapters(name: string): NetAdapter[] {
  const parsed = parseNetAdapterJson(fixture(name))
  if (!parsed.ok) throw new Error(parsed.error.message)
  return parsed.value
}

describe('parseNetAdapterJson (reconstructed Windows PowerShell 5.1 output)', () => {
  it('reads every adapter, normalizing MACs to Node’s form and leaving empty ones out', () => {
    const list = adapters('get-netadapter-laptop.json')
    expect(list).toHaveLength(13)
    expect(list[0]).toEqual({
      name: 'Wi-Fi', description: 'Intel(R) Wi-Fi 6E AX211 160MHz', ifIndex: 12, mac: '00:00:5e:00:53:21',
      physicalMediaType: 'Native 802.11', ndisPhysicalMedium: 9, isVirtual: false, isHardware: true, hasConnector: true,
      status: 'Up', ifType: 71,
    })
    expect(list.find((a) => a.name === 'wg-office')?.mac).toBeUndefined()
  })

  it('accepts the single-object form PowerShell prints for one adapter', () => {
    expect(adapters('get-netadapter-single.json').map((a) => a.name)).toEqual(['Ethernet'])
  })

  it('keeps non-ASCII adapter names and skips a leading byte-order mark', () => {
    expect(adapters('get-netadapter-korean.json').map((a) => a.name)).toEqual([
      '이더넷', '이더넷 2', '로컬 영역 연결* 2', 'vEthernet (WSL)', 'Wi-Fi',
    ])
  })

  it('returns an error value for truncated, foreign or empty-shaped output and never throws', () => {
    const cases = [
      fixture('get-netadapter-truncated.json'),
      "Get-NetAdapter : The term 'Get-NetAdapter' is not recognized as the name of a cmdlet, function, script file, or operable program.",
      '',
      'null',
      '[{"Foo":  1}]',
    ]
    for (const text of cases) {
      const parsed = parseNetAdapterJson(text)
      expect(parsed.ok, text.slice(0, 40)).toBe(false)
      if (!parsed.ok) expect(parsed.error.code).toBe('tool-output-unreadable')
    }
    expect(parseNetAdapterJson('[]')).toEqual({ ok: true, value: [] })
  })

  it('skips an entry with the wrong shape and keeps the rest', () => {
    const parsed = parseNetAdapterJson('[{"Name": "Ethernet", "InterfaceType": 6}, {"Name": 7}, {"Name": ""}]')
    expect(parsed.ok && parsed.value.map((a) => a.name)).toEqual(['Ethernet'])
  })
})

describe('classifyAdapter', () => {
  it('classifies a laptop’s adapters from NDIS facts, with the documented description rules', () => {
    const kinds = Object.fromEntries(adapters('get-netadapter-laptop.json').map((a) => [a.name, classifyAdapter(a).kind]))
    expect(kinds).toEqual({
      'Wi-Fi': 'wifi',
      Ethernet: 'ethernet',
      'Ethernet 3': 'ethernet',
      'Local Area Connection* 1': 'peer-to-peer',
      'Local Area Connection* 2': 'peer-to-peer',
      'vEthernet (Default Switch)': 'virtual',
      'VMware Network Adapter VMnet8': 'virtual',
      'OpenVPN TAP-Windows6': 'tunnel',
      'wg-office': 'tunnel',
      'Bluetooth Network Connection': 'peer-to-peer',
      Cellular: 'cellular',
      'Local Area Connection* 8': 'virtual',
      'Ethernet (Kernel Debugger)': 'virtual',
    })
  })

  it('tells a Hyper-V guest NIC (hardware interface) from a host vEthernet port', () => {
    const [guest] = adapters('get-netadapter-single.json')
    expect(guest && classifyAdapter(guest)).toEqual({ kind: 'ethernet', reason: 'ifType 6 (ethernetCsmacd) on a hardware interface' })
    const host = adapters('get-netadapter-korean.json').find((a) => a.name === 'vEthernet (WSL)')
    expect(host && classifyAdapter(host).reason).toBe('Hyper-V virtual switch port ("Hyper-V Virtual Ethernet Adapter #2")')
  })

  it('lets a VPN driver description win over the Virtual flag, and the Virtual flag over Ethernet', () => {
    const base: NetAdapter = { name: 'x', ifType: 6, ndisPhysicalMedium: 14, isHardware: true }
    expect(classifyAdapter({ ...base, isVirtual: true, description: 'Fortinet SSL VPN Virtual Ethernet Adapter' }).kind).toBe('tunnel')
    expect(classifyAdapter({ ...base, isVirtual: true, description: 'Some Virtual Miniport' })).toEqual({
      kind: 'virtual', reason: 'Virtual flag ("Some Virtual Miniport")',
    })
    expect(classifyAdapter({ ...base, description: 'Wintun Userspace Tunnel', ifType: 53, ndisPhysicalMedium: 0 }).kind).toBe('tunnel')
    // "TAP" must be a word: "Adapter" and "Laptop" do not make a tunnel.
    expect(classifyAdapter({ ...base, description: 'Laptop Adapter' }).kind).toBe('ethernet')
  })

  it('reads the IANA ifType when the physical medium is unspecified', () => {
    expect(classifyAdapter({ name: 'a', ifType: 24 }).kind).toBe('loopback')
    expect(classifyAdapter({ name: 'b', ifType: 131 })).toEqual({ kind: 'tunnel', reason: 'ifType 131 (tunnel)' })
    expect(classifyAdapter({ name: 'c', ifType: 244 })).toEqual({ kind: 'cellular', reason: 'ifType 244 (wwan)' })
    expect(classifyAdapter({ name: 'd', ifType: 71, isHardware: true })).toEqual({ kind: 'wifi', reason: 'ifType 71 (ieee80211)' })
    expect(classifyAdapter({ name: 'e' })).toEqual({ kind: 'unknown', reason: 'Get-NetAdapter reports nothing that identifies this adapter' })
  })
})
