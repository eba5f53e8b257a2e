/**
 * A querier on a fake clock that records and decodes every packet it sends, for the querier tests.
 */
import { createQuerier, type KnownAnswerRecord, type QuerierDeps, type ResourceRecordLike } from '../../../main/discovery/querier'
import { RR_TYPE, decodeMessage, encodeName, parseName, type DecodedMessage, type DnsName } from '../../../main/discovery/wire'
import { createFakeClock } from '../../helpers/fake-clock'
import { seededRandom } from './wire/fixtures'

export const SERVICE = '_hap._tcp.local'
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

/** Presentation text as a name; throws on invalid text (a test bug). */
export function name(text: string): DnsName {
  const parsed = parseName(text)
  if (!parsed.ok) throw new Error(parsed.error.message)
  return parsed.name
}

/** A PTR known answer for an instance of SERVICE, as a cache would hold it. */
export const ptr = (instance: string, ttl = 4000): ResourceRecordLike => ({
  name: name(SERVICE), type: RR_TYPE.PTR, class: 1, ttl, rdata: encodeName(name(`${instance}.${SERVICE}`).labels),
})

/** One packet the querier sent, decoded. */
export interface Sent {
  at: number
  interfaceId: string
  bytes: Uint8Array
  message: DecodedMessage
}

type KnownAnswers = (name: DnsName, type: number, interfaceId: string) => readonly KnownAnswerRecord[]

/** A querier on a fake clock with a seeded random source, recording and decoding every packet it sends. */
export function setup(overrides: Partial<QuerierDeps> = {}) {
  const clock = createFakeClock()
  const sent: Sent[] = []
  let known: KnownAnswers = () => []
  const querier = createQuerier({
    clock,
    random: seededRandom(7),
    send: (interfaceId, bytes) => sent.push({ at: clock.now(), interfaceId, bytes, message: decodeMessage(bytes) }),
    knownAnswers: (n, type, interfaceId) => known(n, type, interfaceId),
    ...overrides,
  })
  return {
    clock,
    sent,
    querier,
    setKnownAnswers: (fn: KnownAnswers) => void (known = fn),
    /** A packet's questions as `name/type`, with `/QU` when the QU bit is set. */
    questions: (packet: Sent | undefined) => packet?.message.questions.map((q) => `${q.name.text}/${q.type}${q.qu ? '/QU' : ''}`),
    /** Send times, on one interface or all. */
    times: (interfaceId?: string) => sent.filter((s) => interfaceId === undefined || s.interfaceId === interfaceId).map((s) => s.at),
  }
}

/** The gaps between successive times. */
export const gaps = (times: readonly number[]): number[] => times.slice(1).map((t, i) => t - (times[i] ?? 0))
