import { describe, expect, it } from 'vitest'
import { createInterfaceWatcher, diffInterfaces, type ChangeMonitor } from '../../../main/net/interface-watcher'
import type { InterfacesChange, NetInterface } from '../../../shared/net/interfaces'
import { createFakeClock } from '../../helpers/fake-clock'

const iface = (name: string, addresses: string[] = [], isUp = true): NetInterface => ({
  name, kind: 'ethernet', kindReason: 'test', isUp, isInternal: false,
  addresses: addresses.map((address) => ({ address, family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'global' })),
})

function setup(initial: NetInterface[], options: { monitors?: ChangeMonitor[] } = {}) {
  const clock = createFakeClock()
  let current = initial
  let reads = 0
  let failNext = false
  const changes: InterfacesChange[] = []
  const errors: unknown[] = []
  const watcher = createInterfaceWatcher({
    clock,
    read: async () => {
      reads++
      if (failNext) {
        failNext = false
        throw new Error('ip failed')
      }
      return current
    },
    onChange: (c) => changes.push(c),
    onError: (e) => errors.push(e),
    pollMs: 2000,
    debounceMs: 300,
    maxWaitMs: 1500,
    ...(options.monitors && { monitors: options.monitors }),
  })
  return {
    clock, watcher, changes, errors,
    set: (list: NetInterface[]) => void (current = list),
    failOnce: () => void (failNext = true),
    reads: () => reads,
  }
}

describe('diffInterfaces', () => {
  it('names what was added, removed and changed (address, state), ignoring order', () => {
    const before = [iface('a', ['198.18.0.1']), iface('b'), iface('c', ['198.18.0.3', '198.18.0.4'])]
    const after = [iface('c', ['198.18.0.4', '198.18.0.3']), iface('a', ['198.18.0.9']), iface('d')]
    expect(diffInterfaces(before, after)).toEqual({ added: ['d'], removed: ['b'], changed: ['a'] })
    expect(diffInterfaces([iface('a')], [iface('a', [], false)]).changed).toEqual(['a'])
  })
})

describe('createInterfaceWatcher', () => {
  it('emits nothing for the baseline or when polls find no change', async () => {
    const t = setup([iface('eth0', ['198.18.0.1'])])
    await t.watcher.ready
    await t.clock.advance(10_000)
    expect(t.changes).toEqual([])
    expect(t.reads()).toBeGreaterThan(3)
    t.watcher.dispose()
  })

  it('fires once with the new list when an address appears, found by polling', async () => {
    const t = setup([iface('eth0')])
    await t.watcher.ready
    t.set([iface('eth0', ['198.18.0.1']), iface('wlan0', ['198.18.1.1'])])
    await t.clock.advance(2400)
    expect(t.changes).toHaveLength(1)
    expect(t.changes[0]).toMatchObject({ added: ['wlan0'], removed: [], changed: ['eth0'] })
    expect(t.changes[0]?.interfaces.map((i) => i.name)).toEqual(['eth0', 'wlan0'])
    t.watcher.dispose()
  })

  it('debounces a burst of monitor hints into one re-read after the burst goes quiet', async () => {
    let hint: () => void = () => undefined
    const t = setup([iface('eth0')], { monitors: [(onHint) => ((hint = onHint), () => undefined)] })
    await t.watcher.ready
    const readsBefore = t.reads()
    t.set([iface('eth0', ['198.18.0.1'])])
    for (let i = 0; i < 5; i++) {
      hint()
      await t.clock.advance(100)
    }
    expect(t.reads()).toBe(readsBefore)
    await t.clock.advance(300)
    expect(t.reads()).toBe(readsBefore + 1)
    expect(t.changes).toHaveLength(1)
    t.watcher.dispose()
  })

  it('bounds the delay under constant churn with maxWait', async () => {
    let hint: () => void = () => undefined
    const t = setup([iface('eth0')], { monitors: [(onHint) => ((hint = onHint), () => undefined)] })
    await t.watcher.ready
    t.set([iface('eth0', ['198.18.0.1'])])
    for (let i = 0; i < 16; i++) {
      hint()
      await t.clock.advance(100)
    }
    expect(t.changes).toHaveLength(1)
    t.watcher.dispose()
  })

  it('keeps the last good list when a read fails, and reports the change on the next good read', async () => {
    const t = setup([iface('eth0')])
    await t.watcher.ready
    t.failOnce()
    await t.clock.advance(2400)
    expect(t.errors).toHaveLength(1)
    expect(t.changes).toEqual([])
    t.set([])
    await t.clock.advance(2400)
    expect(t.changes[0]).toMatchObject({ removed: ['eth0'] })
    t.watcher.dispose()
  })

  it('stops its timers and monitors on dispose', async () => {
    let stopped = false
    const t = setup([iface('eth0')], { monitors: [() => () => void (stopped = true)] })
    await t.watcher.ready
    t.watcher.dispose()
    expect(stopped).toBe(true)
    expect(t.clock.pendingTimers()).toBe(0)
    t.set([])
    await t.clock.advance(10_000)
    expect(t.changes).toEqual([])
  })
})
