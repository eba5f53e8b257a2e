/**
 * The session's state machine on a fake clock with a scripted dialler and protocol: debounced
 * "reconnecting", offline after repeated failures with backoff, immediate retries on hints, and a link
 * whose local address vanished replaced at once.
 */
import { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { ConnectResult } from '../../../main/net/connect'
import type { LinkEvents, SessionProtocol } from '../../../main/session/protocol'
import { startSession, type SessionPlan } from '../../../main/session/session'
import type { SessionChange, SessionState } from '../../../shared/session/view'
import { createFakeClock } from '../../helpers/fake-clock'

function harness() {
  const clock = createFakeClock()
  const changes: SessionChange[] = []
  const links: LinkEvents[] = []
  let reachable = true
  let dials = 0
  const protocol: SessionProtocol = {
    kind: 'fake',
    port: 1,
    open: async (_socket, context) => {
      links.push(context.events)
      return { ok: true, value: { heartbeat: (seq) => queueMicrotask(() => context.events.reply(seq)), close: () => undefined } }
    },
  }
  const plan: SessionPlan = { targets: ['198.18.0.11'], port: 7300, protocol, label: 'Lamp', hostHeader: 'lamp' }
  const dial = async (): Promise<ConnectResult<Socket>> => {
    dials++
    if (!reachable) return { ok: false, error: { code: 'all-failed', message: 'refused', attempts: [], skipped: [], elapsedMs: 1, failures: [] } }
    const socket = Object.assign(new EventEmitter(), { localAddress: '198.18.0.2', setKeepAlive: () => undefined, destroy: () => undefined }) as unknown as Socket
    return { ok: true, value: { socket, winner: { address: '198.18.0.11', family: 4, port: 7300, connectAddress: '198.18.0.11' }, attempts: [], skipped: [], elapsedMs: 1 } }
  }
  const session = startSession('s', { kind: 'address', host: '198.18.0.11', port: 7300 }, 1000, {
    clock, wallNow: () => clock.now(), random: () => 1, emit: (c) => void changes.push(c),
    plan: async () => ({ ok: true, value: plan }), dial,
  })
  const shown = () => changes.flatMap((c) => (c.kind === 'updated' ? [c.session.state] : [])).filter((s, i, all) => s !== all[i - 1]) as SessionState[]
  return { clock, session, changes, links, shown, setReachable: (v: boolean) => void (reachable = v), dials: () => dials }
}

describe('session states', () => {
  it('a drop repaired within 500 ms is in the timeline but never shown as "reconnecting"', async () => {
    const h = harness()
    await h.clock.advance(10)
    expect(h.session.record.state()).toBe('connected')
    h.links[0]?.closed({ code: 'peer-closed', message: 'closed' })
    await h.clock.advance(10)
    expect(h.session.record.state()).toBe('connected')
    expect(h.shown()).toEqual(['connected'])
    expect(h.session.record.view().timeline.map((t) => t.kind)).toEqual(['connected', 'reconnecting', 'connected'])
    expect(h.session.record.view().stats.reconnects).toBe(1)
    h.session.close()
  })

  it('repeated failures back off, then say offline with the reason; a hint retries at once', async () => {
    const h = harness()
    await h.clock.advance(10)
    h.setReachable(false)
    h.links[0]?.closed({ code: 'connection-reset', message: 'reset' })
    await h.clock.advance(600)
    expect(h.session.record.view().state).toBe('reconnecting')
    const dialsAt = h.dials()
    await h.clock.advance(12_000)
    expect(h.session.record.view().state).toBe('offline')
    expect(h.session.record.view().cause).toBe('refused')
    const retries = h.dials() - dialsAt
    expect(retries).toBeGreaterThanOrEqual(3)
    expect(retries).toBeLessThanOrEqual(6) // 250, 500, 1000, 2000, 4000, 8000 ms: backing off, not hammering
    expect(h.session.record.view().nextAttemptAt).not.toBeNull()
    h.setReachable(true)
    h.session.networkChanged(new Set(['198.18.0.2']))
    await h.clock.advance(1)
    expect(h.session.record.view().state).toBe('connected')
    expect(h.session.record.view().timeline.map((t) => t.kind)).toContain('network-changed')
    h.session.close()
  })

  it("a live link whose local address went away is replaced at once, not after a stall", async () => {
    const h = harness()
    await h.clock.advance(10)
    h.session.networkChanged(new Set(['198.18.0.3']))
    await h.clock.advance(1)
    expect(h.links).toHaveLength(2)
    expect(h.session.record.view().timeline.map((t) => t.kind)).toEqual(['connected', 'network-changed', 'connected'])
    h.session.close()
    expect(h.session.record.view().timeline.at(-1)?.kind).toBe('closed')
  })
})
