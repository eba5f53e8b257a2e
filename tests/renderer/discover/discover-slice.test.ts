import { describe, expect, it } from 'vitest'
import type { DiscoverySnapshot } from '../../../shared/discovery/view'
import { fail, ok, type Result } from '../../../shared/ipc'
import { mergeDevices, reconcileSnapshot } from '../../../renderer/features/discover/discover-slice'
import { createAppStore, subscribeToHost } from '../../../renderer/store'
import { createFakeBridge } from '../fake-bridge'
import { makeDevice, makePacket, makeStatus, manyDevices, NOW } from './fixtures'

const A = makeDevice({ id: 'a', name: 'Lamp' })
const B = makeDevice({ id: 'b', name: 'Plug' })
const C = makeDevice({ id: 'c', name: 'Sensor' })

async function loadedStore(devices = [A, B]) {
  const status = makeStatus()
  const bridge = createFakeBridge({ 'discovery:snapshot': ok({ status, devices }) })
  const store = createAppStore(bridge)
  await store.getState().loadDiscovery()
  return { bridge, store, status }
}

describe('discover slice: loading', () => {
  it('starts idle with no devices and no status', () => {
    const state = createAppStore(createFakeBridge()).getState()
    expect(state.discoveryLoad).toBe('idle')
    expect(state.discoveryDevices.size).toBe(0)
    expect(state.discoveryStatus).toBeNull()
  })

  it('loadDiscovery asks for the snapshot and keeps devices by id with the status', async () => {
    const { bridge, store, status } = await loadedStore()
    const state = store.getState()
    expect(bridge.calls).toEqual(['discovery:snapshot'])
    expect(state.discoveryLoad).toBe('ready')
    expect(state.discoveryDevices.get('a')).toBe(A)
    expect(state.discoveryDevices.get('b')).toBe(B)
    expect(state.discoveryStatus).toEqual(status)
  })

  it('keeps the host error when the snapshot fails, and a retry clears it', async () => {
    const bridge = createFakeBridge({ 'discovery:snapshot': fail({ code: 'unavailable', message: 'Port 5353 is unusable.' }) })
    const store = createAppStore(bridge)
    await store.getState().loadDiscovery()
    expect(store.getState().discoveryLoad).toBe('error')
    expect(store.getState().discoveryError?.message).toBe('Port 5353 is unusable.')
    bridge.replies['discovery:snapshot'] = ok({ status: makeStatus(), devices: [A] })
    await store.getState().loadDiscovery()
    expect(store.getState().discoveryLoad).toBe('ready')
    expect(store.getState().discoveryError).toBeNull()
  })
})

describe('discover slice: live changes', () => {
  it('merges changed devices by id, adds new ones, drops removed ids and replaces the status', async () => {
    const { store } = await loadedStore([A, B])
    const renamed = makeDevice({ id: 'a', name: 'Lamp (kitchen)', lastChangeAt: NOW })
    const status = makeStatus({ queriesSent: 99 })
    store.getState().applyDiscoveryChange({ devices: [renamed, C], removed: ['b'], status })
    const devices = store.getState().discoveryDevices
    expect([...devices.keys()].sort()).toEqual(['a', 'c'])
    expect(devices.get('a')?.name).toBe('Lamp (kitchen)')
    expect(store.getState().discoveryStatus?.queriesSent).toBe(99)
  })

  it('gives a new map per change (so selectors re-render) but reuses every untouched device object', async () => {
    const { store } = await loadedStore([A, B])
    const before = store.getState().discoveryDevices
    store.getState().applyDiscoveryChange({ devices: [C], removed: [], status: makeStatus() })
    const after = store.getState().discoveryDevices
    expect(after).not.toBe(before)
    expect(after.get('a')).toBe(A)
    expect(before.has('c')).toBe(false)
  })

  it('applies a 1,000-device batch and then 1,000 single changes, ending with exactly the newest copies', async () => {
    const { store } = await loadedStore([])
    const devices = manyDevices(1000)
    store.getState().applyDiscoveryChange({ devices, removed: [], status: makeStatus() })
    expect(store.getState().discoveryDevices.size).toBe(1000)
    for (const d of devices) {
      store.getState().applyDiscoveryChange({ devices: [{ ...d, status: 'down' }], removed: [], status: makeStatus() })
    }
    const map = store.getState().discoveryDevices
    expect(map.size).toBe(1000)
    expect([...map.values()].every((d) => d.status === 'down')).toBe(true)
    store.getState().applyDiscoveryChange({ devices: [], removed: devices.slice(0, 500).map((d) => d.id), status: makeStatus() })
    expect(store.getState().discoveryDevices.size).toBe(500)
    expect(store.getState().discoveryDevices.has('0499')).toBe(false)
    expect(store.getState().discoveryDevices.has('0500')).toBe(true)
  })

  it('removing an unknown id is harmless', () => {
    expect([...mergeDevices(new Map([['a', A]]), [], ['zzz']).keys()]).toEqual(['a'])
  })

  it('subscribeToHost applies discovery:changed, and its unsubscribe stops that', async () => {
    const bridge = createFakeBridge()
    const store = createAppStore(bridge)
    const off = subscribeToHost(store, bridge)
    bridge.emit('discovery:changed', { devices: [A], removed: [], status: makeStatus() })
    expect(store.getState().discoveryDevices.get('a')).toBe(A)
    off()
    expect(bridge.listenerCount('discovery:changed')).toBe(0)
    bridge.emit('discovery:changed', { devices: [B], removed: [], status: makeStatus() })
    expect(store.getState().discoveryDevices.has('b')).toBe(false)
  })
})

describe('discover slice: a snapshot that was in flight during changes', () => {
  it('does not undo a newer device copy, a removal or the newer status', async () => {
    let answer: (value: Result<DiscoverySnapshot>) => void = () => undefined
    const bridge = createFakeBridge()
    bridge.invoke = (() => new Promise<Result<DiscoverySnapshot>>((resolve) => (answer = resolve))) as unknown as typeof bridge.invoke
    const store = createAppStore(bridge)
    const loading = store.getState().loadDiscovery()
    const newerA = makeDevice({ id: 'a', name: 'Lamp renamed', lastChangeAt: NOW + 1 })
    const liveStatus = makeStatus({ packetsReceived: 50 })
    store.getState().applyDiscoveryChange({ devices: [newerA], removed: ['b'], status: liveStatus })
    answer(ok({ status: makeStatus({ packetsReceived: 1 }), devices: [A, B, C] }))
    await loading
    const map = store.getState().discoveryDevices
    expect(map.get('a')?.name).toBe('Lamp renamed')
    expect(map.has('b')).toBe(false)
    expect(map.get('c')).toBe(C)
    expect(store.getState().discoveryStatus?.packetsReceived).toBe(50)
  })

  it('reconcileSnapshot prefers the snapshot copy when it is newer than the live one', () => {
    const older = makeDevice({ id: 'a', name: 'old', lastChangeAt: NOW - 10 })
    const newer = makeDevice({ id: 'a', name: 'new', lastChangeAt: NOW })
    expect(reconcileSnapshot([newer], new Map([['a', older]]), new Set()).get('a')?.name).toBe('new')
  })
})

describe('discover slice: actions', () => {
  it('setDiscoveryOptions sends only what changed and takes the returned status', async () => {
    const { bridge, store } = await loadedStore()
    const updated = makeStatus({ options: { includeTunnels: true, includePeerToPeer: false } })
    bridge.replies['discovery:setOptions'] = ok(updated)
    const setting = store.getState().setDiscoveryOptions({ includeTunnels: true })
    expect(store.getState().discoveryPendingOptions).toEqual({ includeTunnels: true })
    expect(store.getState().discoveryBusy).toBe(true)
    await setting
    expect(store.getState().discoveryPendingOptions).toBeNull()
    expect(bridge.calls.at(-1)).toBe('discovery:setOptions')
    expect(bridge.payloads.at(-1)).toEqual({ includeTunnels: true })
    expect(store.getState().discoveryStatus?.options.includeTunnels).toBe(true)
    expect(store.getState().discoveryBusy).toBe(false)
  })

  it('setDiscoveryOptions keeps the error for the screen when the host refuses', async () => {
    const { bridge, store } = await loadedStore()
    bridge.replies['discovery:setOptions'] = fail({ code: 'internal', message: 'Could not rebind sockets. Try again.' })
    await store.getState().setDiscoveryOptions({ includePeerToPeer: true })
    expect(store.getState().discoveryActionError?.message).toBe('Could not rebind sockets. Try again.')
    expect(store.getState().discoveryStatus?.options.includePeerToPeer).toBe(false)
  })

  it('restartDiscovery restarts, then reloads the snapshot', async () => {
    const { bridge, store } = await loadedStore([A, B])
    bridge.replies['discovery:restart'] = ok(makeStatus({ queriesSent: 0 }))
    bridge.replies['discovery:snapshot'] = ok({ status: makeStatus({ queriesSent: 1 }), devices: [] })
    await store.getState().restartDiscovery()
    expect(bridge.calls).toEqual(['discovery:snapshot', 'discovery:restart', 'discovery:snapshot'])
    expect(store.getState().discoveryDevices.size).toBe(0)
    expect(store.getState().discoveryStatus?.queriesSent).toBe(1)
  })

  it('loadDevicePackets asks for one device and keeps its packets', async () => {
    const packet = makePacket()
    const { bridge, store } = await loadedStore()
    bridge.replies['discovery:packets'] = ok([packet])
    await store.getState().loadDevicePackets('a')
    expect(bridge.payloads.at(-1)).toEqual({ deviceId: 'a' })
    expect(store.getState().devicePackets).toEqual({ deviceId: 'a', status: 'ready', packets: [packet], error: null })
  })

  it('search, filters and selection are plain state', () => {
    const store = createAppStore(createFakeBridge())
    store.getState().setDiscoverQuery('lamp')
    store.getState().setDiscoverFilters({ iface: 'wlan0' })
    store.getState().selectDevice('a')
    const state = store.getState()
    expect(state.discoverQuery).toBe('lamp')
    expect(state.discoverFilters).toEqual({ type: null, iface: 'wlan0', vendor: { kind: 'any' } })
    expect(state.selectedDeviceId).toBe('a')
  })
})
