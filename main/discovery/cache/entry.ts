/**
 * One cached record's mutable state, and the pure rules for when something next happens to it: expiry,
 * a refresh point, a reconfirmation query, or the end of a reconfirmation window.
 */
import { RR_TYPE, type ResourceRecord } from '../wire'
import type { HeapItem } from './heap'
import type { NormalizedRecord } from './record-key'
import type { CacheEntry, CacheEntryState, InterfaceId, KnownAnswer, ReconfirmCause } from './types'

/** Refresh points as fractions of the TTL (RFC 6762 §5.2). */
export const REFRESH_FRACTIONS = [0.8, 0.85, 0.9, 0.95] as const
/** Up to 2 % of the TTL is added to each point, so hosts sharing a cache do not query in step (RFC 6762 §5.2). */
export const REFRESH_JITTER = 0.02
/** A goodbye or a cache-flush leaves the record one more second (RFC 6762 §10.1, §10.2). */
export const LAST_SECOND_MS = 1000

/** §10.5: "two or more" unanswered queries from other hosts before a record is doubted. */
export const POOF_QUERIES = 2
/** Queries within a second count once: one query arrives over IPv4 and IPv6, or from two hosts (mDNSResponder does the same). */
export const POOF_COUNT_INTERVAL_MS = 1000
/** The removal event when an entry's time runs out, by the state it was in. */
export const REMOVAL_ON_EXPIRY: Record<CacheEntryState, 'expired' | 'goodbye-removed' | 'flushed'> = {
  live: 'expired', doubtful: 'expired', goodbye: 'goodbye-removed', flushing: 'flushed',
}

/** A reconfirmation in progress (RFC 6762 §10.4) or a passive failure observation that crossed its threshold (§10.5). */
export interface Reconfirm {
  cause: ReconfirmCause
  startedAt: number
  /** No fresh answer by then: remove. */
  failAt: number
  /** Index into the query delays of the next query; at the end when none are left (POOF sends none). */
  step: number
}

/** A cache entry as the cache holds it. */
export interface Entry extends HeapItem {
  readonly key: string
  readonly rrset: string
  readonly nameKey: string
  readonly interfaceId: InterfaceId
  /** Creation order: the last tie-break for eviction. */
  readonly seq: number
  record: ResourceRecord
  rdataText: string
  ttl: number
  receivedAt: number
  expiresAt: number
  state: CacheEntryState
  wanted: boolean
  /** Refresh points still ahead, ascending; empty unless wanted. */
  refreshAt: number[]
  reconfirm: Reconfirm | undefined
  /** Other hosts' queries this record should have answered, and when the last one was counted (§10.5). */
  unanswered: number
  lastUnansweredAt: number
  /** Cached result of `nextDeadline`, and when it was set (ties fire in the order they were scheduled). */
  deadline: number
  order: number
  /** Cached result of `evictionTier`. */
  tier: number
}

/** A new live entry for a record first received at `at`; `refreshAt` is filled in by the caller if it is wanted. */
export function createEntry(key: string, rrset: string, normalized: NormalizedRecord, interfaceId: InterfaceId, at: number, seq: number): Entry {
  const { record, nameKey, rdataText } = normalized
  return {
    key, rrset, nameKey, interfaceId, seq, record, rdataText, ttl: record.ttl, receivedAt: at, expiresAt: at + record.ttl * 1000,
    state: 'live', wanted: false, refreshAt: [], reconfirm: undefined, unanswered: 0, lastUnansweredAt: -Infinity,
    deadline: NaN, order: 0, tier: 1, heapSlots: [-1, -1],
  }
}

/** The next refresh points for a record received at `receivedAt`, skipping any already past `now`. */
export function refreshPoints(receivedAt: number, ttlSeconds: number, now: number, random: () => number): number[] {
  const points: number[] = []
  for (const fraction of REFRESH_FRACTIONS) {
    const at = receivedAt + ttlSeconds * 1000 * (fraction + REFRESH_JITTER * unit(random()))
    if (at > now) points.push(at)
  }
  return points
}

/** Clamps a random source's output to [0, 1), so a bad source cannot push a refresh past expiry. */
function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 0.999999) : 0
}

/** When the query at `step` goes out, or Infinity when there is none. */
export function reconfirmQueryAt(reconfirm: Reconfirm, delays: readonly number[]): number {
  if (reconfirm.cause === 'poof') return Infinity // §10.5: "SHOULD NOT perform its own queries to re-confirm"
  const delay = delays[reconfirm.step]
  return delay === undefined ? Infinity : reconfirm.startedAt + delay
}

/** The earliest moment something happens to the entry. */
export function nextDeadline(entry: Entry, delays: readonly number[]): number {
  let deadline = entry.expiresAt
  if (entry.reconfirm) deadline = Math.min(deadline, entry.reconfirm.failAt, reconfirmQueryAt(entry.reconfirm, delays))
  // Only live records refresh: a doubtful one has its reconfirmation queries, a leaving one is gone in a second.
  const refresh = entry.refreshAt[0]
  if (entry.state === 'live' && entry.wanted && refresh !== undefined) deadline = Math.min(deadline, refresh)
  return deadline
}

/**
 * Eviction order when the cache is full: records already leaving first, then records nobody wants, then
 * wanted ones; within a tier the soonest to expire, then the oldest. Soonest-expiry rather than LRU: a TTL
 * cache knows what each record is still worth (its remaining lifetime), and lookups are not a usage signal
 * here (the querier reads the cache for every packet it builds). Wanted records go last because they are
 * what the user is looking at.
 */
export function evictionTier(entry: Entry): number {
  if (entry.state === 'goodbye' || entry.state === 'flushing') return 0
  return entry.wanted ? 2 : 1
}

/** True if `a` should be evicted before `b`. */
export function evictsBefore(a: Entry, b: Entry): boolean {
  if (a.tier !== b.tier) return a.tier < b.tier
  if (a.expiresAt !== b.expiresAt) return a.expiresAt < b.expiresAt
  return a.seq < b.seq
}

/** True if `a` is due before `b`. */
export function dueBefore(a: Entry, b: Entry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.order < b.order)
}

/** The entry as reported outside: a copy, so listeners cannot change the cache. */
export function toView(entry: Entry): CacheEntry {
  const { key, interfaceId, record, ttl, receivedAt, expiresAt, state, wanted } = entry
  return { key, interfaceId, record, ttl, receivedAt, expiresAt, state, wanted }
}

/**
 * The entry as a known answer at `now`, or undefined. RFC 6762 §7.1: omit records with less than half their
 * TTL left. The TTL is floored, so every TTL listed is at or above half and does suppress the responder's copy.
 * Only live records: a doubtful or leaving one must not suppress the answer that would save it.
 */
export function asKnownAnswer(entry: Entry, now: number): KnownAnswer | undefined {
  const remainingTtl = Math.floor((entry.expiresAt - now) / 1000)
  return entry.state === 'live' && remainingTtl * 2 >= entry.ttl ? { ...toView(entry), remainingTtl } : undefined
}

/** True if the entry answers a question for `type` (255 = ANY) on `interfaceId` (undefined = any interface). */
export function matchesQuestion(entry: Entry, type: number, interfaceId: InterfaceId | undefined): boolean {
  return (type === RR_TYPE.ANY || entry.record.type === type) && (interfaceId === undefined || entry.interfaceId === interfaceId)
}
