/**
 * One DNS question to one server, over UDP or over TCP (RFC 7766: the same message behind a 2-byte length,
 * RFC 1035 §4.2.2), with dns-packet doing the bytes. Each query has a random ID, a bounded time, and only
 * a response with that ID and that question counts: anything else on the socket is ignored (untrusted bytes
 * from the network). No EDNS, so a UDP answer over 512 bytes comes back truncated (TC) as a plain stub
 * resolver such as libresolv would see it. Every failure is a value; nothing throws.
 */
import { randomInt } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { connect, isIPv6 } from 'node:net'
import { decode, encode, RECURSION_DESIRED, type Answer, type DecodedPacket, type RecordType } from 'dns-packet'
import { expandIpv6 } from '../net/address'

/** How a question travels. */
export type DnsTransport = 'udp' | 'tcp'

/** A question Diagnose asks (class IN). */
export interface DnsQuestion {
  name: string
  type: RecordType
}

/** A server to ask: an IP address (IPv6 link-local with its `%zone`) and a port. */
export interface DnsEndpoint {
  address: string
  port: number
}

/** What came back: the response code, the TC bit, and the answer records normalised (no TTL), sorted. */
export interface DnsReply {
  rcode: string
  truncated: boolean
  answers: string[]
  ms: number
}

/** Why no usable response came back. */
export interface DnsQueryError {
  code: 'timeout' | 'refused' | 'unreachable' | 'closed' | 'failed'
  message: string
}

/** A reply, or why there is none. */
export type DnsQueryResult = { ok: true; value: DnsReply } | { ok: false; error: DnsQueryError }

/** Asks one question over one transport within `timeoutMs`; the port tests replace. */
export type DnsQuery = (server: DnsEndpoint, question: DnsQuestion, transport: DnsTransport, timeoutMs: number) => Promise<DnsQueryResult>

/** Frames that do not match our query before we give up on a TCP connection (a server sending junk). */
const MAX_TCP_FRAMES = 8

const bare = (name: string) => name.trim().replace(/\.$/, '').toLowerCase()

function dataText(a: Answer): string {
  if (a.type === 'A') return a.data
  if (a.type === 'AAAA') return expandIpv6(a.data).map((g) => g.toString(16)).join(':')
  if (a.type === 'CNAME' || a.type === 'PTR' || a.type === 'NS' || a.type === 'DNAME') return bare(a.data)
  if (a.type === 'OPT') return ''
  return JSON.stringify(a.data, (_key, value: unknown) => {
    // Buffer#toJSON has already run: `{ type: 'Buffer', data: [...] }` → hex, so TXT and unknown types compare by bytes.
    const v = value as { type?: unknown; data?: unknown }
    return v !== null && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data as number[]).toString('hex') : value
  })
}

/** One answer record as compared: owner, class, type and data; the TTL is left out on purpose. */
export function recordKey(a: Answer): string {
  const cls = 'class' in a && typeof a.class === 'string' ? a.class : 'IN'
  return `${bare(a.name)} ${cls} ${a.type} ${dataText(a)}`.trim()
}

/** The response code dns-packet decoded (its types omit it). */
export function rcodeOf(packet: DecodedPacket): string {
  const rcode = (packet as { rcode?: unknown }).rcode
  return typeof rcode === 'string' ? rcode : 'UNKNOWN'
}

/** True when `packet` answers query `id` about `question`; a question-less error reply (FORMERR, REFUSED…) matches by ID. */
export function answersQuery(packet: DecodedPacket, id: number, question: DnsQuestion): boolean {
  if (packet.type !== 'response' || packet.id !== id) return false
  const q = packet.questions ?? []
  if (q.length === 0) return rcodeOf(packet) !== 'NOERROR'
  return q.length === 1 && bare(q[0]?.name ?? '') === bare(question.name) && q[0]?.type === question.type && (q[0]?.class ?? 'IN') === 'IN'
}

/** The parts of a response Diagnose compares. */
export function summarise(packet: DecodedPacket, ms: number): DnsReply {
  const answers = (packet.answers ?? []).filter((a) => a.type !== 'OPT').map(recordKey)
  return { rcode: rcodeOf(packet), truncated: packet.flag_tc, answers: [...new Set(answers)].sort(), ms: Math.round(ms) }
}

function tryDecode(bytes: Buffer): DecodedPacket | undefined {
  try {
    return decode(bytes)
  } catch {
    return undefined
  }
}

/** A query with a fresh random ID, or why it cannot be encoded (a name dns-packet refuses). */
function prepare(question: DnsQuestion): { id: number; bytes: Buffer } | { ok: false; error: DnsQueryError } {
  const id = randomInt(0, 0x10000)
  try {
    return { id, bytes: encode({ type: 'query', id, flags: RECURSION_DESIRED, questions: [{ name: question.name, type: question.type, class: 'IN' }] }) }
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: `cannot encode ${question.name}: ${(error as Error).message}` } }
  }
}

function errorOf(error: unknown, transport: DnsTransport): DnsQueryError {
  const e = error as NodeJS.ErrnoException | null
  const code = e?.code ?? ''
  const message = `${code ? `${code}: ` : ''}${e?.message ?? String(error)}`
  // Windows reports an ICMP port-unreachable on a UDP socket as ECONNRESET (WSAECONNRESET).
  if (code === 'ECONNREFUSED' || (transport === 'udp' && code === 'ECONNRESET')) return { code: 'refused', message }
  if (code === 'ECONNRESET' || code === 'EPIPE') return { code: 'closed', message }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL' || code === 'ETIMEDOUT') return { code: 'unreachable', message }
  return { code: 'failed', message }
}

/** Splits the complete length-prefixed messages (RFC 7766 §8) off the front of a TCP byte stream. */
export function takeFrames(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = []
  let rest = buffer
  while (rest.length >= 2 && rest.length >= 2 + rest.readUInt16BE(0)) {
    const length = rest.readUInt16BE(0)
    messages.push(rest.subarray(2, 2 + length))
    rest = rest.subarray(2 + length)
  }
  return { messages, rest }
}

function queryUdp(server: DnsEndpoint, question: DnsQuestion, timeoutMs: number): Promise<DnsQueryResult> {
  const query = prepare(question)
  if ('ok' in query) return Promise.resolve(query)
  const started = performance.now()
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4')
    let done = false
    const finish = (result: DnsQueryResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.close()
      resolve(result)
    }
    const timer = setTimeout(() => finish({ ok: false, error: { code: 'timeout', message: `no UDP answer within ${timeoutMs} ms` } }), timeoutMs)
    socket.on('error', (error) => finish({ ok: false, error: errorOf(error, 'udp') }))
    // A connected socket only receives from the server, and learns of an ICMP port-unreachable (ECONNREFUSED).
    socket.on('message', (message) => {
      const packet = tryDecode(message)
      if (packet && answersQuery(packet, query.id, question)) finish({ ok: true, value: summarise(packet, performance.now() - started) })
    })
    socket.connect(server.port, server.address, (connectError?: Error) => {
      if (connectError) return finish({ ok: false, error: errorOf(connectError, 'udp') })
      socket.send(query.bytes, (error) => {
        if (error) finish({ ok: false, error: errorOf(error, 'udp') })
      })
    })
  })
}

function queryTcp(server: DnsEndpoint, question: DnsQuestion, timeoutMs: number): Promise<DnsQueryResult> {
  const query = prepare(question)
  if ('ok' in query) return Promise.resolve(query)
  const started = performance.now()
  return new Promise((resolve) => {
    const socket = connect({ host: server.address, port: server.port })
    let connected = false
    let pending: Buffer = Buffer.alloc(0)
    let frames = 0
    let done = false
    const finish = (result: DnsQueryResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => finish({
      ok: false, error: { code: 'timeout', message: connected ? `connected, but no TCP answer within ${timeoutMs} ms` : `TCP connection not accepted within ${timeoutMs} ms` },
    }), timeoutMs)
    socket.on('connect', () => {
      connected = true
      socket.write(Buffer.concat([Buffer.from([query.bytes.length >> 8, query.bytes.length & 0xff]), query.bytes]))
    })
    socket.on('data', (chunk: Buffer) => {
      const { messages, rest } = takeFrames(Buffer.concat([pending, chunk]))
      pending = rest
      for (const packet of messages.map(tryDecode)) {
        if (packet && answersQuery(packet, query.id, question)) return finish({ ok: true, value: summarise(packet, performance.now() - started) })
        if (++frames >= MAX_TCP_FRAMES) return finish({ ok: false, error: { code: 'failed', message: `${frames} TCP messages that do not answer our query` } })
      }
    })
    socket.on('error', (error) => finish({ ok: false, error: errorOf(error, 'tcp') }))
    socket.on('close', () => finish({ ok: false, error: { code: 'closed', message: connected ? 'the server closed the TCP connection without answering' : 'the TCP connection closed before it was set up' } }))
  })
}

/** The real transport: a UDP datagram or a TCP connection per question, closed when done. */
export const queryDns: DnsQuery = (server, question, transport, timeoutMs) =>
  transport === 'udp' ? queryUdp(server, question, timeoutMs) : queryTcp(server, question, timeoutMs)
