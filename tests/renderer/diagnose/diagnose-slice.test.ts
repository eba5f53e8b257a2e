/** The diagnose slice over a fake bridge: which answer wins, what progress is kept, what a failure leaves. */
import { describe, expect, it } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { createAppStore, subscribeToHost } from '../../../renderer/store'
import { createFakeBridge } from '../fake-bridge'
import { holdChannel, makeCheck, makeReport } from './fixtures'

function setup() {
  const bridge = createFakeBridge()
  const store = createAppStore(bridge)
  const unsubscribe = subscribeToHost(store, bridge)
  return { bridge, store, unsubscribe }
}

const OLD = makeReport({ startedAt: 1 })
const NEW = makeReport({ startedAt: 2 })

describe('runs', () => {
  it('only the newest run writes its report, whatever order the answers come in', async () => {
    const { bridge, store } = setup()
    const answer = holdChannel(bridge, 'diagnose:run')
    const first = store.getState().runDiagnose()
    const second = store.getState().runDiagnose()
    answer(ok(OLD))
    await first
    expect(store.getState().diagnoseRun).toBe('running')
    expect(store.getState().diagnoseReport).toBeNull()
    answer(ok(NEW))
    await second
    expect(store.getState().diagnoseReport?.startedAt).toBe(2)
    expect(store.getState().diagnoseRun).toBe('ready')
  })

  it('keeps progress only while a run is in flight, and clears it when the run answers', async () => {
    const { bridge, store } = setup()
    bridge.emit('diagnose:progressed', { step: 'Early', done: 0, total: 3 })
    expect(store.getState().diagnoseProgress).toBeNull()
    const answer = holdChannel(bridge, 'diagnose:run')
    const run = store.getState().runDiagnose()
    bridge.emit('diagnose:progressed', { step: 'Ports Porchlight listens on', done: 1, total: 3 })
    expect(store.getState().diagnoseProgress).toEqual({ step: 'Ports Porchlight listens on', done: 1, total: 3 })
    answer(ok(OLD))
    await run
    expect(store.getState().diagnoseProgress).toBeNull()
  })

  it('a failed run keeps the previous report and the host’s message; the next success clears the message', async () => {
    const { bridge, store } = setup()
    bridge.replies['diagnose:run'] = ok(OLD)
    await store.getState().runDiagnose()
    bridge.replies['diagnose:run'] = fail({ code: 'not-found', message: 'Device x is not known to discovery (yet).' })
    await store.getState().runDiagnose()
    expect(store.getState().diagnoseRun).toBe('error')
    expect(store.getState().diagnoseError).toBe('Device x is not known to discovery (yet).')
    expect(store.getState().diagnoseReport).toBe(OLD)
    bridge.replies['diagnose:run'] = ok(NEW)
    await store.getState().runDiagnose()
    expect(store.getState().diagnoseError).toBeNull()
  })

  it('asks for the chosen device, and for this computer only once the choice is cleared', async () => {
    const { bridge, store } = setup()
    bridge.replies['diagnose:run'] = ok(OLD)
    store.getState().setDiagnoseDevice('lamp')
    await store.getState().runDiagnose()
    store.getState().setDiagnoseDevice(null)
    await store.getState().runDiagnose()
    expect(bridge.payloads).toEqual([{ deviceId: 'lamp' }, {}])
  })

  it('stops following progress once unsubscribed', () => {
    const { bridge, unsubscribe } = setup()
    expect(bridge.listenerCount('diagnose:progressed')).toBe(1)
    unsubscribe()
    expect(bridge.listenerCount('diagnose:progressed')).toBe(0)
  })
})

describe('the support bundle', () => {
  it('is not asked for without a report', async () => {
    const { bridge, store } = setup()
    expect(await store.getState().exportSupportBundle(true)).toBeNull()
    expect(bridge.calls).toEqual([])
  })

  it('a bundle of a report that was replaced meanwhile is dropped', async () => {
    const { bridge, store } = setup()
    bridge.replies['diagnose:run'] = ok(makeReport({ checks: [makeCheck({ id: 'a' })] }))
    await store.getState().runDiagnose()
    const answer = holdChannel(bridge, 'diagnose:bundle')
    const pending = store.getState().exportSupportBundle(false)
    await store.getState().runDiagnose()
    answer(ok({ jsonName: 'a.json', json: '{}', htmlName: 'a.html', html: '' }))
    expect(await pending).toBeNull()
    expect(store.getState().diagnoseBundle).toBeNull()
    expect(store.getState().diagnoseBundleState).toBe('idle')
  })
})

describe('the decoder', () => {
  it('trims, caps at what the channel accepts, and sends nothing for blank text', async () => {
    const { bridge, store } = setup()
    bridge.replies['diagnose:decode'] = ok([])
    await store.getState().decodeError('   ')
    expect(bridge.calls).toEqual([])
    await store.getState().decodeError(` ${'x'.repeat(5000)} `)
    expect(bridge.payloads).toEqual([{ text: 'x'.repeat(4096) }])
    expect(store.getState().diagnoseDecoder).toMatchObject({ status: 'ready', readings: [] })
  })

  it('only the newest paste writes its answer', async () => {
    const { bridge, store } = setup()
    const answer = holdChannel(bridge, 'diagnose:decode')
    const first = store.getState().decodeError('65')
    const second = store.getState().decodeError('111')
    answer(ok([{ source: 'errno', code: '65', name: 'EHOSTUNREACH', meaning: 'm', nextStep: 'n' }]))
    await first
    answer(ok([]))
    await second
    expect(store.getState().diagnoseDecoder).toEqual({ query: '111', status: 'ready', readings: [], error: null })
  })
})
