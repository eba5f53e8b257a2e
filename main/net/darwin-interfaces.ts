/**
 * macOS: the interface list from `ifconfig -a -v` (every link, with flags and type), classified with the help
 * of `networksetup -listallhardwareports`, with addresses from Node's table where it has them.
 *
 * Pure: the reader (interfaces.ts) runs the tools and hands their outcomes here, so every fallback — no
 * ifconfig, no networksetup, garbage from either — is a plain input in tests.
 */
import type { NetInterface } from '../../shared/net/interfaces'
import type { Classification, ToolOutcome } from './classify'
import { classifyDarwinLink } from './darwin-classify'
import { classifyPortName, parseHardwarePorts, type HardwarePort } from './darwin-hardware-ports'
import { parseIfconfig, type IfconfigLink } from './darwin-ifconfig'
import { fromNodeInterfaces, nodeAddresses, nodeMac, type NodeTable } from './node-interfaces'

/** What the macOS reader collected. */
export interface DarwinSources {
  node: NodeTable
  /** `ifconfig -a -v`. */
  ifconfig: ToolOutcome
  /** `networksetup -listallhardwareports`. */
  ports: ToolOutcome
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

/** Ports networksetup listed; `complete` unless the listing stopped early (then absence proves nothing). */
type Ports = { ports: HardwarePort[]; complete: true } | { ports: HardwarePort[]; complete: false; why: string }

/** Builds the list; falls back to Node's table (with port names if networksetup answered) and never throws. */
export function buildDarwinInterfaces({ node, ifconfig, ports }: DarwinSources): NetInterface[] {
  const portList = readPorts(ports)
  const links = readLinks(ifconfig)
  if (!links.ok) return fromNodeWithPorts(node, portList.ports, links.message)
  const portByDevice = new Map(portList.ports.map((p) => [p.device, p]))
  const awdlMacs = new Map<string, string>()
  for (const l of links.value) if (l.eflags.includes('AWDL') && l.ether !== undefined) awdlMacs.set(l.ether, l.name)
  const list = links.value.map((link) => {
    const port = portByDevice.get(link.name)
    const kind = classifyDarwinLink({
      link,
      ...(port !== undefined && { port }),
      portsKnown: portList.complete,
      ...(!portList.complete && { portsUnavailable: portList.why }),
      awdlMacs,
    })
    return toInterface(link, kind, node[link.name], port)
  })
  const listed = new Set(links.value.map((l) => l.name))
  const extra = Object.fromEntries(Object.entries(node).filter(([name]) => !listed.has(name)))
  return [...list, ...fromNodeInterfaces(extra, 'darwin', 'listed by Node but not by ifconfig')]
}

function readPorts(outcome: ToolOutcome): Ports {
  if (!outcome.ok) return { ports: [], complete: false, why: outcome.error.message }
  const { ports, isComplete } = parseHardwarePorts(outcome.stdout)
  // Every Mac has at least one port; an empty list means the output was not the port list at all.
  if (ports.length === 0) return { ports, complete: false, why: 'networksetup printed no hardware ports' }
  return isComplete ? { ports, complete: true } : { ports, complete: false, why: 'networksetup output ended early' }
}

function readLinks(outcome: ToolOutcome): Parsed<IfconfigLink[]> {
  if (!outcome.ok) return { ok: false, message: outcome.error.message }
  const byName = new Map<string, IfconfigLink>()
  for (const link of parseIfconfig(outcome.stdout)) if (!byName.has(link.name)) byName.set(link.name, link)
  const links = [...byName.values()]
  if (links.length === 0) return { ok: false, message: 'ifconfig printed no interface it could parse' }
  return { ok: true, value: links }
}

function toInterface(link: IfconfigLink, c: Classification, infos: NodeTable[string], port: HardwarePort | undefined): NetInterface {
  const isUp = link.flags.includes('UP')
  const mac = link.ether ?? port?.mac ?? (infos ? nodeMac(infos) : undefined)
  return {
    name: link.name,
    kind: c.kind,
    kindReason: c.reason,
    ...(mac !== undefined && { mac }),
    ...(link.mtu !== undefined && { mtu: link.mtu }),
    isUp,
    // RUNNING is set once the driver is ready; `status: inactive` is the cable or radio reporting no carrier.
    isRunning: isUp && link.flags.includes('RUNNING') && link.status !== 'inactive',
    isInternal: link.flags.includes('LOOPBACK'),
    canMulticast: link.flags.includes('MULTICAST'),
    // Node's addresses where it lists the link (it skips links that are not up and running).
    addresses: infos !== undefined && infos.length > 0 ? nodeAddresses(infos) : link.addresses,
  }
}

function fromNodeWithPorts(node: NodeTable, ports: readonly HardwarePort[], why: string): NetInterface[] {
  const byDevice = new Map(ports.map((p) => [p.device, p]))
  return fromNodeInterfaces(node, 'darwin', `link facts unavailable: ${why}`).map((i) => {
    const port = byDevice.get(i.name)
    const c = port && i.kind !== 'loopback' ? classifyPortName(port.port) : undefined
    return c ? { ...i, kind: c.kind, kindReason: `${c.reason} (no link facts: ${why})` } : i
  })
}
