/**
 * Known-answer continuation (RFC 6762 §7.2): a query with the TC bit is followed by more packets of
 * known answers from the same source. The responder waits 400–500 ms for them, merging each, and answers
 * once: 20–120 ms after a final (TC-clear) continuation, or when the wait runs out. Bounded per source.
 */
import type { Clock, TimerHandle } from '../../../main/util/clock'
import type { KnownAnswer, Query } from './dns'

/** A truncated query being completed. */
export interface PendingQuery<T> {
  source: string
  query: Query
  known: KnownAnswer[]
  context: T
  /** Packets merged so far, the first included. */
  packets: number
}

interface Entry<T> extends PendingQuery<T> {
  timer: TimerHandle
  startedAt: number
}

/** Longest a truncated query waits for continuations, whatever arrives. */
export const MAX_CONTINUATION_MS = 1500

/** Collects truncated queries per source and hands each over once complete. */
export class ContinuationTracker<T> {
  private readonly pending = new Map<string, Entry<T>>()

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly onComplete: (query: PendingQuery<T>) => void,
  ) {}

  /** Offers a received query; true if it was absorbed (held, or merged into a held one), false if the caller answers it now. */
  offer(source: string, query: Query, context: T): boolean {
    const held = this.pending.get(source)
    if (query.questions.length === 0) {
      if (!held) return true // stray known answers: nothing asked, nothing to answer
      held.known.push(...query.known)
      held.packets++
      const left = held.startedAt + MAX_CONTINUATION_MS - this.clock.now()
      this.arm(held, Math.max(0, Math.min(left, query.truncated ? 400 + this.random() * 100 : 20 + this.random() * 100)))
      return true
    }
    if (held) this.complete(held) // a new question ends the old one's wait
    if (!query.truncated) return false
    const entry: Entry<T> = { source, query, known: [...query.known], context, packets: 1, startedAt: this.clock.now(), timer: undefined as unknown as TimerHandle }
    this.pending.set(source, entry)
    this.arm(entry, 400 + this.random() * 100)
    return true
  }

  /** Drops everything held (on stop). */
  clear(): void {
    for (const e of this.pending.values()) this.clock.clearTimeout(e.timer)
    this.pending.clear()
  }

  /** Queries held now. */
  size(): number {
    return this.pending.size
  }

  private arm(entry: Entry<T>, ms: number): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer)
    entry.timer = this.clock.setTimeout(() => this.complete(entry), ms)
  }

  private complete(entry: Entry<T>): void {
    if (this.pending.get(entry.source) !== entry) return
    this.clock.clearTimeout(entry.timer)
    this.pending.delete(entry.source)
    const { source, query, known, context, packets } = entry
    this.onComplete({ source, query, known, context, packets })
  }
}
