/**
 * One live session to one accessory: connect (RFC 8305 race over every known address), handshake,
 * heartbeat, and repair. States: connecting → connected ⇄ stalled; a dropped link → reconnecting
 * (debounced) → offline after repeated failures; retries back off with jitter but run at once on a hint
 * (network change, resume, a new address announced, "Check now").
 *
 * A stalled link is not torn down at once: a fresh connection is raced while the old one is kept, and
 * whichever answers first wins (late replies on the old link mean TCP was only retransmitting). After
 * `ABANDON_AFTER_INTERVALS` of silence the old link is dropped for good.
 */
import type { Socket } from 'node:net'
import type { SessionChange, SessionTarget } from '../../shared/session/view'
import type { ConnectResult, ConnectTargetInput } from '../net/connect'
import type { Clock, TimerHandle } from '../util/clock'
import { backoffDelay } from './backoff'
import { startHeartbeat, STALL_AFTER_INTERVALS, type Heartbeat } from './heartbeat'
import type { LinkClosed, LinkEvents, ProtocolLink, SessionProtocol } from './protocol'
import { createSessionRecord, type SessionRecord } from './record'
import { ABANDON_AFTER_INTERVALS, KEEPALIVE_IDLE_MS, OFFLINE_AFTER_FAILURES, OFFLINE_AFTER_MS } from './timing'

/** Where and how to connect right now; re-planned before every attempt (addresses move). */
export interface SessionPlan {
  targets: ConnectTargetInput[]
  port: number
  protocol: SessionProtocol
  label: string
  hostHeader: string
  expectedDeviceId?: string
}

/** What a session needs from the world. */
export interface SessionDeps {
  clock: Clock
  wallNow: () => number
  random?: () => number
  plan(): Promise<{ ok: true; value: SessionPlan } | { ok: false; error: { code: string; message: string } }>
  dial(plan: SessionPlan, signal: AbortSignal): Promise<ConnectResult<Socket>>
  emit(change: SessionChange): void
}

/** A running session. */
export interface Session {
  readonly id: string
  readonly record: SessionRecord
  /** The addresses this machine has now; a live link whose local address vanished is replaced. */
  networkChanged(localAddresses: ReadonlySet<string>): void
  /** Resume from sleep. */
  wake(): void
  /** The device's announced addresses changed. */
  addressesChanged(addresses: readonly string[]): void
  /** An immediate heartbeat, or an attempt now when not connected. */
  check(): void
  close(): void
}

interface Live {
  link: ProtocolLink
  heartbeat: Heartbeat
  remote: string
  localAddress: string | undefined
  /** The device stopped announcing this link's address: a fresh connection may replace it even while it answers. */
  superseded: boolean
}

/** Starts a session; the first attempt begins at once. */
export function startSession(id: string, target: SessionTarget, intervalMs: number, deps: SessionDeps): Session {
  const { clock } = deps
  const record = createSessionRecord({ id, target, label: target.kind === 'device' ? target.deviceId : `${target.host}:${target.port}`, protocol: 'auto', intervalMs }, deps)
  let live: Live | undefined
  let attempting = false
  let again = false
  let failures = 0
  let everConnected = false
  let lastGoodAt = clock.now()
  let retry: TimerHandle | undefined
  let abandon: TimerHandle | undefined
  let offline: TimerHandle | undefined
  let closed = false
  const abort = new AbortController()

  const dropLive = (kind: 'reconnecting' | 'network-changed', detail: string) => {
    if (!live) return
    const gone = live
    live = undefined
    gone.heartbeat.stop()
    gone.link.close()
    record.setRemote(null)
    if (abandon !== undefined) clock.clearTimeout(abandon)
    // State first: while "reconnecting" is held back by the debounce, the timeline entry is not published alone.
    record.setState('reconnecting', detail)
    record.timeline(kind, detail)
    attemptNow()
  }

  const linkEvents = (owner: () => Live | undefined): LinkEvents => ({
    reply: (seq) => owner()?.heartbeat.replied(seq),
    activity: () => owner()?.heartbeat.activity(),
    closed: (reason: LinkClosed) => {
      if (owner() && owner() === live) dropLive('reconnecting', reason.message)
    },
  })

  const adopt = (link: ProtocolLink, socket: Socket, plan: SessionPlan, winner: { address: string; port: number; family: 4 | 6; interfaceName?: string }, holder: { live?: Live }) => {
    if (closed) return link.close()
    if (live && !live.heartbeat.isStalled() && !live.superseded) return link.close() // the old link recovered first
    const gapFrom = live ? clock.now() - live.heartbeat.silentForMs() : lastGoodAt
    if (live) {
      live.heartbeat.stop()
      live.link.close()
    }
    const localAddress = socket.localAddress
    const next: Live = { link, remote: winner.address, localAddress, superseded: false, heartbeat: undefined as unknown as Heartbeat }
    holder.live = next
    live = next
    next.heartbeat = startHeartbeat({ clock, intervalMs }, {
      send: (seq, at) => {
        record.sent()
        link.heartbeat(seq, at)
      },
      sample: (rtt) => {
        if (rtt !== null) lastGoodAt = clock.now()
        record.sample(rtt)
      },
      stalled: (silent) => onStall(next, silent),
      recovered: (gap) => {
        if (live !== next) return
        if (abandon !== undefined) clock.clearTimeout(abandon)
        record.timeline('recovered', `Data flows again after ${(gap / 1000).toFixed(1)} s of silence.`, gap)
        record.setState('connected', 'Heartbeats are answered.')
      },
    })
    failures = 0
    lastGoodAt = clock.now()
    if (offline !== undefined) clock.clearTimeout(offline)
    offline = undefined
    record.setRemote({ address: winner.address, port: winner.port, family: winner.family, ...(winner.interfaceName && { interface: winner.interfaceName }), ...(localAddress && { localAddress }) })
    record.setLabel(plan.label, plan.protocol.kind)
    record.setNextAttempt(null)
    if (everConnected) record.count('reconnects')
    record.setState('connected', 'Heartbeats are answered.')
    record.timeline('connected', `Connected to ${winner.address} port ${winner.port} (${plan.protocol.kind}).`, everConnected ? clock.now() - gapFrom : undefined)
    everConnected = true
  }

  const onStall = (stalled: Live, silentMs: number) => {
    if (live !== stalled) return
    record.count('stalls')
    const detail = `Nothing received for ${(silentMs / 1000).toFixed(1)} s although sends succeed: the accessory or the network froze.`
    record.timeline('stalled', detail)
    record.setState('stalled', `${detail} Trying a fresh connection…`)
    const keepMs = Math.max(10_000, intervalMs * ABANDON_AFTER_INTERVALS) - silentMs
    abandon = clock.setTimeout(() => {
      if (live === stalled && stalled.heartbeat.isStalled()) dropLive('reconnecting', 'The stalled connection never recovered; it was closed.')
    }, Math.max(0, keepMs))
    attemptNow()
  }

  const scheduleRetry = (message: string) => {
    // A replacement for a link that is fine after all is not worth retrying.
    if (live && !live.heartbeat.isStalled() && !live.superseded) return
    failures++
    const delay = backoffDelay(failures - 1, undefined, deps.random)
    record.setNextAttempt(deps.wallNow() + delay)
    if (live) record.setCause(`${record.view().cause.split(' Last attempt:')[0]} Last attempt: ${message}`)
    else if (record.state() === 'offline') record.setCause(message)
    else if (record.state() === 'connecting' && !everConnected) record.setCause(message)
    else record.setState('reconnecting', message)
    // Offline: several attempts failed and nothing good for a while — decided when that time comes,
    // not at the next (backed-off) attempt.
    if (!live && failures >= OFFLINE_AFTER_FAILURES && record.state() !== 'offline' && offline === undefined) {
      offline = clock.setTimeout(() => {
        offline = undefined
        if (live || closed || record.state() === 'offline') return
        record.timeline('offline', record.view().cause)
        record.setState('offline', record.view().cause)
      }, Math.max(0, lastGoodAt + OFFLINE_AFTER_MS - clock.now()))
    }
    retry = clock.setTimeout(() => {
      retry = undefined
      attemptNow()
    }, delay)
  }

  async function attempt(): Promise<void> {
    const planned = await deps.plan()
    if (closed) return
    if (!planned.ok) return scheduleRetry(planned.error.message)
    const plan = planned.value
    const raced = await deps.dial(plan, abort.signal)
    if (closed) {
      if (raced.ok) raced.value.socket.destroy()
      return
    }
    if (!raced.ok) return scheduleRetry(raced.error.message)
    const { socket, winner } = raced.value
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS)
    const holder: { live?: Live } = {}
    const opened = await plan.protocol.open(socket, {
      clock,
      timeoutMs: Math.max(2000, Math.min(intervalMs * STALL_AFTER_INTERVALS, 10_000)),
      hostHeader: winner.family === 6 ? `[${winner.address}]:${winner.port}` : `${winner.address}:${winner.port}`,
      events: linkEvents(() => holder.live),
      ...(plan.expectedDeviceId !== undefined && { expectedDeviceId: plan.expectedDeviceId }),
    })
    if (closed) {
      if (opened.ok) opened.value.close()
      return
    }
    if (!opened.ok) return scheduleRetry(opened.error.message)
    adopt(opened.value, socket, plan, { ...winner, ...(winner.interfaceName !== undefined && { interfaceName: winner.interfaceName }) }, holder)
  }

  function attemptNow(): void {
    if (closed) return
    if (retry !== undefined) clock.clearTimeout(retry)
    retry = undefined
    if (attempting) {
      again = true
      return
    }
    attempting = true
    void attempt()
      .catch((error: unknown) => scheduleRetry(`Unexpected error: ${(error as Error).message}`))
      .finally(() => {
        attempting = false
        if (again && !closed) {
          again = false
          if (!live || live.heartbeat.isStalled() || live.superseded) attemptNow()
        }
      })
  }

  attemptNow()
  return {
    id,
    record,
    networkChanged(local) {
      if (closed) return
      if (live?.localAddress !== undefined && !local.has(live.localAddress.replace(/^::ffff:/, ''))) {
        return dropLive('network-changed', `This computer's address ${live.localAddress} went away (network change); reconnecting.`)
      }
      if (live && !live.heartbeat.isStalled()) return live.heartbeat.pingNow()
      record.timeline('network-changed', 'The network changed; trying again now.')
      failures = Math.min(failures, 1)
      attemptNow()
    },
    wake() {
      if (closed) return
      record.timeline('resumed', 'The computer woke from sleep; checking the connection.')
      if (live) live.heartbeat.pingNow()
      else attemptNow()
    },
    addressesChanged(addresses) {
      if (closed) return
      if (live && addresses.some((a) => a.split('%')[0] === live?.remote)) {
        // Still announced, but something moved (a renumbered device keeps its old A for 1 s after the
        // cache flush): ask now, and look for it elsewhere if this link does not answer promptly.
        const asked = live
        asked.heartbeat.pingNow()
        const waitMs = Math.min(intervalMs, 1000)
        clock.setTimeout(() => {
          if (live !== asked || closed || asked.heartbeat.silentForMs() < waitMs) return
          asked.superseded = true
          record.timeline('address-changed', `The accessory now announces ${addresses.join(', ')} and did not answer on ${asked.remote}.`)
          attemptNow()
        }, waitMs)
        return
      }
      if (live) live.superseded = true
      record.timeline('address-changed', addresses.length ? `The accessory now announces ${addresses.join(', ')}.` : 'The accessory withdrew its addresses.')
      if (addresses.length) attemptNow()
    },
    check() {
      if (closed) return
      if (live && !live.heartbeat.isStalled()) live.heartbeat.pingNow()
      else attemptNow()
    },
    close() {
      if (closed) return
      closed = true
      abort.abort()
      if (retry !== undefined) clock.clearTimeout(retry)
      if (abandon !== undefined) clock.clearTimeout(abandon)
      if (offline !== undefined) clock.clearTimeout(offline)
      live?.heartbeat.stop()
      live?.link.close()
      live = undefined
      record.timeline('closed', 'Stopped watching.')
      record.dispose()
    },
  }
}
