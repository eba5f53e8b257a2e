/**
 * The PTR browses of the engine: the configured service types, plus the types `_services._dns-sd._udp`
 * announces (RFC 6763 §9) while they are announced — in `.local` only and at most 256, so a hostile or
 * broken responder cannot make us query without end.
 */
import type { Querier } from '../querier'
import { RR_TYPE } from '../wire'

/** Learned service types browsed at most. */
export const MAX_LEARNED_TYPES = 256

/** Marks PTR records of a type as wanted in the cache; returns the release. */
type WantPtr = (name: string) => () => void

/** The set of running browses. */
export class Browses {
  private readonly running = new Map<string, () => void>()
  private readonly configured = new Set<string>()

  constructor(
    private readonly querier: Querier,
    private readonly want: WantPtr,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Starts browsing each type (`_x._tcp` or `_x._tcp.local`); configured types are never dropped. */
  add(types: readonly string[], fromConfig = false): void {
    for (const type of types) {
      const name = /\.local\.?$/i.test(type) ? type.replace(/\.$/, '') : `${type}.local`
      const key = name.toLowerCase()
      if (fromConfig) this.configured.add(key)
      if (this.running.has(key)) continue
      try {
        const handle = this.querier.browse({ name, type: RR_TYPE.PTR })
        const release = this.want(name)
        this.running.set(key, () => (handle.stop(), release()))
      } catch (error) {
        this.log(`cannot browse ${type}`, error)
      }
    }
  }

  /** Makes the learned browses equal to the announced types (full names), within the cap. */
  syncLearned(names: readonly string[]): void {
    const learned = names.filter((n) => /\.local\.?$/i.test(n)).slice(0, MAX_LEARNED_TYPES).map((n) => n.replace(/\.$/, '').toLowerCase())
    const keep = new Set(learned)
    for (const [key, stop] of this.running)
      if (!this.configured.has(key) && !keep.has(key)) {
        stop()
        this.running.delete(key)
      }
    this.add(learned)
  }

  /** Browsed types without `.local`, except the enumeration meta-type itself. */
  types(except: string): string[] {
    return [...this.running.keys()].map((k) => k.replace(/\.local$/, '')).filter((t) => t !== except)
  }

  /** Stops every browse. */
  stopAll(): void {
    for (const stop of this.running.values()) stop()
    this.running.clear()
  }
}
