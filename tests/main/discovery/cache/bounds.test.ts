/**
 * Bounded memory and hostile input: the cap and its eviction order, the rdata cap, forged and mutated
 * records (issue 4, deliverable 8: "the cache has a cap and evicts"), and the cache's own robustness
 * (listener errors, re-entry, dispose).
 */
import { describe, expect, it } from 'vitest'
import { createRecordCache, DEFAULT_MAX_ENTRIES, type CacheEvent } from '../../../../main/discovery/cache'
import { decodeMessage, RR_TYPE, type ResourceRecord } from '../../../../main/discovery/wire'
import { createFakeClock } from '../../../helpers/fake-clock'
import { ANDROID_TV_HEX, DNS_PACKET_84_HEX, encode, forwardNsecResponse, fromHex, hapResponse, mutate, seededRandom } from '../wire/fixtures'
import { ETH, HOST, INSTANCE, WLAN, a, ptr, response, setup, txt } from './harness'

const host = (i: number) => `host-${i}.local`

describe('entry cap (issue 4 §8: the cache has a cap and evicts)', () => {
  it('20,000 records into the default 10,000 cap keep the newest 10,000 and report each eviction before its added', { timeout: 30_000 }, async () => {
    const { clock, cache, events } = setup()
    for (let packet = 0; packet < 200; packet++) {
      cache.ingest(response(Array.from({ length: 100 }, (_, i) => a('10.0.0.1', 120, false, host(packet * 100 + i)))), ETH)
      await clock.advance(10)
    }
    const stats = cache.snapshot().stats
    expect([stats.entries, stats.maxEntries, stats.evicted, clock.pendingTimers()]).toEqual([DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRIES, 10_000, 1])
    const evicted = events.filter((e) => e.type === 'evicted').map((e) => e.record.name.text)
    expect(evicted).toEqual(Array.from({ length: 10_000 }, (_, i) => host(i))) // soonest to expire = oldest here
    const first = events.findIndex((e) => e.type === 'evicted')
    const around = events.slice(first - 1, first + 2).map((e) => `${e.type} ${e.record.name.text}`)
    expect(around).toEqual([`added ${host(9999)}`, `evicted ${host(0)}`, `added ${host(10_000)}`])
    await clock.advance(120_000)
    expect([cache.snapshot().stats.entries, clock.pendingTimers()]).toEqual([0, 0])
  })

  it('evicts departing records first, then unwanted ones soonest to expire; wanted ones last; a newcomer ranked lowest is refused', () => {
    const { cache, take } = setup({ maxEntries: 4 })
    cache.want({ name: host(1), type: RR_TYPE.A }) // the one a browse is showing, and the soonest to expire
    cache.ingest(response([100, 200, 300, 400].map((ttl, i) => a('10.0.0.1', ttl, false, host(i + 1)))), ETH)
    cache.ingest(response([a('10.0.0.1', 0, false, host(4))]), ETH) // host 4 says goodbye
    take()
    cache.ingest(response([a('10.0.0.1', 500, false, host(5))]), ETH)
    cache.ingest(response([a('10.0.0.1', 500, false, host(6))]), ETH)
    cache.ingest(response([a('10.0.0.1', 50, false, host(7))]), ETH) // would be the first to go: not taken
    cache.ingest(response([a('10.0.0.1', 100, false, host(8)), a('10.0.0.1', 600, false, host(9))]), ETH)
    expect(take()).toEqual([
      `evicted ${ETH} ${host(4)} 10.0.0.1`, `added ${ETH} ${host(5)} 10.0.0.1`,
      `evicted ${ETH} ${host(2)} 10.0.0.1`, `added ${ETH} ${host(6)} 10.0.0.1`,
      `evicted ${ETH} ${host(3)} 10.0.0.1`, `added ${ETH} ${host(9)} 10.0.0.1`, // host 8 (100 s) ranked below host 3 (300 s)
    ])
    expect(cache.snapshot().entries.map((e) => e.record.name.text)).toEqual([host(1), host(5), host(6), host(9)])
    expect(cache.snapshot().stats.dropped.capacity).toBe(2)
  })

  it('refuses a record whose rdata exceeds the rdata cap and keeps one exactly at it', () => {
    const { cache } = setup({ maxRdataBytes: 100 })
    cache.ingest(response([txt(4500, ['x'.repeat(99)], false), txt(4500, ['y'.repeat(100)], false)]), ETH) // 100 and 101 bytes
    expect(cache.lookup(INSTANCE, RR_TYPE.TXT).map((e) => e.record.rdata.length)).toEqual([100])
    expect(cache.snapshot().stats.dropped['rdata-too-large']).toBe(1)
  })

  it('treats out-of-range options as programmer errors', () => {
    const clock = createFakeClock()
    for (const bad of [{ maxEntries: 0 }, { maxRdataBytes: Number.NaN }, { reconfirmWindowMs: -1 }, { reconfirmQueryDelaysMs: [0, 10_000] }]) {
      expect(() => createRecordCache({ clock, ...bad })).toThrow(RangeError)
    }
  })
})

describe('odd input', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values)
  const name = (text: string) => ({ text, labels: text.split('.').map((label) => new TextEncoder().encode(label)) })
  const base = { name: name(HOST), class: 1, cacheFlush: false, ttl: 120 }

  it('never throws on garbage-ish records: keeps unknown types and empty rdata, refuses the rest by reason', () => {
    const { cache } = setup()
    const kept = [
      { ...base, type: 99, rdata: bytes(), kind: 'unknown' }, // unknown type, zero-length rdata
      // RFC 6763 §6.1 wants one empty string; an empty TXT is tolerated.
      { ...base, name: name(INSTANCE), type: RR_TYPE.TXT, rdata: bytes(), kind: 'TXT', strings: [] },
      { ...base, type: 0xff00, rdata: bytes(1, 2, 3), kind: 'unknown' }, // private-use type
    ]
    const notCacheable = [RR_TYPE.OPT, RR_TYPE.ANY, 0, 250].map((type) => ({ ...base, type, rdata: bytes(), kind: 'unknown' }))
    const address = { type: RR_TYPE.A, rdata: bytes(1, 2, 3, 4), kind: 'A', address: '1.2.3.4' }
    const invalid = [
      null, undefined, 42, 'A', {}, { ...base, name: null }, { ...base, name: 'host.local' },
      { ...base, type: 70_000, rdata: bytes(), kind: 'unknown' },
      { ...base, ...address, ttl: -1 }, { ...base, ...address, ttl: Number.NaN }, { ...base, ...address, ttl: 2 ** 32 },
      { ...base, ...address, rdata: [1, 2, 3, 4] }, // not a Uint8Array
      { ...base, ...address, type: RR_TYPE.AAAA }, // kind and type disagree
      { ...base, ...address, kind: 'bogus' },
      { ...base, type: RR_TYPE.PTR, rdata: bytes(), kind: 'PTR' }, // no target
      { ...base, type: RR_TYPE.NSEC, rdata: bytes(), kind: 'NSEC', nextName: name(HOST), types: 'A' },
    ]
    const records = [...kept, ...notCacheable, ...invalid] as unknown as ResourceRecord[]
    expect(() => cache.ingest({ answers: records, additionals: records }, ETH)).not.toThrow()
    for (const packet of [null, undefined, {}, { answers: 'x' }, { answers: [null], additionals: 7 }]) {
      expect(() => cache.ingest(packet as never, ETH)).not.toThrow()
    }
    expect(() => cache.ingest(response([a()]), undefined as never)).not.toThrow()
    expect(cache.snapshot().entries.map((e) => e.record.type)).toEqual([99, RR_TYPE.TXT, 0xff00])
    expect(cache.snapshot().stats.dropped).toEqual({ invalid: 2 * invalid.length + 1, 'not-cacheable': 8, 'rdata-too-large': 0, capacity: 0 })
  })

  it('never throws on garbage questions and targets', () => {
    const { cache } = setup()
    cache.ingest(response([a()]), ETH)
    for (const garbage of [null, undefined, 7, {}, { name: null, type: 'A' }, { name: 'bad..name', type: 1 }]) {
      expect(() => cache.want(garbage as never)()).not.toThrow()
      expect(() => cache.reconfirm(garbage as never, ETH)).not.toThrow()
      expect(() => cache.observeQuery(garbage as never, garbage as never, ETH)).not.toThrow()
      expect(cache.lookup(garbage as never, RR_TYPE.ANY)).toEqual([])
      expect(cache.knownAnswers(garbage as never, RR_TYPE.ANY, ETH)).toEqual([])
    }
    expect(cache.snapshot().entries.map((e) => e.state)).toEqual(['live'])
  })

  it('takes 5,000 mutated real packets on two interfaces without throwing and stays within its cap', async () => {
    const { clock, cache } = setup({ maxEntries: 50 })
    const corpus = [fromHex(DNS_PACKET_84_HEX), fromHex(ANDROID_TV_HEX), forwardNsecResponse(), encode(hapResponse())]
    const random = seededRandom(0xcac4e)
    for (let i = 0; i < 5000; i++) {
      const message = decodeMessage(mutate(corpus[i % corpus.length] ?? new Uint8Array(), random))
      cache.ingest(message, i % 2 === 0 ? ETH : WLAN, clock.now() - random() * 2000)
      await clock.advance(random() * 100)
    }
    const { stats, entries } = cache.snapshot()
    expect(stats.entries).toBeLessThanOrEqual(50)
    expect(entries.length).toBe(stats.entries)
    expect(entries.every((e) => e.expiresAt > clock.now())).toBe(true)
    expect(clock.pendingTimers()).toBeLessThanOrEqual(1)
  })
})

describe('robustness of the cache itself', () => {
  it('a listener that throws: later callbacks still run, the cache stays consistent, the first error reaches the caller', () => {
    const seen: string[] = []
    const clock = createFakeClock()
    const cache = createRecordCache({
      clock,
      onEvent: (event: CacheEvent) => {
        seen.push(event.record.kind)
        if (event.record.kind === 'PTR') throw new Error('listener bug')
      },
    })
    expect(() => cache.ingest(response([ptr(), a()]), ETH)).toThrow('listener bug')
    expect(seen).toEqual(['PTR', 'A'])
    expect(cache.snapshot().stats.entries).toBe(2)
    expect(clock.pendingTimers()).toBe(1)
  })

  it('dispose cancels the timer, drops everything and makes later calls do nothing, even from a listener', async () => {
    const { clock, cache, events } = setup({
      onEvent: (event) => {
        events.push(event)
        cache.dispose()
      },
    })
    cache.ingest(response([ptr(), a()]), ETH)
    expect(events.map((e) => e.type)).toEqual(['added']) // the second event was not delivered after dispose
    expect([clock.pendingTimers(), cache.snapshot().entries]).toEqual([0, []])
    cache.ingest(response([a()]), ETH)
    expect([cache.reconfirm({ name: HOST, type: 1 }, ETH), cache.forgetInterface(ETH)]).toEqual([0, 0])
    await clock.advance(200_000)
    expect([clock.pendingTimers(), events.length]).toEqual([0, 1])
  })

  it('snapshot lists every entry with its interface and the counters', () => {
    const { cache } = setup()
    cache.ingest(response([ptr()], [a()]), ETH)
    cache.ingest(response([ptr(0, 'Gone._hap._tcp.local')]), ETH)
    const release = cache.want({ name: HOST, type: RR_TYPE.A })
    const snapshot = cache.snapshot()
    expect(snapshot.entries.map((e) => [e.interfaceId, e.record.kind, e.wanted])).toEqual([[ETH, 'PTR', false], [ETH, 'A', true]])
    expect(snapshot.stats).toMatchObject({ entries: 2, unknownGoodbyes: 1, wantedQuestions: 1, nextTimerAt: 96_000 })
    release()
    expect(cache.snapshot().stats).toMatchObject({ wantedQuestions: 0, nextTimerAt: 96_000 }) // an early timer is kept, not re-armed
  })
})
