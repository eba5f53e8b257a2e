/**
 * Runs query-main.ts in a namespace: sends scripted mDNS queries (QU bits, known answers, TC
 * continuations, legacy source ports) and returns every response with whether it came by unicast.
 */
import { labPath } from '../bundle'
import { type NodeHost, spawnJsonEntry, type Where } from './node-process'

/** One response the querier received. */
export interface ReceivedPacket {
  via: 'unicast' | 'multicast'
  from: string
  buf: Buffer
}

/** Sends `packets` to 224.0.0.251:5353 from `host` (from port 5353 unless `sourcePort` says otherwise) and listens for `listenMs`. */
export async function runQuerier(where: Where, host: NodeHost,
  p: { packets: Buffer[]; sourcePort?: number; gapMs?: number; listenMs?: number }): Promise<ReceivedPacket[]> {
  const args = { address4: host.address4, sourcePort: p.sourcePort ?? 5353, packets: p.packets.map((b) => b.toString('hex')), gapMs: p.gapMs ?? 50, listenMs: p.listenMs ?? 1200 }
  const child = await spawnJsonEntry(where, host.ns, labPath('crowd', 'query-main.ts'), [JSON.stringify(args)])
  try {
    const bound = args.listenMs + args.gapMs * args.packets.length + 8000
    const end = await child.waitFor((l) => l.ev === 'done' || l.ev === 'failed', bound, `querier in ${host.ns}`)
    if (end.ev !== 'done') throw new Error(`querier failed: ${String(end.message)}`)
    return child.lines.filter((l) => l.ev === 'packet').map((l) => ({ via: l.via as ReceivedPacket['via'], from: String(l.from), buf: Buffer.from(String(l.hex), 'hex') }))
  } finally {
    await child.stop(1000)
  }
}
