/**
 * Secondary lookups for the cache: entries by name and by record set, and the questions someone wants
 * kept fresh. Reference-counted, because two browses of the same type may start and stop independently.
 */
import { RR_TYPE } from '../wire'
import type { InterfaceId } from './types'

const NONE: ReadonlySet<never> = new Set()

/** A map from a key to a set of values that drops empty sets. */
export class SetIndex<V> {
  readonly #sets = new Map<string, Set<V>>()

  /** The values under `key` (an empty set if none); do not modify. */
  get(key: string): ReadonlySet<V> {
    return this.#sets.get(key) ?? NONE
  }

  /** Files `value` under `key`. */
  add(key: string, value: V): void {
    const set = this.#sets.get(key)
    if (set) set.add(value)
    else this.#sets.set(key, new Set([value]))
  }

  /** Removes `value` from under `key`. */
  delete(key: string, value: V): void {
    const set = this.#sets.get(key)
    if (!set) return
    set.delete(value)
    if (set.size === 0) this.#sets.delete(key)
  }

  /** Drops everything. */
  clear(): void {
    this.#sets.clear()
  }
}

/** Counts of active interest by (interface or all, type, name key). */
export class Interest {
  readonly #counts = new Map<string, number>()

  static #key(nameKey: string, type: number, interfaceId: InterfaceId | undefined): string {
    return `${interfaceId === undefined ? '*' : `=${interfaceId}`}\u0000${type}\u0000${nameKey}`
  }

  /** Number of distinct questions wanted. */
  get size(): number {
    return this.#counts.size
  }

  /** Counts one more interest in a question. */
  add(nameKey: string, type: number, interfaceId: InterfaceId | undefined): void {
    const key = Interest.#key(nameKey, type, interfaceId)
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1)
  }

  /** Counts one interest fewer. */
  remove(nameKey: string, type: number, interfaceId: InterfaceId | undefined): void {
    const key = Interest.#key(nameKey, type, interfaceId)
    const count = (this.#counts.get(key) ?? 0) - 1
    if (count > 0) this.#counts.set(key, count)
    else this.#counts.delete(key)
  }

  /** True if a record of this name and type on this interface is wanted, by its type or by ANY. */
  wants(nameKey: string, type: number, interfaceId: InterfaceId): boolean {
    for (const scope of [interfaceId, undefined]) {
      if (this.#counts.has(Interest.#key(nameKey, type, scope)) || this.#counts.has(Interest.#key(nameKey, RR_TYPE.ANY, scope))) return true
    }
    return false
  }

  /** Drops every interest. */
  clear(): void {
    this.#counts.clear()
  }
}
