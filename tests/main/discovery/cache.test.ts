/**
 * The record cache's lifetimes: goodbye, cache-flush, expiry, per-interface entries, event order and the
 * single timer. Case numbers are reference/discovery-and-mdns.md section (b). Time moves only by the fake clock.
 */
import { describe, expect, it } from 'vitest'
import { RR_TYPE } from '../../../main/discovery/wire'
import { ETH, HOST, INSTANCE, SERVICE, WLAN, a, aaaa, ptr, response, setup, srv, txt } from './cache/harness'

describe('goodbye (case 20)', () => {
  it('case 20: a goodbye (TTL 0) keeps the record 1 s, then removes it with goodbye-removed', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([ptr()]), ETH)
    await clock.advance(5000)
    cache.ingest(response([ptr(0)]), ETH)
    expect(cache.lookup(SERVICE, RR_TYPE.PTR).map((e) => [e.state, e.expiresAt])).toEqual([['goodbye', 6000]])
    expect(take()).toEqual([`added ${ETH} ${SERVICE} ${INSTANCE}`]) // nothing yet: the record is still there
    await clock.advance(999)
    expect(cache.lookup(SERVICE, RR_TYPE.PTR)).toHaveLength(1)
    await clock.advance(1)
    expect(take()).toEqual([`goodbye-removed ${ETH} ${SERVICE} ${INSTANCE}`])
    expect(cache.lookup(SERVICE, RR_TYPE.PTR)).toEqual([])
  })

  it('case 20: an answer inside that second takes the record back, with a fresh TTL', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([ptr(4500)]), ETH)
    cache.ingest(response([ptr(0)]), ETH)
    await clock.advance(500)
    cache.ingest(response([ptr(4500)]), ETH)
    await clock.advance(10_000)
    expect(cache.lookup(SERVICE, RR_TYPE.PTR).map((e) => [e.state, e.expiresAt])).toEqual([['live', 4_500_500]])
    expect(take()).toEqual([`added ${ETH} ${SERVICE} ${INSTANCE}`])
  })

  it('case 20: a goodbye for a record we do not have adds nothing and is counted', () => {
    const { cache, take } = setup()
    cache.ingest(response([ptr(0)]), ETH)
    expect([cache.snapshot().entries, cache.snapshot().stats.unknownGoodbyes, take()]).toEqual([[], 1, []])
  })
})

describe('cache-flush (case 21)', () => {
  it('case 21: records of the set received more than 1 s earlier get 1 s; the records in the flushing packet survive', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([a('192.168.1.40')]), ETH)
    await clock.advance(5000)
    cache.ingest(response([a('192.168.1.41'), a('192.168.1.42')]), ETH) // the host moved to two new addresses
    const states = () => cache.lookup(HOST, RR_TYPE.A).map((e) => `${e.record.kind === 'A' && e.record.address} ${e.state} ${e.expiresAt}`)
    expect(states()).toEqual(['192.168.1.40 flushing 6000', '192.168.1.41 live 125000', '192.168.1.42 live 125000'])
    await clock.advance(1000)
    expect(take()).toEqual([
      `added ${ETH} ${HOST} 192.168.1.40`, `added ${ETH} ${HOST} 192.168.1.41`, `added ${ETH} ${HOST} 192.168.1.42`,
      `flushed ${ETH} ${HOST} 192.168.1.40`,
    ])
  })

  it('case 21: a record re-sent in the flushing packet is refreshed, not flushed', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([a('192.168.1.40'), a('192.168.1.41')]), ETH)
    await clock.advance(60_000)
    cache.ingest(response([a('192.168.1.41')], [a('192.168.1.40')]), ETH) // answers and additionals are one packet
    await clock.advance(1000)
    expect(cache.lookup(HOST, RR_TYPE.A).map((e) => e.state)).toEqual(['live', 'live'])
    expect(take()).toHaveLength(2)
  })

  it('case 21: records received within the last second survive (an announcement split over two packets)', async () => {
    const { clock, cache } = setup()
    cache.ingest(response([a('192.168.1.40')]), ETH)
    await clock.advance(1000) // exactly one second is not "more than one second"
    cache.ingest(response([a('192.168.1.41')]), ETH)
    expect(cache.lookup(HOST, RR_TYPE.A).map((e) => e.state)).toEqual(['live', 'live'])
  })

  it('case 21: a flush touches only its own name, type, class and interface', async () => {
    const { clock, cache } = setup()
    cache.ingest(response([a('192.168.1.40'), aaaa('fe80::1'), a('192.168.1.50', 120, true, 'other.local')]), ETH)
    cache.ingest(response([a('192.168.1.40')]), WLAN)
    await clock.advance(5000)
    cache.ingest(response([a('192.168.1.41')]), ETH)
    const states = cache.snapshot().entries.map((e) => `${e.interfaceId} ${e.record.name.text} ${e.record.kind} ${e.state}`)
    expect(states).toEqual([
      `${ETH} ${HOST} A flushing`, `${ETH} ${HOST} AAAA live`, `${ETH} other.local A live`, `${WLAN} ${HOST} A live`, `${ETH} ${HOST} A live`,
    ])
  })

  it('case 21: without the bit (shared records) nothing is flushed, and a goodbye with the bit flushes nothing else', async () => {
    const { clock, cache } = setup()
    cache.ingest(response([ptr(4500, `One.${SERVICE}`), a('192.168.1.40'), a('192.168.1.41')]), ETH)
    await clock.advance(5000)
    cache.ingest(response([ptr(4500, `Two.${SERVICE}`), a('192.168.1.41', 0)]), ETH)
    expect(cache.snapshot().entries.map((e) => e.state)).toEqual(['live', 'live', 'goodbye', 'live'])
  })
})

describe('expiry (case 22)', () => {
  it('case 22: each record expires at receivedAt + its TTL; SRV, A, AAAA go at 120 s while PTR and TXT stay', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([ptr(4500)], [srv(120), txt(4500), a(), aaaa()]), ETH)
    take()
    await clock.advance(119_999)
    expect(take()).toEqual([])
    await clock.advance(1)
    expect(take()).toEqual([`expired ${ETH} ${INSTANCE} 8080`, `expired ${ETH} ${HOST} 192.168.1.40`, `expired ${ETH} ${HOST} fe80::1`])
    expect(cache.lookup(INSTANCE, RR_TYPE.ANY).map((e) => e.record.kind)).toEqual(['TXT'])
    await clock.advance(4_500_000 - 120_000)
    expect(take()).toEqual([`expired ${ETH} ${SERVICE} ${INSTANCE}`, `expired ${ETH} ${INSTANCE} TXT`])
    expect(cache.snapshot().entries).toEqual([])
  })

  it('case 22: expiry counts from when the packet arrived, not from when it was ingested', async () => {
    const { clock, cache } = setup()
    await clock.advance(10_000)
    cache.ingest(response([a()]), ETH, 8000)
    expect(cache.lookup(HOST, RR_TYPE.A)[0]).toMatchObject({ receivedAt: 8000, expiresAt: 128_000 })
  })

  it('case 22: a repeated answer restarts the TTL silently; a new TTL is an update', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([srv(120)]), ETH)
    await clock.advance(100_000)
    cache.ingest(response([srv(120)]), ETH)
    await clock.advance(100_000)
    cache.ingest(response([srv(4500)]), ETH)
    const events = take()
    expect(events).toEqual([`added ${ETH} ${INSTANCE} 8080`, `updated ${ETH} ${INSTANCE} 8080`])
    expect(cache.lookup(INSTANCE, RR_TYPE.SRV)[0]).toMatchObject({ ttl: 4500, receivedAt: 200_000, expiresAt: 4_700_000 })
  })

  it('case 22: an SRV with a new port is a new record; the cache-flush bit retires the old one', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([srv(120, 8080)]), ETH)
    await clock.advance(5000)
    cache.ingest(response([srv(120, 9090)]), ETH)
    await clock.advance(1000)
    expect(take()).toEqual([`added ${ETH} ${INSTANCE} 8080`, `added ${ETH} ${INSTANCE} 9090`, `flushed ${ETH} ${INSTANCE} 8080`])
  })
})

describe('interfaces (case 23)', () => {
  it('case 23: the same record on two interfaces is two entries with their own TTLs; a removal on one leaves the other', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([a()]), ETH)
    await clock.advance(60_000)
    cache.ingest(response([a()]), WLAN)
    await clock.advance(10_000)
    cache.ingest(response([a('192.168.1.40', 0)]), ETH)
    await clock.advance(1000)
    expect(take()).toEqual([`added ${ETH} ${HOST} 192.168.1.40`, `added ${WLAN} ${HOST} 192.168.1.40`, `goodbye-removed ${ETH} ${HOST} 192.168.1.40`])
    expect(cache.lookup(HOST, RR_TYPE.A).map((e) => [e.interfaceId, e.expiresAt])).toEqual([[WLAN, 180_000]])
    await clock.advance(180_000 - 71_000)
    expect(take()).toEqual([`expired ${WLAN} ${HOST} 192.168.1.40`])
  })

  it('case 23: lookups filter by interface; forgetInterface drops one interface and says so', () => {
    const { cache, take } = setup()
    cache.ingest(response([ptr()], [srv()]), ETH)
    cache.ingest(response([ptr()]), WLAN)
    take()
    expect(cache.lookup(SERVICE, RR_TYPE.PTR, WLAN).map((e) => e.interfaceId)).toEqual([WLAN])
    expect(cache.forgetInterface(ETH)).toBe(2)
    expect(take()).toEqual([`interface-removed ${ETH} ${SERVICE} ${INSTANCE}`, `interface-removed ${ETH} ${INSTANCE} 8080`])
    expect(cache.snapshot().entries.map((e) => e.interfaceId)).toEqual([WLAN])
  })
})

describe('identity', () => {
  it('names in the owner and in rdata compare case-insensitively (RFC 6762 §16); a case change is an rdata update', () => {
    const { cache, events } = setup()
    cache.ingest(response([ptr(4500, INSTANCE)]), ETH)
    cache.ingest(response([{ type: 'PTR', name: SERVICE.toUpperCase(), ttl: 4500, data: INSTANCE.toUpperCase() }]), ETH)
    expect(cache.snapshot().entries).toHaveLength(1)
    expect(events.map((e) => e.type)).toEqual(['added', 'updated'])
    expect(events[1]).toMatchObject({ type: 'updated', changed: ['rdata'], previous: { record: { target: { text: INSTANCE } } } })
    expect(cache.lookup(SERVICE.toUpperCase(), RR_TYPE.PTR)).toHaveLength(1)
  })

  it('TXT rdata compares byte for byte: other letter case is another record', () => {
    const { cache } = setup()
    cache.ingest(response([txt(4500, ['md=Lamp'], false), txt(4500, ['md=LAMP'], false)]), ETH)
    expect(cache.lookup(INSTANCE, RR_TYPE.TXT)).toHaveLength(2)
  })
})

describe('scheduling', () => {
  it('keeps one pending clock timer for any number of records, and none when empty', async () => {
    const { clock, cache } = setup()
    let armed = 0
    const arm = clock.setTimeout
    clock.setTimeout = (fn, ms) => {
      armed++
      return arm(fn, ms)
    }
    const addresses = Array.from({ length: 500 }, (_, i) => a(`10.0.${i >> 8}.${i & 255}`, 1 + (i % 50), false))
    cache.ingest(response(addresses), ETH)
    expect([clock.pendingTimers(), armed]).toEqual([1, 1])
    cache.want({ name: HOST, type: RR_TYPE.A }) // 2,000 refresh points, still one timer
    expect(clock.pendingTimers()).toBe(1)
    await clock.advance(25_000)
    expect([clock.pendingTimers(), cache.snapshot().stats.entries]).toEqual([1, 250])
    await clock.advance(25_000)
    expect([clock.pendingTimers(), cache.snapshot().stats.entries, cache.snapshot().stats.nextTimerAt]).toEqual([0, 0, undefined])
    expect(armed).toBeLessThan(50 * 5 + 5) // one arming per distinct deadline (50 expiries, 200 refresh points), not per record
  })

  it('fires entries that fall due together in the order they were scheduled, after the events of their packet', async () => {
    const { clock, cache, take } = setup()
    cache.ingest(response([a('10.0.0.2'), a('10.0.0.1')]), ETH)
    cache.ingest(response([a('10.0.0.1', 0), a('10.0.0.2', 0)]), ETH) // goodbyes in the other order
    await clock.advance(1000)
    expect(take()).toEqual([
      `added ${ETH} ${HOST} 10.0.0.2`, `added ${ETH} ${HOST} 10.0.0.1`,
      `goodbye-removed ${ETH} ${HOST} 10.0.0.1`, `goodbye-removed ${ETH} ${HOST} 10.0.0.2`,
    ])
  })

  it('lets a listener call back into the cache; the events it causes follow in order', () => {
    const seen: string[] = []
    const { cache } = setup({
      onEvent: (event) => {
        seen.push(`${event.type} ${event.record.kind}`)
        if (event.record.kind === 'PTR') cache.ingest(response([srv()]), ETH) // the browser resolves on the spot
      },
    })
    cache.ingest(response([ptr(), a()]), ETH)
    expect(seen).toEqual(['added PTR', 'added A', 'added SRV'])
  })
})
