/**
 * @homebridge/ciao (Homebridge's mDNS advertiser) as a reference publisher: a small process in a lab
 * namespace advertising one service on that namespace's interface only, stopped by PID.
 */
import { labPath } from '../bundle'
import { hostOf, type NodeHost, spawnJsonEntry, type Where } from '../crowd/node-process'
import type { CiaoMainArgs } from './ciao-main'

/** What to advertise; everything has a default. */
export interface CiaoPublishOptions {
  /** Instance name (default `Ciao Lamp`). */
  name?: string
  /** Service type (default `_http._tcp`). */
  type?: string
  port?: number
  /** TXT (default `{ id: 'c1a0c1a0c1a0', vendor: 'ciao' }`). */
  txt?: Record<string, string>
  /** SRV target without `.local` (default `plx-ciao-<pid>`). */
  hostname?: string
  /** Advertise AAAA records too (default false). */
  ipv6?: boolean
  /** With a lab: the accessory node to run in (default the only one on br-home). */
  node?: string
  readyTimeoutMs?: number
}

/** A running ciao publisher. */
export interface CiaoPublisher {
  readonly pid: number | undefined
  readonly host: NodeHost
  /** The name ciao announced (it renames on a conflict). */
  readonly name: string
  readonly type: string
  /** SRV target with `.local`. */
  readonly hostName: string
  readonly port: number
  readonly txt: Record<string, string>
  /** Shuts the responder down (goodbyes), waits, then kills by PID if needed. */
  stop(): Promise<void>
}

/** Starts a ciao publisher in `where` and resolves once its service is announced. */
export async function startCiaoPublisher(where: Where, options: CiaoPublishOptions = {}): Promise<CiaoPublisher> {
  const host = hostOf(where, options.node)
  const args: CiaoMainArgs = {
    name: options.name ?? 'Ciao Lamp',
    type: options.type ?? '_http._tcp',
    port: options.port ?? 8081,
    txt: options.txt ?? { id: 'c1a0c1a0c1a0', vendor: 'ciao' },
    hostname: options.hostname ?? `plx-ciao-${process.pid}`,
    ifname: host.ifname,
    ipv6: options.ipv6 ?? false,
  }
  const child = await spawnJsonEntry(where, host.ns, labPath('peers', 'ciao-main.ts'), [JSON.stringify(args)])
  let ready: Record<string, unknown>
  try {
    ready = await child.waitFor((l) => l.ev === 'ready' || l.ev === 'failed', options.readyTimeoutMs ?? 10_000, `ciao publisher in ${host.ns}`)
    if (ready.ev !== 'ready') throw new Error(`ciao publisher failed: ${String(ready.message)}`)
  } catch (error) {
    await child.stop(500)
    throw error
  }
  const fqdn = String(ready.fqdn)
  const suffix = `.${args.type}.local.`
  return {
    pid: child.pid,
    host,
    name: fqdn.endsWith(suffix) ? fqdn.slice(0, -suffix.length) : args.name,
    type: args.type,
    hostName: String(ready.hostname).replace(/\.$/, ''),
    port: args.port,
    txt: args.txt,
    stop: () => child.stop(3000),
  }
}
