/**
 * Classifying an interface from what the OS says about it — never from its name.
 *
 * Names are policy on every OS (`wlan0`, `wlp2s0`, `en0`, "Wi-Fi 2"), so field reports of libraries that
 * match `eth*`/`wlan*` missing real adapters are the reason this looks only at link facts. The macOS and
 * Windows rules live next to their parsers (darwin-classify.ts, windows-adapters.ts) and follow the same
 * order: loopback, then the most specific fact the OS gives, and `unknown` with a reason when it gives none.
 */
import type { InterfaceKind } from '../../shared/net/interfaces'

/** OS facts about one link, each optional because each platform reports a different subset. */
export interface LinkFacts {
  isLoopback?: boolean
  isPointToPoint?: boolean
  /** Link-layer type (`ip` link_type: ether, loopback, none, ppp, sit, ipip, gre …). */
  linkType?: string
  /** Driver kind from rtnetlink linkinfo (`ip -d`: veth, bridge, wireguard, tun, vxlan …). */
  infoKind?: string
  /** `DEVTYPE` from sysfs uevent (wlan, bridge, wireguard, wwan, vlan …). */
  devType?: string
  /** The link has nl80211/wireless state (sysfs `wireless` or `phy80211`). */
  isWireless?: boolean
  /** The link is backed by a device on a bus (sysfs `device` link), i.e. hardware or a VM NIC. */
  hasDevice?: boolean
}

/** A classification and the fact it rests on. */
export interface Classification {
  kind: InterfaceKind
  reason: string
}

/** Why an OS tool gave nothing usable; readers fall back and repeat `message` in the kindReason. */
export interface ToolError {
  code: 'tool-missing' | 'tool-failed' | 'tool-timeout' | 'tool-output-unreadable'
  message: string
}

/** What running one OS tool produced: its output, or why there is none. */
export type ToolOutcome = { ok: true; stdout: string } | { ok: false; error: ToolError }

const TUNNEL_KINDS = new Set(['tun', 'tap', 'wireguard', 'ipip', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'sit',
  'ip6tnl', 'vti', 'vti6', 'ppp', 'openvpn', 'xfrm', 'erspan'])
const TUNNEL_LINK_TYPES = new Set(['none', 'ppp', 'sit', 'ipip', 'gre', 'gre6', 'tunnel', 'tunnel6', 'ip6gre'])
const VIRTUAL_KINDS = new Set(['veth', 'macvlan', 'macvtap', 'ipvlan', 'vxlan', 'geneve', 'dummy', 'ifb', 'nlmon',
  'vrf', 'bond', 'team', 'vlan', 'netkit'])

/** Picks the most specific kind the facts support, most trustworthy fact first. */
export function classifyLink(facts: LinkFacts): Classification {
  if (facts.isLoopback || facts.linkType === 'loopback') return { kind: 'loopback', reason: 'loopback flag' }
  if (facts.isWireless || facts.devType === 'wlan') return { kind: 'wifi', reason: 'wireless (nl80211) device' }
  if (facts.devType === 'wwan') return { kind: 'cellular', reason: 'device type wwan' }
  if (facts.infoKind === 'bridge' || facts.devType === 'bridge') return { kind: 'bridge', reason: 'bridge device' }
  const kind = facts.infoKind ?? facts.devType
  if (kind !== undefined && TUNNEL_KINDS.has(kind)) return { kind: 'tunnel', reason: `link kind ${kind}` }
  if (facts.linkType !== undefined && TUNNEL_LINK_TYPES.has(facts.linkType)) {
    return { kind: 'tunnel', reason: `link type ${facts.linkType}` }
  }
  if (facts.isPointToPoint) return { kind: 'tunnel', reason: 'point-to-point flag' }
  if (kind !== undefined && VIRTUAL_KINDS.has(kind)) return { kind: 'virtual', reason: `link kind ${kind}` }
  if (facts.linkType === 'ether' && facts.hasDevice) return { kind: 'ethernet', reason: 'Ethernet link on a hardware device' }
  if (facts.linkType === 'ether' && facts.hasDevice === false) {
    return { kind: 'virtual', reason: 'Ethernet link with no hardware device' }
  }
  return { kind: 'unknown', reason: 'the OS reports nothing that identifies this link' }
}
