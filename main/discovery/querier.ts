/**
 * The mDNS querier: which question goes out on which interface, when, and with which known answers.
 *
 * Ours because bonjour-service as published sends one query per find() and never again
 * (reference/discovery-and-mdns.md §1.3): no retransmissions, no known answers, no duplicate-question
 * suppression, no QU, and one interface. RFC 6762 §5.2 wants a browse to keep asking with backoff and
 * known-answer suppression. Pure logic: packets leave through `send`, time comes from the clock and chance
 * from `random`. One clock timer, aimed at the next interface batch, serves every question.
 */
import type { Clock, TimerHandle } from '../util/clock'
import { buildQueryPackets, payloadBudget, type AddressFamily, type KnownAnswerRecord, type QueryQuestion } from './query-packet'
import {
  BATCH_WINDOW_MS, DUPLICATE_QUESTION_WINDOW_MS, FIRST_QUERY_DELAY_MS, IDLE, MAX_QUERY_INTERVAL_MS, UNICAST_RESPONSE_WINDOW_MS,
  firstQueryWindow, peerAskedForUs, peerQuery, planSend, querySignature, questionKey, retransmitWindow, toQuestion, withOneOff,
  type PeerQuery, type Question, type QuestionSpec, type SendWindow,
} from './query-rules'
import { decodeMessage, isMdnsQueryAcceptable, type DecodedMessage, type DnsName, type ResourceRecord } from './wire'

export {
  BATCH_WINDOW_MS, DUPLICATE_QUESTION_WINDOW_MS, FIRST_QUERY_DELAY_MS, MAX_QUERY_INTERVAL_MS, MDNS_PORT, MIN_QUERY_INTERVAL_MS,
  UNICAST_RESPONSE_WINDOW_MS, acceptResponse, type QuestionSpec, type ResponseVerdict,
} from './query-rules'
export type { AddressFamily } from './query-packet'
export type { KnownAnswerRecord, ResourceRecordLike } from './known-answer'

/** Node fires a longer timeout after 1 ms; a far deadline is reached in steps. */
const MAX_TIMER_MS = 0x7fffffff

/** An interface the querier sends on; the MTU sets the packet budget (RFC 6762 §17, see `payloadBudget`). */
export interface InterfaceSpec {
  family: AddressFamily
  mtu?: number
}

/** Why the network may look new: both restart the series with QU (§5.4); `wake` without an id means every interface. */
export type PokeReason = 'interface-up' | 'wake'

/** The parts of another host's query that duplicate-question suppression reads; a `DecodedMessage` fits. */
export type ObservedQuery = Pick<DecodedMessage, 'header' | 'questions' | 'answers'>

/** What the querier needs. `send` must not block; it may throw, which `onSendError` hears. */
export interface QuerierDeps {
  clock: Clock
  /** Uniform in [0, 1); defaults to Math.random. */
  random?: () => number
  send: (interfaceId: string, packet: Uint8Array) => void
  /** Records to list as known answers, with their remaining TTLs; the source leaves out those under half (§7.1). */
  knownAnswers: (name: DnsName, type: number, interfaceId: string, now: number) => readonly KnownAnswerRecord[]
  /** False when unicast replies cannot reach us (another responder owns port 5353, §15): never ask QU. Default true; a function is read at each series start. */
  unicastResponses?: boolean | (() => boolean)
  onSendError?: (interfaceId: string, error: unknown) => void
}

/** A running browse; `stop` ends it (idempotent). */
export interface BrowseHandle {
  stop(): void
}

/** The querier's operations. */
export interface Querier {
  /** Keeps asking the question on every interface until stopped (§5.2); browses of one question share a series. */
  browse(question: QuestionSpec): BrowseHandle
  /** Adds an interface (its first batch asks QU), or updates its MTU budget if known. */
  addInterface(id: string, spec: InterfaceSpec): void
  /** Forgets the interface and everything scheduled on it. */
  removeInterface(id: string): void
  /** The interface came up or the host woke: restart every series there from a 20-120 ms delay, QU first (§5.4). */
  poke(reason: PokeReason, interfaceId?: string): void
  /** Another host's query on the interface, for duplicate-question suppression (§7.3). */
  observeQuery(message: ObservedQuery, interfaceId: string, now?: number): void
  /** A unique (cache-flush) answer arrived: the next query moves to 80-82 % of its TTL (§5.2). Shared answers change nothing. */
  answerReceived(question: QuestionSpec, interfaceId: string, answer: Pick<ResourceRecord, 'cacheFlush' | 'ttl'>): void
  /** One QM query in the next batch, outside any series: the cache's refresh (§5.2) and reconfirm (§10.4) queries. */
  queryOnce(question: QuestionSpec, interfaceId?: string): boolean
  /** True if a QU question went out on the interface within 2 s: what `acceptResponse` needs (§6). */
  askedUnicastRecently(interfaceId: string, now?: number): boolean
  /** Cancels the timer and forgets everything; later calls do nothing (browse throws). */
  dispose(): void
}

/** One question on one interface: the window of its next series query, and what the next query needs to know. */
interface Series extends SendWindow {
  question: Question
  /** False for a question only here for a one-off query. */
  browsing: boolean
  lastSentAt: number | undefined
  qu: boolean
  /** A one-off query was asked for at this time. */
  onceAt: number | undefined
  peer: PeerQuery | undefined
}

interface Link {
  id: string
  budget: number
  /** Questions created until then join the interface's first, QU, batch (§5.4). */
  freshUntil: number | undefined
  lastQuSentAt: number | undefined
  /** Our own recent packets, so one looped back to us is not taken for another host's (§7.3). */
  echoes: { at: number; signature: string }[]
  series: Map<string, Series>
}

/** Creates a querier; nothing is sent until there is an interface and a browse. */
export function createQuerier(deps: QuerierDeps): Querier {
  const { clock } = deps
  const random = deps.random ?? Math.random
  const unicastSetting = deps.unicastResponses ?? true
  const unicast = () => (typeof unicastSetting === 'function' ? unicastSetting() : unicastSetting)
  const links = new Map<string, Link>()
  const browses = new Map<string, { question: Question; handles: number }>()
  let timer: TimerHandle | undefined
  let armedFor = IDLE
  let disposed = false

  const restart = (series: Series, now: number, qu: boolean): void => {
    Object.assign(series, firstQueryWindow(now, random), { lastSentAt: undefined, qu: qu && unicast() })
  }

  const seriesFor = (link: Link, question: Question): Series => {
    let series = link.series.get(question.key)
    if (!series) {
      series = { question, browsing: false, earliest: IDLE, due: IDLE, latest: IDLE, lastSentAt: undefined, qu: false, onceAt: undefined, peer: undefined }
      link.series.set(question.key, series)
    }
    return series
  }

  const startBrowsing = (link: Link, question: Question, now: number, qu: boolean): void =>
    restart(Object.assign(seriesFor(link, question), { browsing: true }), now, qu)

  function arm(): void {
    if (disposed) return
    let next = IDLE
    for (const link of links.values()) next = Math.min(next, planSend([...link.series.values()].map(withOneOff)) ?? IDLE)
    if (next === armedFor) return
    if (timer) clock.clearTimeout(timer)
    timer = undefined
    armedFor = next
    if (next !== IDLE) timer = clock.setTimeout(fire, Math.min(MAX_TIMER_MS, Math.max(0, next - clock.now())))
  }

  function fire(): void {
    timer = undefined
    armedFor = IDLE
    const now = clock.now()
    for (const link of [...links.values()]) {
      const at = planSend([...link.series.values()].map(withOneOff))
      if (at !== undefined && at <= now) transmit(link, now)
    }
    arm()
  }

  function transmit(link: Link, now: number): void {
    const outgoing: QueryQuestion[] = []
    for (const series of [...link.series.values()]) {
      if (withOneOff(series).earliest > now) continue
      const inSeries = series.earliest <= now
      const knownAnswers = deps.knownAnswers(series.question.name, series.question.type, link.id, now)
      // §7.3: a peer just asked the same QM question and knew nothing we do not: treat ours as sent.
      if (!peerAskedForUs(series.peer, knownAnswers, now)) {
        const { name, type, class: klass } = series.question
        outgoing.push({ name, type, class: klass, qu: inSeries && series.qu, knownAnswers })
      }
      settle(link, series, now, inSeries)
    }
    link.freshUntil = undefined
    if (outgoing.length === 0) return
    if (outgoing.some((question) => question.qu)) link.lastQuSentAt = now
    link.echoes = link.echoes.filter((echo) => now - echo.at <= DUPLICATE_QUESTION_WINDOW_MS)
    for (const packet of buildQueryPackets(outgoing, link.budget)) {
      link.echoes.push({ at: now, signature: querySignature(decodeMessage(packet)) })
      try {
        deps.send(link.id, packet)
      } catch (error) {
        deps.onSendError?.(link.id, error)
      }
    }
  }

  /** After a query went out or counted as sent (§7.3): one-offs are done, the series moves on (§5.2). */
  function settle(link: Link, series: Series, now: number, inSeries: boolean): void {
    series.onceAt = undefined
    if (!series.browsing) {
      link.series.delete(series.question.key)
      return
    }
    if (inSeries) Object.assign(series, retransmitWindow(series.lastSentAt, now), { lastSentAt: now, qu: false, peer: undefined })
  }

  return {
    browse(spec) {
      if (disposed) throw new Error('the querier is disposed')
      const question = toQuestion(spec)
      const now = clock.now()
      const existing = browses.get(question.key)
      if (existing) existing.handles++
      else {
        browses.set(question.key, { question, handles: 1 })
        // §5.4: only questions ready at interface activation ask QU; later ones are QM.
        for (const link of links.values()) startBrowsing(link, question, now, link.freshUntil !== undefined && now <= link.freshUntil)
      }
      arm()
      let stopped = false
      return {
        stop: () => {
          if (stopped || disposed) return
          stopped = true
          release(question.key)
        },
      }
    },
    addInterface(id, spec) {
      if (disposed) return
      const budget = payloadBudget(spec.family, spec.mtu)
      const known = links.get(id)
      if (known) {
        known.budget = budget
        return
      }
      const now = clock.now()
      const link: Link = { id, budget, freshUntil: now + FIRST_QUERY_DELAY_MS.max, lastQuSentAt: undefined, echoes: [], series: new Map() }
      links.set(id, link)
      for (const { question } of browses.values()) startBrowsing(link, question, now, true)
      arm()
    },
    removeInterface(id) {
      if (links.delete(id)) arm()
    },
    poke(reason, interfaceId) {
      if (reason === 'interface-up' && interfaceId === undefined) throw new TypeError("poke('interface-up') needs the interface's id")
      const now = clock.now()
      const targets = interfaceId === undefined ? [...links.values()] : [links.get(interfaceId)]
      for (const link of targets) {
        if (!link) continue
        link.freshUntil = now + FIRST_QUERY_DELAY_MS.max
        for (const series of link.series.values()) if (series.browsing) restart(series, now, true)
      }
      arm()
    },
    observeQuery(message, interfaceId, now = clock.now()) {
      const link = links.get(interfaceId)
      // §7.2: with TC set the known answers continue in packets we cannot tie to this one, so a subset cannot be proved.
      if (!link || !isMdnsQueryAcceptable(message.header) || message.header.tc || isEcho(link, message, now)) return
      for (const question of message.questions) {
        if (question.qu) continue // §7.3 counts QM questions only: answers to QU may go by unicast, which we never see.
        const series = link.series.get(questionKey(question.name, question.type, question.class))
        if (series) series.peer = peerQuery(message.answers, series.question, now)
      }
    },
    answerReceived(spec, interfaceId, answer) {
      if (!answer.cacheFlush || !(answer.ttl > 0)) return // §5.2: more shared answers may come; keep asking.
      const series = links.get(interfaceId)?.series.get(toQuestion(spec).key)
      if (!series?.browsing) return
      const target = clock.now() + Math.min(MAX_QUERY_INTERVAL_MS, answer.ttl * 1000 * (0.8 + 0.02 * random()))
      if (target <= series.due) return // only ever stretches: a query is never moved earlier than the series put it
      Object.assign(series, { earliest: target, due: target, latest: target + BATCH_WINDOW_MS, qu: false })
      arm()
    },
    queryOnce(spec, interfaceId) {
      if (disposed) return false
      const question = toQuestion(spec)
      const now = clock.now()
      const targets = interfaceId === undefined ? [...links.values()] : [links.get(interfaceId)].filter((link) => link !== undefined)
      for (const link of targets) seriesFor(link, question).onceAt ??= now
      arm()
      return targets.length > 0
    },
    askedUnicastRecently(interfaceId, now = clock.now()) {
      const at = links.get(interfaceId)?.lastQuSentAt
      return at !== undefined && now - at <= UNICAST_RESPONSE_WINDOW_MS
    },
    dispose() {
      disposed = true
      if (timer) clock.clearTimeout(timer)
      links.clear()
      browses.clear()
    },
  }

  function release(key: string): void {
    const browse = browses.get(key)
    if (!browse || --browse.handles > 0) return
    browses.delete(key)
    for (const link of links.values()) {
      const series = link.series.get(key)
      if (!series) continue
      if (series.onceAt === undefined) link.series.delete(key)
      else Object.assign(series, { browsing: false, earliest: IDLE, due: IDLE, latest: IDLE })
    }
    arm()
  }
}

function isEcho(link: Link, message: ObservedQuery, now: number): boolean {
  const mark = querySignature(message)
  const index = link.echoes.findIndex((echo) => echo.signature === mark && now - echo.at <= DUPLICATE_QUESTION_WINDOW_MS)
  if (index >= 0) link.echoes.splice(index, 1)
  return index >= 0
}
