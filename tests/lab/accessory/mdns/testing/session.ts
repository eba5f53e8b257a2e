/**
 * One lab session for the responder tests: the namespaces, the bundled entries, the querier child in the
 * querier namespace, and helpers to start responders, flip oddities, send legacy queries and run the
 * python-zeroconf peer. `close` tears everything down and reports anything that survived.
 */
import { bundleEntries, createMdnsLab, type LabChild, type LabHost, type MdnsLab, spawnInNamespace } from './lab'
import { type Captured, nextPacket, queryHex, sendQuery } from './packets'

/** The IPv4 mDNS group and port. */
export const GROUP4 = { address: '224.0.0.251', port: 5353 }

/** What `close` found left over; all empty after a clean run. */
export interface Leftovers {
  namespaces: string[]
  pids: number[]
  crashes: Record<string, unknown>[]
}

/** A running lab session. */
export interface LabSession {
  lab: MdnsLab
  querier: LabChild
  /** Opens a socket in the querier child (`join` adds the mDNS group membership). */
  openSocket(id: string, spec: { family: 4 | 6; address: string; port: number; join: boolean }): Promise<void>
  /** Starts a responder child in `host`'s namespace and waits (bounded) until it has claimed its name. */
  startResponder(host: LabHost, options: Record<string, unknown>): Promise<LabChild>
  setOddities(child: LabChild, oddities: Record<string, boolean>): Promise<void>
  /** Sends a legacy-unicast query (ephemeral port, RFC 6762 §6.7) from socket `legacy4` and returns the reply. */
  legacyQuery(questions: { name: string; type: string }[], id?: number): Promise<Captured>
  /** Browses with python-zeroconf in the querier namespace; resolves with its result line. */
  zeroconfBrowse(serviceType: string, family: 'v4' | 'v6', instance?: string): Promise<Record<string, unknown>>
  close(): Promise<Leftovers>
}

const isResponse = (c: Captured) => c.raw.length >= 12 && (c.raw.readUInt16BE(2) & 0x8000) !== 0

/** Builds the lab and starts the querier child; `defaults` are merged into every responder's options. */
export async function openLabSession(defaults: Record<string, unknown>): Promise<LabSession> {
  const entries = await bundleEntries()
  let lab: MdnsLab
  try {
    lab = await createMdnsLab()
  } catch (error) {
    entries.cleanup()
    throw error
  }
  const children: LabChild[] = []
  const run = (ns: string, command: string, args: string[]) => {
    const child = spawnInNamespace(ns, command, args)
    children.push(child)
    return child
  }
  const querier = run(lab.querier.ns, process.execPath, [entries.querier])

  const session: LabSession = {
    lab,
    querier,
    async openSocket(id, spec) {
      querier.send({ op: 'open', id, ifname: lab.querier.ifname, ipv4: lab.querier.ipv4, ...spec })
      await querier.waitFor((l) => l.ev === 'opened' && l.id === id, 2000, `open ${id}`)
    },
    async startResponder(host, options) {
      const child = run(host.ns, process.execPath, [entries.responder])
      child.send({ op: 'start', options: { ...defaults, ...options } })
      await child.waitFor((l) => l.ev === 'started', 10_000, `responder in ${host.ns} to start`)
      return child
    },
    async setOddities(child, oddities) {
      const from = child.lines.length
      child.send({ op: 'oddities', oddities })
      await child.waitFor((l) => l.ev === 'ok', 2000, 'oddities applied', from)
    },
    async legacyQuery(questions, id = 0x4a4a) {
      const { from } = await sendQuery(querier, 'legacy4', GROUP4, queryHex({ questions, id }))
      return nextPacket(querier, { from, socket: 'legacy4' }, isResponse, 2000, 'legacy reply')
    },
    async zeroconfBrowse(serviceType, family, instance = '') {
      const child = run(lab.querier.ns, '/usr/bin/python3', [entries.zeroconf, `${serviceType}.`, '8', family, instance])
      const line = await child.waitFor((l) => l.ev === 'resolved' || l.ev === 'timeout', 12_000, 'python-zeroconf')
      await child.exit()
      return line
    },
    async close() {
      for (const child of children) await child.exit()
      const namespaces = lab.teardown()
      entries.cleanup()
      const pids = children.map((c) => c.pid).filter((pid) => {
        try {
          return process.kill(pid, 0)
        } catch {
          return false
        }
      })
      return { namespaces, pids, crashes: children.flatMap((c) => c.lines.filter((l) => l.ev === 'crash' || l.ev === 'failed')) }
    },
  }
  return session
}
