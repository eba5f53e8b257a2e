/**
 * The RFC 8305 §5 race: start an attempt, start the next one every Connection Attempt Delay (or at once
 * when an attempt fails), keep every earlier attempt running, take the first that connects and destroy
 * the rest. Timing comes only from the injected Clock, so the schedule is tested on a fake clock.
 */
import type { Clock, TimerHandle } from '../../util/clock'
import { classifyConnectError, noAnswerFinding } from './classify-error'
import type {
  AddressFailure, AttemptRecord, ConnectFinding, ConnectResult, InvalidTarget, RaceSocket, ResolvedTarget, SocketFactory,
} from './types'

/** Everything one race needs; targets are already resolved and in dialling order. */
export interface RacePlan<S extends RaceSocket> {
  targets: readonly ResolvedTarget[]
  skipped: InvalidTarget[]
  attemptDelayMs: number
  timeoutMs: number
  signal?: AbortSignal | undefined
  platform: NodeJS.Platform
  clock: Clock
  factory: SocketFactory<S>
  onAddressFailed?: ((target: ResolvedTarget, finding: ConnectFinding) => void) | undefined
}

interface LiveAttempt<S> {
  socket: S
  onConnect: () => void
  onError: (error?: Error) => void
}

/** Runs the race; resolves with the winner or an error value, never rejects. */
export function runRace<S extends RaceSocket>(plan: RacePlan<S>): Promise<ConnectResult<S>> {
  return new Promise((resolve) => {
    const { clock, targets, skipped } = plan
    const startedAt = clock.now()
    // Tenths of a millisecond: enough for a support log, without float noise.
    const since = () => Math.round((clock.now() - startedAt) * 10) / 10
    const log: AttemptRecord[] = targets.map((t) => ({
      address: t.connectAddress, port: t.port, family: t.family, ...(t.localAddress !== undefined && { localAddress: t.localAddress }),
      outcome: 'not-started',
    }))
    const live = new Map<number, LiveAttempt<S>>()
    const failures: AddressFailure[] = []
    let next = 0
    let done = false
    let stagger: TimerHandle | undefined
    const deadline = clock.setTimeout(() => onTimeout(), plan.timeoutMs)

    const finish = (result: ConnectResult<S>) => {
      done = true
      clock.clearTimeout(deadline)
      if (stagger) clock.clearTimeout(stagger)
      plan.signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }

    /** Ends every attempt still running; losers are destroyed, never left to connect in the background. */
    const endLive = (outcome: 'lost' | 'cancelled', finding?: (t: ResolvedTarget) => ConnectFinding): ResolvedTarget[] => {
      const ended: ResolvedTarget[] = []
      const endedAtMs = since()
      for (const [i, attempt] of live) {
        attempt.socket.destroy()
        const target = targets[i] as ResolvedTarget
        log[i] = { ...(log[i] as AttemptRecord), endedAtMs, outcome, ...(finding && { finding: finding(target) }) }
        ended.push(target)
      }
      live.clear()
      return ended
    }

    const armStagger = () => {
      if (stagger) clock.clearTimeout(stagger)
      stagger = next < targets.length ? clock.setTimeout(() => startNext(), plan.attemptDelayMs) : undefined
    }

    const startNext = () => {
      if (done || next >= targets.length) return
      const i = next++
      const target = targets[i] as ResolvedTarget
      log[i] = { ...(log[i] as AttemptRecord), startedAtMs: since() }
      let socket: S
      try {
        socket = plan.factory({
          host: target.connectAddress, port: target.port, family: target.family,
          ...(target.localAddress !== undefined && { localAddress: target.localAddress }),
        })
      } catch (error) {
        // Node throws synchronously for some bad options (e.g. an unusable localAddress): that attempt failed.
        onFailure(i, error)
        return
      }
      const attempt: LiveAttempt<S> = { socket, onConnect: () => onWin(i), onError: (error) => onFailure(i, error) }
      socket.on('connect', attempt.onConnect)
      socket.on('error', attempt.onError)
      live.set(i, attempt)
      armStagger()
    }

    const onWin = (i: number) => {
      const attempt = live.get(i)
      if (done || !attempt) return
      // The winner goes to the caller with none of our listeners: its later errors are the caller's to handle.
      attempt.socket.removeListener('connect', attempt.onConnect)
      attempt.socket.removeListener('error', attempt.onError)
      live.delete(i)
      const endedAtMs = since()
      log[i] = { ...(log[i] as AttemptRecord), endedAtMs, outcome: 'won' }
      endLive('lost')
      finish({ ok: true, value: { socket: attempt.socket, winner: targets[i] as ResolvedTarget, attempts: log, skipped, elapsedMs: endedAtMs } })
    }

    const onFailure = (i: number, error: unknown) => {
      if (done || (log[i]?.endedAtMs !== undefined)) return
      live.delete(i)
      const target = targets[i] as ResolvedTarget
      const finding = classifyConnectError(error, plan.platform, {
        destination: target.connectAddress, port: target.port, zone: target.zone, localAddress: target.localAddress, isSameSubnet: target.isSameSubnet,
      })
      log[i] = { ...(log[i] as AttemptRecord), endedAtMs: since(), outcome: 'failed', ...(finding.errno !== undefined && { errno: finding.errno }), finding }
      failures.push({ address: target.connectAddress, ...(finding.errno !== undefined && { errno: finding.errno }), finding })
      // RFC 8305 §5: a failure before the delay elapsed starts the next attempt now, not at the next tick.
      if (next < targets.length) startNext()
      else if (live.size === 0) finish({ ok: false, error: allFailed(failures, log, skipped, since()) })
      if (finding.pointsAtPeer) plan.onAddressFailed?.(target, finding)
    }

    const onTimeout = () => {
      if (done) return
      const ended = endLive('cancelled', (t) => noAnswerFinding(t.connectAddress, plan.timeoutMs))
      finish({ ok: false, error: {
        code: 'timeout', afterMs: plan.timeoutMs, attempts: log, skipped, elapsedMs: since(),
        message: `No address of the device answered within ${plan.timeoutMs} ms. Check that it is powered and on the same ` +
          'Wi-Fi network as this computer, then try again.',
      } })
      for (const target of ended) plan.onAddressFailed?.(target, noAnswerFinding(target.connectAddress, plan.timeoutMs))
    }

    function onAbort() {
      if (done) return
      endLive('cancelled')
      finish({ ok: false, error: { code: 'aborted', message: 'Connecting was cancelled.', attempts: log, skipped, elapsedMs: since() } })
    }

    if (plan.signal?.aborted) {
      onAbort()
      return
    }
    plan.signal?.addEventListener('abort', onAbort, { once: true })
    startNext()
  })
}

/** The error for a race where every attempt failed: a permission problem wins over "device offline" (case 46). */
function allFailed(failures: AddressFailure[], attempts: AttemptRecord[], skipped: InvalidTarget[], elapsedMs: number) {
  const denied = failures.find((f) => f.finding.code === 'local-network-denied')
  if (denied) {
    return {
      code: 'local-network-denied' as const, message: `${denied.finding.message} ${denied.finding.nextStep}`,
      steps: denied.finding.steps ?? [], failures, attempts, skipped, elapsedMs,
    }
  }
  // A local cause (bad zone, firewall, lost address) is what the user can act on; otherwise the first failure.
  const lead = failures.find((f) => !f.finding.pointsAtPeer) ?? failures[0]
  const list = failures.map((f) => `${f.address}: ${f.finding.code}`).join('; ')
  return {
    code: 'all-failed' as const,
    message: `Could not connect at any of the device's ${failures.length} address(es) (${list}). ${lead?.finding.nextStep ?? ''}`.trim(),
    failures, attempts, skipped, elapsedMs,
  }
}
