/**
 * One received datagram through the rules: queries from other hosts feed duplicate-question suppression
 * (RFC 6762 §7.3) and passive failure observation (§10.5); responses are accepted only from port 5353 and,
 * when unicast, only after our own QU question (§6, case 19), then go into the cache. Decoding never throws
 * and keeps every good record of a damaged packet (cases 1-2).
 */
import type { RecordCache } from '../cache/types'
import type { Querier } from '../querier'
import { acceptResponse } from '../querier'
import type { Family, ReceivedPacket } from '../transport'
import { decodeMessage, isMdnsQueryAcceptable, isMdnsResponseAcceptable, type DecodedMessage } from '../wire'

/** Why a datagram was not used. */
export type IgnoreReason = 'not-mdns' | 'wrong-source-port' | 'unsolicited-unicast'

/** What handling a packet touches. */
export interface PacketContext {
  cache: RecordCache
  querier: Querier
  linkId: (name: string, family: Family) => string
  /** Our own addresses: queries from them are ours (or a local process's), not evidence about others. */
  ownAddresses: () => ReadonlySet<string>
  onIgnored: (reason: IgnoreReason) => void
  afterIngest: (message: DecodedMessage, packet: ReceivedPacket) => void
}

/** Handles one datagram; never throws for anything the network sends. */
export function handlePacket(ctx: PacketContext, packet: ReceivedPacket): void {
  const message = decodeMessage(packet.data)
  const id = ctx.linkId(packet.link, packet.family)
  if (!message.header.qr) {
    if (!isMdnsQueryAcceptable(message.header)) return ctx.onIgnored('not-mdns')
    ctx.querier.observeQuery(message, id)
    const source = packet.address.split('%')[0] ?? packet.address
    if (!ctx.ownAddresses().has(source))
      for (const q of message.questions) ctx.cache.observeQuery({ name: q.name, type: q.type, qu: q.qu }, message.answers, packet.link)
    return
  }
  if (!isMdnsResponseAcceptable(message.header)) return ctx.onIgnored('not-mdns')
  const verdict = acceptResponse({ sourcePort: packet.port, isUnicast: packet.unicast, askedUnicastRecently: ctx.querier.askedUnicastRecently(id) })
  if (!verdict.ok) return ctx.onIgnored(verdict.error.code)
  ctx.cache.ingest(message, packet.link)
  for (const answer of message.answers) {
    if (!answer.cacheFlush) continue
    try {
      ctx.querier.answerReceived({ name: answer.name, type: answer.type }, id, answer)
    } catch {
      // A name we could never ask about (unencodable): it cannot match a browse either.
    }
  }
  ctx.afterIngest(message, packet)
}
