/**
 * macOS: `networksetup -listallhardwareports`, SystemConfiguration's list of the machine's network ports.
 *
 * Format: blank-line separated blocks `Hardware Port: <name>` / `Device: <bsd name>` / `Ethernet Address:
 * <mac or N/A>`, then a `VLAN Configurations` / `===` section. What the list tells us that ifconfig cannot:
 * which links are real ports (an Ethernet-type link missing from it was made by software), and, for a few
 * ports, what they are for ("iPhone USB"). Port names are display names and are localized ("WLAN" on a
 * German Mac), so they rank below ifconfig's `type:` line and are matched loosely.
 */
import type { Classification } from './classify'

/** One hardware port. */
export interface HardwarePort {
  /** Display name, e.g. "Wi-Fi", "USB 10/100/1000 LAN", "Thunderbolt Bridge", "iPhone USB". */
  port: string
  /** BSD interface name, e.g. `en0`. */
  device: string
  mac?: string
}

/** The port list, and whether the output reached its end (the VLAN section every listing closes with). */
export interface HardwarePortList {
  ports: HardwarePort[]
  isComplete: boolean
}

/** Parses the port blocks; a block without a device is skipped, and the VLAN section ends the list. */
export function parseHardwarePorts(text: string): HardwarePortList {
  const ports: HardwarePort[] = []
  let port: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line.startsWith('VLAN Configurations')) return { ports, isComplete: true }
    const [key = '', ...rest] = line.split(':')
    const value = rest.join(':').trim()
    if (key === 'Hardware Port') port = value || undefined
    else if (key === 'Device' && port !== undefined) {
      if (value && !/\s/.test(value)) ports.push({ port, device: value })
      port = undefined
    } else if (key === 'Ethernet Address') {
      const last = ports.at(-1)
      if (last && last.mac === undefined && /^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i.test(value)) last.mac = value.toLowerCase()
    }
  }
  return { ports, isComplete: false }
}

/**
 * What a port's display name says, for ports ifconfig gives no `type:` for, and for the one fact the type
 * cannot carry: "iPhone USB"/"iPad USB" is Personal Hotspot tethering. It is classified `cellular`, not
 * `ethernet`, because the network behind it is the phone's mobile data (metered, NATed by the phone), not
 * a LAN where accessories live; ranking it with real Ethernet would send discovery the wrong way.
 */
export function classifyPortName(port: string): Classification | undefined {
  const quoted = `hardware port "${port}"`
  if (/^(iPhone|iPad)\b/i.test(port)) {
    return { kind: 'cellular', reason: `${quoted}: tethering through the device's Personal Hotspot (mobile data)` }
  }
  if (/bridge/i.test(port)) return { kind: 'bridge', reason: quoted }
  if (/^(Wi-?Fi|AirPort|WLAN)\b/i.test(port)) return { kind: 'wifi', reason: quoted }
  if (/bluetooth/i.test(port)) return { kind: 'peer-to-peer', reason: `${quoted}: a personal-area link to one paired device` }
  if (/ethernet|\bLAN\b|^Thunderbolt \d+$|firewire/i.test(port)) return { kind: 'ethernet', reason: quoted }
  return undefined
}
