/**
 * Packet helpers for the responder tests: build queries the way real queriers do (QM, QU, legacy, with
 * known answers) and read what the querier child captured.
 */
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet'
import { setQuBits } from '../wire'
import type { LabChild } from './lab'

/** A query to send; `qu` sets the unicast-response bit on every question (RFC 6762 §5.4). */
export interface QuerySpec {
  questions: { name: string; type: string }[]
  id?: number
  qu?: boolean
  knownAnswers?: Answer[]
}

/** Encodes a query as hex for the querier child. */
export function queryHex(spec: QuerySpec): string {
  const buf = dnsPacket.encode({
    type: 'query',
    id: spec.id ?? 0,
    questions: spec.questions.map((q) => ({ name: q.name, type: q.type as never, class: 'IN' as const })),
    answers: spec.knownAnswers ?? [],
  })
  return (spec.qu ? setQuBits(buf) : buf).toString('hex')
}

/** A datagram the querier child received. */
export interface Captured {
  socket: string
  address: string
  port: number
  t: number
  raw: Buffer
  /** undefined when dns-packet refuses the packet (e.g. a forward compression pointer). */
  packet: DecodedPacket | undefined
}

/** The datagrams captured so far, from line index `from`, optionally only from `address` on `socket`. */
export function captured(child: LabChild, filter: { from?: number; socket?: string; address?: string } = {}): Captured[] {
  return child.lines.slice(filter.from ?? 0).flatMap((line) => {
    if (line.ev !== 'packet') return []
    if (filter.socket && line.id !== filter.socket) return []
    if (filter.address && String(line.address).split('%')[0] !== filter.address) return []
    const raw = Buffer.from(String(line.hex), 'hex')
    let packet: DecodedPacket | undefined
    try {
      packet = dnsPacket.decode(raw)
    } catch {
      packet = undefined
    }
    return [{ socket: String(line.id), address: String(line.address), port: Number(line.port), t: Number(line.t), raw, packet }]
  })
}

/** Sends a query from one of the child's sockets; returns the line index to read replies from and the send time. */
export async function sendQuery(child: LabChild, socket: string, to: { address: string; port: number }, hex: string): Promise<{ from: number; t: number }> {
  const from = child.lines.length
  child.send({ op: 'send', id: socket, hex, ...to })
  const sent = await child.waitFor((l) => l.ev === 'sent' && l.id === socket, 2000, `send on ${socket}`, from)
  if (sent.error) throw new Error(`send on ${socket} failed: ${String(sent.error)}`)
  return { from, t: Number(sent.t) }
}

/** Waits (bounded) for a captured datagram matching `predicate`. */
export async function nextPacket(child: LabChild, filter: { from: number; socket?: string; address?: string }, predicate: (c: Captured) => boolean, ms: number, what: string): Promise<Captured> {
  const deadline = Date.now() + ms
  for (;;) {
    const hit = captured(child, filter).find(predicate)
    if (hit) return hit
    if (Date.now() > deadline) throw new Error(`${what}: no matching packet within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Answers of a given type in a decoded packet's answer or additional section. */
export function recordsOf(packet: DecodedPacket | undefined, section: 'answers' | 'additionals', type?: string): Answer[] {
  return (packet?.[section] ?? []).filter((a) => !type || a.type === type)
}

/** A record's data (dns-packet's OPT pseudo-record has none). */
export function dataOf(answer: Answer): unknown {
  return 'data' in answer ? answer.data : undefined
}
