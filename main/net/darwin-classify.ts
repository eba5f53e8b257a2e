/**
 * macOS: choosing a kind from what ifconfig and networksetup say about a link, most trustworthy fact first.
 *
 * The kernel facts (flags, eflags, `type:`) are locale-independent and come first; networksetup's port list
 * then says whether a link is a real port. Apple says BSD names are not API (DTS, "Extra-ordinary
 * Networking"), so a name is used only for `awdl`/`llw` when the OS reported nothing else, and says so.
 */
import type { Classification } from './classify'
import { classifyPortName, type HardwarePort } from './darwin-hardware-ports'
import type { IfconfigLink } from './darwin-ifconfig'

/** Everything known about one link. */
export interface DarwinLinkFacts {
  link: IfconfigLink
  /** The networksetup port for this device, if it is one. */
  port?: HardwarePort
  /** Whether networksetup's full list is known; if not, "not a port" proves nothing and the reason says why. */
  portsKnown: boolean
  /** Why the port list is missing or partial (for the reason text). */
  portsUnavailable?: string
  /** Link addresses of AWDL links (eflag AWDL): `llw` shares its address with `awdl`. */
  awdlMacs: ReadonlyMap<string, string>
}

const ETHERNET_TYPES = new Set(['Ethernet', 'USB Ethernet', 'IP over Thunderbolt', 'IP over FireWire'])
const UNKNOWN: Classification = { kind: 'unknown', reason: 'the OS reports nothing that identifies this link' }

/** Picks the most specific kind the facts support. */
export function classifyDarwinLink(facts: DarwinLinkFacts): Classification {
  return fromFlags(facts) ?? fromType(facts) ?? fromPortOrName(facts) ?? UNKNOWN
}

function fromFlags({ link, port }: DarwinLinkFacts): Classification | undefined {
  if (link.flags.includes('LOOPBACK')) return { kind: 'loopback', reason: 'loopback flag' }
  if (link.eflags.includes('AWDL')) return { kind: 'peer-to-peer', reason: 'AWDL eflag (Apple peer-to-peer Wi-Fi)' }
  if (link.type?.startsWith('Companion Link')) {
    return { kind: 'peer-to-peer', reason: `type ${link.type}: a link to a paired device such as a watch` }
  }
  if (link.isBridge) {
    const members = link.members.length > 0 ? `members ${link.members.join(', ')}` : 'no members'
    return { kind: 'bridge', reason: `bridge configuration (${members})` }
  }
  const portClass = port ? classifyPortName(port.port) : undefined
  if (portClass?.kind === 'bridge') return portClass
  if (link.flags.includes('POINTOPOINT') && !link.flags.includes('BROADCAST')) {
    return { kind: 'tunnel', reason: 'point-to-point flag without broadcast (VPN or tunnel)' }
  }
  if (link.vlanParent) return { kind: 'virtual', reason: `VLAN on ${link.vlanParent}` }
  return undefined
}

function fromType(facts: DarwinLinkFacts): Classification | undefined {
  const { link, port } = facts
  const type = link.type
  if (type === undefined) return undefined
  const portClass = port ? classifyPortName(port.port) : undefined
  if (portClass?.kind === 'cellular') return portClass
  if (type === 'Cellular') return { kind: 'cellular', reason: 'type Cellular' }
  if (type === 'Bluetooth PAN') return { kind: 'peer-to-peer', reason: 'type Bluetooth PAN: a personal-area link to one paired device' }
  if (type === 'Packet capture') return { kind: 'virtual', reason: 'type Packet capture' }
  if (type === 'Wi-Fi') return fromWifiType(facts)
  if (ETHERNET_TYPES.has(type)) return fromEthernetType(facts, type)
  return undefined
}

function fromWifiType({ link, port, portsKnown, portsUnavailable, awdlMacs }: DarwinLinkFacts): Classification {
  const awdl = link.ether !== undefined ? awdlMacs.get(link.ether) : undefined
  if (awdl !== undefined && awdl !== link.name) {
    return { kind: 'peer-to-peer', reason: `type Wi-Fi with the link address of AWDL link ${awdl} (its low-latency companion)` }
  }
  if (port) return { kind: 'wifi', reason: `type Wi-Fi, hardware port "${port.port}"` }
  if (portsKnown) {
    return {
      kind: 'virtual',
      reason: 'type Wi-Fi but not a hardware port: an extra interface on the Wi-Fi radio (access point or peer-to-peer)',
    }
  }
  return { kind: 'wifi', reason: `type Wi-Fi (networksetup unavailable: ${portsUnavailable ?? 'no answer'}; extra radio interfaces look the same)` }
}

function fromEthernetType({ port, portsKnown, portsUnavailable }: DarwinLinkFacts, type: string): Classification {
  if (port) return { kind: 'ethernet', reason: `type ${type}, hardware port "${port.port}"` }
  if (portsKnown) {
    return { kind: 'virtual', reason: `type ${type} but not a hardware port: a link made by software (VM or container host network, internal link)` }
  }
  return { kind: 'ethernet', reason: `type ${type} (networksetup unavailable: ${portsUnavailable ?? 'no answer'}; virtual links look the same)` }
}

function fromPortOrName({ link, port }: DarwinLinkFacts): Classification | undefined {
  const portClass = port ? classifyPortName(port.port) : undefined
  if (portClass) return portClass
  // Last resort, only when the kernel said nothing (no `-v` facts): Apple's peer-to-peer Wi-Fi families.
  const family = /^(awdl|llw)\d+$/.exec(link.name)?.[1]
  if (family && link.type === undefined && link.eflags.length === 0) {
    return {
      kind: 'peer-to-peer',
      reason: `name family ${family} (Apple peer-to-peer Wi-Fi): macOS reported no type or eflags, so the name is the last resort`,
    }
  }
  return undefined
}
