/**
 * Reconfirmation after a failure indication and passive observation of failures (case 25). Case numbers are
 * reference/discovery-and-mdns.md section (b); it cites §10.3, but RFC 6762's failure indication is §10.4
 * (§10.3 is topology change), so the tests cite §10.4 and §10.5.
 */
import { describe, expect, it } from 'vitest'
import { RR_TYPE } from '../../../../main/discovery/wire'
import { ETH, HOST, INSTANCE, SERVICE, WLAN, a, ptr, response, setup, srv } from './harness'

const A = RR_TYPE.A

describe('reconfirm (case 25, RFC 6762 §10.4)', () => {
  it('case 25: a failed connect queries two or more times, then removes the record 10 s later with reconfirm-failed', async () => {
    const { clock, cache, reconfirmQueries, take } = setup()
    cache.ingest(response([a()]), ETH)
    cache.ingest(response([a()]), WLAN)
    await clock.advance(5000)
    expect(cache.reconfirm({ name: HOST, type: A }, ETH)).toBe(1)
    expect(cache.lookup(HOST, A, ETH)[0]?.state).toBe('doubtful')
    expect(reconfirmQueries).toEqual([`5000 ${ETH} ${HOST} ${A}`]) // the first query goes out at once
    await clock.advance(9999)
    expect(reconfirmQueries.map((line) => line.split(' ')[0])).toEqual(['5000', '6000', '8000'])
    take()
    await clock.advance(1)
    expect(take()).toEqual([`reconfirm-failed ${ETH} ${HOST} 192.168.1.40`])
    expect(cache.lookup(HOST, A).map((e) => [e.interfaceId, e.state])).toEqual([[WLAN, 'live']]) // the other interface is untouched
  })

  it('case 25: the event says the cause; a fresh answer inside the window cancels the reconfirmation', async () => {
    const { clock, cache, events, reconfirmQueries } = setup()
    cache.ingest(response([srv()], [a()]), ETH)
    cache.reconfirm({ name: INSTANCE, type: RR_TYPE.SRV }, ETH)
    cache.reconfirm({ name: HOST, type: A }, ETH)
    await clock.advance(1500)
    cache.ingest(response([a()]), ETH) // the host answered; the service did not
    await clock.advance(10_000)
    expect(events.filter((e) => e.type === 'reconfirm-failed')).toMatchObject([{ record: { kind: 'SRV' }, cause: 'reconfirm' }])
    expect(cache.lookup(HOST, A)[0]?.state).toBe('live')
    expect(reconfirmQueries.filter((line) => line.endsWith(` ${A}`))).toHaveLength(2) // 0 s and 1 s, none after the answer
  })

  it('case 25: by entry key only that record is marked; unknown keys, other interfaces and departing records mark nothing', () => {
    const { cache } = setup()
    cache.ingest(response([a('192.168.1.40'), a('192.168.1.41'), a('192.168.1.42')]), ETH)
    cache.ingest(response([a('192.168.1.42', 0)]), ETH)
    const [first, , third] = cache.lookup(HOST, A, ETH)
    expect(cache.reconfirm(first?.key ?? '', ETH)).toBe(1)
    expect(cache.reconfirm(first?.key ?? '', WLAN)).toBe(0)
    expect(cache.reconfirm('no such key', ETH)).toBe(0)
    expect(cache.reconfirm(third?.key ?? '', ETH)).toBe(0)
    expect(cache.lookup(HOST, A, ETH).map((e) => e.state)).toEqual(['doubtful', 'live', 'goodbye'])
  })

  it('case 25: a second failure does not extend a running window', async () => {
    const { clock, cache, events } = setup()
    cache.ingest(response([a()]), ETH)
    cache.reconfirm({ name: HOST, type: A }, ETH)
    await clock.advance(8000)
    expect(cache.reconfirm({ name: HOST, type: A }, ETH)).toBe(0)
    await clock.advance(2000)
    expect(events.at(-1)).toMatchObject({ type: 'reconfirm-failed', receivedAt: 0 })
  })

  it('case 25: the window and the query times are options', async () => {
    const { clock, cache, reconfirmQueries, events } = setup({ reconfirmWindowMs: 3000, reconfirmQueryDelaysMs: [500, 0] })
    cache.ingest(response([a()]), ETH)
    cache.reconfirm({ name: HOST, type: A }, ETH)
    await clock.advance(3000)
    expect(reconfirmQueries.map((line) => line.split(' ')[0])).toEqual(['0', '500'])
    expect(events.at(-1)?.type).toBe('reconfirm-failed')
  })
})

describe('passive observation of failures (case 25, RFC 6762 §10.5)', () => {
  const query = { name: SERVICE, type: RR_TYPE.PTR }

  it('case 25: two unanswered queries from other hosts, then 10 s without an answer, remove the record, with no queries of ours', async () => {
    const { clock, cache, reconfirmQueries, events } = setup()
    cache.ingest(response([ptr()]), ETH)
    cache.observeQuery(query, [], ETH)
    await clock.advance(2000)
    cache.observeQuery(query, [], ETH)
    expect(cache.lookup(SERVICE, RR_TYPE.PTR)[0]?.state).toBe('doubtful')
    await clock.advance(10_000)
    expect(events.at(-1)).toMatchObject({ type: 'reconfirm-failed', cause: 'poof', interfaceId: ETH })
    expect(reconfirmQueries).toEqual([]) // §10.5: "SHOULD NOT perform its own queries to re-confirm"
  })

  it('case 25: an answer resets the count; known answers, QU questions and repeats within a second do not count', async () => {
    const { clock, cache } = setup()
    cache.ingest(response([ptr()]), ETH)
    const [cached] = cache.lookup(SERVICE, RR_TYPE.PTR)
    const state = () => cache.lookup(SERVICE, RR_TYPE.PTR)[0]?.state
    cache.observeQuery(query, [], ETH)
    cache.ingest(response([ptr()]), ETH) // the responder answered that one
    await clock.advance(2000)
    cache.observeQuery(query, [], ETH)
    expect(state()).toBe('live')
    await clock.advance(500)
    cache.observeQuery(query, [], ETH) // the same query over the other address family
    cache.observeQuery(query, cached ? [cached.record] : [], ETH) // listed as a known answer: suppressed, not missing
    cache.observeQuery({ ...query, qu: true }, [], ETH) // may have been answered by unicast
    cache.observeQuery(query, [], WLAN)
    expect(state()).toBe('live')
    await clock.advance(500)
    cache.observeQuery(query, [], ETH)
    expect(state()).toBe('doubtful')
    cache.ingest(response([ptr()]), ETH)
    await clock.advance(20_000)
    expect(state()).toBe('live')
  })
})
