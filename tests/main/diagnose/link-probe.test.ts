/**
 * probeLink: real TCP connects on loopback (a listener, and a port nobody serves), and an injected dialler
 * with the fake clock for what loopback cannot show (a blackholed device, one probe in flight, abort).
 */
import { EventEmitter } from 'node:events'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { analyseLink } from '../../../main/diagnose/link-quality'
import { probeLink, type LinkProbeSample, type ProbeConnectOptions } from '../../../main/diagnose/link-probe'
import { systemClock } from '../../../main/util/clock'
import { createFakeClock, type FakeClock } from '../../helpers/fake-clock'

/** A socket that answers only when the test says so. */
class FakeSocket extends EventEmitter {
  destroyed = false
  reset = false
  destroy(): this {
    this.destroyed = true
    return this
  }
  resetAndDestroy(): this {
    this.reset = true
    return this.destroy()
  }
}

/** An injected dialler; `answer` decides what each new socket does (nothing = blackholed). */
function dialler(answer: (socket: FakeSocket) => void = () => undefined) {
  const sockets: FakeSocket[] = []
  const calls: ProbeConnectOptions[] = []
  let maxInFlight = 0
  const connect = (options: ProbeConnectOptions) => {
    calls.push(options)
    const socket = new FakeSocket()
    sockets.push(socket)
    maxInFlight = Math.max(maxInFlight, sockets.filter((s) => !s.destroyed).length)
    answer(socket)
    return socket
  }
  return { connect, sockets, calls, maxInFlight: () => maxInFlight }
}

/** hrtime driven by the fake clock, so measured RTTs are exact. */
const hrtimeOf = (clock: FakeClock) => () => BigInt(Math.round(clock.now() * 1e6))

describe('probeLink on loopback (real sockets)', () => {
  let server: Server
  let port = 0
  let accepted = 0
  let closedPort = 0

  beforeAll(async () => {
    server = createServer((socket) => {
      accepted++
      socket.on('error', () => undefined) // the probe resets every connection it makes
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
    const dead = createServer()
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve))
    closedPort = (dead.address() as AddressInfo).port
    await new Promise((resolve) => dead.close(resolve))
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('times one connect per probe to a listening port', async () => {
    const seen: LinkProbeSample[] = []
    const samples = await probeLink({ host: '127.0.0.1', port }, { clock: systemClock }, { intervalMs: 10, count: 3, timeoutMs: 2000, onSample: (s) => seen.push(s) })
    expect(samples.map((s) => s.outcome)).toEqual(['connected', 'connected', 'connected'])
    for (const s of samples) expect(s.rttMs).toBeGreaterThan(0)
    expect(seen).toEqual(samples)
    await expect.poll(() => accepted).toBe(3)
  })

  it('counts a refused connect (RST from the stack) as a measured round trip, not a loss', async () => {
    const samples = await probeLink({ host: '127.0.0.1', port: closedPort }, { clock: systemClock }, { intervalMs: 10, count: 2, timeoutMs: 2000 })
    expect(samples).toMatchObject([{ outcome: 'refused', code: 'ECONNREFUSED' }, { outcome: 'refused', code: 'ECONNREFUSED' }])
    for (const s of samples) expect(s.rttMs).toBeGreaterThan(0)
    expect(analyseLink(samples)).toMatchObject({ lost: 0, received: 2 })
  })
})

describe('probeLink with an injected dialler and the fake clock', () => {
  it('records the time from SYN to answer and closes a connected probe with a reset', async () => {
    const clock = createFakeClock()
    const d = dialler((s) => clock.setTimeout(() => s.emit('connect'), 7))
    const run = probeLink({ host: '192.0.2.10', port: 80 }, { clock, connect: d.connect, hrtime: hrtimeOf(clock) }, { intervalMs: 1000, count: 2, timeoutMs: 500 })
    await clock.advance(5000)
    expect(await run).toEqual([
      { at: 0, rttMs: 7, outcome: 'connected' },
      { at: 1000, rttMs: 7, outcome: 'connected' },
    ])
    expect(d.sockets.every((s) => s.reset)).toBe(true)
    expect(d.calls[0]).toEqual({ host: '192.0.2.10', port: 80, family: 4, autoSelectFamily: false })
  })

  it('counts a blackholed device as lost after timeoutMs and closes every socket', async () => {
    const clock = createFakeClock()
    const d = dialler()
    const run = probeLink({ host: '192.0.2.1', port: 9 }, { clock, connect: d.connect }, { intervalMs: 1000, count: 3, timeoutMs: 500 })
    await clock.advance(10_000)
    expect(await run).toEqual([0, 1000, 2000].map((at) => ({ at, rttMs: null, outcome: 'timeout' })))
    expect(d.sockets.every((s) => s.destroyed && !s.reset)).toBe(true)
    expect(clock.pendingTimers()).toBe(0)
    expect(analyseLink(await run).status).toBe('fail')
  })

  it('never has two probes in flight: a probe slower than the interval delays the next one', async () => {
    const clock = createFakeClock()
    const d = dialler()
    const run = probeLink({ host: '192.0.2.1', port: 9 }, { clock, connect: d.connect }, { intervalMs: 100, count: 4, timeoutMs: 250 })
    await clock.advance(5000)
    expect((await run).map((s) => s.at)).toEqual([0, 250, 500, 750])
    expect(d.maxInFlight()).toBe(1)
  })

  it('stops after durationMs', async () => {
    const clock = createFakeClock()
    const d = dialler((s) => clock.setTimeout(() => s.emit('connect'), 2))
    const run = probeLink({ host: '192.0.2.1', port: 9 }, { clock, connect: d.connect }, { intervalMs: 1000, durationMs: 5000, timeoutMs: 500 })
    await clock.advance(60_000)
    expect((await run).map((s) => `${s.at} ${s.outcome}`)).toEqual([0, 1000, 2000, 3000, 4000].map((at) => `${at} connected`))
  })

  it('keeps the process alive while it measures, though the system clock\'s timers are unref\'d (a CLI would exit early)', async () => {
    const clock = createFakeClock()
    // Watch this run's own interval rather than counting every timer in the worker (other files' timers vary).
    const made: NodeJS.Timeout[] = []
    const cleared: unknown[] = []
    const setSpy = vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms: number) => {
      const handle = setTimeout(fn, ms)
      made.push(handle)
      return handle
    }) as typeof setInterval)
    const clearSpy = vi.spyOn(globalThis, 'clearInterval').mockImplementation((handle) => {
      cleared.push(handle)
      clearTimeout(handle as NodeJS.Timeout)
    })
    try {
      const d = dialler((s) => clock.setTimeout(() => s.emit('connect'), 2))
      const run = probeLink({ host: '192.0.2.1', port: 9 }, { clock, connect: d.connect }, { intervalMs: 1000, count: 2, timeoutMs: 500 })
      await clock.advance(500)
      expect(made).toHaveLength(1)
      expect(made[0]?.hasRef()).toBe(true)
      expect(cleared).toEqual([])
      await clock.advance(2000)
      await run
      expect(cleared).toEqual([made[0]])
    } finally {
      setSpy.mockRestore()
      clearSpy.mockRestore()
    }
  })

  it('counts other errors as losses and keeps the errno for the decoder', async () => {
    const clock = createFakeClock()
    const unreachable = Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' })
    const d = dialler((s) => clock.setTimeout(() => s.emit('error', unreachable), 3))
    const run = probeLink({ host: '192.0.2.1', port: 9 }, { clock, connect: d.connect }, { intervalMs: 1000, count: 1, timeoutMs: 500 })
    await clock.advance(1000)
    expect(await run).toEqual([{ at: 0, rttMs: null, outcome: 'error', code: 'EHOSTUNREACH' }])
  })

  it('on abort resolves with the finished samples and closes the probe in flight', async () => {
    const clock = createFakeClock()
    const d = dialler()
    const controller = new AbortController()
    const run = probeLink({ host: '192.0.2.1', port: 9 }, { clock, connect: d.connect }, { intervalMs: 1000, count: 5, timeoutMs: 500, signal: controller.signal })
    await clock.advance(1200)
    controller.abort()
    expect(await run).toEqual([{ at: 0, rttMs: null, outcome: 'timeout' }])
    expect(d.sockets).toHaveLength(2)
    expect(d.sockets.every((s) => s.destroyed)).toBe(true)
    expect(clock.pendingTimers()).toBe(0)
  })

  it('dials link-local IPv6 with its zone and never a host name', async () => {
    const clock = createFakeClock()
    const d = dialler((s) => clock.setTimeout(() => s.emit('connect'), 2))
    const opts = { intervalMs: 1000, count: 1, timeoutMs: 500 }
    const run = probeLink({ host: 'fe80::1', port: 8080, zone: 'en0' }, { clock, connect: d.connect }, opts)
    await clock.advance(1000)
    await run
    expect(d.calls).toEqual([{ host: 'fe80::1%en0', port: 8080, family: 6, autoSelectFamily: false }])
    await expect(probeLink({ host: 'fe80::1', port: 8080 }, { clock, connect: d.connect }, opts)).rejects.toThrow(/needs a zone/)
    await expect(probeLink({ host: 'printer.local', port: 80 }, { clock, connect: d.connect }, opts)).rejects.toThrow(/IP literal/)
    await expect(probeLink({ host: '127.0.0.1', port: 80 }, { clock, connect: d.connect }, { intervalMs: 1, count: 1, timeoutMs: 5 })).rejects.toThrow(/intervalMs/)
  })
})
