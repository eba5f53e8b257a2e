/**
 * The python-zeroconf reference peer (Debian's python3-zeroconf, driven by our zeroconf_peer.py): a
 * second, independent mDNS implementation on br-home that the app must interoperate with both ways.
 */
import type { ChildProcess } from 'node:child_process'
import { labAsset, waitForLine } from '../topology/shell'
import type { LabProcesses } from '../topology/types'

/** One service a zeroconf browse resolved. */
export interface ZeroconfService {
  /** Instance name, without the type. */
  name: string
  type: string
  server: string
  port: number
  addresses4: string[]
  /** Link-local ones carry `%<ifindex>`. */
  addresses6: string[]
  /** TXT entries as sent (`k=v`, or a bare key). */
  txt: string[]
}

/** Options of a zeroconf publish. */
export interface ZeroconfPublishOptions {
  /** Let zeroconf rename on a conflict (default false: a conflict is an error). */
  allowNameChange?: boolean
  /** Addresses for the A/AAAA records (default: the peer's IPv4 and ULA). */
  addresses?: string[]
}

/** A running python-zeroconf peer. */
export interface ZeroconfPeer {
  ns: string
  address4: string
  address6: string
  /** Its SRV target, e.g. plx-zc-1234-0.local. */
  hostName: string
  pid: number | undefined
  /** Registers a service (after zeroconf's probing); resolves with the name it got. */
  publish(name: string, type: string, port: number, txt?: string[], opts?: ZeroconfPublishOptions): Promise<{ name: string }>
  /** Unregisters a service it published (sends goodbyes). */
  unpublish(name: string, type: string): Promise<void>
  /** Browses `type` for up to `timeoutMs` (or until the instance `until` resolves); returns resolved services. */
  browse(type: string, timeoutMs: number, until?: string): Promise<ZeroconfService[]>
  /** Stops the peer by PID (it unregisters first on SIGTERM). */
  stop(): Promise<void>
}

/** Where and as whom the peer runs. */
export interface ZeroconfPeerConfig {
  ns: string
  ifname: string
  address4: string
  address6: string
  hostName: string
}

type Reply = { id: number; ok: boolean; error?: string } & Record<string, unknown>

/** Starts the peer and resolves once Zeroconf is listening. */
export async function startZeroconfPeer(lab: LabProcesses, config: ZeroconfPeerConfig): Promise<ZeroconfPeer> {
  const host = `${config.hostName}.local`
  const child: ChildProcess = lab.spawn(config.ns, '/usr/bin/python3', [labAsset('peers/zeroconf_peer.py'), config.ifname, config.address4, host])
  await waitForLine(child, /"event": "ready"/, 8000, 'python-zeroconf peer').catch(async (error: unknown) => {
    await lab.stop(child)
    throw error
  })
  const pending = new Map<number, (reply: Reply) => void>()
  let nextId = 1
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.startsWith('{')) continue
      const reply = JSON.parse(line) as Reply
      pending.get(reply.id)?.(reply)
      pending.delete(reply.id)
    }
  })
  child.stderr?.resume()
  child.once('exit', () => {
    for (const resolve of pending.values()) resolve({ id: 0, ok: false, error: 'python-zeroconf peer exited' })
    pending.clear()
  })

  const call = (message: Record<string, unknown>, timeoutMs: number): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`python-zeroconf peer: ${String(message.cmd)} got no reply within ${timeoutMs} ms`))
      }, timeoutMs)
      pending.set(id, (reply) => {
        clearTimeout(timer)
        if (reply.ok) resolve(reply)
        else reject(new Error(`python-zeroconf peer: ${reply.error ?? 'failed'}`))
      })
      child.stdin?.write(`${JSON.stringify({ ...message, id })}\n`)
    })

  return {
    ns: config.ns,
    address4: config.address4,
    address6: config.address6,
    hostName: host,
    pid: child.pid,
    async publish(name, type, port, txt = [], opts = {}) {
      const addresses = opts.addresses ?? [config.address4, config.address6]
      const reply = await call({ cmd: 'publish', name, type, port, txt, addresses, allowNameChange: opts.allowNameChange ?? false }, 10_000)
      return { name: String(reply.name) }
    },
    async unpublish(name, type) {
      await call({ cmd: 'unpublish', name, type }, 5000)
    },
    async browse(type, timeoutMs, until) {
      const reply = await call({ cmd: 'browse', type, timeoutMs, ...(until ? { until } : {}) }, timeoutMs + 5000)
      return reply.results as ZeroconfService[]
    },
    stop: () => lab.stop(child),
  }
}
