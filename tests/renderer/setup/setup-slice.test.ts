import { describe, expect, it } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { isNewerView } from '../../../renderer/features/setup/setup-slice'
import { createAppStore, subscribeToHost } from '../../../renderer/store'
import { createFakeBridge } from '../fake-bridge'
import { makeView, NOW } from './fixtures'

describe('the setup slice', () => {
  it('takes another flow or a newer view of the same flow, not an older one', () => {
    const view = makeView({ updatedAt: NOW + 10 })
    expect(isNewerView(null, view)).toBe(true)
    expect(isNewerView(view, makeView({ updatedAt: NOW + 5 }))).toBe(false)
    expect(isNewerView(view, makeView({ id: 'flow-2', updatedAt: NOW }))).toBe(true)
  })

  it('follows setup:changed, including a dismissed flow (null), and unsubscribes', () => {
    const bridge = createFakeBridge()
    const store = createAppStore(bridge)
    const off = subscribeToHost(store, bridge)
    bridge.emit('setup:changed', { view: makeView() })
    expect(store.getState().setupView?.id).toBe('flow-1')
    bridge.emit('setup:changed', { view: null })
    expect(store.getState().setupView).toBeNull()
    off()
    expect(bridge.listenerCount('setup:changed')).toBe(0)
  })

  it('an event during setup:current wins over its older answer', async () => {
    const bridge = createFakeBridge({ 'setup:current': ok(null) })
    const store = createAppStore(bridge)
    const loading = store.getState().loadSetup()
    store.getState().applySetupChange({ view: makeView() })
    await loading
    expect(store.getState().setupView?.id).toBe('flow-1')
  })

  it('keeps the host’s refusal with the request it refused', async () => {
    const bridge = createFakeBridge({ 'setup:rescan': fail({ code: 'unavailable', message: 'The setup is not waiting for that now.' }) })
    const store = createAppStore(bridge)
    expect(await store.getState().rescanSetup()).toBe(false)
    expect(store.getState().setupActionError).toEqual({ request: 'rescan', message: 'The setup is not waiting for that now.' })
    expect(store.getState().setupBusy).toBeNull()
  })

  it('keeps a running flow when the host does not dismiss it', async () => {
    const bridge = createFakeBridge({ 'setup:dismiss': ok({ dismissed: false }) })
    const store = createAppStore(bridge)
    store.getState().applySetupChange({ view: makeView() })
    expect(await store.getState().dismissSetup()).toBe(false)
    expect(store.getState().setupView).not.toBeNull()
  })

  it('lists and forgets paired accessories', async () => {
    const item = { deviceId: 'd1', name: 'Lamp', protocol: 'esp-unified', security: 1, pairedAt: NOW }
    const bridge = createFakeBridge({ 'trust:list': ok([item, { ...item, deviceId: 'd2' }]), 'trust:forget': ok({ removed: true }) })
    const store = createAppStore(bridge)
    await store.getState().loadTrusted()
    expect(await store.getState().forgetTrusted('d1')).toBe(true)
    expect(bridge.payloads.at(-1)).toEqual({ deviceId: 'd1' })
    expect(store.getState().setupTrusted.map((t) => t.deviceId)).toEqual(['d2'])
  })
})
