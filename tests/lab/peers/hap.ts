/**
 * hap-nodejs (HomeKit Accessory Protocol) as a reference publisher: a process in a lab namespace that
 * publishes a Bridge or an Accessory (`_hap._tcp`) with the ciao advertiser bound to that namespace's
 * interface, persisting in its own temp dir (removed on stop), stopped by PID.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { labPath } from '../bundle'
import { hostOf, type NodeHost, spawnJsonEntry, type Where } from '../crowd/node-process'
import type { HapMainArgs } from './hap-main'

/** What to publish; everything has a default. */
export interface HapPublishOptions {
  /** Display and instance name (default `Porch Bridge`; no identifying suffix is added). */
  name?: string
  kind?: 'bridge' | 'accessory'
  /** Device id (TXT `id=`), default `0E:70:6C:78:48:01`. */
  username?: string
  /** Setup code, default `031-45-154`. */
  pincode?: string
  /** HAP server port (default 0: any free port). */
  port?: number
  /** With a lab: the accessory node to run in (default the only one on br-home). */
  node?: string
  readyTimeoutMs?: number
}

/** A running hap-nodejs publisher. */
export interface HapPublisher {
  readonly pid: number | undefined
  readonly host: NodeHost
  readonly name: string
  readonly username: string
  readonly pincode: string
  /** The HAP server's TCP port (the SRV port). */
  readonly port: number
  readonly persistDir: string
  /** Unpublishes (goodbyes), waits, kills by PID if needed, and removes the persist dir. */
  stop(): Promise<void>
}

/** Starts a hap-nodejs publisher in `where` and resolves once it is advertised. */
export async function startHapPublisher(where: Where, options: HapPublishOptions = {}): Promise<HapPublisher> {
  const host = hostOf(where, options.node)
  // plx-<pid>-…: the lab's stale-lab clean-up removes it if this process dies before stop().
  const persistDir = await mkdtemp(join(tmpdir(), `plx-${process.pid}-hap-`))
  const args: HapMainArgs = {
    name: options.name ?? 'Porch Bridge',
    kind: options.kind ?? 'bridge',
    username: options.username ?? '0E:70:6C:78:48:01',
    pincode: options.pincode ?? '031-45-154',
    port: options.port ?? 0,
    ifname: host.ifname,
    persistDir,
  }
  // DEBUG stays off: hap-nodejs logs through `debug`, which would interleave with the JSON lines.
  const child = await spawnJsonEntry(where, host.ns, labPath('peers', 'hap-main.ts'), [JSON.stringify(args)], { DEBUG: '' }).catch(async (error: unknown) => {
    await rm(persistDir, { recursive: true, force: true })
    throw error
  })
  const stop = async () => {
    await child.stop(3000)
    await rm(persistDir, { recursive: true, force: true })
  }
  let ready: Record<string, unknown>
  try {
    ready = await child.waitFor((l) => l.ev === 'ready' || l.ev === 'failed', options.readyTimeoutMs ?? 15_000, `hap-nodejs publisher in ${host.ns}`)
    if (ready.ev !== 'ready') throw new Error(`hap-nodejs publisher failed: ${String(ready.message)}`)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    pid: child.pid,
    host,
    name: String(ready.name),
    username: args.username,
    pincode: args.pincode,
    port: Number(ready.port),
    persistDir,
    stop,
  }
}
