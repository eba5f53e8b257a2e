/**
 * The RFC 8305 race (reference case 44) on a fake clock with fake sockets: the order addresses are dialled
 * in, when each attempt starts, which attempts are still running, who wins and what is left behind.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { clampAttemptDelay, connectRace, planTargets, type ConnectOptions, type DialRequest } from '../../../main/net/connect'
import { createFakeClock, type FakeClock } from '../../helpers/fake-clock'

/** A socket whose fate the test decides: `succeed()` or `fail('ECONNREFUSED')`. */
class FakeSocket extends EventEmitter {
  isDestroyed = false
  constructor(readonly request: DialRequest, readonly createdAt: number) {
    super()
  }
  destroy(): void {
    this.isDestroyed = true
  }
  succeed(): void {
    this.emit('connect')
  }
  fail(code: string): void {
    this.isDestroyed = true
    this.emit('error', Object.assign(new Error(`connect ${code}`), { code }))
  }
}

function setup(extra: Partial<ConnectOptions<FakeSocket>> = {}) {
  const clock = createFakeClock()
  const sockets: FakeSocket[] = []
  const failedHook: { address: string; code: string }[] = []
  const options = {
    port: 8080,
    clock,
    platform: 'linux' as const,
    socketFactory: (request: DialRequest) => {
      const socket = new FakeSocket(request, clock.now())
      sockets.push(socket)
      return socket
    },
    onAddressFailed: (target: { connectAddress: string }, finding: { code: string }) =>
      void failedHook.push({ address: target.connectAddress, code: finding.code }),
    ...extra,
  }
  const dialled = () => sockets.map((s) => [s.request.host, s.createdAt])
  return { clock, sockets, options, dialled, failedHook }
}

const hosts = (targets: { connectAddress: string }[]) => targets.map((t) => t.connectAddress)
const at = (list: FakeSocket[], i: number): FakeSocket => {
  const socket = list[i]
  if (!socket) throw new Error(`no socket #${i}`)
  return socket
}
const settle = (clock: FakeClock) => clock.advance(0)

describe('connectRace: RFC 8305 ordering (case 44)', () => {
  it('case 44: interleaves families IPv6 first, then alternates, keeping each family’s order', () => {
    const inputs = ['198.18.0.11', '198.18.0.12', 'fd00::11', 'fd00::12', '198.18.0.13']
    expect(hosts(planTargets(inputs, { port: 80 }).targets)).toEqual(['fd00::11', '198.18.0.11', 'fd00::12', '198.18.0.12', '198.18.0.13'])
    expect(hosts(planTargets(inputs, { port: 80, firstAddressFamilyCount: 2 }).targets))
      .toEqual(['fd00::11', 'fd00::12', '198.18.0.11', '198.18.0.12', '198.18.0.13'])
    expect(hosts(planTargets(['198.18.0.11', '198.18.0.12'], { port: 80 }).targets)).toEqual(['198.18.0.11', '198.18.0.12'])
  })

  it('case 44: the same address twice is dialled once', () => {
    expect(hosts(planTargets(['fd00::11', 'FD00::11', '198.18.0.11'], { port: 80 }).targets)).toEqual(['fd00::11', '198.18.0.11'])
  })

  it('case 44: the sockets are dialled in the interleaved order, one every 250 ms', async () => {
    const { clock, options, dialled } = setup()
    void connectRace(['198.18.0.11', '198.18.0.12', 'fd00::11'], options)
    await settle(clock)
    expect(dialled()).toEqual([['fd00::11', 0]])
    await clock.advance(249)
    expect(dialled()).toHaveLength(1)
    await clock.advance(1)
    await clock.advance(250)
    expect(dialled()).toEqual([['fd00::11', 0], ['198.18.0.11', 250], ['198.18.0.12', 500]])
  })

  it('case 44: the attempt delay is clamped to [10, 2000] ms', async () => {
    expect([clampAttemptDelay(undefined), clampAttemptDelay(1), clampAttemptDelay(100), clampAttemptDelay(5000)]).toEqual([250, 10, 100, 2000])
    const { clock, options, dialled } = setup({ attemptDelayMs: 1 })
    void connectRace(['fd00::11', '198.18.0.11'], options)
    await clock.advance(10)
    expect(dialled()).toEqual([['fd00::11', 0], ['198.18.0.11', 10]])
  })
})

describe('connectRace: racing (case 44)', () => {
  it('case 44: earlier attempts keep running when later ones start, and an earlier one can still win', async () => {
    const { clock, sockets, options } = setup()
    const result = connectRace(['fd00::11', '198.18.0.11', 'fd00::12'], options)
    await clock.advance(600)
    expect(sockets.map((s) => s.isDestroyed)).toEqual([false, false, false])
    at(sockets, 0).succeed()
    const won = await result
    expect(won.ok && won.value.winner.connectAddress).toBe('fd00::11')
    expect(sockets.map((s) => s.isDestroyed)).toEqual([false, true, true])
  })

  it('case 44: the first success wins, the losers are destroyed and the log says who did what', async () => {
    const { clock, sockets, options } = setup()
    const result = connectRace(['fd00::11', '198.18.0.11', 'fd00::12', '198.18.0.12'], options)
    await clock.advance(300)
    at(sockets, 1).succeed()
    const won = await result
    if (!won.ok) throw new Error(won.error.message)
    expect(won.value.socket).toBe(at(sockets, 1))
    expect(won.value.winner).toMatchObject({ connectAddress: '198.18.0.11', family: 4, port: 8080 })
    expect(won.value.elapsedMs).toBe(300)
    expect(won.value.attempts).toEqual([
      { address: 'fd00::11', port: 8080, family: 6, startedAtMs: 0, endedAtMs: 300, outcome: 'lost' },
      { address: '198.18.0.11', port: 8080, family: 4, startedAtMs: 250, endedAtMs: 300, outcome: 'won' },
      { address: 'fd00::12', port: 8080, family: 6, outcome: 'not-started' },
      { address: '198.18.0.12', port: 8080, family: 4, outcome: 'not-started' },
    ])
    expect(at(sockets, 0).isDestroyed).toBe(true)
    expect(sockets).toHaveLength(2)
    await clock.advance(5000)
    expect(sockets).toHaveLength(2)
    expect(clock.pendingTimers()).toBe(0)
  })

  it('case 44: the winner is handed over without our listeners, so its later errors reach the caller', async () => {
    const { clock, sockets, options } = setup()
    const result = connectRace(['198.18.0.11'], options)
    await settle(clock)
    at(sockets, 0).succeed()
    await result
    expect([at(sockets, 0).listenerCount('error'), at(sockets, 0).listenerCount('connect')]).toEqual([0, 0])
  })

  it('case 44: an attempt that fails before the delay starts the next one at once, and the delay restarts from there', async () => {
    const { clock, sockets, options, dialled } = setup()
    void connectRace(['fd00::11', '198.18.0.11', 'fd00::12'], options)
    await clock.advance(30)
    at(sockets, 0).fail('ECONNREFUSED')
    expect(dialled()).toEqual([['fd00::11', 0], ['198.18.0.11', 30]])
    await clock.advance(249)
    expect(dialled()).toHaveLength(2)
    await clock.advance(1)
    expect(dialled()).toEqual([['fd00::11', 0], ['198.18.0.11', 30], ['fd00::12', 280]])
  })

  it('case 44: a factory that throws counts as a failed attempt and the next starts at once', async () => {
    const { clock, options, dialled } = setup()
    let calls = 0
    const factory = options.socketFactory
    const result = connectRace(['fd00::11', '198.18.0.11'], {
      ...options,
      socketFactory: (request) => {
        if (calls++ === 0) throw Object.assign(new TypeError('bad localAddress'), { code: 'ERR_INVALID_IP_ADDRESS' })
        return factory(request)
      },
    })
    await settle(clock)
    expect(dialled()).toEqual([['198.18.0.11', 0]])
    await clock.advance(20_000)
    const out = await result
    expect(out.ok).toBe(false)
    expect(!out.ok && out.error.code === 'timeout' && out.error.attempts[0]).toMatchObject({ outcome: 'failed', errno: 'ERR_INVALID_IP_ADDRESS' })
  })
})

describe('connectRace: failing (case 44)', () => {
  it('case 44: all-failed lists every address with its own error, and the hook hears each connect-level failure', async () => {
    const { clock, sockets, options, failedHook } = setup()
    const result = connectRace(['fd00::11', '198.18.0.11', 'fd00::12'], options)
    await clock.advance(10)
    at(sockets, 0).fail('ECONNREFUSED')
    await clock.advance(10)
    at(sockets, 1).fail('EHOSTUNREACH')
    await clock.advance(10)
    at(sockets, 2).fail('EADDRNOTAVAIL')
    const out = await result
    if (out.ok || out.error.code !== 'all-failed') throw new Error('expected all-failed')
    expect(out.error.failures.map((f) => [f.address, f.errno, f.finding.code])).toEqual([
      ['fd00::11', 'ECONNREFUSED', 'connection-refused'],
      ['198.18.0.11', 'EHOSTUNREACH', 'host-unreachable'],
      ['fd00::12', 'EADDRNOTAVAIL', 'local-address-unavailable'],
    ])
    expect(out.error.attempts.map((a) => [a.startedAtMs, a.endedAtMs, a.outcome])).toEqual([[0, 10, 'failed'], [10, 20, 'failed'], [20, 30, 'failed']])
    // The local cause (an address that vanished from this computer) is the next step the message leads with.
    expect(out.error.message).toMatch(/fd00::11: connection-refused; 198.18.0.11: host-unreachable; fd00::12: local-address-unavailable\)\. The network connection changed/)
    expect(failedHook).toEqual([{ address: 'fd00::11', code: 'connection-refused' }, { address: '198.18.0.11', code: 'host-unreachable' }])
  })

  it('case 44: the overall timeout ends every attempt, reports the addresses that never answered and asks for their reconfirmation', async () => {
    const { clock, sockets, options, failedHook } = setup({ timeoutMs: 1000 })
    const result = connectRace(['fd00::11', '198.18.0.11', 'fd00::12', '198.18.0.12', 'fd00::13'], options)
    await clock.advance(1000)
    const out = await result
    if (out.ok || out.error.code !== 'timeout') throw new Error('expected timeout')
    expect(out.error.afterMs).toBe(1000)
    expect(out.error.attempts.map((a) => a.outcome)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled', 'not-started'])
    expect(sockets.every((s) => s.isDestroyed)).toBe(true)
    expect(failedHook.map((f) => f.code)).toEqual(['timed-out', 'timed-out', 'timed-out', 'timed-out'])
    expect(clock.pendingTimers()).toBe(0)
  })

  it('a timeout that is not a positive number falls back to 10 s; an endless one is capped, not fired at once', async () => {
    for (const timeoutMs of [0, Number.NaN, Infinity]) {
      const { clock, options } = setup({ timeoutMs })
      let settled = false
      void connectRace(['fd00::11'], options).then(() => (settled = true))
      await clock.advance(9_999)
      expect(settled).toBe(false)
      await clock.advance(1)
      expect(settled).toBe(timeoutMs !== Infinity)
    }
  })

  it('case 44: aborting ends the race with `aborted` and destroys what runs; an aborted signal dials nothing', async () => {
    const { clock, sockets, options, failedHook } = setup()
    const controller = new AbortController()
    const result = connectRace(['fd00::11', '198.18.0.11'], { ...options, signal: controller.signal })
    await clock.advance(300)
    controller.abort()
    const out = await result
    expect(!out.ok && out.error.code).toBe('aborted')
    expect(sockets.map((s) => s.isDestroyed)).toEqual([true, true])
    expect(failedHook).toEqual([])
    expect(clock.pendingTimers()).toBe(0)

    const before = setup()
    const already = await connectRace(['fd00::11'], { ...before.options, signal: AbortSignal.abort() })
    expect(!already.ok && already.error.code).toBe('aborted')
    expect(before.sockets).toHaveLength(0)
  })

  it('case 44/46: on macOS, EHOSTUNREACH from every same-subnet address is reported as Local Network denial', async () => {
    const interfaces = [{
      name: 'en0', kind: 'wifi' as const, kindReason: 'test', isUp: true, isInternal: false,
      addresses: [{ address: '198.18.0.2', family: 'IPv4' as const, netmask: '255.255.255.0', prefixLength: 24, scope: 'global' as const }],
    }]
    const { clock, sockets, options, failedHook } = setup({ platform: 'darwin', interfaces })
    const result = connectRace(['fe80::11%en0', '198.18.0.11'], options)
    await settle(clock)
    at(sockets, 0).fail('EHOSTUNREACH')
    at(sockets, 1).fail('EHOSTUNREACH')
    const out = await result
    if (out.ok || out.error.code !== 'local-network-denied') throw new Error('expected local-network-denied')
    expect(out.error.steps[0]).toBe('Open System Settings › Privacy & Security › Local Network and turn Porchlight on.')
    expect(out.error.failures).toHaveLength(2)
    expect(failedHook).toEqual([])
  })
})

describe('connectRace: addresses it refuses before dialling', () => {
  it('no usable address: `invalid-address` with each reason, and no socket', async () => {
    const { options, sockets } = setup()
    const out = await connectRace(['fe80::11', 'printer.local', { address: '198.18.0.11', port: 0 }], options)
    if (out.ok || out.error.code !== 'invalid-address') throw new Error('expected invalid-address')
    expect(out.error.invalid.map((i) => i.reason)).toEqual(['zone-required', 'not-an-ip-address', 'bad-port'])
    expect(out.error.message).toMatch(/needs the interface it was found on/)
    expect(sockets).toHaveLength(0)
    const none = await connectRace([], options)
    expect(!none.ok && none.error.code).toBe('invalid-address')
  })

  it('a bad address among good ones is skipped and reported; the rest race', async () => {
    const { clock, sockets, options } = setup()
    const result = connectRace(['fe80::11', '198.18.0.11'], options)
    await settle(clock)
    at(sockets, 0).succeed()
    const out = await result
    expect(out.ok && out.value.skipped.map((s) => [s.input, s.reason])).toEqual([['fe80::11', 'zone-required']])
  })
})
