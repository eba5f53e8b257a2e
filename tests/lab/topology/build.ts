/**
 * Builds the planned lab in the kernel: namespaces, one switch namespace with every bridge, veth pairs
 * created from the switch namespace straight into each node's namespace (so no link ever exists in the
 * host's namespace), addresses, multicast routes, and the wait for IPv6 DAD.
 */
import { execResult, ip, ipBatch, sleep } from './shell'
import type { LabPlan } from './plan'

/** Throws when the build ran past its deadline; called between steps so a build never outlives its bound. */
export type Checkpoint = (step: string) => void

function switchCommands(plan: LabPlan): string[] {
  const bridge = (name: string) => [`link add ${name} type bridge mcast_snooping 0`, `link set ${name} up`]
  const port = (name: string, peer: string, ns: string, bridgeName: string) => [
    `link add ${name} type veth peer name ${peer} netns ${ns}`,
    `link set ${name} master ${bridgeName} up`,
  ]
  const lines = ['link set lo up', ...bridge('br-home')]
  for (const a of plan.accessories) if (a.ap) lines.push(...bridge(a.ap.bridge))
  lines.push(...port(plan.app.port, 'wlan0', plan.app.ns, 'br-home'))
  for (const p of [plan.peers.avahi, plan.peers.zeroconf]) if (p) lines.push(...port(p.port, 'eth0', p.ns, 'br-home'))
  for (const a of plan.accessories) {
    if (a.ap) lines.push(...port(a.ap.port, 'ap0', a.ns, a.ap.bridge))
    lines.push(...port(a.sta.port, 'sta0', a.ns, 'br-home'))
  }
  return lines
}

function hostCommands(ifname: string, address4: string, address6: string): string[] {
  // The namespace has no default route: without the 224.0.0.0/4 route multicast sends fail (docs/lab.md).
  return [
    'link set lo up',
    `addr add ${address4}/24 dev ${ifname}`,
    `addr add ${address6}/64 dev ${ifname} nodad`,
    `link set ${ifname} up`,
    `route add 224.0.0.0/4 dev ${ifname}`,
  ]
}

function accessoryCommands(a: LabPlan['accessories'][number]): string[] {
  const lines = ['link set lo up']
  if (a.ap) lines.push(`addr add ${a.ap.address4}/24 dev ap0`, 'link set ap0 up', 'route add 224.0.0.0/4 dev ap0 metric 20')
  if (a.sta.homeAddress4) lines.push(`addr add ${a.sta.homeAddress4}/24 dev sta0`)
  // Added while sta0 is down it survives the first up; joinHome re-adds it after any later down.
  lines.push(`addr add ${a.sta.homeAddress6}/64 dev sta0 nodad`)
  if (a.startOnHome) lines.push('link set sta0 up', 'route add 224.0.0.0/4 dev sta0 metric 10')
  return lines
}

/** The interfaces whose IPv6 link-local must finish DAD before the lab is ready. */
export function interfacesToSettle(plan: LabPlan): { ns: string; ifname: string }[] {
  const list = [{ ns: plan.app.ns, ifname: 'wlan0' }]
  for (const p of [plan.peers.avahi, plan.peers.zeroconf]) if (p) list.push({ ns: p.ns, ifname: 'eth0' })
  for (const a of plan.accessories) {
    if (a.ap) list.push({ ns: a.ns, ifname: 'ap0' })
    if (a.startOnHome) list.push({ ns: a.ns, ifname: 'sta0' })
  }
  return list
}

/** Names of interfaces in `ip -j -6 addr show` output that have a link-local address and none in DAD. */
export function settledInterfaces(json: string): Set<string> {
  const settled = new Set<string>()
  for (const dev of JSON.parse(json) as { ifname: string; addr_info?: { scope?: string; tentative?: boolean; dadfailed?: boolean }[] }[]) {
    const addrs = dev.addr_info ?? []
    if (addrs.some((a) => a.scope === 'link') && !addrs.some((a) => a.tentative || a.dadfailed)) settled.add(dev.ifname)
  }
  return settled
}

/** Interfaces of each node namespace, app and peers and accessories alike. */
function nodeInterfaces(plan: LabPlan): Map<string, string[]> {
  const map = new Map<string, string[]>([[plan.app.ns, ['wlan0']]])
  for (const p of [plan.peers.avahi, plan.peers.zeroconf]) if (p) map.set(p.ns, ['eth0'])
  for (const a of plan.accessories) map.set(a.ns, [...(a.ap ? ['ap0'] : []), 'sta0'])
  return map
}

/**
 * Shortens IPv6 DAD from 1–2 s to ~0.1 s: the kernel waits a random 0–router_solicitation_delay (1 s)
 * before the first probe, then retrans_time (1 s) for an answer (RFC 4862 §5.4). DAD still runs, only
 * sooner, so each join does not cost a test two seconds. LabOptions.dad = 'kernel' keeps the defaults.
 */
async function tuneDad(plan: LabPlan): Promise<void> {
  await Promise.all([...nodeInterfaces(plan)].map(async ([ns, names]) => {
    const keys = names.flatMap((n) => [`net.ipv6.conf.${n}.router_solicitation_delay=0`, `net.ipv6.neigh.${n}.retrans_time_ms=100`])
    const r = await execResult('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...keys])
    if (r.code !== 0) throw new Error(`sysctl in ${ns}: ${r.stderr.trim()}`)
  }))
}

/** Creates namespaces, bridges, links, addresses and routes. */
export async function buildNetwork(plan: LabPlan, checkpoint: Checkpoint, timings: Record<string, number>, fastDad = true): Promise<void> {
  let t = performance.now()
  const lap = (name: string) => {
    timings[name] = Math.round(performance.now() - t)
    t = performance.now()
  }
  // One at a time: the first `ip netns add` on a machine sets up /run/netns as a shared mount, which races.
  for (const ns of plan.namespaces) {
    checkpoint(`namespace ${ns}`)
    await ip(['netns', 'add', ns])
  }
  lap('namespacesMs')
  checkpoint('switch')
  // The switch is pure layer 2: no IPv6 of its own, so bridges and ports never send DAD, RS or MLD.
  const sysctl = await execResult('ip', ['netns', 'exec', plan.switchNs, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'])
  if (sysctl.code !== 0) throw new Error(`sysctl in ${plan.switchNs}: ${sysctl.stderr.trim()}`)
  await ipBatch(plan.switchNs, switchCommands(plan))
  if (fastDad) await tuneDad(plan)
  lap('linksMs')
  checkpoint('addresses')
  const batches: Promise<void>[] = [ipBatch(plan.app.ns, hostCommands('wlan0', plan.app.address4, plan.app.address6))]
  for (const p of [plan.peers.avahi, plan.peers.zeroconf]) if (p) batches.push(ipBatch(p.ns, hostCommands('eth0', p.address4, p.address6)))
  for (const a of plan.accessories) batches.push(ipBatch(a.ns, accessoryCommands(a)))
  await Promise.all(batches)
  lap('addressesMs')
}

/** Waits until every up interface's IPv6 link-local has left DAD; throws at `deadline` (ms, performance.now scale). */
export async function waitForDad(plan: LabPlan, deadline: number): Promise<void> {
  const waiting = new Map<string, Set<string>>()
  for (const { ns, ifname } of interfacesToSettle(plan)) waiting.set(ns, (waiting.get(ns) ?? new Set()).add(ifname))
  while (waiting.size > 0) {
    await Promise.all([...waiting].map(async ([ns, names]) => {
      const out = await ip(['-n', ns, '-j', '-6', 'addr', 'show'])
      for (const name of settledInterfaces(out)) names.delete(name)
      if (names.size === 0) waiting.delete(ns)
    }))
    if (waiting.size === 0) return
    if (performance.now() >= deadline) {
      const left = [...waiting].map(([ns, names]) => `${ns}: ${[...names].join(', ')}`).join('; ')
      throw new Error(`IPv6 DAD did not finish in time (${left})`)
    }
    await sleep(100)
  }
}
