/**
 * The guided manual step: where Porchlight cannot join a network itself (no adapter, a refused permission,
 * an enterprise network), the user joins from the OS's Wi-Fi menu and this notices when they have.
 *
 * It polls — there is no portable "network changed" event for the SSID — on the injected clock, one look at
 * a time (never overlapping, never a busy loop), and stops at once on abort. When the OS shows the SSID
 * (`wifi.current()`), that decides; when it hides it (macOS without Location Services, Windows without
 * Location permission) or there is no adapter, the caller's `isOnAccessoryNetwork()` decides instead —
 * e.g. an address in the AP's subnet (or link-local) and the accessory's endpoint answering.
 */
import type { Clock, TimerHandle } from '../util/clock'
import type { CurrentWifi, HostWifi } from './port'

/** What `waitForManualJoin` needs. */
export interface ManualJoinOptions {
  ssid: string
  /** For `current()`; omit when no adapter applies. */
  wifi?: Pick<HostWifi, 'current'>
  /** The fallback when the SSID cannot be read: true once the computer is demonstrably on the accessory's network. */
  isOnAccessoryNetwork?: () => Promise<boolean>
  clock: Clock
  signal?: AbortSignal
  /** Between looks (default 1000 ms). */
  pollMs?: number
  /** Give up after this long (default: wait until aborted). */
  timeoutMs?: number
}

/** How the join was noticed: the OS named the network, or the caller's check passed. */
export type ManualJoinSeen = { via: 'ssid'; current: CurrentWifi } | { via: 'check' }

/** Why waiting ended without a join. */
export type ManualJoinError = { code: 'aborted'; message: string } | { code: 'manual-join-timeout'; message: string; afterMs: number }

/** The outcome of waiting. */
export type ManualJoinResult = { ok: true; value: ManualJoinSeen } | { ok: false; error: ManualJoinError }

/** One look: the SSID when the OS tells it, else the caller's check; errors count as "not yet". */
async function look(options: ManualJoinOptions): Promise<ManualJoinSeen | undefined> {
  let canReadSsid = false
  if (options.wifi) {
    const seen = await options.wifi.current().catch(() => undefined)
    if (seen?.ok && seen.value?.ssid === options.ssid) return { via: 'ssid', current: seen.value }
    // A readable answer (associated elsewhere, or nothing) is trusted; a refused or failed one is not.
    canReadSsid = seen?.ok === true && (seen.value === null || seen.value.ssid !== '')
  }
  if (canReadSsid || !options.isOnAccessoryNetwork) return undefined
  return (await options.isOnAccessoryNetwork().catch(() => false)) ? { via: 'check' } : undefined
}

/** Resolves once the computer is on `ssid` (or the fallback check passes), on abort, or at `timeoutMs`. */
export async function waitForManualJoin(options: ManualJoinOptions): Promise<ManualJoinResult> {
  const { clock, signal } = options
  const pollMs = Math.max(1, options.pollMs ?? 1000)
  const startedAt = clock.now()
  const aborted = (): ManualJoinResult => ({ ok: false, error: { code: 'aborted', message: `Stopped waiting for this computer to join "${options.ssid}".` } })
  for (;;) {
    if (signal?.aborted) return aborted()
    const seen = await look(options)
    if (signal?.aborted) return aborted()
    if (seen) return { ok: true, value: seen }
    const elapsed = clock.now() - startedAt
    if (options.timeoutMs !== undefined && elapsed >= options.timeoutMs) {
      const afterMs = Math.round(elapsed)
      return { ok: false, error: { code: 'manual-join-timeout', afterMs, message: `This computer did not join "${options.ssid}". Join it from the Wi-Fi menu, then try again.` } }
    }
    const waitMs = options.timeoutMs === undefined ? pollMs : Math.min(pollMs, Math.max(1, startedAt + options.timeoutMs - clock.now()))
    if (!(await pause(clock, waitMs, signal))) return aborted()
  }
}

/** Sleeps `ms` on the clock; false if aborted first (the timer is cleared, the listener removed). */
function pause(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const timer: TimerHandle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    const onAbort = () => {
      clock.clearTimeout(timer)
      resolve(false)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
