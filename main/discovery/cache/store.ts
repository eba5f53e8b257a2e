/**
 * The cache's storage: entries by key, by name and by record set, and the two heaps over them (next
 * deadline; eviction order). Every change to an entry's timing or tier goes through `reindex`, so the
 * heaps never disagree with the entries.
 */
import { dueBefore, evictionTier, evictsBefore, nextDeadline, type Entry } from './entry'
import { IndexedHeap } from './heap'
import { SetIndex } from './indexes'

/** Entries and their indexes. */
export class EntryStore {
  readonly #entries = new Map<string, Entry>()
  readonly #byName = new SetIndex<Entry>()
  readonly #byRrset = new SetIndex<Entry>()
  readonly #due = new IndexedHeap<Entry>(0, dueBefore)
  readonly #eviction = new IndexedHeap<Entry>(1, evictsBefore)
  #order = 0

  constructor(private readonly reconfirmDelays: readonly number[]) {}

  /** Number of entries. */
  get size(): number {
    return this.#entries.size
  }

  /** The entry with this key, if any. */
  get(key: string): Entry | undefined {
    return this.#entries.get(key)
  }

  /** Every entry, in insertion order. */
  all(): Entry[] {
    return [...this.#entries.values()]
  }

  /** Entries whose name has this key, over all interfaces and types. */
  named(nameKey: string): ReadonlySet<Entry> {
    return this.#byName.get(nameKey)
  }

  /** Entries of one record set on one interface. */
  inRrset(rrset: string): ReadonlySet<Entry> {
    return this.#byRrset.get(rrset)
  }

  /** The entry with the earliest deadline. */
  nextDue(): Entry | undefined {
    return this.#due.peek()
  }

  /** The entry to evict first. */
  nextEviction(): Entry | undefined {
    return this.#eviction.peek()
  }

  /** Stores a new entry. */
  add(entry: Entry): void {
    this.#entries.set(entry.key, entry)
    this.#byName.add(entry.nameKey, entry)
    this.#byRrset.add(entry.rrset, entry)
    this.reindex(entry)
  }

  /** Forgets an entry. */
  delete(entry: Entry): void {
    this.#entries.delete(entry.key)
    this.#byName.delete(entry.nameKey, entry)
    this.#byRrset.delete(entry.rrset, entry)
    this.#due.remove(entry)
    this.#eviction.remove(entry)
  }

  /** Re-derives the entry's deadline and tier after any change; equal deadlines keep the order they were set in. */
  reindex(entry: Entry): void {
    entry.tier = evictionTier(entry)
    this.#eviction.update(entry)
    const deadline = nextDeadline(entry, this.reconfirmDelays)
    if (deadline !== entry.deadline) {
      entry.deadline = deadline
      entry.order = ++this.#order
    }
    this.#due.update(entry)
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear()
    this.#byName.clear()
    this.#byRrset.clear()
    this.#due.clear()
    this.#eviction.clear()
  }
}
