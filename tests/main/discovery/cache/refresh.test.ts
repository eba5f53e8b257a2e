/**
 * Refresh points for wanted records (case 17) and known answers for our queries (case 15).
 * Case numbers are reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import { RR_TYPE } from '../../../../main/discovery/wire'
import { ETH, HOST, INSTANCE, SERVICE, WLAN, a, aaaa, ptr, response, setup } from './harness'

const A = RR_TYPE.A

describe('refresh (case 17)', () => {
  it('case 17: a wanted record is due for refresh at 80, 85, 90 and 95 % of its TTL, then expires', async () => {
    const { clock, cache, refreshes, take } = setup()
    cache.want({ name: HOST, type: A })
    cache.ingest(response([a()]), ETH)
    await clock.advance(120_000)
    expect(refreshes).toEqual([96_000, 102_000, 108_000, 114_000].map((at) => `${at} ${ETH} ${HOST} ${A}`))
    expect(take()).toEqual([`added ${ETH} ${HOST} 192.168.1.40`, `expired ${ETH} ${HOST} 192.168.1.40`])
  })

  it('case 17: each point gets 0-2 % of the TTL added from the injected random source', async () => {
    const draws = [0.5, 0.25, 0.999, 0]
    const { clock, cache, refreshes } = setup({ random: () => draws.shift() ?? 0 })
    cache.want({ name: HOST, type: A })
    cache.ingest(response([a()]), ETH)
    await clock.advance(120_000)
    const times = refreshes.map((line) => Number(line.split(' ')[0]))
    const expected = [120_000 * 0.81, 120_000 * 0.855, 120_000 * (0.9 + 0.02 * 0.999), 120_000 * 0.95]
    times.forEach((time, i) => expect(time).toBeCloseTo(expected[i] ?? NaN, 6))
    expect(times).toHaveLength(4)
  })

  it('case 17: a record nobody wants is never refreshed, only expired', async () => {
    const { clock, cache, refreshes, take } = setup()
    cache.want({ name: 'other.local', type: A })
    cache.ingest(response([a()]), ETH)
    await clock.advance(120_000)
    expect([refreshes, take().at(-1)]).toEqual([[], `expired ${ETH} ${HOST} 192.168.1.40`])
  })

  it('case 17: the schedule stops when the last of several wants is released', async () => {
    const { clock, cache, refreshes } = setup()
    cache.ingest(response([a()]), ETH)
    const browse = cache.want({ name: HOST, type: A })
    const resolve = cache.want({ name: HOST, type: RR_TYPE.ANY })
    browse()
    browse() // releasing twice counts once
    await clock.advance(100_000)
    expect(refreshes.map((line) => line.split(' ')[0])).toEqual(['96000'])
    resolve()
    expect(cache.lookup(HOST, A)[0]?.wanted).toBe(false)
    await clock.advance(20_000)
    expect(refreshes).toHaveLength(1)
  })

  it('case 17: a new answer resets the schedule to the new TTL', async () => {
    const { clock, cache, refreshes } = setup()
    cache.want({ name: HOST, type: A })
    cache.ingest(response([a()]), ETH)
    await clock.advance(97_000) // the 80 % query went out; the device answers
    cache.ingest(response([a()]), ETH)
    await clock.advance(120_000)
    expect(refreshes.map((line) => Number(line.split(' ')[0]))).toEqual([96_000, ...[96_000, 102_000, 108_000, 114_000].map((at) => 97_000 + at)])
  })

  it('case 17: wanting a record part-way through its life schedules only the points still ahead', async () => {
    const { clock, cache, refreshes } = setup()
    cache.ingest(response([a()]), ETH)
    await clock.advance(100_000)
    cache.want({ name: HOST, type: A })
    await clock.advance(20_000)
    expect(refreshes.map((line) => Number(line.split(' ')[0]))).toEqual([102_000, 108_000, 114_000])
  })

  it('case 17: a want covers its type (or ANY) on its interface (or all), including records that arrive later', async () => {
    const { clock, cache, refreshes } = setup()
    cache.want({ name: HOST.toUpperCase(), type: RR_TYPE.ANY, interfaceId: ETH })
    cache.ingest(response([a(), aaaa()]), ETH)
    cache.ingest(response([a()]), WLAN)
    cache.ingest(response([ptr()]), ETH)
    await clock.advance(96_000)
    expect(refreshes).toEqual([`96000 ${ETH} ${HOST} ${A}`, `96000 ${ETH} ${HOST} ${RR_TYPE.AAAA}`])
  })

  it('case 17: a goodbye or a reconfirmation stops refresh queries', async () => {
    const { clock, cache, refreshes } = setup()
    cache.want({ name: HOST, type: RR_TYPE.ANY })
    cache.ingest(response([a(), aaaa()]), ETH)
    cache.ingest(response([a('192.168.1.40', 0)]), ETH)
    cache.reconfirm({ name: HOST, type: RR_TYPE.AAAA }, ETH)
    await clock.advance(120_000)
    expect(refreshes).toEqual([])
  })
})

describe('known answers (case 15)', () => {
  const instance = (label: string) => `${label}.${SERVICE}`

  it('case 15: lists live records with at least half their TTL left, with the remaining TTL to send', async () => {
    const { clock, cache } = setup()
    cache.ingest(response([ptr(4500, instance('One'))]), ETH)
    await clock.advance(1_000_000)
    cache.ingest(response([ptr(4500, instance('Two'))]), ETH)
    await clock.advance(1_300_000) // One: 2,200 s of 4,500 left (< half); Two: 3,200 s
    const answers = cache.knownAnswers(SERVICE, RR_TYPE.PTR, ETH)
    expect(answers.map((k) => [k.record.kind === 'PTR' && k.record.target.text, k.remainingTtl])).toEqual([[instance('Two'), 3200]])
  })

  it('case 15: exactly half is still listed; a millisecond less is not (RFC 6762 §7.1 omits "less than half")', () => {
    const { cache } = setup()
    cache.ingest(response([a()]), ETH)
    expect(cache.knownAnswers(HOST, A, ETH, 60_000).map((k) => k.remainingTtl)).toEqual([60])
    expect(cache.knownAnswers(HOST, A, ETH, 60_001)).toEqual([])
  })

  it('case 15: known answers are per interface and type, and never include doubtful or departing records', () => {
    const { cache } = setup()
    cache.ingest(response([ptr(4500, instance('One')), ptr(4500, instance('Two')), ptr(4500, INSTANCE), a()]), ETH)
    cache.ingest(response([ptr(4500, instance('Three'))]), WLAN)
    cache.ingest(response([ptr(0, instance('One'))]), ETH)
    cache.reconfirm(cache.lookup(SERVICE, RR_TYPE.PTR, ETH)[1]?.key ?? '', ETH)
    const names = cache.knownAnswers(SERVICE, RR_TYPE.PTR, ETH).map((k) => k.record.kind === 'PTR' && k.record.target.text)
    expect(names).toEqual([INSTANCE])
    expect(cache.knownAnswers(SERVICE, RR_TYPE.ANY, WLAN)).toHaveLength(1)
  })
})
