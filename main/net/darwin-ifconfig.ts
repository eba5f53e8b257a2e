/**
 * macOS: parsing `ifconfig -a -v`, the kernel's view of every interface — flags, eflags, link type, bridge
 * membership — including interfaces without an address, which Node's table leaves out.
 *
 * Format (Apple network_cmds, ifconfig.tproj/ifconfig.c `status()`): a header line
 * `name: flags=HEX<UP,…> mtu N index N`, then tab-indented lines. `-v` adds `eflags=HEX<…,AWDL,…>` and
 * `type: …` from `ift2str()` ("Wi-Fi", "Ethernet", "USB Ethernet", "IP over Thunderbolt", "Bluetooth PAN",
 * "Cellular", "Companion Link …"); bridges, loopback, tunnels and VLANs get no `type:` line at all.
 */
import type { InterfaceAddress } from '../../shared/net/interfaces'
import { netmaskFromPrefix, prefixFromNetmask, scopeOf } from './address'

/** One interface as `ifconfig -a -v` describes it. */
export interface IfconfigLink {
  name: string
  flags: string[]
  /** Extended flags (`-v` only): AWDL, EXPENSIVE, NOAUTOIPV6LL … */
  eflags: string[]
  mtu?: number
  ether?: string
  /** `type:` line (`-v` only): the kernel's interface type and subfamily, in English on every locale. */
  type?: string
  /** `status:` line: carrier (`active`/`inactive`); absent where there is no media (tunnels, loopback). */
  status?: string
  /** `Configuration:`/`member:` lines were present: this is a bridge. */
  isBridge: boolean
  members: string[]
  /** `vlan: N parent interface: X`: the parent of a VLAN. */
  vlanParent?: string
  addresses: InterfaceAddress[]
}

const HEADER = /^([^\s:]+): flags=[0-9a-fA-F]+<([^>]*)>(?: mtu (\d+))?/
const FLAGS_LINE = /^eflags=[0-9a-fA-F]+<([^>]*)>/
const INET = /^inet (\d+\.\d+\.\d+\.\d+)(?: --> \S+)? netmask (0x[0-9a-fA-F]{8})/
const INET6 = /^inet6 ([0-9a-fA-F:.]+)(?:%\S+)? prefixlen (\d+)(?:.* scopeid (0x[0-9a-fA-F]+))?/

/** Parses `ifconfig -a -v` (or plain `ifconfig -a`); lines that do not belong to a parsed header are ignored. */
export function parseIfconfig(text: string): IfconfigLink[] {
  const links: IfconfigLink[] = []
  let current: IfconfigLink | undefined
  for (const line of text.split(/\r?\n/)) {
    const header = HEADER.exec(line)
    if (header) {
      current = newLink(header[1] ?? '', header[2] ?? '', header[3])
      links.push(current)
    } else if (current && /^\s/.test(line)) {
      readDetail(current, line.trim())
    } else if (line.trim() !== '') {
      // Not a header and not indented: garbage or a truncated header; what follows is not attributable.
      current = undefined
    }
  }
  return links
}

function newLink(name: string, flags: string, mtu: string | undefined): IfconfigLink {
  return {
    name,
    flags: flags.split(',').filter(Boolean),
    eflags: [],
    ...(mtu !== undefined && { mtu: Number(mtu) }),
    isBridge: false,
    members: [],
    addresses: [],
  }
}

function readDetail(link: IfconfigLink, line: string): void {
  const eflags = FLAGS_LINE.exec(line)
  if (eflags) link.eflags = (eflags[1] ?? '').split(',').filter(Boolean)
  else if (line.startsWith('ether ')) link.ether = line.slice(6).trim().toLowerCase()
  else if (line.startsWith('status: ')) link.status = line.slice(8).trim()
  else if (line.startsWith('type: ')) {
    const type = typeName(line.slice(6))
    if (type !== undefined) link.type = type
  }
  else if (line === 'Configuration:') link.isBridge = true
  else if (line.startsWith('member: ')) {
    link.isBridge = true
    const member = line.split(/\s+/)[1]
    if (member) link.members.push(member)
  } else if (line.startsWith('vlan: ')) {
    const parent = /parent interface: (\S+)/.exec(line)?.[1]
    if (parent) link.vlanParent = parent
  } else {
    const address = toAddress(line)
    if (address) link.addresses.push(address)
  }
}

/** `-v -v` prints `Wi-Fi (0x6) family: 2 subfamily: 3` and bare `0xd1 family: …` for unnamed types. */
function typeName(raw: string): string | undefined {
  const name = raw.split(' (0x')[0]?.trim()
  return name && !name.startsWith('0x') ? name : undefined
}

function toAddress(line: string): InterfaceAddress | undefined {
  const v4 = INET.exec(line)
  if (v4?.[1] && v4[2]) {
    const netmask = [24, 16, 8, 0].map((shift) => (parseInt(v4[2] ?? '0', 16) >>> shift) & 0xff).join('.')
    return { address: v4[1], family: 'IPv4', netmask, prefixLength: prefixFromNetmask(netmask), scope: scopeOf('IPv4', v4[1]) }
  }
  const v6 = INET6.exec(line)
  if (v6?.[1] && v6[2]) {
    const prefixLength = Math.min(128, Number(v6[2]))
    const scope = scopeOf('IPv6', v6[1])
    const scopeId = v6[3] ? parseInt(v6[3], 16) : 0
    return {
      address: v6[1],
      family: 'IPv6',
      netmask: netmaskFromPrefix('IPv6', prefixLength),
      prefixLength,
      scope,
      ...(scopeId > 0 && { scopeId }),
    }
  }
  return undefined
}
