/**
 * Windows: Node's table (addresses, keyed by interface alias) classified with Get-NetAdapter's NDIS facts.
 *
 * Adapters are matched to Node's entries by alias (Get-NetAdapter's `Name` is the same friendly name Node
 * uses) and, failing that, by a MAC address both sides hold exactly once: PowerShell's output passes
 * through a console code page, and a name with non-ASCII characters may not survive it. Physical adapters
 * without addresses (unplugged, radio off, disabled) are listed too; hidden and virtual adapters without
 * addresses (WAN miniports, debug adapters) are left out as noise. Pure: interfaces.ts runs PowerShell.
 */
import type { NetInterface } from '../../shared/net/interfaces'
import type { ToolOutcome } from './classify'
import { fromNodeInterfaces, nodeMac, type NodeTable } from './node-interfaces'
import { classifyAdapter, parseNetAdapterJson, type NetAdapter } from './windows-adapters'

/** What the Windows reader collected. */
export interface WindowsSources {
  node: NodeTable
  /** `Get-NetAdapter -IncludeHidden | Select-Object … | ConvertTo-Json`. */
  adapters: ToolOutcome
}

const ADAPTER_PROPERTIES = [
  'Name', 'InterfaceDescription', 'ifIndex', 'MacAddress', 'MediaType', 'PhysicalMediaType', 'NdisPhysicalMedium',
  'Virtual', 'HardwareInterface', 'ConnectorPresent', 'Status', 'InterfaceType',
].join(',')

/**
 * The PowerShell script the reader runs. UTF-8 output so adapter names keep their characters; `-InputObject
 * @(…)` so one adapter still prints an array (the parser accepts the single-object form too).
 */
export const GET_NET_ADAPTER_SCRIPT =
  '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ' +
  `ConvertTo-Json -InputObject @(Get-NetAdapter -IncludeHidden | Select-Object ${ADAPTER_PROPERTIES})`

/** Builds the list; falls back to Node's table with the reason when PowerShell gave nothing usable. */
export function buildWindowsInterfaces({ node, adapters }: WindowsSources): NetInterface[] {
  if (!adapters.ok) return fromNodeInterfaces(node, 'win32', `link facts unavailable: ${adapters.error.message}`)
  const parsed = parseNetAdapterJson(adapters.stdout)
  if (!parsed.ok) return fromNodeInterfaces(node, 'win32', `link facts unavailable: ${parsed.error.message}`)
  const { byNode, byMac } = matchAdapters(node, parsed.value)
  const listed = fromNodeInterfaces(node, 'win32', 'not listed by Get-NetAdapter (e.g. a dial-up or RAS connection)')
    .map((i): NetInterface => {
      const adapter = byNode.get(i.name)
      if (adapter === undefined || i.kind === 'loopback') return i
      const c = classifyAdapter(adapter)
      const mac = i.mac ?? adapter.mac
      return {
        ...i,
        kind: c.kind,
        kindReason: byMac.has(i.name) ? `${c.reason}; matched to adapter "${adapter.name}" by MAC address` : c.reason,
        ...(mac !== undefined && { mac }),
        isRunning: adapter.status === undefined ? true : adapter.status === 'Up',
      }
    })
  const matched = new Set(byNode.values())
  const offline = parsed.value.filter((a) => !matched.has(a) && a.isHardware === true && a.status !== 'Not Present')
  return [...listed, ...offline.map(toOfflineInterface)]
}

function matchAdapters(node: NodeTable, adapters: readonly NetAdapter[]) {
  const byName = new Map(adapters.map((a) => [a.name, a]))
  const byNode = new Map<string, NetAdapter>()
  for (const name of Object.keys(node)) {
    const adapter = byName.get(name)
    if (adapter) byNode.set(name, adapter)
  }
  const used = new Set(byNode.values())
  const unmatched = Object.entries(node).filter(([name]) => !byNode.has(name))
  const byMac = new Set<string>()
  for (const [name, infos = []] of unmatched) {
    const mac = nodeMac(infos)
    if (mac === undefined) continue
    const sameMacNodes = unmatched.filter(([, other = []]) => nodeMac(other) === mac)
    const candidates = adapters.filter((a) => a.mac === mac && !used.has(a))
    const [only] = candidates
    if (sameMacNodes.length === 1 && candidates.length === 1 && only) {
      byNode.set(name, only)
      used.add(only)
      byMac.add(name)
    }
  }
  return { byNode, byMac }
}

function toOfflineInterface(adapter: NetAdapter): NetInterface {
  const c = classifyAdapter(adapter)
  // "Disconnected" is enabled without carrier; "Disabled" is switched off by the user or policy.
  const isUp = adapter.status !== 'Disabled'
  return {
    name: adapter.name,
    kind: c.kind,
    kindReason: c.reason,
    ...(adapter.mac !== undefined && { mac: adapter.mac }),
    isUp,
    isRunning: adapter.status === 'Up',
    isInternal: false,
    addresses: [],
  }
}
