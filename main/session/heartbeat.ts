/**
 * The application heartbeat of one live link: a ping every interval, RTT samples, and a receive-silence
 * timer that declares a stall when nothing at all has arrived for `stallAfterMs` even while sends succeed.
 *
 * Why a silence timer and not "N pings unanswered": a TCP send that "succeeds" only means the kernel
 * buffered it; a peer whose application froze (field report B01: a 1 s ping link frozen ~30 s while every
 * send succeeded) keeps ACKing at the TCP level. Only bytes from the peer prove it is alive. The default
 * 2.5 intervals puts detection within 1.5–2.5 intervals of the freeze (inside the 3 the issue allows)
 * while two consecutive TCP retransmissions of one heartbeat (~0.2 s + 0.4 s RTO on a LAN) do not trip it.
 */
import type { Clock, TimerHandle } from '../util/clock'

/** Silence (in heartbeat intervals) after which the link is declared stalled. */
export const STALL_AFTER_INTERVALS = 2.5

/** What the heartbeat reports to its session. */
export interface HeartbeatEvents {
  /** Time to send heartbeat `seq`; `sentAt` is the clock reading to echo back where the protocol can. */
  send(seq: number, sentAt: number): void
  /** One heartbeat's outcome: its RTT, or null when no reply came before the next one was due. */
  sample(rttMs: number | null): void
  /** Nothing received for `silentForMs` (≥ `stallAfterMs`). Fires once per silence. */
  stalled(silentForMs: number): void
  /** Data arrived again after a declared stall; `gapMs` is the whole silence. */
  recovered(gapMs: number): void
}

/** Options of a heartbeat. */
export interface HeartbeatOptions {
  clock: Clock
  intervalMs: number
  /** Default `STALL_AFTER_INTERVALS` × interval. */
  stallAfterMs?: number
}

/** A running heartbeat. */
export interface Heartbeat {
  /** Any byte from the peer: resets the silence timer (and ends a stall). */
  activity(): void
  /** The reply to heartbeat `seq` arrived (also counts as activity). */
  replied(seq: number): void
  /** Sends a heartbeat now, outside the schedule (resume from sleep, "Check now"). */
  pingNow(): void
  /** Milliseconds since the peer last sent anything. */
  silentForMs(): number
  isStalled(): boolean
  stop(): void
}

/** Starts heartbeating at once (the first ping goes out immediately). */
export function startHeartbeat(options: HeartbeatOptions, events: HeartbeatEvents): Heartbeat {
  const { clock, intervalMs } = options
  const stallAfterMs = options.stallAfterMs ?? intervalMs * STALL_AFTER_INTERVALS
  let lastActivity = clock.now()
  let stalledAt: number | undefined
  let seq = 0
  const outstanding = new Map<number, number>()
  let tick: TimerHandle | undefined
  let silence: TimerHandle | undefined
  let stopped = false

  const armSilence = (inMs: number) => {
    if (silence !== undefined) clock.clearTimeout(silence)
    silence = clock.setTimeout(checkSilence, Math.max(1, inMs))
  }
  // Re-armed lazily: activity only moves `lastActivity`, the timer re-checks when it fires.
  function checkSilence() {
    silence = undefined
    if (stopped) return
    const silent = clock.now() - lastActivity
    if (silent < stallAfterMs) return armSilence(stallAfterMs - silent)
    if (stalledAt === undefined) {
      stalledAt = lastActivity
      events.stalled(silent)
    }
  }

  const beat = () => {
    if (stopped) return
    const now = clock.now()
    // A heartbeat still unanswered when the next one is due is a miss (a late reply is then ignored);
    // one sent moments ago by `pingNow` is not due yet.
    for (const [old, sentAt] of outstanding) {
      if (now - sentAt < intervalMs * 0.9) continue
      outstanding.delete(old)
      events.sample(null)
    }
    seq = (seq + 1) >>> 0
    outstanding.set(seq, now)
    events.send(seq, now)
  }
  const schedule = () => {
    tick = clock.setTimeout(() => {
      beat()
      if (!stopped) schedule()
    }, intervalMs)
  }

  const activity = () => {
    if (stopped) return
    const now = clock.now()
    if (stalledAt !== undefined) {
      const gap = now - stalledAt
      stalledAt = undefined
      events.recovered(gap)
    }
    lastActivity = now
    if (silence === undefined) armSilence(stallAfterMs)
  }

  armSilence(stallAfterMs)
  beat()
  schedule()
  return {
    activity,
    replied(n) {
      const sentAt = outstanding.get(n)
      activity()
      if (sentAt === undefined || stopped) return
      outstanding.delete(n)
      events.sample(clock.now() - sentAt)
    },
    pingNow() {
      if (stopped) return
      if (tick !== undefined) clock.clearTimeout(tick)
      beat()
      schedule()
    },
    silentForMs: () => clock.now() - lastActivity,
    isStalled: () => stalledAt !== undefined,
    stop() {
      stopped = true
      if (tick !== undefined) clock.clearTimeout(tick)
      if (silence !== undefined) clock.clearTimeout(silence)
    },
  }
}
