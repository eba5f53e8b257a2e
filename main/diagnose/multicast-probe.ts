/**
 * The two probes of the self-test, one interface each, as observations (what came back, what failed);
 * multicast-verdict.ts turns them into checks.
 *
 * Multicast: one socket on an ephemeral port joins 224.0.0.251 (or ff02::fb) on the interface, sends a random
 * nonce to the group on its own port with loopback on, and asks the question by legacy unicast (RFC 6762
 * §6.7: from a port other than 5353, so a responder answers straight back to us). A second socket shares
 * port 5353 and asks the same question as a plain QM query, so the answer comes back by multicast. The nonce
 * never goes to port 5353: no other responder sees anything but a normal query.
 * Broadcast: a socket bound to the interface address with SO_BROADCAST sends a nonce to the subnet's directed
 * broadcast and another to 255.255.255.255, received by a wildcard socket, and asks the question by legacy
 * unicast to the directed broadcast address on port 5353 (responders listen on the wildcard address).
 */
import { randomBytes, randomInt } from 'node:crypto'
import { addressKey, answerKey, encodeQuestion, questionFor, readResponse, SERVICES_QUESTION, type MdnsQuestion } from './multicast-dns'
import { toFailure, type SocketFailure } from './multicast-errors'
import { createSession, type Session, type SessionEnv } from './multicast-session'
import type { SelfTestSocket } from './multicast-socket'

/** The mDNS port (RFC 6762 §3). */
export const MDNS_PORT = 5353
/** Sends of a probe nonce that has not come back yet: a macOS Local Network block may only fail the second send (E18). */
const NONCE_RESENDS_MS = [250, 750]
/** A responder multicasts a record at most once a second (RFC 6762 §6), so the QM query is asked again after that. */
const QUERY_RESEND_MS = 1000
const MAX_OTHERS = 32

/** A responder discovery already knows, to be asked by name. */
export interface KnownTarget {
  name: string
  address: string
}

/** How a known responder answered. */
export interface KnownResult extends KnownTarget {
  /** Answered our legacy query (it was reached by our multicast or broadcast). */
  viaUnicast: boolean
  /** Its multicast answer reached us (multicast only). */
  viaMulticast: boolean
}

/** Another device that answered. */
export interface OtherResponder {
  address: string
  viaUnicast: boolean
  viaMulticast: boolean
}

/** What the multicast probe saw on one interface and family. */
export interface MulticastObservation {
  kind: 'multicast' | 'IPv6 multicast'
  interfaceName: string
  localAddress: string
  group: string
  /** A socket call that failed; the probe stopped there. */
  failure?: SocketFailure
  /** Our own nonce came back through multicast loopback. */
  selfLoop: boolean
  selfLoopMs?: number
  /** Why port 5353 could not be shared, so multicast answers could not be watched. */
  inboundUnavailable?: SocketFailure
  questions: string[]
  known: KnownResult[]
  others: OtherResponder[]
  tookMs: number
}

/** What the broadcast probe saw on one interface. */
export interface BroadcastObservation {
  interfaceName: string
  localAddress: string
  broadcast: string
  failure?: SocketFailure
  directedLoop: boolean
  limitedLoop: boolean
  /** The send to 255.255.255.255 failed (the directed one decides; this one is only reported). */
  limitedFailure?: SocketFailure
  questions: string[]
  known: KnownResult[]
  others: OtherResponder[]
  tookMs: number
}

/** What every probe needs. */
export interface ProbeEnv extends SessionEnv {
  /** True for an address of this computer (its answers prove nothing about the network). */
  isOwn(address: string): boolean
}

/** One multicast probe to run. */
export interface MulticastPlan {
  kind: MulticastObservation['kind']
  interfaceName: string
  localAddress: string
  /** The interface as `join`/`setMulticastOut` take it: the IPv4 address, or `::%ifname`. */
  iface: string
  group: string
  /** The group as a destination (`ff02::fb%ifname` for IPv6). */
  sendGroup: string
  /** True when a source address belongs to this interface's link. */
  isOnLink(address: string): boolean
  known: KnownTarget[]
}

/** One broadcast probe to run. */
export interface BroadcastPlan {
  interfaceName: string
  localAddress: string
  broadcast: string
  known: KnownTarget[]
}

const isFailure = (value: SelfTestSocket | SocketFailure): value is SocketFailure => 'stage' in value
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i])
const nonce = () => new TextEncoder().encode(`porchlight-selftest ${randomBytes(8).toString('hex')}`)

function questionsFor(known: KnownTarget[], family: 'IPv4' | 'IPv6'): MdnsQuestion[] {
  if (known.length === 0) return [SERVICES_QUESTION]
  const all = known.map((k) => questionFor(k.name, family))
  return all.filter((q, i) => all.findIndex((o) => o.name === q.name && o.type === q.type) === i)
}

/** Records an answer: a known responder by address or by the names it carried, anyone else as "other". */
function credit(results: KnownResult[], others: Map<string, OtherResponder>, address: string, names: string[], via: 'viaUnicast' | 'viaMulticast'): void {
  const key = addressKey(address)
  const hits = results.filter((k) => addressKey(k.address) === key || names.includes(answerKey(k.name)))
  hits.forEach((k) => (k[via] = true))
  if (hits.length > 0) return
  const other = others.get(key) ?? (others.size < MAX_OTHERS ? { address, viaUnicast: false, viaMulticast: false } : undefined)
  if (!other) return
  other[via] = true
  others.set(key, other)
}

/** Opens a socket on `port`, joined to the group on the interface, sending multicast out of it. */
async function openJoined(s: Session, plan: MulticastPlan, port: number): Promise<SelfTestSocket | SocketFailure> {
  const family = plan.kind === 'multicast' ? 'IPv4' : 'IPv6'
  const socket = s.open({ family, reuseAddr: port !== 0 })
  if (isFailure(socket)) return socket
  const any = family === 'IPv4' ? '0.0.0.0' : '::'
  const bound = await socket.bind(port, any)
  if (bound) return toFailure('bind', `${any} port ${port}`, bound)
  const joined = socket.join(plan.group, plan.iface)
  if (joined) return toFailure('join', `${plan.group} on ${plan.interfaceName}`, joined)
  const out = socket.setMulticastOut(plan.iface)
  return out ? toFailure('configure', `multicast out of ${plan.interfaceName}`, out) : socket
}

function sender(s: Session) {
  return (socket: SelfTestSocket, data: Uint8Array, port: number, address: string): void => {
    void socket.send(data, port, address).then((error) => {
      if (error) s.fail(toFailure('send', `${address} port ${port}`, error))
    })
  }
}

/** Runs the multicast probe on one interface; never rejects. */
export async function runMulticastProbe(plan: MulticastPlan, env: ProbeEnv): Promise<MulticastObservation> {
  const s = createSession(env)
  const questions = questionsFor(plan.known, plan.kind === 'multicast' ? 'IPv4' : 'IPv6')
  const known = plan.known.map((k) => ({ ...k, viaUnicast: false, viaMulticast: false }))
  const others = new Map<string, OtherResponder>()
  const obs: MulticastObservation = {
    kind: plan.kind, interfaceName: plan.interfaceName, localAddress: plan.localAddress, group: plan.group,
    selfLoop: false, questions: questions.map((q) => `${q.name} ${q.type}`), known, others: [], tookMs: 0,
  }
  const probe = nonce()
  const id = randomInt(1, 0xffff)
  const legacy = questions.flatMap((q) => encodeQuestion(q, id) ?? [])
  const qm = questions.flatMap((q) => encodeQuestion(q, 0) ?? [])
  const asked = new Set(questions.map((q) => q.name.toLowerCase()))
  const main = await openJoined(s, plan, 0)
  if (isFailure(main)) s.fail(main)
  const inbound = s.isOver() ? undefined : await openJoined(s, plan, MDNS_PORT)
  if (inbound && isFailure(inbound)) obs.inboundUnavailable = inbound
  const listening = inbound && !isFailure(inbound) ? inbound : undefined
  const check = () => {
    const complete = known.every((k) => k.viaUnicast && (k.viaMulticast || !listening))
    if (obs.selfLoop && known.length > 0 && complete) s.end()
  }
  if (!isFailure(main) && !s.isOver()) {
    main.onMessage((data, from) => {
      if (sameBytes(data, probe)) {
        if (!obs.selfLoop) Object.assign(obs, { selfLoop: true, selfLoopMs: s.elapsed() })
        return check()
      }
      const answer = readResponse(data)
      if (answer?.id !== id || env.isOwn(from.address)) return
      credit(known, others, from.address, answer.names, 'viaUnicast')
      check()
    })
    listening?.onMessage((data, from) => {
      if (from.port !== MDNS_PORT || env.isOwn(from.address) || !plan.isOnLink(from.address)) return
      // Only answers about what we asked: other chatter on the group proves nothing about our query.
      const answer = readResponse(data)
      if (!answer?.names.some((n) => asked.has(n))) return
      credit(known, others, from.address, answer.names, 'viaMulticast')
      check()
    })
    const send = sender(s)
    const sendNonce = () => {
      if (!obs.selfLoop) send(main, probe, main.localPort(), plan.sendGroup)
    }
    const ask = (force: boolean) => {
      if (force || known.some((k) => !k.viaUnicast)) legacy.forEach((q) => send(main, q, MDNS_PORT, plan.sendGroup))
      if (listening && (force || known.some((k) => !k.viaMulticast))) qm.forEach((q) => send(listening, q, MDNS_PORT, plan.sendGroup))
    }
    sendNonce()
    ask(true)
    NONCE_RESENDS_MS.forEach((ms) => s.at(ms, sendNonce))
    s.at(QUERY_RESEND_MS, () => ask(known.length === 0))
  }
  const failure = await s.ended
  return { ...obs, ...(failure && { failure }), others: [...others.values()], tookMs: s.elapsed() }
}

/** Runs the broadcast probe on one interface; never rejects. */
export async function runBroadcastProbe(plan: BroadcastPlan, env: ProbeEnv): Promise<BroadcastObservation> {
  const s = createSession(env)
  const questions = questionsFor(plan.known, 'IPv4')
  const known = plan.known.map((k) => ({ ...k, viaUnicast: false, viaMulticast: false }))
  const others = new Map<string, OtherResponder>()
  const obs: BroadcastObservation = {
    interfaceName: plan.interfaceName, localAddress: plan.localAddress, broadcast: plan.broadcast,
    directedLoop: false, limitedLoop: false, questions: questions.map((q) => `${q.name} ${q.type}`), known, others: [], tookMs: 0,
  }
  const [directed, limited] = [nonce(), nonce()]
  const id = randomInt(1, 0xffff)
  const legacy = questions.flatMap((q) => encodeQuestion(q, id) ?? [])
  const rx = await openBound(s, '0.0.0.0', false)
  if (isFailure(rx)) s.fail(rx)
  const tx = s.isOver() ? undefined : await openBound(s, plan.localAddress, true)
  if (tx && isFailure(tx)) s.fail(tx)
  const check = () => {
    if (obs.directedLoop && (obs.limitedLoop || obs.limitedFailure) && known.length > 0 && known.every((k) => k.viaUnicast)) s.end()
  }
  if (!isFailure(rx) && tx && !isFailure(tx) && !s.isOver()) {
    rx.onMessage((data) => {
      if (sameBytes(data, directed)) obs.directedLoop = true
      else if (sameBytes(data, limited)) obs.limitedLoop = true
      check()
    })
    tx.onMessage((data, from) => {
      const answer = readResponse(data)
      if (answer?.id !== id || env.isOwn(from.address)) return
      credit(known, others, from.address, answer.names, 'viaUnicast')
      check()
    })
    const send = sender(s)
    const sendLimited = () => {
      if (obs.limitedLoop || obs.limitedFailure) return
      void tx.send(limited, rx.localPort(), '255.255.255.255').then((error) => {
        if (error) obs.limitedFailure ??= toFailure('send', `255.255.255.255 port ${rx.localPort()}`, error)
      })
    }
    const sendNonces = () => {
      if (!obs.directedLoop) send(tx, directed, rx.localPort(), plan.broadcast)
      sendLimited()
    }
    const ask = (force: boolean) => {
      if (force || known.some((k) => !k.viaUnicast)) legacy.forEach((q) => send(tx, q, MDNS_PORT, plan.broadcast))
    }
    sendNonces()
    ask(true)
    NONCE_RESENDS_MS.forEach((ms) => s.at(ms, sendNonces))
    s.at(QUERY_RESEND_MS, () => ask(known.length === 0))
  }
  const failure = await s.ended
  return { ...obs, ...(failure && { failure }), others: [...others.values()], tookMs: s.elapsed() }
}

async function openBound(s: Session, address: string, broadcast: boolean): Promise<SelfTestSocket | SocketFailure> {
  const socket = s.open({ family: 'IPv4' })
  if (isFailure(socket)) return socket
  const bound = await socket.bind(0, address)
  if (bound) return toFailure('bind', address, bound)
  const on = broadcast ? socket.setBroadcast(true) : undefined
  return on ? toFailure('configure', `SO_BROADCAST on ${address}`, on) : socket
}
