import { afterEach, describe, expect, it, vi } from 'vitest'
import { fail, ok, type Result } from '../../../shared/ipc'
import { MAX_SAMPLES, type SessionView } from '../../../shared/session/view'
import { noticeFor } from '../../../renderer/features/monitor/monitor-slice'
import type { SystemNotice } from '../../../renderer/lib/system-notification'
import { showSystemNotification } from '../../../renderer/lib/system-notification'
import { createAppStore, subscribeToHost } from '../../../renderer/store'
import { createFakeBridge, type Replies } from '../fake-bridge'
import { makeSession, makeStats, NOW } from './fixtures'

const A = makeSession({ id: 'a', label: 'Porch Lamp' })
const B = makeSession({ id: 'b', label: 'Garage Door' })

async function loadedStore(sessions: readonly SessionView[] = [A, B], replies: Replies = {}) {
  const bridge = createFakeBridge({ 'session:list': ok([...sessions]), ...replies })
  const notices: SystemNotice[] = []
  const store = createAppStore(bridge, { notify: (n) => notices.push(n) })
  subscribeToHost(store, bridge)
  await store.getState().loadSessions()
  return { bridge, store, notices }
}

const ids = (store: Awaited<ReturnType<typeof loadedStore>>['store']) => [...store.getState().monitorSessions.keys()]

describe('monitor slice: loading', () => {
  it('loads session:list into an ordered map and is ready', async () => {
    const { bridge, store } = await loadedStore([B, A])
    expect(bridge.calls).toEqual(['session:list'])
    expect(ids(store)).toEqual(['b', 'a'])
    expect(store.getState().monitorLoad).toBe('ready')
    expect(store.getState().monitorError).toBeNull()
  })

  it('keeps the host’s message when the list cannot be loaded', async () => {
    const message = 'Monitoring is not available in this host. Restart Porchlight.'
    const { store } = await loadedStore([], { 'session:list': fail({ code: 'unavailable', message }) })
    expect(store.getState().monitorLoad).toBe('error')
    expect(store.getState().monitorError).toBe(message)
  })

  it('replays changes that arrive while the list is in flight, without doubling samples', async () => {
    let answer: (value: Result<readonly SessionView[]>) => void = () => undefined
    const bridge = createFakeBridge()
    bridge.invoke = (() => new Promise<Result<readonly SessionView[]>>((resolve) => (answer = resolve))) as unknown as typeof bridge.invoke
    const store = createAppStore(bridge)
    subscribeToHost(store, bridge)
    const loading = store.getState().loadSessions()
    const already = { at: NOW - 1000, rttMs: 3 }
    const fresh = { at: NOW, rttMs: 9 }
    bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: already, stats: makeStats() })
    bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: fresh, stats: makeStats({ heartbeatsSent: 201 }) })
    bridge.emit('session:changed', { kind: 'removed', id: 'b' })
    bridge.emit('session:changed', { kind: 'updated', session: makeSession({ id: 'a', label: 'Older copy', since: NOW - 500_000, samples: [], timeline: [] }) })
    answer(ok([A, B]))
    await loading
    const a = store.getState().monitorSessions.get('a')
    expect([...store.getState().monitorSessions.keys()]).toEqual(['a'])
    expect(a?.label).toBe('Porch Lamp')
    expect(a?.samples.map((s) => s.at)).toEqual([NOW - 3000, NOW - 2000, NOW - 1000, NOW])
    expect(a?.stats.heartbeatsSent).toBe(201)
  })
})

describe('monitor slice: session:changed', () => {
  it('updated replaces the whole view in place, and adds an unknown session at the end', async () => {
    const { bridge, store } = await loadedStore()
    bridge.emit('session:changed', { kind: 'updated', session: { ...A, state: 'reconnecting', cause: 'Connection refused.' } })
    bridge.emit('session:changed', { kind: 'updated', session: makeSession({ id: 'c' }) })
    expect(ids(store)).toEqual(['a', 'b', 'c'])
    expect(store.getState().monitorSessions.get('a')).toMatchObject({ state: 'reconnecting', cause: 'Connection refused.' })
  })

  it('sample appends to the session, takes the new stats, and keeps the last reply’s RTT across a miss', async () => {
    const { bridge, store } = await loadedStore()
    const stats = makeStats({ heartbeatsSent: 201, missed: 4 })
    bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: { at: NOW, rttMs: 12 }, stats })
    expect(store.getState().monitorSessions.get('a')?.lastRttMs).toBe(12)
    bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: { at: NOW + 1000, rttMs: null }, stats })
    const a = store.getState().monitorSessions.get('a')
    expect(a?.samples.slice(-2)).toEqual([{ at: NOW, rttMs: 12 }, { at: NOW + 1000, rttMs: null }])
    expect(a?.stats).toEqual(stats)
    expect(a?.lastRttMs).toBe(12)
    expect(store.getState().monitorSessions.get('b')).toBe(B)
  })

  it('sample for an unknown session is ignored', async () => {
    const { bridge, store } = await loadedStore()
    const before = store.getState().monitorSessions
    bridge.emit('session:changed', { kind: 'sample', id: 'nope', sample: { at: NOW, rttMs: 1 }, stats: makeStats() })
    expect(store.getState().monitorSessions).toBe(before)
  })

  it(`keeps at most MAX_SAMPLES (${MAX_SAMPLES}) samples, dropping the oldest`, async () => {
    const full = makeSession({ id: 'a', samples: Array.from({ length: MAX_SAMPLES }, (_, i) => ({ at: NOW + i * 1000, rttMs: i })) })
    const { bridge, store } = await loadedStore([full])
    bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: { at: NOW + MAX_SAMPLES * 1000, rttMs: 999 }, stats: makeStats() })
    const samples = store.getState().monitorSessions.get('a')?.samples ?? []
    expect(samples).toHaveLength(MAX_SAMPLES)
    expect(samples[0]?.rttMs).toBe(1)
    expect(samples.at(-1)?.rttMs).toBe(999)
  })

  it('an updated view with too many samples is capped as well', async () => {
    const { bridge, store } = await loadedStore()
    const many = Array.from({ length: MAX_SAMPLES + 20 }, (_, i) => ({ at: NOW + i, rttMs: i }))
    bridge.emit('session:changed', { kind: 'updated', session: { ...A, samples: many } })
    expect(store.getState().monitorSessions.get('a')?.samples).toHaveLength(MAX_SAMPLES)
  })

  it('removed drops the session', async () => {
    const { bridge, store } = await loadedStore()
    bridge.emit('session:changed', { kind: 'removed', id: 'a' })
    expect(ids(store)).toEqual(['b'])
  })
})

describe('monitor slice: actions', () => {
  it('watch sends the request, adds the session and returns it', async () => {
    const c = makeSession({ id: 'c', label: '10.0.0.9:80' })
    const { bridge, store } = await loadedStore([A], { 'session:watch': ok(c) })
    const request = { target: { kind: 'address', host: '10.0.0.9', port: 80 }, protocol: { kind: 'http-poll', path: '/' } } as const
    await expect(store.getState().watch(request)).resolves.toEqual(c)
    expect(bridge.calls.at(-1)).toBe('session:watch')
    expect(bridge.payloads.at(-1)).toEqual(request)
    expect(ids(store)).toEqual(['a', 'c'])
  })

  it('watch keeps the host’s message and resolves null when refused', async () => {
    const message = 'No device with that id is known. Open Discover and pick it again.'
    const { store } = await loadedStore([], { 'session:watch': fail({ code: 'invalid-request', message }) })
    await expect(store.getState().watch({ target: { kind: 'device', deviceId: 'gone' } })).resolves.toBeNull()
    expect(store.getState().monitorWatchError).toBe(message)
    expect(store.getState().monitorWatching).toBe(false)
  })

  it('check asks session:check for that id and takes the fresh view; a failure is kept per session', async () => {
    const { bridge, store } = await loadedStore([A, B], { 'session:check': ok({ ...A, lastRttMs: 42 }) })
    const checking = store.getState().check('a')
    expect(store.getState().monitorBusy.has('a')).toBe(true)
    await checking
    expect(bridge.payloads.at(-1)).toEqual({ id: 'a' })
    expect(store.getState().monitorSessions.get('a')?.lastRttMs).toBe(42)
    expect(store.getState().monitorBusy.size).toBe(0)
    bridge.replies['session:check'] = fail({ code: 'timeout', message: 'The accessory did not answer within 5 s.', afterMs: 5000 })
    await store.getState().check('b')
    expect(store.getState().monitorSessionErrors.get('b')).toBe('The accessory did not answer within 5 s.')
    expect(store.getState().monitorSessionErrors.has('a')).toBe(false)
  })

  it('unwatch removes the session; a failure keeps it with the message', async () => {
    const { bridge, store } = await loadedStore([A, B], { 'session:unwatch': ok({ removed: true }) })
    await store.getState().unwatch('a')
    expect(bridge.payloads.at(-1)).toEqual({ id: 'a' })
    expect(ids(store)).toEqual(['b'])
    bridge.replies['session:unwatch'] = fail({ code: 'internal', message: 'Could not close the connection. Try again.' })
    await store.getState().unwatch('b')
    expect(ids(store)).toEqual(['b'])
    expect(store.getState().monitorSessionErrors.get('b')).toBe('Could not close the connection. Try again.')
  })
})

describe('monitor slice: stale notices', () => {
  it('connected → stalled adds a notice and sends a system notification; samples do not', async () => {
    const { bridge, store, notices } = await loadedStore()
    bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: { at: NOW, rttMs: null }, stats: makeStats() })
    expect(store.getState().monitorAlerts).toEqual([])
    const stalled = { ...A, state: 'stalled' as const, since: NOW, cause: 'No reply to 3 heartbeats.' }
    bridge.emit('session:changed', { kind: 'updated', session: stalled })
    expect(store.getState().monitorAlerts).toEqual([
      { key: `a@${NOW}`, sessionId: 'a', label: 'Porch Lamp', state: 'stalled', cause: 'No reply to 3 heartbeats.', at: NOW },
    ])
    expect(notices).toEqual([{ title: 'Porch Lamp stopped answering', body: 'No reply to 3 heartbeats.', tag: 'porchlight-session-a' }])
  })

  it('connected → offline notifies; stalled → offline and connecting → offline do not', async () => {
    const { bridge, store, notices } = await loadedStore([A, B, makeSession({ id: 'c', state: 'connecting' })])
    bridge.emit('session:changed', { kind: 'updated', session: { ...A, state: 'stalled', since: NOW } })
    bridge.emit('session:changed', { kind: 'updated', session: { ...A, state: 'offline', since: NOW + 1 } })
    bridge.emit('session:changed', { kind: 'updated', session: makeSession({ id: 'c', state: 'offline' }) })
    bridge.emit('session:changed', { kind: 'updated', session: { ...B, state: 'offline', since: NOW + 2, cause: 'Host unreachable.' } })
    expect(store.getState().monitorAlerts.map((a) => [a.sessionId, a.state])).toEqual([['a', 'stalled'], ['b', 'offline']])
    expect(notices.map((n) => n.title)).toEqual(['Porch Lamp stopped answering', 'Garage Door is offline'])
  })

  it('a second stall of the same session replaces its notice; dismiss and removal clear it', async () => {
    const { bridge, store } = await loadedStore()
    const stall = (since: number) => bridge.emit('session:changed', { kind: 'updated', session: { ...A, state: 'stalled', since } })
    stall(NOW)
    bridge.emit('session:changed', { kind: 'updated', session: { ...A, since: NOW + 5 } })
    stall(NOW + 10)
    expect(store.getState().monitorAlerts.map((a) => a.key)).toEqual([`a@${NOW + 10}`])
    store.getState().dismissAlert(`a@${NOW + 10}`)
    expect(store.getState().monitorAlerts).toEqual([])
    stall(NOW + 20)
    bridge.emit('session:changed', { kind: 'removed', id: 'a' })
    expect(store.getState().monitorAlerts).toEqual([])
  })

  it('clips a very long name in the system notification', () => {
    const notice = noticeFor({ key: 'k', sessionId: 'x', label: 'L'.repeat(500), state: 'offline', cause: 'gone', at: NOW })
    expect(notice.title).toBe(`${'L'.repeat(79)}… is offline`)
  })
})

describe('showSystemNotification', () => {
  afterEach(() => vi.unstubAllGlobals())

  function stubNotification(permission: NotificationPermission, onCreate: (title: string, options?: NotificationOptions) => void = () => undefined) {
    const Fake = vi.fn(function (this: unknown, title: string, options?: NotificationOptions) {
      onCreate(title, options)
    })
    vi.stubGlobal('Notification', Object.assign(Fake, { permission, requestPermission: vi.fn() }))
    return Fake as unknown as ReturnType<typeof vi.fn> & { requestPermission: ReturnType<typeof vi.fn> }
  }

  it('shows the notice when permission was granted', () => {
    const created: unknown[] = []
    stubNotification('granted', (title, options) => created.push([title, options]))
    expect(showSystemNotification({ title: 'Lamp is offline', body: 'Host unreachable.', tag: 't' })).toBe(true)
    expect(created).toEqual([['Lamp is offline', { body: 'Host unreachable.', tag: 't' }]])
  })

  it.each(['default', 'denied'] as const)('does nothing, and never asks, when permission is %s', (permission) => {
    const Fake = stubNotification(permission)
    expect(showSystemNotification({ title: 't', body: 'b', tag: 't' })).toBe(false)
    expect(Fake).not.toHaveBeenCalled()
    expect(Fake.requestPermission).not.toHaveBeenCalled()
  })

  it('does not crash where there is no Notification API, or where its constructor throws', () => {
    vi.stubGlobal('Notification', undefined)
    expect(showSystemNotification({ title: 't', body: 'b', tag: 't' })).toBe(false)
    stubNotification('granted', () => {
      throw new TypeError('Illegal constructor')
    })
    expect(showSystemNotification({ title: 't', body: 'b', tag: 't' })).toBe(false)
  })

  it('is what the store uses by default: a stall with permission granted reaches the system', async () => {
    const created: string[] = []
    stubNotification('granted', (title) => created.push(title))
    const bridge = createFakeBridge({ 'session:list': ok([A]) })
    const store = createAppStore(bridge)
    subscribeToHost(store, bridge)
    await store.getState().loadSessions()
    bridge.emit('session:changed', { kind: 'updated', session: { ...A, state: 'stalled', since: NOW } })
    expect(created).toEqual(['Porch Lamp stopped answering'])
  })
})
