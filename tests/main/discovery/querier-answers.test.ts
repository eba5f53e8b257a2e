/**
 * What the querier puts in its packets and what it leaves out: known answers within the MTU budget,
 * duplicate-question suppression, unique answers, and one-off queries for the cache. Fake clock; every
 * packet decoded. Case numbers are reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import type { ResourceRecordLike } from '../../../main/discovery/querier'
import { buildQueryPackets } from '../../../main/discovery/query-packet'
import { RR_TYPE, decodeMessage } from '../../../main/discovery/wire'
import { HOUR, MINUTE, SERVICE, gaps, name, ptr, setup } from './querier-harness'

describe('known answers (cases 15, 26)', () => {
  it('case 15: lists what the source returns for that question, interface and moment, with remaining TTLs', async () => {
    const { clock, querier, sent, setKnownAnswers } = setup()
    const calls: string[] = []
    setKnownAnswers((n, type, interfaceId) => {
      calls.push(`${n.text}/${type}/${interfaceId}@${clock.now()}`)
      return interfaceId === 'eth0' ? [ptr('Porch Lamp', 3000), ptr('Desk Lamp', 2500)] : []
    })
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.addInterface('wlan0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(500)
    const eth = sent.find((s) => s.interfaceId === 'eth0')?.message
    expect(eth?.answers.map((a) => [a.kind === 'PTR' && a.target.text, a.ttl, a.cacheFlush])).toEqual([
      [`Porch Lamp.${SERVICE}`, 3000, false],
      [`Desk Lamp.${SERVICE}`, 2500, false],
    ])
    expect(sent.find((s) => s.interfaceId === 'wlan0')?.message.answers).toEqual([])
    // Asked per interface at the moment its packet is built (each interface has its own 20-120 ms delay).
    expect(calls.sort()).toEqual(sent.map((s) => `${SERVICE}/12/${s.interfaceId}@${s.at}`).sort())
  })

  it('case 15, 26: known answers past the MTU budget continue in TC packets sent at once, each within the IPv6 budget', async () => {
    const { clock, querier, sent, setKnownAnswers } = setup()
    const many = Array.from({ length: 200 }, (_, i) => ptr(`Accessory ${i} with a rather long instance name`))
    setKnownAnswers(() => many)
    querier.addInterface('wlan0', { family: 'IPv6', mtu: 1280 })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(500)
    expect(sent.length).toBeGreaterThan(3)
    expect(new Set(sent.map((s) => s.at)).size).toBe(1)
    expect(sent.every((s) => s.bytes.length <= 1280 - 40 - 8)).toBe(true)
    expect(sent.map((s) => s.message.header.tc)).toEqual([...sent.slice(1).map(() => true), false])
    expect(sent.map((s) => s.message.header.qdcount)).toEqual([1, ...sent.slice(1).map(() => 0)])
    expect(sent.flatMap((s) => s.message.answers)).toHaveLength(200)
  })

  it('case 26: addInterface again updates the MTU budget', async () => {
    const { clock, querier, sent, setKnownAnswers } = setup()
    setKnownAnswers(() => Array.from({ length: 60 }, (_, i) => ptr(`Accessory ${i} with a rather long instance name`)))
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.addInterface('eth0', { family: 'IPv4', mtu: 9000 })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(500)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.bytes.length).toBeGreaterThan(1500)
    expect(sent[0]?.bytes.length).toBeLessThanOrEqual(8972)
  })
})

describe('duplicate question suppression (case 16)', () => {
  /** A peer's QM query for our question, with its own known answers (TTLs differ from ours, as on a real link). */
  const peerQuery = (knownAnswers: ResourceRecordLike[], extra: { qu?: boolean; tc?: boolean } = {}) => {
    const [bytes] = buildQueryPackets([{ name: name(SERVICE), type: RR_TYPE.PTR, class: 1, qu: extra.qu ?? false, knownAnswers }], 1440)
    const message = decodeMessage(bytes ?? new Uint8Array())
    return extra.tc ? { ...message, header: { ...message.header, tc: true } } : message
  }

  /** A browse on two interfaces whose first two queries went out on eth0, and when its third (2 s later) is due. */
  async function running() {
    const harness = setup({ random: () => 0.5 })
    harness.setKnownAnswers(() => [ptr('Porch Lamp', 4000), ptr('Desk Lamp', 4000)])
    harness.querier.addInterface('eth0', { family: 'IPv4' })
    harness.querier.addInterface('wlan0', { family: 'IPv4' })
    harness.querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await harness.clock.advance(1100)
    expect(harness.times('eth0')).toEqual([70, 1070])
    return { ...harness, due: 3070 }
  }

  it('case 16: a peer’s QM query listing a subset of our known answers, within 1 s before ours, stands in for ours', async () => {
    const { clock, querier, times, due } = await running()
    await clock.advance(due - 300 - clock.now())
    querier.observeQuery(peerQuery([ptr('Porch Lamp', 3990)]), 'eth0')
    await clock.advance(due + 10 - clock.now())
    expect(times('eth0')).not.toContain(due)
    expect(times('wlan0')).toContain(due) // suppression is per interface
    await clock.advance(MINUTE)
    // The series went on as if we had sent at `due`: the next gap is 4 s, then 8 s, 16 s, 32 s.
    expect(times('eth0')).toEqual([70, 1070, due + 4000, due + 12_000, due + 28_000, due + 60_000])
  })

  it('case 16: a peer with no known answers also stands in for us', async () => {
    const { clock, querier, times, due } = await running()
    await clock.advance(due - 100 - clock.now())
    querier.observeQuery(peerQuery([]), 'eth0')
    await clock.advance(200)
    expect(times('eth0')).not.toContain(due)
  })

  it('case 16: a peer listing a record we do not know does not suppress ours (its query would silence an answer we need)', async () => {
    const { clock, querier, times, due } = await running()
    await clock.advance(due - 300 - clock.now())
    querier.observeQuery(peerQuery([ptr('Porch Lamp', 3990), ptr('Desk Lamp', 3990), ptr('Garage Door', 3990)]), 'eth0')
    await clock.advance(400)
    expect(times('eth0')).toContain(due)
  })

  it('case 16: QU questions, TC queries, queries older than 1 s and queries on another interface do not suppress', async () => {
    for (const [message, interfaceId, before] of [
      [peerQuery([], { qu: true }), 'eth0', 300],
      [peerQuery([], { tc: true }), 'eth0', 300],
      [peerQuery([]), 'eth0', 1001],
      [peerQuery([]), 'wlan0', 300],
    ] as const) {
      const { clock, querier, times, due } = await running()
      await clock.advance(due - before - clock.now())
      querier.observeQuery(message, interfaceId)
      await clock.advance(before + 100)
      expect(times('eth0')).toContain(due)
    }
  })

  it('case 16: our own query looped back to us is not taken for a peer’s, even 1 s before the next is due', async () => {
    const { clock, querier, times, sent, setKnownAnswers } = setup({ random: () => 0.5 })
    setKnownAnswers(() => [ptr('Porch Lamp', 4000)])
    querier.addInterface('eth0', { family: 'IPv4' })
    await clock.advance(1000)
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR }) // a later browse: QM from the first query
    await clock.advance(75)
    const own = sent[0]?.message
    if (!own) throw new Error('no query sent')
    expect(own.questions.map((q) => q.qu)).toEqual([false])
    querier.observeQuery(own, 'eth0') // 5 ms after we sent it; the retransmission is due at 2070
    await clock.advance(1000)
    expect(times()).toEqual([1070, 2070])
  })
})

describe('answers and one-off queries', () => {
  it('a shared answer (PTR) changes nothing: more responders may still answer (§5.2)', async () => {
    const { clock, querier, times } = setup()
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(200)
    querier.answerReceived({ name: SERVICE, type: RR_TYPE.PTR }, 'eth0', { cacheFlush: false, ttl: 4500 })
    await clock.advance(MINUTE)
    expect(gaps(times())).toEqual([1000, 2000, 4000, 8000, 16000])
  })

  it('a unique answer moves the next query to 80-82 % of its TTL (§5.2), and never earlier than planned', async () => {
    const { clock, querier, times } = setup({ random: () => 0.5 })
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: `Porch Lamp.${SERVICE}`, type: RR_TYPE.SRV })
    await clock.advance(200)
    const answeredAt = clock.now()
    querier.answerReceived({ name: `porch lamp.${SERVICE}`, type: RR_TYPE.SRV }, 'eth0', { cacheFlush: true, ttl: 120 })
    querier.answerReceived({ name: `Porch Lamp.${SERVICE}`, type: RR_TYPE.SRV }, 'eth0', { cacheFlush: true, ttl: 1 }) // 810 ms: earlier, ignored
    await clock.advance(2 * MINUTE)
    expect(times()).toEqual([70, answeredAt + 120_000 * 0.81])
  })

  it('queryOnce asks an un-browsed question once (the cache’s §10.4 reconfirmation), QM, with known answers', async () => {
    const { clock, querier, sent, questions, setKnownAnswers } = setup()
    setKnownAnswers((n) => (n.text === 'lamp.local' ? [{ name: name('lamp.local'), type: RR_TYPE.A, class: 1, ttl: 100, rdata: Uint8Array.of(10, 0, 0, 7) }] : []))
    querier.addInterface('eth0', { family: 'IPv4' })
    await clock.advance(5000)
    expect(querier.queryOnce({ name: 'lamp.local', type: RR_TYPE.A }, 'eth0')).toBe(true)
    expect(querier.queryOnce({ name: 'lamp.local', type: RR_TYPE.A }, 'nope')).toBe(false)
    await clock.advance(HOUR)
    expect(sent.map((s) => [s.at, questions(s)])).toEqual([[5000, ['lamp.local/1']]])
    expect(sent[0]?.message.answers).toHaveLength(1)
  })

  it('queryOnce on a browsed question rides in the next batch and leaves the series as planned (the cache’s §5.2 refresh)', async () => {
    const { clock, querier, times } = setup({ random: () => 0 })
    querier.addInterface('eth0', { family: 'IPv4' })
    querier.browse({ name: SERVICE, type: RR_TYPE.PTR })
    querier.browse({ name: '_http._tcp.local', type: RR_TYPE.PTR })
    await clock.advance(2000)
    querier.queryOnce({ name: SERVICE, type: RR_TYPE.PTR })
    await clock.advance(MINUTE - 2000)
    expect(times()).toEqual([20, 1020, 2000, 3020, 7020, 15020, 31020])
  })
})
