/**
 * The record cache's public shapes: what goes in (decoded records, questions), what comes out (entries,
 * events, snapshots) and what it needs (a clock, callbacks, limits). Plain data, so events and snapshots can
 * be logged and sent to the renderer as they are.
 */
import type { Clock } from '../../util/clock'
import type { NameLike, ResourceRecord } from '../wire'

/** The interface a record was received on, as the interface layer names it (e.g. `en0`, `wlan0`). */
export type InterfaceId = string

/** The sections of a decoded response the cache reads; a `DecodedMessage` fits as it is. */
export interface CachePacket {
  answers?: readonly ResourceRecord[]
  additionals?: readonly ResourceRecord[]
}

/**
 * Where a cached record stands: `live`; `goodbye` or `flushing` for its last second (RFC 6762 §10.1,
 * §10.2); `doubtful` while a reconfirmation or passive failure observation runs (§10.4, §10.5).
 */
export type CacheEntryState = 'live' | 'goodbye' | 'flushing' | 'doubtful'

/** One cached record on one interface, as the cache reports it. Times are in the clock's milliseconds. */
export interface CacheEntry {
  /** Stable identity: interface, class, type, name (case-folded) and rdata (names in it case-folded). */
  key: string
  interfaceId: InterfaceId
  record: ResourceRecord
  /** Seconds, from the last answer that carried a non-zero TTL. */
  ttl: number
  /** When that answer arrived. */
  receivedAt: number
  /** When the record leaves the cache unless refreshed; earlier than `receivedAt + ttl` after a goodbye or flush. */
  expiresAt: number
  state: CacheEntryState
  /** True while a browse or resolve wants it kept fresh (RFC 6762 §5.2). */
  wanted: boolean
}

/** A known answer for an outgoing query: the entry and the TTL to put on the wire (RFC 6762 §7.1). */
export type KnownAnswer = CacheEntry & { remainingTtl: number }

/** Why a record was removed before its TTL ran out: our reconfirmation (§10.4) or other hosts' unanswered queries (§10.5). */
export type ReconfirmCause = 'reconfirm' | 'poof'

/**
 * What happened to an entry. `updated` means a new TTL or rdata that differs only in letter case (other rdata
 * is another record); a refresh with the same values is silent. Every other type is a removal.
 */
export type CacheChange =
  | { type: 'added' }
  | { type: 'updated'; changed: ('ttl' | 'rdata')[]; previous: CacheEntry }
  | { type: 'expired' | 'goodbye-removed' | 'flushed' | 'evicted' | 'interface-removed' }
  | { type: 'reconfirm-failed'; cause: ReconfirmCause }

/** A change the device layer reacts to, with the entry as it was at that moment. */
export type CacheEvent = CacheEntry & CacheChange

/** The kinds of event, for exhaustive switches. */
export type CacheEventType = CacheEvent['type']

/** Why the cache refused a record instead of storing it. */
export type DropReason = 'invalid' | 'not-cacheable' | 'rdata-too-large' | 'capacity'

/** A question as the cache matches it: ANY (255) matches every type; no interface means every interface. */
export interface CacheQuestion {
  name: NameLike
  type: number
  interfaceId?: InterfaceId
}

/** A question seen in another host's query, for passive observation of failures (RFC 6762 §10.5). */
export interface ObservedQuestion {
  name: NameLike
  type: number
  /** QU questions may be answered by unicast, which we never see, so they say nothing about failure. */
  qu?: boolean
}

/** What to reconfirm: an entry key, or every record of a name and type (255 = all types) on the interface. */
export type ReconfirmTarget = string | { name: NameLike; type: number }

/** Dependencies and limits of the cache. */
export interface RecordCacheDeps {
  clock: Clock
  /** Receives every change, in the order the changes happened. */
  onEvent?: (event: CacheEvent) => void
  /** A wanted record reached a refresh point (80/85/90/95 % of its TTL, RFC 6762 §5.2); per record, the querier merges questions. */
  onRefreshDue?: (record: ResourceRecord, interfaceId: InterfaceId) => void
  /** A doubtful record needs a confirming query now (RFC 6762 §10.4: two or more queries). */
  onReconfirmQuery?: (record: ResourceRecord, interfaceId: InterfaceId) => void
  /** Uniform in [0, 1); drives the 0-2 % refresh jitter. Defaults to Math.random. */
  random?: () => number
  /** Entries kept at most, over all interfaces; default 10,000 (python-zeroconf's cap). */
  maxEntries?: number
  /** Records with more rdata than this are refused; default 4,096 bytes. */
  maxRdataBytes?: number
  /** How long a reconfirmation or passive observation waits for an answer; default 10 s (RFC 6762 §10.4, §10.5). */
  reconfirmWindowMs?: number
  /** When reconfirmation queries go out, from the start of the window; default 0, 1 s, 3 s. */
  reconfirmQueryDelaysMs?: readonly number[]
}

/** Counters for diagnostics. */
export interface CacheStats {
  entries: number
  maxEntries: number
  maxRdataBytes: number
  /** Entries removed to make room. */
  evicted: number
  /** Records refused, by reason. */
  dropped: Record<DropReason, number>
  /** Goodbyes for records we did not have (nothing to remove). */
  unknownGoodbyes: number
  /** Questions with an active interest. */
  wantedQuestions: number
  /** When the cache's one timer fires next, if it is set. */
  nextTimerAt: number | undefined
}

/** Everything in the cache, for the diagnostics view. */
export interface CacheSnapshot {
  at: number
  entries: CacheEntry[]
  stats: CacheStats
}

/** The mDNS record cache of one querier. */
export interface RecordCache {
  /** Stores one response's answers and additionals; `receivedAt` is on the clock's scale (default now). Never throws on odd records. */
  ingest(packet: CachePacket, interfaceId: InterfaceId, receivedAt?: number): void
  /** Marks matching records (present and future) as wanted, so refresh points fire; returns the release. */
  want(question: CacheQuestion): () => void
  /** Live records to list as known answers: remaining TTL at least half the original (RFC 6762 §7.1). */
  knownAnswers(name: NameLike, type: number, interfaceId: InterfaceId, now?: number): KnownAnswer[]
  /** Every cached record of a name and type (255 = all), on one interface or all. */
  lookup(name: NameLike, type: number, interfaceId?: InterfaceId): CacheEntry[]
  /** Starts reconfirming records after a failure indication (RFC 6762 §10.4); returns how many were marked. */
  reconfirm(target: ReconfirmTarget, interfaceId: InterfaceId): number
  /** Feeds a question from another host's query (never our own) on `interfaceId`, with its known answers (RFC 6762 §10.5). */
  observeQuery(question: ObservedQuestion, knownAnswers: readonly ResourceRecord[], interfaceId: InterfaceId): void
  /** Removes every record of an interface that went away; returns how many. */
  forgetInterface(interfaceId: InterfaceId): number
  /** A copy of every entry and the counters. */
  snapshot(): CacheSnapshot
  /** Cancels the timer and drops everything; later calls do nothing. */
  dispose(): void
}
