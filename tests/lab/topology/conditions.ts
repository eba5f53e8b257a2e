/**
 * Link conditions (delay, jitter, loss) on a node's links. The lab's kernel has no sch_netem
 * (CONFIG_NET_SCH_NETEM is not set), so instead of `tc qdisc … netem` a relay (shaper.py, user space,
 * layer 2) is spliced in on the switch side: the node's port leaves its bridge, a fresh veth pair's far
 * end (`s-…`) takes its place, and the relay copies frames between the port and the near end (`r-…`),
 * delaying and dropping each direction on its own. Nothing changes inside the node's namespace.
 */
import type { ChildProcess } from 'node:child_process'
import { parseLinks } from '../../../main/wifi/lab-adapter'
import type { LabPlan } from './plan'
import { ip, ipBatch, labAsset, waitForLine, captureTail, type ProcessTracker } from './shell'
import type { LinkConditions } from './types'

interface Relay {
  child: ChildProcess
  ports: { port: string; near: string; far: string }[]
}

/** Switch-side ports of a node: 'app', an accessory id, 'avahi' or 'zeroconf'. */
export function portsOf(plan: LabPlan, node: string): string[] {
  if (node === 'app') return [plan.app.port]
  if (node === 'avahi' || node === 'zeroconf') {
    const peer = plan.peers[node]
    if (!peer) throw new TypeError(`setLinkConditions: the lab has no ${node} peer`)
    return [peer.port]
  }
  const a = plan.accessories.find((x) => x.id === node)
  if (!a) throw new TypeError(`setLinkConditions: unknown node "${node}" (use 'app', an accessory id, 'avahi' or 'zeroconf')`)
  return [...(a.ap ? [a.ap.port] : []), a.sta.port]
}

function validate(c: LinkConditions): Required<LinkConditions> {
  const out = { lossPct: c.lossPct ?? 0, delayMs: c.delayMs ?? 0, jitterMs: c.jitterMs ?? 0 }
  for (const [key, value] of Object.entries(out)) {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`setLinkConditions: ${key} must be a number ≥ 0`)
  }
  if (out.lossPct > 100) throw new TypeError('setLinkConditions: lossPct must be ≤ 100')
  return out
}

/** Applies and clears link conditions; the app's current bridge port is published through `onAppPort`. */
export class LinkShaper {
  private readonly relays = new Map<string, Relay>()
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly plan: LabPlan,
    private readonly tracker: ProcessTracker,
    private readonly onAppPort: (port: string) => void,
  ) {}

  /** Sets (or with null clears) the conditions of `node`'s links; calls run one at a time. */
  set(node: string, conditions: LinkConditions | null): Promise<void> {
    const next = this.chain.then(() => this.apply(node, conditions))
    this.chain = next.catch(() => undefined)
    return next
  }

  private async apply(node: string, conditions: LinkConditions | null): Promise<void> {
    const ports = portsOf(this.plan, node)
    const relay = this.relays.get(node)
    if (conditions === null) {
      if (relay) await this.remove(node, relay)
      return
    }
    const c = validate(conditions)
    if (relay) {
      relay.child.stdin?.write(`${JSON.stringify(c)}\n`)
      return
    }
    await this.splice(node, ports, c)
  }

  private async masters(): Promise<Map<string, string | undefined>> {
    const links = parseLinks(await ip(['-n', this.plan.switchNs, '-j', 'link', 'show'])) ?? new Map()
    return new Map([...links].map(([name, state]) => [name, state.master]))
  }

  private async splice(node: string, names: string[], c: Required<LinkConditions>): Promise<void> {
    const ports = names.map((port) => ({ port, near: port.replace(/^p-/, 'r-'), far: port.replace(/^p-/, 's-') }))
    await ipBatch(this.plan.switchNs, ports.flatMap((p) => [`link add ${p.near} type veth peer name ${p.far}`, `link set ${p.near} up`, `link set ${p.far} up`]))
    const pairs = ports.map((p) => `${p.port}:${p.near}`).join(',')
    const child = this.tracker.spawn(this.plan.switchNs, '/usr/bin/python3', [labAsset('topology/shaper.py'), pairs, JSON.stringify(c)])
    try {
      await waitForLine(child, /^ready/, 5000, `link shaper for ${node}`)
      captureTail(child)
      const masters = await this.masters()
      await ipBatch(this.plan.switchNs, ports.flatMap((p) => {
        const bridge = masters.get(p.port)
        return bridge ? [`link set ${p.port} nomaster`, `link set ${p.far} master ${bridge}`] : []
      }))
    } catch (error) {
      await this.tracker.stop(child)
      await ipBatch(this.plan.switchNs, ports.map((p) => `link del ${p.near}`)).catch(() => undefined)
      throw error
    }
    this.relays.set(node, { child, ports })
    if (node === 'app') this.onAppPort(ports[0]?.far ?? this.plan.app.port)
  }

  private async remove(node: string, relay: Relay): Promise<void> {
    // Read where each far end is now: the app may have joined another network through it meanwhile.
    const masters = await this.masters()
    await ipBatch(this.plan.switchNs, relay.ports.flatMap((p) => {
      const bridge = masters.get(p.far)
      return [`link set ${p.far} nomaster`, ...(bridge ? [`link set ${p.port} master ${bridge}`] : []), `link del ${p.near}`]
    }))
    if (node === 'app') this.onAppPort(this.plan.app.port)
    this.relays.delete(node)
    await this.tracker.stop(relay.child)
  }
}
