/**
 * The mDNS record cache: every record keyed by interface, name, type, class and rdata, with its own TTL
 * (RFC 6762 §10), goodbyes (§10.1), cache-flush (§10.2), refresh points for wanted records (§5.2), known
 * answers (§7.1), reconfirmation (§10.4) and passive observation of failures (§10.5), within a size cap.
 * Pure logic behind an injected clock: the querier feeds it responses and sends the queries it asks for.
 *
 * Ours: multicast-dns keeps no cache, and bonjour-service's has no per-interface TTLs, no cache-flush and no
 * refresh (reference/discovery-and-mdns.md §1.3, §1.6). One clock timer serves every record: it is aimed at
 * the earliest deadline in a heap, so 10,000 records cost one pending timer, not 10,000.
 */
import {
  LAST_SECOND_MS, POOF_COUNT_INTERVAL_MS, POOF_QUERIES, REMOVAL_ON_EXPIRY, asKnownAnswer, createEntry, evictionTier, evictsBefore,
  matchesQuestion, reconfirmQueryAt, refreshPoints, toView, type Entry,
} from './cache/entry'
import { Interest } from './cache/indexes'
import { resolveOptions } from './cache/options'
import { normalizeRecord, recordKey, rrsetKey, safeNameKey, type NormalizedRecord } from './cache/record-key'
import { EffectQueue, OneTimer } from './cache/runner'
import { EntryStore } from './cache/store'
import type {
  CacheChange, CacheEntry, CacheEvent, CachePacket, CacheQuestion, CacheSnapshot, DropReason, InterfaceId,
  KnownAnswer, ObservedQuestion, RecordCache, RecordCacheDeps, ReconfirmCause, ReconfirmTarget,
} from './cache/types'
import type { NameLike, ResourceRecord } from './wire'

export type * from './cache/types'
export {
  DEFAULT_MAX_ENTRIES, DEFAULT_MAX_RDATA_BYTES, DEFAULT_RECONFIRM_QUERY_DELAYS_MS, DEFAULT_RECONFIRM_WINDOW_MS,
} from './cache/options'

const noop = (): void => undefined

/** Creates an empty cache; nothing is scheduled until records arrive. */
export function createRecordCache(deps: RecordCacheDeps): RecordCache {
  const { clock } = deps
  const { maxEntries, maxRdataBytes, reconfirmWindowMs, reconfirmQueryDelaysMs: delays, random } = resolveOptions(deps)
  const store = new EntryStore(delays)
  const interest = new Interest()
  const effects = new EffectQueue()
  const timer = new OneTimer(clock, () => settle())
  const dropped: Record<DropReason, number> = { invalid: 0, 'not-cacheable': 0, 'rdata-too-large': 0, capacity: 0 }
  const counters = { evicted: 0, unknownGoodbyes: 0, seq: 0 }
  let disposed = false

  const emit = (entry: Entry, change: CacheChange) => {
    const { onEvent } = deps
    const event: CacheEvent = { ...toView(entry), ...change }
    if (onEvent) effects.push(() => onEvent(event))
  }

  const call = (callback: ((record: ResourceRecord, interfaceId: InterfaceId) => void) | undefined, entry: Entry) => {
    const { record, interfaceId } = entry
    if (callback) effects.push(() => callback(record, interfaceId))
  }

  const remove = (entry: Entry, change: CacheChange) => {
    store.delete(entry)
    emit(entry, change)
  }

  /** Does what is due for one entry; afterwards its deadline is in the future or it is gone. */
  const advance = (entry: Entry, now: number) => {
    const { reconfirm } = entry
    if (entry.expiresAt <= now) return remove(entry, { type: REMOVAL_ON_EXPIRY[entry.state] })
    if (reconfirm && reconfirm.failAt <= now) return remove(entry, { type: 'reconfirm-failed', cause: reconfirm.cause })
    if (reconfirm && reconfirmQueryAt(reconfirm, delays) <= now) {
      while (reconfirmQueryAt(reconfirm, delays) <= now) reconfirm.step++ // a late timer sends one query, not a burst
      call(deps.onReconfirmQuery, entry)
    }
    if (entry.state === 'live' && entry.wanted && (entry.refreshAt[0] ?? Infinity) <= now) {
      while ((entry.refreshAt[0] ?? Infinity) <= now) entry.refreshAt.shift()
      call(deps.onRefreshDue, entry)
    }
    store.reindex(entry)
  }

  /** Ends every public operation: runs what is due, aims the one timer at the next deadline, delivers callbacks. */
  function settle(): void {
    if (disposed) return
    const now = clock.now()
    for (let entry = store.nextDue(); entry && entry.deadline <= now; entry = store.nextDue()) advance(entry, now)
    timer.aim(store.nextDue()?.deadline, now)
    effects.drain(() => disposed)
  }

  /** One more second for the entry (§10.1 goodbye, §10.2 flush); an earlier end stands. */
  const leave = (entry: Entry, state: 'goodbye' | 'flushing', at: number) => {
    if (entry.state !== 'goodbye') entry.state = state
    entry.expiresAt = Math.min(entry.expiresAt, at + LAST_SECOND_MS)
    entry.reconfirm = undefined
    entry.refreshAt = []
    store.reindex(entry)
  }

  /** A fresh answer: new TTL from `at`; any goodbye, flush or doubt cancelled; refresh points restarted (§5.2). */
  const refresh = (entry: Entry, { record, rdataText }: NormalizedRecord, at: number) => {
    if (at < entry.receivedAt) return // a packet processed out of order says nothing newer
    const changed = (['ttl', 'rdata'] as const).filter((field) => (field === 'ttl' ? record.ttl !== entry.ttl : rdataText !== entry.rdataText))
    const previous = toView(entry)
    entry.record = record
    entry.rdataText = rdataText
    entry.ttl = record.ttl
    entry.receivedAt = at
    entry.expiresAt = at + record.ttl * 1000
    entry.state = 'live'
    entry.reconfirm = undefined
    entry.unanswered = 0
    entry.refreshAt = entry.wanted ? refreshPoints(at, record.ttl, clock.now(), random) : []
    store.reindex(entry)
    if (changed.length > 0) emit(entry, { type: 'updated', changed, previous })
  }

  const insert = (key: string, normalized: NormalizedRecord, interfaceId: InterfaceId, at: number) => {
    const { record, nameKey } = normalized
    const entry = createEntry(key, rrsetKey(interfaceId, record, nameKey), normalized, interfaceId, at, ++counters.seq)
    entry.wanted = interest.wants(nameKey, record.type, interfaceId)
    if (entry.wanted) entry.refreshAt = refreshPoints(at, record.ttl, clock.now(), random)
    entry.tier = evictionTier(entry)
    if (store.size >= maxEntries) {
      // Full: the newcomer displaces the first entry in eviction order only if it ranks above it.
      const victim = store.nextEviction()
      if (!victim || !evictsBefore(victim, entry)) return void dropped.capacity++
      counters.evicted++
      remove(victim, { type: 'evicted' })
    }
    store.add(entry)
    emit(entry, { type: 'added' })
  }

  const accept = (normalized: NormalizedRecord, interfaceId: InterfaceId, at: number) => {
    const key = recordKey(interfaceId, normalized)
    const existing = store.get(key)
    if (normalized.record.ttl > 0) {
      if (existing) refresh(existing, normalized, at)
      else insert(key, normalized, interfaceId, at)
    } else if (existing) {
      leave(existing, 'goodbye', at) // §10.1: keep it one second, then delete
    } else {
      counters.unknownGoodbyes++
    }
  }

  const startReconfirm = (entry: Entry, cause: ReconfirmCause, now: number) => {
    entry.state = 'doubtful'
    entry.reconfirm = { cause, startedAt: now, failAt: now + reconfirmWindowMs, step: 0 }
    store.reindex(entry)
  }

  const entriesFor = (name: unknown, type: number, interfaceId: InterfaceId | undefined): Entry[] => {
    const key = safeNameKey(name)
    return key === undefined ? [] : [...store.named(key)].filter((entry) => matchesQuestion(entry, type, interfaceId))
  }

  /** Re-evaluates `wanted` for the entries a question covers, after its interest count changed. */
  const rescan = (question: CacheQuestion) => {
    const now = clock.now()
    for (const entry of entriesFor(question.name, question.type, question.interfaceId)) {
      const wanted = interest.wants(entry.nameKey, entry.record.type, entry.interfaceId)
      if (wanted === entry.wanted) continue
      entry.wanted = wanted
      entry.refreshAt = wanted ? refreshPoints(entry.receivedAt, entry.ttl, now, random) : []
      store.reindex(entry)
    }
  }

  return {
    ingest(packet: CachePacket, interfaceId: InterfaceId, receivedAt?: number) {
      if (disposed || typeof interfaceId !== 'string') return
      const now = clock.now()
      const at = typeof receivedAt === 'number' && Number.isFinite(receivedAt) ? Math.min(receivedAt, now) : now
      const flushes = new Set<string>()
      // Answers and additionals only: authorities carry probes' proposed records, which are not answers (§8.1).
      for (const section of [packet?.answers, packet?.additionals]) {
        for (const value of Array.isArray(section) ? (section as readonly unknown[]) : []) {
          const normalized = normalizeRecord(value, maxRdataBytes)
          if (!normalized.ok) {
            dropped[normalized.reason]++
            continue
          }
          accept(normalized, interfaceId, at)
          // §10.2: a goodbye withdraws one record without claiming the set is complete, so it flushes nothing.
          const { record, nameKey } = normalized
          if (record.cacheFlush === true && record.ttl > 0) flushes.add(rrsetKey(interfaceId, record, nameKey))
        }
      }
      // After the whole packet, so its own records (received now, not more than 1 s ago) survive (§10.2).
      for (const rrset of flushes) {
        for (const entry of store.inRrset(rrset)) if (entry.receivedAt < at - LAST_SECOND_MS) leave(entry, 'flushing', at)
      }
      settle()
    },

    want(question: CacheQuestion) {
      const key = disposed ? undefined : safeNameKey(question?.name)
      if (key === undefined || !Number.isInteger(question.type)) return noop
      interest.add(key, question.type, question.interfaceId)
      rescan(question)
      settle()
      let held = true
      return () => {
        if (!held || disposed) return
        held = false
        interest.remove(key, question.type, question.interfaceId)
        rescan(question)
        settle()
      }
    },

    knownAnswers(name: NameLike, type: number, interfaceId: InterfaceId, now = clock.now()): KnownAnswer[] {
      return entriesFor(name, type, interfaceId).flatMap((entry) => asKnownAnswer(entry, now) ?? [])
    },

    lookup(name: NameLike, type: number, interfaceId?: InterfaceId): CacheEntry[] {
      const now = clock.now()
      return entriesFor(name, type, interfaceId).filter((entry) => entry.expiresAt > now).map(toView)
    },

    reconfirm(target: ReconfirmTarget, interfaceId: InterfaceId): number {
      if (disposed) return 0
      const found = typeof target === 'string' ? [store.get(target)] : entriesFor(target?.name, target?.type, interfaceId)
      // Only live records: a second failure does not extend a running window, and a leaving record needs no proof.
      const marked = found.filter((entry): entry is Entry => entry?.interfaceId === interfaceId && entry.state === 'live')
      const now = clock.now()
      for (const entry of marked) startReconfirm(entry, 'reconfirm', now)
      settle()
      return marked.length
    },

    observeQuery(question: ObservedQuestion, knownAnswers: readonly ResourceRecord[], interfaceId: InterfaceId) {
      if (disposed || question?.qu === true) return
      const listed = new Set<string>()
      for (const value of Array.isArray(knownAnswers) ? (knownAnswers as readonly unknown[]) : []) {
        const normalized = normalizeRecord(value, Infinity)
        if (normalized.ok) listed.add(recordKey(interfaceId, normalized))
      }
      const now = clock.now()
      for (const entry of entriesFor(question?.name, question?.type, interfaceId)) {
        // A record the query lists as a known answer is suppressed, not missing (§7.1).
        if (entry.state !== 'live' || listed.has(entry.key) || now - entry.lastUnansweredAt < POOF_COUNT_INTERVAL_MS) continue
        entry.lastUnansweredAt = now
        if (++entry.unanswered >= POOF_QUERIES) startReconfirm(entry, 'poof', now)
      }
      settle()
    },

    forgetInterface(interfaceId: InterfaceId): number {
      if (disposed) return 0
      const gone = store.all().filter((entry) => entry.interfaceId === interfaceId)
      for (const entry of gone) remove(entry, { type: 'interface-removed' })
      settle()
      return gone.length
    },

    snapshot(): CacheSnapshot {
      const { evicted, unknownGoodbyes } = counters
      const stats = {
        entries: store.size, maxEntries, maxRdataBytes, evicted, dropped: { ...dropped }, unknownGoodbyes, wantedQuestions: interest.size,
        nextTimerAt: timer.at,
      }
      return { at: clock.now(), entries: store.all().map(toView), stats }
    },

    dispose() {
      disposed = true
      timer.cancel()
      store.clear()
      interest.clear()
      effects.clear()
    },
  }
}
