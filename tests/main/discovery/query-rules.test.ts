/**
 * The querier's RFC 6762 rules as pure functions: timing windows, batching, duplicate-question
 * suppression, response acceptance and question validation. Case numbers are
 * reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import { recordIdentity } from '../../../main/discovery/known-answer'
import { buildQueryPackets } from '../../../main/discovery/query-packet'
import {
  BATCH_WINDOW_MS, MAX_QUERY_INTERVAL_MS, acceptResponse, firstQueryWindow, peerAskedForUs, planSend, querySignature, retransmitWindow, toQuestion,
} from '../../../main/discovery/query-rules'
import { RR_TYPE, decodeMessage } from '../../../main/discovery/wire'
import { SERVICE, name, ptr } from './querier-harness'
import { seededRandom } from './wire/fixtures'

describe('timing windows (cases 13, 14)', () => {
  it('case 13: a first query may go 20-120 ms from now and aims at a random point in between', () => {
    expect(firstQueryWindow(1000, () => 0)).toEqual({ earliest: 1020, due: 1020, latest: 1120 })
    expect(firstQueryWindow(1000, () => 0.5)).toEqual({ earliest: 1020, due: 1070, latest: 1120 })
  })

  it('case 14: however batching delays each query, every gap is at least twice the one before, capped at 60 minutes', () => {
    const random = seededRandom(3)
    let last: number | undefined
    let at = 0
    const sent: number[] = []
    for (let i = 0; i < 40; i++) {
      sent.push(at)
      const next = retransmitWindow(last, at)
      expect(next.latest - next.due).toBe(BATCH_WINDOW_MS)
      last = at
      at = next.due + BATCH_WINDOW_MS * random() // sent anywhere in its window
    }
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] ?? 0))
    expect(gaps[0]).toBeGreaterThanOrEqual(1000)
    gaps.slice(1).forEach((gap, i) => expect(gap >= 2 * (gaps[i] ?? 0) || gap >= MAX_QUERY_INTERVAL_MS).toBe(true))
    expect(gaps.every((gap) => gap <= MAX_QUERY_INTERVAL_MS + BATCH_WINDOW_MS)).toBe(true)
  })

  it('plans a packet at the first due time, or later so others can join, never past anyone’s latest time', () => {
    expect(planSend([])).toBeUndefined()
    expect(planSend([{ earliest: 1000, due: 1000, latest: 1100 }])).toBe(1000)
    // A retransmission due at 1000 waits for one that may go from 1060.
    expect(planSend([{ earliest: 1000, due: 1000, latest: 1100 }, { earliest: 1060, due: 1060, latest: 1160 }])).toBe(1060)
    // Not for one from 1101: that would pass the first one's latest time.
    expect(planSend([{ earliest: 1000, due: 1000, latest: 1100 }, { earliest: 1101, due: 1101, latest: 1201 }])).toBe(1000)
    // A first query (window 20-120 ms) joins early, and bounds how long the others wait.
    expect(planSend([{ earliest: 1000, due: 1000, latest: 1100 }, { earliest: 990, due: 1070, latest: 1090 }, { earliest: 1095, due: 1095, latest: 1195 }])).toBe(1000)
  })
})

describe('duplicate question suppression (case 16)', () => {
  const ours = [ptr('Porch Lamp'), ptr('Desk Lamp')]
  const peer = (at: number, ...instances: string[]) => ({ at, answers: new Set(instances.map((i) => recordIdentity(ptr(i)))) })

  it('case 16: a peer query within the last second whose known answers are a subset of ours stands in for ours', () => {
    expect(peerAskedForUs(peer(9000, 'Porch Lamp'), ours, 10_000)).toBe(true)
    expect(peerAskedForUs(peer(9000), ours, 10_000)).toBe(true)
    expect(peerAskedForUs(peer(9000, 'Porch Lamp', 'Desk Lamp'), ours, 10_000)).toBe(true)
  })

  it('case 16: not when the peer lists a record we lack (responders would withhold it), nor when it is stale', () => {
    expect(peerAskedForUs(peer(9000, 'Porch Lamp', 'Garage Door'), ours, 10_000)).toBe(false)
    expect(peerAskedForUs(peer(8999, 'Porch Lamp'), ours, 10_000)).toBe(false)
    expect(peerAskedForUs(undefined, ours, 10_000)).toBe(false)
  })

  it('recognises our own packet by its questions and known answers with TTLs; a peer’s copy differs in TTLs', () => {
    const packet = (ttl: number) =>
      decodeMessage(buildQueryPackets([{ name: name(SERVICE), type: RR_TYPE.PTR, class: 1, qu: false, knownAnswers: [ptr('Porch Lamp', ttl)] }], 1440)[0] ?? new Uint8Array())
    expect(querySignature(packet(4000))).toBe(querySignature(packet(4000)))
    expect(querySignature(packet(4000))).not.toBe(querySignature(packet(3999)))
  })
})

describe('acceptResponse (case 19)', () => {
  it('case 19: responses from a port other than 5353 are ignored; unicast ones only after a recent QU query', () => {
    expect(acceptResponse({ sourcePort: 5353, isUnicast: false, askedUnicastRecently: false })).toEqual({ ok: true })
    expect(acceptResponse({ sourcePort: 5353, isUnicast: true, askedUnicastRecently: true })).toEqual({ ok: true })
    expect(acceptResponse({ sourcePort: 53, isUnicast: false, askedUnicastRecently: true })).toMatchObject({ ok: false, error: { code: 'wrong-source-port' } })
    expect(acceptResponse({ sourcePort: 5354, isUnicast: true, askedUnicastRecently: true })).toMatchObject({ ok: false, error: { code: 'wrong-source-port' } })
    expect(acceptResponse({ sourcePort: 5353, isUnicast: true, askedUnicastRecently: false })).toMatchObject({ ok: false, error: { code: 'unsolicited-unicast' } })
  })
})

describe('toQuestion', () => {
  it('case 6: keys questions as mDNS compares names (ASCII case folded, trailing dot optional)', () => {
    expect(toQuestion({ name: '_HAP._tcp.local.', type: RR_TYPE.PTR }).key).toBe(toQuestion({ name: SERVICE, type: RR_TYPE.PTR }).key)
    expect(toQuestion({ name: SERVICE, type: RR_TYPE.PTR }).key).not.toBe(toQuestion({ name: SERVICE, type: RR_TYPE.SRV }).key)
  })

  it('refuses questions it could not encode (programmer errors)', () => {
    expect(() => toQuestion({ name: 'a..local', type: RR_TYPE.PTR })).toThrow(RangeError)
    expect(() => toQuestion({ name: '.', type: RR_TYPE.PTR })).toThrow(RangeError)
    expect(() => toQuestion({ name: SERVICE, type: 0x10000 })).toThrow(RangeError)
    expect(() => toQuestion({ name: SERVICE, type: RR_TYPE.PTR, class: 0x8001 })).toThrow(RangeError)
  })
})
