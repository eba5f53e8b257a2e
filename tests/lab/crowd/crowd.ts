/**
 * The crowd responder's imperative shell: one socket per address family on one interface answering mDNS
 * (RFC 6762) for every simulated device at once. Shared answers wait 20–120 ms (§6), TC queries wait for
 * their known answers (§7.2), QU questions are answered by unicast (§5.4), legacy queries by unicast with
 * the ID echoed (§6.7), and a record is not multicast again within 1 s (§6).
 */
import type { RemoteInfo } from 'node:dgram'
import { type Clock, systemClock, type TimerHandle } from '../../../main/util/clock'
import { type MdnsSocket, openMdnsSocket } from '../accessory/mdns/sockets'
import { MDNS_PORT } from '../accessory/mdns/wire'
import { ContinuationTracker, type PendingQuery } from './continuation'
import { type KnownAnswer, nameText, type Query, type Question, recordKey, RR, type SendMode } from './dns'
import { decodeQuery } from './dns-read'
import type { ResolvedCrowdOptions } from './devices'
import { type PackedPacket, packResponse } from './pack'
import { allRecords, CrowdZone, type RecordGroup } from './zone'

/** What the crowd reports; `sent` is emitted for every packet. */
export type CrowdEvent =
  | { ev: 'sent'; kind: 'announce' | 'answer' | 'goodbye'; to: string; family: 4 | 6; bytes: number; answers: number; additionals: number }
  | { ev: 'query'; from: string; family: 4 | 6; questions: string[]; questionCount: number; known: number; truncated: boolean }
  | { ev: 'dropped'; from: string; reason: string }
  | { ev: 'error'; message: string }

/** Counters since start. */
export interface CrowdStats {
  present: number
  packets: number
  bytes: number
  maxPacketBytes: number
  queries: number
}

/** Where the crowd runs. */
export interface CrowdInterface {
  ifname: string
  address4: string
  /** The link-local address to advertise (AAAA) and answer on, when IPv6 is on. */
  address6?: string
}

type Context = { socket: MdnsSocket; from: { address: string; port: number } }
type Kind = 'announce' | 'answer' | 'goodbye'
const TYPE_NAMES = new Map<number, string>(Object.entries(RR).map(([name, code]) => [code, name]))

/** A running crowd. */
export interface Crowd {
  readonly zone: CrowdZone
  /** Marks devices present (all when `k` is omitted) and announces them twice, 1 s apart (§8.3). */
  announce(k?: number): Promise<void>
  /** Sends device k's records with TTL 0 (§10.1) and stops answering for it. */
  goodbye(k: number): Promise<void>
  goodbyeAll(): Promise<void>
  stats(): CrowdStats
  /** Closes the sockets; `silent: false` says goodbye for every present device first. */
  stop(options: { silent: boolean }): Promise<void>
}

/** Opens the sockets and, if `options.announce`, announces every device; resolves after the first announcement. */
export async function startCrowdResponder(o: ResolvedCrowdOptions, iface: CrowdInterface,
  deps: { onEvent: (e: CrowdEvent) => void; clock?: Clock; random?: () => number }): Promise<Crowd> {
  const clock = deps.clock ?? systemClock
  const random = deps.random ?? Math.random
  const emit = deps.onEvent
  const zone = new CrowdZone(o, iface.address4, o.ipv6 ? iface.address6 : undefined)
  const stats: CrowdStats = { present: o.count, packets: 0, bytes: 0, maxPacketBytes: 0, queries: 0 }
  const lastMulticast = new Map<MdnsSocket, Map<string, number>>()
  const timers = new Set<TimerHandle>()
  let sockets: MdnsSocket[] = []
  let queue = Promise.resolve()
  let stopped = false

  const later = (ms: number, fn: () => void) => {
    const handle = clock.setTimeout(() => {
      timers.delete(handle)
      if (!stopped) fn()
    }, ms)
    timers.add(handle)
  }
  const pause = (ms: number) => new Promise<void>((resolve) => (ms > 0 ? clock.setTimeout(resolve, ms) : resolve()))
  const failed = (error: unknown) => emit({ ev: 'error', message: error instanceof Error ? error.message : String(error) })

  /** Sends packets in order, one response after another, with `packetGapMs` between packets. */
  const send = (s: MdnsSocket, packets: PackedPacket[], groups: RecordGroup[], kind: Kind, to: 'multicast' | Context['from']) => {
    const run = async () => {
      if (stopped) return
      if (to === 'multicast' && kind !== 'goodbye') {
        const marks = lastMulticast.get(s) ?? new Map<string, number>()
        lastMulticast.set(s, marks)
        for (const g of groups) for (const r of [...g.answers, ...g.additionals]) marks.set(recordKey(r), clock.now())
      }
      for (const [i, p] of packets.entries()) {
        if (stopped) return
        if (i > 0) await pause(o.packetGapMs)
        await (to === 'multicast' ? s.multicast(p.buf) : s.unicast(p.buf, to.address, to.port))
        Object.assign(stats, { packets: stats.packets + 1, bytes: stats.bytes + p.buf.length, maxPacketBytes: Math.max(stats.maxPacketBytes, p.buf.length) })
        const dest = to === 'multicast' ? 'multicast' : `${to.address}:${to.port}`
        emit({ ev: 'sent', kind, to: dest, family: s.family, bytes: p.buf.length, answers: p.answers, additionals: p.additionals })
      }
    }
    queue = queue.then(run).catch(failed)
    return queue
  }

  const deliver = (groups: RecordGroup[], mode: SendMode, kind: Kind, to: 'multicast' | Context['from'], s: MdnsSocket, echo?: { id: number; questions: Question[] }) => {
    if (groups.length === 0) return Promise.resolve()
    const packets = packResponse(groups, { maxBytes: o.maxPacketBytes, mode, ...(echo ? { echo } : {}) })
    return send(s, packets, groups, kind, to)
  }

  const respond = (ctx: Context, query: Query, known: KnownAnswer[], afterWait: boolean) => {
    const { socket: s, from } = ctx
    if (from.port !== MDNS_PORT) {
      // Legacy unicast (§6.7): at once, to the querier's port, ID and questions echoed, TTL ≤ 10, no known answers.
      void deliver(zone.answer(query.questions, []), 'legacy', 'answer', from, s, { id: query.id, questions: query.questions })
      return
    }
    const shared = (groups: RecordGroup[]) => groups.some((g) => g.answers.some((r) => !r.unique))
    const delay = (groups: RecordGroup[]) => (afterWait || !shared(groups) ? 0 : 20 + random() * 100)
    const qu = query.questions.filter((q) => q.unicastResponse)
    const qm = query.questions.filter((q) => !q.unicastResponse)
    if (qu.length > 0) {
      const groups = zone.answer(qu, known)
      later(delay(groups), () => void deliver(groups, 'multicast', 'answer', from, s))
    }
    if (qm.length > 0) {
      const now = clock.now()
      const recent: KnownAnswer[] = [...(lastMulticast.get(s) ?? [])].filter(([, at]) => now - at < 1000).map(([key]) => ({ key, ttl: Number.MAX_SAFE_INTEGER }))
      const groups = zone.answer(qm, [...known, ...recent])
      later(delay(groups), () => void deliver(groups, 'multicast', 'answer', 'multicast', s))
    }
  }

  const continuations = new ContinuationTracker<Context>(clock, random, (p: PendingQuery<Context>) => respond(p.context, p.query, p.known, true))

  const onMessage = (buf: Buffer, rinfo: RemoteInfo, s: MdnsSocket) => {
    if (stopped || !s.isFromThisLink(rinfo)) return
    const from = `${rinfo.address}:${rinfo.port}`
    const decoded = decodeQuery(buf)
    if (!decoded.ok) return emit({ ev: 'dropped', from, reason: decoded.reason })
    const q = decoded.query
    if (q.isResponse) return
    stats.queries++
    const questions = q.questions.map((x) => `${nameText(x.name)} ${TYPE_NAMES.get(x.type) ?? x.type}${x.unicastResponse ? ' QU' : ''}`)
    // The first few questions only: a resolver's query can ask a hundred.
    emit({ ev: 'query', from, family: s.family, questions: questions.slice(0, 4), questionCount: questions.length, known: q.known.length, truncated: q.truncated })
    const ctx: Context = { socket: s, from: { address: rinfo.address, port: rinfo.port } }
    if (rinfo.port === MDNS_PORT && continuations.offer(`${s.family}|${from}`, q, ctx)) return
    respond(ctx, q, q.known, false)
  }

  const announceRecords = (ks: number[]) => {
    const groups = ks.map((k) => ({ answers: allRecords(zone.device(k)), additionals: [] }))
    return Promise.all(sockets.map((s) => deliver(groups, 'multicast', 'announce', 'multicast', s))).then(() => undefined)
  }
  const announce = async (k?: number) => {
    const ks = k === undefined ? zone.devices.map((d) => d.device.k) : [k]
    for (const x of ks) zone.setPresent(x, true)
    stats.present = zone.present().length
    await announceRecords(ks)
    later(1000, () => void announceRecords(ks.filter((x) => zone.isPresent(x))))
  }
  const sayGoodbye = async (ks: number[]) => {
    for (const k of ks) zone.setPresent(k, false)
    stats.present = zone.present().length
    const groups = ks.map((k) => ({ answers: allRecords(zone.device(k)), additionals: [] }))
    for (const marks of lastMulticast.values()) for (const g of groups) for (const r of g.answers) marks.delete(recordKey(r))
    await Promise.all(sockets.map((s) => deliver(groups, 'goodbye', 'goodbye', 'multicast', s)))
  }

  const onError = (error: Error) => failed(error)
  try {
    sockets.push(await openMdnsSocket({ name: iface.ifname, ipv4: [iface.address4] }, 4, onMessage, onError))
    if (o.ipv6 && iface.address6) sockets.push(await openMdnsSocket({ name: iface.ifname, ipv6: [iface.address6] }, 6, onMessage, onError))
  } catch (error) {
    await Promise.all(sockets.map((s) => s.close()))
    throw error
  }
  if (o.announce) await announce()
  else for (const d of zone.devices) zone.setPresent(d.device.k, true)

  return {
    zone,
    announce,
    goodbye: (k) => {
      zone.device(k)
      return sayGoodbye([k])
    },
    goodbyeAll: () => sayGoodbye(zone.present().map((d) => d.device.k)),
    stats: () => ({ ...stats }),
    async stop({ silent }) {
      if (stopped) return
      if (!silent) await sayGoodbye(zone.present().map((d) => d.device.k))
      await queue
      stopped = true
      continuations.clear()
      for (const t of timers) clock.clearTimeout(t)
      timers.clear()
      await Promise.all(sockets.map((s) => s.close()))
      sockets = []
    },
  }
}
