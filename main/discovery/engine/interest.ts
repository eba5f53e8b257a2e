/**
 * What the engine keeps asking about besides the browsed types: records of found instances and hosts (kept
 * fresh in the cache, RFC 6762 §5.2), and the SRV/TXT/A/AAAA questions an answer without additionals left
 * open (RFC 6763 §12, case 12), re-asked with backoff until answered.
 */
import type { PendingQuery, ServiceInstance } from '../model/types'
import { nameKey, RR_TYPE, type DnsName } from '../wire'

/** Re-ask an open question after 1 s, 2 s, 4 s … at most every 8 s. */
const PENDING_BASE_MS = 1000
const PENDING_MAX_MS = 8000
/** Then pause: a responder that ignored six questions is not answering now; after a minute the series starts over. */
const PENDING_MAX_ASKS = 6
const PENDING_REOPEN_MS = 60_000

/** Marks records as wanted in the cache; returns the release. */
export type Want = (name: DnsName, type: number) => () => void

/** Keeps the cache's wanted set equal to the names of current instances and their hosts. */
export class WantedNames {
  private readonly held = new Map<string, () => void>()

  constructor(private readonly want: Want) {}

  /** Brings the wanted set up to date with the model's instances. */
  update(instances: readonly ServiceInstance[]): void {
    const next = new Map<string, DnsName>()
    for (const instance of instances) {
      next.set(`${nameKey(instance.name) ?? instance.key}|any`, instance.name)
      for (const sighting of instance.sightings) if (sighting.host) next.set(`${nameKey(sighting.host) ?? sighting.host.text}|any`, sighting.host)
    }
    for (const [key, release] of this.held)
      if (!next.has(key)) {
        release()
        this.held.delete(key)
      }
    for (const [key, name] of next) if (!this.held.has(key)) this.held.set(key, this.want(name, RR_TYPE.ANY))
  }

  /** Releases everything. */
  clear(): void {
    for (const release of this.held.values()) release()
    this.held.clear()
  }
}

/** Throttles the model's pending questions: each is asked at once, then again with doubling gaps. */
export class PendingQuestions {
  private readonly asked = new Map<string, { count: number; at: number }>()

  /** The pending questions that are due now; the rest wait for their backoff. */
  due(pending: readonly PendingQuery[], now: number): PendingQuery[] {
    const open = new Set<string>()
    const due: PendingQuery[] = []
    for (const query of pending) {
      const key = `${query.interfaceId}|${query.type}|${nameKey(query.name) ?? query.name.text}`
      open.add(key)
      let seen = this.asked.get(key)
      if (seen && seen.count >= PENDING_MAX_ASKS && now - seen.at >= PENDING_REOPEN_MS) {
        this.asked.delete(key)
        seen = undefined
      }
      const gap = seen ? Math.min(PENDING_MAX_MS, PENDING_BASE_MS * 2 ** (seen.count - 1)) : 0
      if (seen && (now - seen.at < gap || seen.count >= PENDING_MAX_ASKS)) continue
      this.asked.set(key, { count: (seen?.count ?? 0) + 1, at: now })
      due.push(query)
    }
    for (const key of this.asked.keys()) if (!open.has(key)) this.asked.delete(key)
    return due
  }

  /** Time until the next pending question is due, or undefined when none is open. */
  nextDueIn(now: number): number | undefined {
    let next: number | undefined
    for (const { count, at } of this.asked.values()) {
      const gap = count >= PENDING_MAX_ASKS ? PENDING_REOPEN_MS : Math.min(PENDING_MAX_MS, PENDING_BASE_MS * 2 ** (count - 1))
      const wait = Math.max(0, at + gap - now)
      next = next === undefined ? wait : Math.min(next, wait)
    }
    return next
  }

  /** Forgets every question. */
  clear(): void {
    this.asked.clear()
  }
}
