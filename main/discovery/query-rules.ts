/**
 * The RFC 6762 rules the querier applies, as pure functions: when a question may, should and must go
 * (§5.2), how an interface's questions share a packet, when another host's query stands in for ours (§7.3),
 * and which responses the socket layer accepts (§6). State lives in querier.ts.
 */
import { isEncodable, recordIdentity, type KnownAnswerRecord } from './known-answer'
import { CLASS_IN, RR_TYPE, nameKey, namesEqual, parseName, type DecodedMessage, type DnsName, type NameLike, type ResourceRecord } from './wire'

/** §5.2: the first query of a series waits a random 20-120 ms, so hosts woken together do not collide. */
export const FIRST_QUERY_DELAY_MS = { min: 20, max: 120 } as const
/** §5.2: the first two queries are at least 1 s apart; we use exactly 1 s, then twice the previous gap. */
export const MIN_QUERY_INTERVAL_MS = 1000
/** §5.2: the gap MAY be capped at 60 minutes; we cap it there (one query an hour, steady state). */
export const MAX_QUERY_INTERVAL_MS = 3_600_000
/** How long a due retransmission may wait for others on its interface, to share one packet (§5.3). */
export const BATCH_WINDOW_MS = 100
/** §7.3: another host's QM query this recent before ours counts as ours (python-zeroconf uses 999 ms). */
export const DUPLICATE_QUESTION_WINDOW_MS = 1000
/** §6: unicast responses are accepted for a query that asked for them "e.g., sent within the last two seconds". */
export const UNICAST_RESPONSE_WINDOW_MS = 2000
/** RFC 6762 §3, §6: every mDNS response comes from UDP port 5353. */
export const MDNS_PORT = 5353

/** No time: a series with nothing planned. */
export const IDLE = Number.POSITIVE_INFINITY
/** QCLASS "ANY" (RFC 1035 §3.2.5). */
const CLASS_ANY = 255

/** A question to ask: a name (presentation text or decoded), a type, and a class (default IN). */
export interface QuestionSpec {
  name: NameLike
  type: number
  class?: number
}

/** A validated question and its map key (name case-folded, type, class). */
export interface Question {
  key: string
  name: DnsName
  type: number
  class: number
}

/** When a query goes: no earlier than `earliest`, ideally at `due`, no later than `latest`. */
export interface SendWindow {
  earliest: number
  due: number
  latest: number
}

/** The window of a series' first query (§5.2): 20-120 ms from now, aiming at a random point in it. */
export function firstQueryWindow(now: number, random: () => number): SendWindow {
  const { min, max } = FIRST_QUERY_DELAY_MS
  return { earliest: now + min, due: now + min + (max - min) * random(), latest: now + max }
}

/**
 * The window of the retransmission after a query sent (or counted as sent) at `now` (§5.2): 1 s after the
 * first, then twice the last gap as actually sent, capped at 60 min. Measuring gaps as sent keeps "each
 * gap at least twice the previous one" true even when batching or suppression moved a query.
 */
export function retransmitWindow(lastSentAt: number | undefined, now: number): SendWindow {
  const gap = lastSentAt === undefined ? MIN_QUERY_INTERVAL_MS : 2 * (now - lastSentAt)
  const due = now + Math.min(MAX_QUERY_INTERVAL_MS, Math.max(MIN_QUERY_INTERVAL_MS, gap))
  return { earliest: due, due, latest: due + BATCH_WINDOW_MS }
}

/** A series' window with a one-off query asked for at `onceAt` folded in: due at once, may wait for the batch window. */
export function withOneOff(series: SendWindow & { onceAt: number | undefined }): SendWindow {
  if (series.onceAt === undefined) return series
  return {
    earliest: Math.min(series.earliest, series.onceAt),
    due: Math.min(series.due, series.onceAt),
    latest: Math.min(series.latest, series.onceAt + BATCH_WINDOW_MS),
  }
}

/**
 * When an interface's next packet goes, given its questions' windows: at the first due time, or later to let
 * more questions join, as long as no joined question passes its latest time. Never before a question's
 * earliest time, so batching only lengthens gaps.
 */
export function planSend(windows: readonly SendWindow[]): number | undefined {
  const first = windows.reduce((min, w) => Math.min(min, w.due), IDLE)
  if (first === IDLE) return undefined
  let bound = IDLE
  const later: SendWindow[] = []
  for (const w of windows) {
    if (w.earliest <= first) bound = Math.min(bound, w.latest)
    else later.push(w)
  }
  let sendAt = first
  for (const w of later.sort((a, b) => a.earliest - b.earliest)) {
    if (w.earliest > bound) break
    sendAt = w.earliest
    bound = Math.min(bound, w.latest)
  }
  return sendAt
}

/** Another host's recent QM query for one of our questions, with the identities of its known answers. */
export interface PeerQuery {
  at: number
  answers: ReadonlySet<string>
}

/** A peer's known-answer list longer than this is not kept (memory stays bounded); python-zeroconf caps at 256 too. */
const MAX_PEER_KNOWN_ANSWERS = 256

/** What §7.3 keeps of a peer's query for our question: when, and its known answers to that question (none past 256). */
export function peerQuery(answers: readonly ResourceRecord[], question: Question, at: number): PeerQuery | undefined {
  const relevant = answers.filter((record) => answersQuestion(record, question))
  return relevant.length > MAX_PEER_KNOWN_ANSWERS ? undefined : { at, answers: new Set(relevant.map(recordIdentity)) }
}

/**
 * §7.3: true if a peer asked the same QM question within the last second and every known answer it listed is
 * one we would list too. Not the reverse: a record we lack in its list suppresses an answer we still need,
 * while the peer knowing less only draws more answers, which we see.
 */
export function peerAskedForUs(peer: PeerQuery | undefined, ours: readonly KnownAnswerRecord[], now: number): boolean {
  if (!peer || peer.at > now || now - peer.at > DUPLICATE_QUESTION_WINDOW_MS) return false
  const mine = new Set(ours.map(recordIdentity))
  for (const answer of peer.answers) if (!mine.has(answer)) return false
  return true
}

/** True if the record answers the question (RFC 6762 §6: name, type unless ANY, class unless ANY). */
function answersQuestion(record: ResourceRecord, question: Question): boolean {
  const typeMatches = question.type === RR_TYPE.ANY || record.type === question.type
  return typeMatches && (question.class === CLASS_ANY || record.class === question.class) && namesEqual(record.name, question.name)
}

/**
 * A query's questions and known answers, TTLs included, as one string, to recognise our own packet looped
 * back to us. Another host's copy of the same query almost always differs in its TTLs; when it does not
 * (no known answers) it is merely not used for §7.3, which costs one query.
 */
export function querySignature(message: Pick<DecodedMessage, 'questions' | 'answers'>): string {
  const questions = message.questions.map((q) => `${questionKey(q.name, q.type, q.class)}\u0000${q.qu ? 'QU' : 'QM'}`)
  return [...questions, '', ...message.answers.map((r) => `${recordIdentity(r)}\u0000${r.ttl}`)].join('\u0001')
}

/** The map key of a question: names equal as mDNS compares them (§16) give equal keys. */
export function questionKey(name: NameLike, type: number, klass: number): string {
  return `${nameKey(name) ?? ''}\u0000${type}\u0000${klass}`
}

/** Validates a question; a bad one is a programmer error (names from the network arrive decoded and valid). */
export function toQuestion(spec: QuestionSpec): Question {
  let name: DnsName
  if (typeof spec.name === 'string') {
    const parsed = parseName(spec.name)
    if (!parsed.ok) throw new RangeError(parsed.error.message)
    name = parsed.name
  } else name = spec.name
  const klass = spec.class ?? CLASS_IN
  if (!isEncodable(name.labels) || name.labels.length === 0) throw new RangeError(`cannot ask about "${name.text}"`)
  if (!Number.isInteger(spec.type) || spec.type < 1 || spec.type > 0xffff) throw new RangeError(`bad query type ${spec.type}`)
  if (!Number.isInteger(klass) || klass < 1 || klass > 0x7fff) throw new RangeError(`bad query class ${klass}`)
  return { key: questionKey(name, spec.type, klass), name, type: spec.type, class: klass }
}

/** A response the socket layer should act on, or why not. */
export type ResponseVerdict = { ok: true } | { ok: false; error: { code: 'wrong-source-port' | 'unsolicited-unicast'; message: string } }

/**
 * The socket layer's check on a received response (case 19): responses from a port other than 5353 MUST be
 * ignored (RFC 6762 §6, §11); a unicast response only counts if we asked for unicast (QU) within the last
 * 2 s (§5.4, §6). Multicast responses need no query: unsolicited announcements are normal (§8.3).
 */
export function acceptResponse(input: { sourcePort: number; isUnicast: boolean; askedUnicastRecently: boolean }): ResponseVerdict {
  if (input.sourcePort !== MDNS_PORT) {
    const message = `Ignored a response from port ${input.sourcePort}: mDNS responders answer from ${MDNS_PORT} (RFC 6762 §6). The sender is not a conforming responder.`
    return { ok: false, error: { code: 'wrong-source-port', message } }
  }
  if (input.isUnicast && !input.askedUnicastRecently) {
    const message = 'Ignored a unicast response to no recent QU query (RFC 6762 §6). If a device only answers by unicast, look for another mDNS responder holding port 5353.'
    return { ok: false, error: { code: 'unsolicited-unicast', message } }
  }
  return { ok: true }
}
