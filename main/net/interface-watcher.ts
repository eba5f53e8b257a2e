/**
 * Watching interfaces: hints (a poll tick, an rtnetlink line) are debounced into one re-read, and a
 * `net:interfacesChanged` event fires only when an interface or address really appeared, went or changed.
 *
 * Debounced because a Wi-Fi join changes link state, then IPv6 link-local, then DHCP within a second; the
 * UI and discovery should re-query once, not three times. `maxWaitMs` bounds the delay under constant churn.
 */
import type { InterfacesChange, NetInterface } from '../../shared/net/interfaces'
import type { Clock, TimerHandle } from '../util/clock'
import type { ReadInterfaces } from './interfaces'

/** Starts a source of "something may have changed" hints; returns its stop function. */
export type ChangeMonitor = (onHint: () => void) => () => void

/** Dependencies of the watcher. */
export interface InterfaceWatcherDeps {
  read: ReadInterfaces
  clock: Clock
  onChange: (change: InterfacesChange) => void
  /** Extra hint sources (e.g. `ip monitor`); polling runs regardless, as the portable floor. */
  monitors?: readonly ChangeMonitor[]
  pollMs?: number
  debounceMs?: number
  maxWaitMs?: number
  /** Called when a re-read fails; the watcher keeps its last good list and keeps watching. */
  onError?: (error: unknown) => void
}

/** A running watcher. */
export interface InterfaceWatcher {
  /** Forces a (debounced) re-check, e.g. after resume from sleep. */
  poke(): void
  /** Resolves once the initial list has been read. */
  ready: Promise<void>
  dispose(): void
}

/** The names that were added, removed or changed between two lists. */
export function diffInterfaces(before: readonly NetInterface[], after: readonly NetInterface[]): Omit<InterfacesChange, 'interfaces'> {
  const prev = new Map(before.map((i) => [i.name, fingerprint(i)]))
  const next = new Map(after.map((i) => [i.name, fingerprint(i)]))
  return {
    added: [...next.keys()].filter((n) => !prev.has(n)),
    removed: [...prev.keys()].filter((n) => !next.has(n)),
    changed: [...next.keys()].filter((n) => prev.has(n) && prev.get(n) !== next.get(n)),
  }
}

function fingerprint(i: NetInterface): string {
  const addresses = i.addresses.map((a) => `${a.address}/${a.prefixLength}%${a.scopeId ?? ''}`).sort()
  return JSON.stringify([i.kind, i.isUp, i.isRunning ?? null, i.mtu ?? null, addresses])
}

/** Starts watching; the first read is the baseline and emits nothing. */
export function createInterfaceWatcher(deps: InterfaceWatcherDeps): InterfaceWatcher {
  const { clock, pollMs = 2000, debounceMs = 300, maxWaitMs = 1500 } = deps
  let baseline: NetInterface[] = []
  let debounce: TimerHandle | undefined
  let firstHintAt: number | undefined
  let poll: TimerHandle | undefined
  let reading = false
  let again = false
  let disposed = false

  const check = async (): Promise<void> => {
    if (reading) return void (again = true)
    reading = true
    try {
      const list = await deps.read()
      const diff = diffInterfaces(baseline, list)
      baseline = list
      const changed = diff.added.length + diff.removed.length + diff.changed.length > 0
      if (changed && !disposed) deps.onChange({ interfaces: list, ...diff })
    } catch (error) {
      deps.onError?.(error)
    } finally {
      reading = false
      if (again && !disposed) {
        again = false
        hint()
      }
    }
  }

  const fire = () => {
    debounce = undefined
    firstHintAt = undefined
    void check()
  }

  const hint = () => {
    if (disposed) return
    const now = clock.now()
    firstHintAt ??= now
    if (debounce) clock.clearTimeout(debounce)
    const wait = Math.max(0, Math.min(debounceMs, firstHintAt + maxWaitMs - now))
    debounce = clock.setTimeout(fire, wait)
  }

  const schedulePoll = () => {
    poll = clock.setTimeout(() => {
      hint()
      schedulePoll()
    }, pollMs)
  }

  const ready = deps.read().then(
    (list) => void (baseline = list),
    (error: unknown) => deps.onError?.(error),
  )
  const stops = (deps.monitors ?? []).map((m) => m(hint))
  schedulePoll()

  return {
    poke: hint,
    ready,
    dispose() {
      disposed = true
      if (debounce) clock.clearTimeout(debounce)
      if (poll) clock.clearTimeout(poll)
      for (const stop of stops) stop()
    },
  }
}
