import { describe, expect, it } from 'vitest'
import { fail, ok, type IpcError, type Result } from '../../shared/ipc'
import type { NetInterface } from '../../shared/net/interfaces'
import { describeChange } from '../../renderer/features/network/network-slice'
import { screenFromHash } from '../../renderer/features/shell/shell-slice'
import { createAppStore, subscribeToHost } from '../../renderer/store'
import { APP_INFO, createFakeBridge, ETH0, LO, TUN0, WLAN0 } from './fake-bridge'

const NOW = 1_700_000_000_000
const now = () => NOW

describe('network slice', () => {
  it('starts idle with no interfaces', () => {
    const state = createAppStore(createFakeBridge()).getState()
    expect(state.interfacesStatus).toBe('idle')
    expect(state.interfaces).toEqual([])
    expect(state.interfacesUpdatedAt).toBeNull()
  })

  it('loadInterfaces shows loading, then the list from net:interfaces as ready', async () => {
    const bridge = createFakeBridge({ 'net:interfaces': ok([WLAN0, LO]) })
    const store = createAppStore(bridge, { now })
    const loading = store.getState().loadInterfaces()
    expect(store.getState().interfacesStatus).toBe('loading')
    await loading
    const state = store.getState()
    expect(bridge.calls).toEqual(['net:interfaces'])
    expect(state.interfacesStatus).toBe('ready')
    expect(state.interfaces).toEqual([WLAN0, LO])
    expect(state.interfacesError).toBeNull()
    expect(state.interfacesUpdatedAt).toBe(NOW)
  })

  it('loadInterfaces keeps the IpcError and sets status error when the host fails', async () => {
    const error: IpcError = { code: 'internal', message: 'Could not read interfaces. Try again.' }
    const store = createAppStore(createFakeBridge({ 'net:interfaces': fail(error) }))
    await store.getState().loadInterfaces()
    expect(store.getState().interfacesStatus).toBe('error')
    expect(store.getState().interfacesError).toEqual(error)
    expect(store.getState().interfaces).toEqual([])
  })

  it('a successful retry after an error clears the error', async () => {
    const bridge = createFakeBridge({ 'net:interfaces': fail({ code: 'timeout', message: 'Timed out', afterMs: 5000 }) })
    const store = createAppStore(bridge)
    await store.getState().loadInterfaces()
    bridge.replies['net:interfaces'] = ok([LO])
    await store.getState().loadInterfaces()
    expect(store.getState().interfacesStatus).toBe('ready')
    expect(store.getState().interfacesError).toBeNull()
    expect(store.getState().interfaces).toEqual([LO])
  })

  it('applyInterfacesChange replaces the list and describes the change', async () => {
    const store = createAppStore(createFakeBridge({ 'net:interfaces': ok([WLAN0, ETH0]) }), { now })
    await store.getState().loadInterfaces()
    store.getState().applyInterfacesChange({ interfaces: [WLAN0, TUN0], added: ['tun0'], removed: ['eth0'], changed: [] })
    const state = store.getState()
    expect(state.interfaces).toEqual([WLAN0, TUN0])
    expect(state.interfacesStatus).toBe('ready')
    expect(state.lastInterfaceChange).toBe('Interfaces added tun0; removed eth0')
    expect(state.interfacesUpdatedAt).toBe(NOW)
  })

  it('applyInterfacesChange recovers from an error state', async () => {
    const store = createAppStore(createFakeBridge({ 'net:interfaces': fail({ code: 'internal', message: 'boom' }) }))
    await store.getState().loadInterfaces()
    store.getState().applyInterfacesChange({ interfaces: [LO], added: ['lo'], removed: [], changed: [] })
    expect(store.getState().interfacesStatus).toBe('ready')
    expect(store.getState().interfacesError).toBeNull()
  })
})

describe('network slice ordering', () => {
  it('a load that was in flight when a live change arrived does not overwrite the newer list', async () => {
    let answer: (value: Result<readonly NetInterface[]>) => void = () => undefined
    const bridge = createFakeBridge()
    bridge.invoke = (() => new Promise<Result<readonly NetInterface[]>>((resolve) => (answer = resolve))) as unknown as typeof bridge.invoke
    const store = createAppStore(bridge)
    const loading = store.getState().loadInterfaces()
    store.getState().applyInterfacesChange({ interfaces: [LO, TUN0], added: ['tun0'], removed: [], changed: [] })
    answer(ok([LO]))
    await loading
    expect(store.getState().interfaces.map((i) => i.name)).toEqual(['lo', 'tun0'])
    expect(store.getState().interfacesStatus).toBe('ready')
  })
})

describe('describeChange', () => {
  it('lists added, removed and changed names in that order', () => {
    expect(describeChange({ added: ['tun0', 'wg0'], removed: ['eth0'], changed: ['wlan0'] }))
      .toBe('Interfaces added tun0, wg0; removed eth0; changed wlan0')
  })

  it('says unchanged when nothing changed', () => {
    expect(describeChange({ added: [], removed: [], changed: [] })).toBe('Interfaces unchanged')
  })

  it('mentions only the parts that happened', () => {
    expect(describeChange({ added: [], removed: [], changed: ['wlan0'] })).toBe('Interfaces changed wlan0')
  })
})

describe('subscribeToHost', () => {
  it('applies net:interfacesChanged events to the store', () => {
    const bridge = createFakeBridge()
    const store = createAppStore(bridge, { now })
    subscribeToHost(store, bridge)
    bridge.emit('net:interfacesChanged', { interfaces: [TUN0], added: ['tun0'], removed: [], changed: [] })
    expect(store.getState().interfaces).toEqual([TUN0])
    expect(store.getState().lastInterfaceChange).toBe('Interfaces added tun0')
  })

  it('returns a function that unsubscribes: later events no longer change state', () => {
    const bridge = createFakeBridge()
    const store = createAppStore(bridge)
    const unsubscribe = subscribeToHost(store, bridge)
    bridge.emit('net:interfacesChanged', { interfaces: [LO], added: ['lo'], removed: [], changed: [] })
    unsubscribe()
    expect(bridge.listenerCount('net:interfacesChanged')).toBe(0)
    bridge.emit('net:interfacesChanged', { interfaces: [LO, TUN0], added: ['tun0'], removed: [], changed: [] })
    expect(store.getState().interfaces).toEqual([LO])
    expect(store.getState().lastInterfaceChange).toBe('Interfaces added lo')
  })
})

describe('shell slice', () => {
  it.each([
    ['#/discover', 'discover'],
    ['#/setup', 'setup'],
    ['#/monitor', 'monitor'],
    ['#/diagnose', 'diagnose'],
    ['#/fleet', 'fleet'],
    ['#diagnose', 'diagnose'],
    ['', 'discover'],
    ['#', 'discover'],
    ['#/nope', 'discover'],
    ['#/Diagnose', 'discover'],
    ['#/diagnose/extra', 'discover'],
    ['#/__proto__', 'discover'],
    ['#screen-title', 'discover'],
  ] as const)('screenFromHash(%j) is %s', (hash, screen) => {
    expect(screenFromHash(hash)).toBe(screen)
  })

  it('opens on Discover unless told otherwise, and navigate changes the screen', () => {
    expect(createAppStore(createFakeBridge()).getState().screen).toBe('discover')
    const store = createAppStore(createFakeBridge(), { screen: 'fleet' })
    expect(store.getState().screen).toBe('fleet')
    store.getState().navigate('diagnose')
    expect(store.getState().screen).toBe('diagnose')
  })

  it('starts connecting and records the connection status it is given', () => {
    const store = createAppStore(createFakeBridge())
    expect(store.getState().connection).toBe('connecting')
    store.getState().setConnection('unauthorized')
    expect(store.getState().connection).toBe('unauthorized')
  })

  it('loadAppInfo stores what app:info answers', async () => {
    const bridge = createFakeBridge({ 'app:info': ok(APP_INFO) })
    const store = createAppStore(bridge)
    await store.getState().loadAppInfo()
    expect(bridge.calls).toEqual(['app:info'])
    expect(store.getState().appInfo).toEqual(APP_INFO)
  })

  it('loadAppInfo leaves appInfo empty when the host fails', async () => {
    const store = createAppStore(createFakeBridge({ 'app:info': fail({ code: 'unavailable', message: 'gone' }) }))
    await store.getState().loadAppInfo()
    expect(store.getState().appInfo).toBeNull()
  })
})
