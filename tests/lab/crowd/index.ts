/**
 * The crowd responder for discovery tests and benchmarks: one process answering mDNS for up to 1,000+
 * simulated devices from one namespace. `startCrowd` bundles main.ts, runs it with `ip netns exec`,
 * waits for `ready`, and drives it over the JSON-lines protocol of protocol.ts; `close` ends it by PID.
 */
import { labPath } from '../bundle'
import { type CrowdDevice, crowdDevices, type CrowdOptions, resolveCrowdOptions } from './devices'
import type { CrowdEvent, CrowdStats } from './crowd'
import { hostOf, type NodeHost, spawnJsonEntry, type Where } from './node-process'
import type { ReadyEvent, StartArgs } from './protocol'

export { crowdDevice, crowdDevices, DEFAULT_TYPE, HOSTILE_PREFIX, type CrowdDevice, type CrowdOptions } from './devices'
export type { CrowdEvent, CrowdStats } from './crowd'
export type { NodeHost } from './node-process'

/** A `sent` event: one packet the crowd put on the wire. */
export type CrowdPacket = Extract<CrowdEvent, { ev: 'sent' }> & { t: number }

/** How to start a crowd. */
export interface StartCrowdOptions extends CrowdOptions {
  /** With a lab: the id of the accessory node to run in (built with `{ hasAp: false, startOnHome: true }`); default the only one on br-home. */
  node?: string
  /** Give up waiting for `ready` after this long (default 15 s). */
  readyTimeoutMs?: number
}

/** A running crowd. */
export interface CrowdHandle {
  readonly pid: number | undefined
  readonly host: NodeHost
  /** Every simulated device, k = 1..count (device k is `devices[k - 1]`). */
  readonly devices: readonly CrowdDevice[]
  readonly ready: ReadyEvent
  /** Every packet sent so far (the announcements before `ready` included). */
  packets(): CrowdPacket[]
  /** Every event line so far. */
  events(): Record<string, unknown>[]
  /** Marks device k (or every device) present and announces it twice, 1 s apart. */
  announce(k?: number): Promise<void>
  /** Device k says goodbye (TTL 0) and stops answering. */
  goodbye(k: number): Promise<void>
  goodbyeAll(): Promise<void>
  stats(): Promise<CrowdStats>
  /** Stops the process (goodbyes first unless `silent`, default true) and waits for it to exit; kills by PID if needed. */
  stop(options?: { silent?: boolean }): Promise<void>
  /** Same as `stop({ silent: true })`; idempotent. */
  close(): Promise<void>
}

/** Starts a crowd in `where` (a lab and `options.node`, or a namespace) and resolves once it is ready. */
export async function startCrowd(where: Where, options: StartCrowdOptions): Promise<CrowdHandle> {
  const { node, readyTimeoutMs = 15_000, ...crowdOptions } = options
  const resolved = resolveCrowdOptions(crowdOptions)
  const host = hostOf(where, node)
  const args: StartArgs = { options: resolved, ifname: host.ifname, address4: host.address4 }
  const child = await spawnJsonEntry(where, host.ns, labPath('crowd', 'main.ts'), [JSON.stringify(args)])
  let ready: ReadyEvent
  try {
    ready = (await child.waitFor((l) => l.ev === 'ready' || l.ev === 'failed', readyTimeoutMs, `crowd in ${host.ns}`)) as unknown as ReadyEvent
    if ((ready as { ev: string }).ev !== 'ready') throw new Error(`crowd failed to start: ${String((ready as unknown as { message: string }).message)}`)
  } catch (error) {
    await child.stop(500)
    throw error
  }
  const command = async (cmd: Record<string, unknown>, ms = 10_000) => child.call(cmd, ms)
  let stopping: Promise<void> | undefined
  const stop = (opts: { silent?: boolean } = {}) =>
    (stopping ??= (async () => {
      if (!child.hasExited) await command({ cmd: 'stop', silent: opts.silent ?? true }, 10_000).catch(() => undefined)
      await child.stop(2000)
    })())
  return {
    pid: child.pid,
    host,
    devices: crowdDevices(resolved),
    ready,
    packets: () => child.lines.filter((l) => l.ev === 'sent') as unknown as CrowdPacket[],
    events: () => [...child.lines],
    announce: async (k) => void (await command({ cmd: 'announce', ...(k === undefined ? {} : { k }) })),
    goodbye: async (k) => void (await command({ cmd: 'goodbye', k })),
    goodbyeAll: async () => void (await command({ cmd: 'goodbyeAll' })),
    stats: async () => (await command({ cmd: 'stats' })).stats as CrowdStats,
    stop,
    close: () => stop({ silent: true }),
  }
}
