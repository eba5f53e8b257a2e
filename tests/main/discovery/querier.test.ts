/**
 * The querier's schedule under a fake clock: when queries go, how they batch, and when they ask QU. Every
 * packet is decoded with the wire decoder, so assertions are about what a peer on the link would see.
 * Case numbers are reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import { BATCH_WINDOW_MS, MAX_QUERY_INTERVAL_MS } from '../../../main/discovery/querier'
import { RR_TYPE } from '../../../main/discovery/wire'
import { HOUR, MINUTE, SERVICE, gaps, setup } from './querier-harness'
import { seededRandom } from './wire/fixtures'

describe('continuous querying (cases 13, 14)', () => {
  it('case 13: the first query goes 20-120 ms after the browse starts, at a random point in that range', async () => {
    for (const r of [0, 0.25, 0.999]) {
      const { clock, querier, times } = setup({ random: () => r })
      querier.addInterface('eth0', { family: 'IPv4' })
      await clock.advance(5000)
      querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
      await clock.advance(500)
      expect(times()[0]).toBeCloseTo(5000 + 20 + 100 * r, 6)
    }
    const firsts: number[] = []
    for (let seed = 1; seed <= 50; seed++) {
      const { clock, querier, times } = setup({ random: seededRandom(seed) })
      querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
      querier.addInterface('eth0', { family: 'IPv4' })
      await clock.advance(200)
      firsts.push(times()[0] ?? Number.NaN)
    }
    expect(firsts.every((t) => t >= 20 && t <= 120)).toBe(true)
    expect(new Set(firsts.map(Math.round)).size).toBeGreaterThan(25)
  })

  it('case 14: retransmits 1 s after the first query, then doubles every gap, capped at 60 minutes', async () => {
    const { clock, querier, times, sent } = setup({ random: () => 0.5 }) // first query at 70 ms: whole milliseconds after
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(30 * HOUR)
    const doubling = Array.from({ length: 12 }, (_, k) => 1000 * 2 ** k) // 1 s … 2048 s; 4096 s would pass the cap
    const observed = gaps(times())
    expect(observed.slice(0, 12)).toEqual(doubling)
    expect(observed.slice(12).length).toBeGreaterThan(20)
    expect(observed.slice(12).every((gap) => gap === MAX_QUERY_INTERVAL_MS)).toBe(true)
    expect(sent.every((s) => s.message.questions.length === 1 && s.message.errors.length === 0)).toBe(true)
  })

  it('issue 4 target: one browsed type on one interface sends at most 8 queries in the first minute (6 here)', async () => {
    const { clock, querier, times } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(MINUTE)
    // t0 = 20-120 ms, then +1, +3, +7, +15, +31 s; the next is at +63 s.
    expect(times()).toHaveLength(6)
  })

  it('questions browsed together share one packet per interface, on every interface', async () => {
    const { clock, querier, sent, questions } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.addInterface('wlan0', { family: 'IPv6' })
    for (const type of ['_hap._tcp.local', '_http._tcp.local', '_esp_local_ctrl._tcp.local']) querier.browse({ name: type, type: RR_TYPE.PTR })
    await clock.advance(MINUTE)
    for (const id of ['eth0', 'wlan0']) {
      const mine = sent.filter((s) => s.interfaceId === id)
      expect(mine).toHaveLength(6)
      expect(mine.every((s) => s.message.questions.length === 3)).toBe(true)
    }
    expect(questions(sent[0])).toEqual(['_hap._tcp.local/12/QU', '_http._tcp.local/12/QU', '_esp_local_ctrl._tcp.local/12/QU'])
  })

  it('case 14: a retransmission waits up to 100 ms to share a packet, and every gap stays at least twice the one before', async () => {
    const { clock, querier, sent } = setup({ random: () => 0 })
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR }) // first at 20, then 1020, 3020
    await clock.advance(2060)
    querier.browse({ name: '_http._tcp.local', type: RR_TYPE.PTR }) // first at 2080, then 3080
    await clock.advance(10 * MINUTE)
    const hap = sent.filter((s) => s.message.questions.some((q) => q.name.text === SERVICE)).map((s) => s.at)
    expect(hap.slice(0, 3)).toEqual([20, 1020, 3080]) // 3020 waited 60 ms for _http's 3080
    expect(sent.find((s) => s.at === 3080)?.message.questions).toHaveLength(2)
    const hapGaps = gaps(hap)
    expect(hapGaps[0]).toBeGreaterThanOrEqual(1000)
    hapGaps.slice(1).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(2 * (hapGaps[i] ?? 0)))
    // No send comes more than the batch window after a question was due: each gap is at most 2x + 100 ms.
    hapGaps.slice(1).forEach((gap, i) => expect(gap).toBeLessThanOrEqual(2 * (hapGaps[i] ?? 0) + BATCH_WINDOW_MS))
  })

  it('two browses of one question share a series, which ends when both stop; the timer is released', async () => {
    const { clock, querier, sent } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    const first = querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    const second = querier.browse({ name: '_HAP._tcp.local.', type: RR_TYPE.PTR })
    await clock.advance(5000)
    expect(sent.map((s) => s.message.questions.length)).toEqual([1, 1, 1])
    first.stop()
    first.stop()
    await clock.advance(5000)
    expect(sent).toHaveLength(4)
    second.stop()
    expect(clock.pendingTimers()).toBe(0)
    await clock.advance(HOUR)
    expect(sent).toHaveLength(4)
  })

  it('one clock timer serves many questions on many interfaces', async () => {
    const { clock, querier, sent } = setup()
    for (const id of ['eth0', 'wlan0', 'utun3']) querier.addInterface(id, { family: 'IPv4' })
    for (let i = 0; i < 40; i++) {
      querier.browse({ name: `Lamp ${i}.${SERVICE}`, type: RR_TYPE.SRV })
      await clock.advance(37)
      expect(clock.pendingTimers()).toBe(1)
    }
    await clock.advance(10 * MINUTE)
    expect(clock.pendingTimers()).toBe(1)
    expect(new Set(sent.map((s) => s.interfaceId))).toEqual(new Set(['eth0', 'wlan0', 'utun3']))
  })

  it('a browse waits for an interface; a removed interface gets nothing more; dispose stops everything', async () => {
    const { clock, querier, sent, times } = setup()
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(MINUTE)
    expect(sent).toHaveLength(0)
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.addInterface('wlan0', { family: 'IPv4' })
    await clock.advance(2000)
    querier.removeInterface('wlan0')
    await clock.advance(MINUTE)
    expect(times('wlan0')).toHaveLength(2)
    expect(times('eth0').length).toBeGreaterThan(2)
    querier.dispose()
    expect(clock.pendingTimers()).toBe(0)
    expect(() => querier.browse({ name: SERVICE, type: RR_TYPE.PTR })).toThrow(/disposed/)
  })

})

describe('unicast-response questions (cases 18, 19)', () => {
  it('case 18: the first batch after an interface comes up asks QU; every retransmission is QM', async () => {
    const { clock, querier, sent } = setup()
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: '_http._tcp.local', type: RR_TYPE.PTR }) // ready at activation too: same batch
    await clock.advance(MINUTE)
    expect(sent.map((s) => s.message.questions.map((q) => q.qu))).toEqual([[true, true], ...sent.slice(1).map(() => [false, false])])
  })

  it('case 18: a question created later on a running interface is QM from its first query (§5.4)', async () => {
    const { clock, querier, sent } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    await clock.advance(10_000)
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(MINUTE)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.flatMap((s) => s.message.questions.map((q) => q.qu))).not.toContain(true)
  })

  it('case 18: poke("wake") restarts every series with a QU query 20-120 ms later, then QM at 1 s, 2 s, 4 s', async () => {
    const { clock, querier, sent } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.addInterface('wlan0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(10 * MINUTE)
    const before = sent.length
    querier.poke('wake')
    await clock.advance(8000)
    const after = sent.slice(before)
    for (const id of ['eth0', 'wlan0']) {
      const mine = after.filter((s) => s.interfaceId === id)
      expect(mine.map((s) => s.message.questions[0]?.qu)).toEqual([true, false, false, false])
      expect((mine[0]?.at ?? 0) - 10 * MINUTE).toBeGreaterThanOrEqual(20)
      expect((mine[0]?.at ?? 0) - 10 * MINUTE).toBeLessThanOrEqual(120)
      expect(gaps(mine.map((s) => s.at))).toEqual([1000, 2000, 4000])
    }
  })

  it('case 24: poke("interface-up", id) restarts that interface only; without an id it is a programmer error', async () => {
    const { clock, querier, times, sent } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.addInterface('wlan0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(10 * MINUTE)
    const [eth, wlan] = [times('eth0').length, times('wlan0').length]
    querier.poke('interface-up', 'wlan0')
    await clock.advance(2000)
    expect(times('eth0')).toHaveLength(eth)
    expect(times('wlan0')).toHaveLength(wlan + 2)
    expect(sent.at(-2)?.message.questions[0]?.qu).toBe(true)
    expect(() => querier.poke('interface-up')).toThrow(TypeError)
  })

  it('case 18: with unicastResponses false (another responder owns port 5353) it never asks QU', async () => {
    const { clock, querier, sent } = setup({ unicastResponses: false })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    querier.addInterface('eth0', { family: 'IPv4' })
    await clock.advance(5000)
    querier.poke('wake')
    await clock.advance(5000)
    expect(sent.flatMap((s) => s.message.questions.map((q) => q.qu))).not.toContain(true)
    expect(querier.askedUnicastRecently('eth0')).toBe(false)
  })

  it('case 19: unicast responses count only within 2 s of a QU query on that interface', async () => {
    const { clock, querier, times } = setup()
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    querier.addInterface('eth0', { family: 'IPv4' })
    expect(querier.askedUnicastRecently('eth0')).toBe(false)
    await clock.advance(500)
    const quAt = times()[0] ?? 0
    expect(querier.askedUnicastRecently('eth0')).toBe(true)
    expect(querier.askedUnicastRecently('eth0', quAt + 2000)).toBe(true)
    expect(querier.askedUnicastRecently('eth0', quAt + 2001)).toBe(false)
    expect(querier.askedUnicastRecently('wlan0')).toBe(false)
  })

})
