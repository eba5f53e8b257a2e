/**
 * Hostile and broken input through the whole engine (decoder → querier → cache → model → views) over the
 * fake transport: 100,000 seeded mutations of real and realistic packets (wire/fixtures.ts) must not throw,
 * reject or grow state without bound; and a flood of service types announced under `_services._dns-sd._udp`
 * must not become an ever-growing list of browses. Every run sends 12,000 packets through the whole engine
 * (the decoder alone gets 100,000 in wire/fuzz.test.ts, and the lab sends 12,000 through a live socket);
 * `PORCHLIGHT_ENGINE_FUZZ=100000` runs the long version, which shows the known cost growth under instance
 * flooding (one device announcing hundreds of mutated instance names: the model re-derives every device per batch).
 */
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { afterEach, describe, expect, it } from 'vitest'
import { DiscoverySnapshot } from '../../../shared/discovery/view'
import { RR_TYPE } from '../../../main/discovery/wire'
import { ETH0, WLAN0, setupEngine } from './engine-harness'
import { packet, ptr } from './model/harness'
import { ANDROID_TV_HEX, DNS_PACKET_84_HEX, INSTANCE, SERVICE, encode, forwardNsecResponse, fromHex, hapResponse, mutate, seededRandom } from './wire/fixtures'

/** Mutations per run through the engine; the heap is measured from the 10,000th on. */
const MUTATIONS = Number(process.env.PORCHLIGHT_ENGINE_FUZZ ?? 12_000)
/** The whole run must finish in this wall time. */
const BUDGET_MS = MUTATIONS > 20_000 ? 600_000 : 90_000
/** Heap after a forced GC may grow by at most this much over the run (the cache alone is capped at 10,000 entries). */
const HEAP_GROWTH_LIMIT = 160 * 1024 * 1024

const corpus = [
  fromHex(DNS_PACKET_84_HEX),
  fromHex(ANDROID_TV_HEX),
  forwardNsecResponse(),
  encode(hapResponse()),
  encode({ type: 'query', questions: [{ name: SERVICE, type: 'PTR' }, { name: INSTANCE, type: 'SRV' }], answers: [{ type: 'PTR', name: SERVICE, ttl: 4500, data: INSTANCE }] }),
]

/** A forced full GC, so heap figures compare live data, not garbage. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('the engine under hostile input', () => {
  it(`case 1: ${MUTATIONS.toLocaleString('en')} mutated packets on two links → no throw, no rejection, bounded state and heap`, async () => {
    const gc = collectGarbage()
    const rejections: unknown[] = []
    const onRejection = (reason: unknown) => void rejections.push(reason)
    process.on('unhandledRejection', onRejection)
    const h = setupEngine({ interfaces: [ETH0, WLAN0], types: ['_hap._tcp', '_androidtvremote._tcp'], enumerate: true })
    cleanup = () => h.engine.close()
    h.transport.keepSent = false // the harness's copies of sent packets are not the engine's memory
    await h.start()
    const random = seededRandom(0x5eed)
    const started = performance.now()
    const perThousand: number[] = []
    let heapAfterWarmup = 0
    let processed = 0
    let lastMark = started
    try {
      for (; processed < MUTATIONS && performance.now() - started < BUDGET_MS; processed++) {
        const i = processed
        const data = mutate(corpus[i % corpus.length] ?? new Uint8Array(0), random)
        const link = i % 2 === 0 ? 'eth0' : 'wlan0'
        h.transport.deliver({ data, link, family: i % 3 === 0 ? 'IPv6' : 'IPv4', address: link === 'eth0' ? '198.18.0.40' : '198.18.1.40', unicast: i % 97 === 0, port: i % 89 === 0 ? 5300 : 5353 })
        if (i % 25 === 24) await new Promise((resolve) => setImmediate(resolve)) // libuv hands over up to 32 datagrams per poll
        if (i % 100 === 99) await h.clock.advance(100) // 100 s of engine time over 100,000 packets: timers, expiry, refreshes run
        if (i % 1000 === 999) {
          perThousand.push(Math.round(performance.now() - lastMark))
          lastMark = performance.now()
        }
        if (i === 9_999) {
          gc()
          heapAfterWarmup = process.memoryUsage().heapUsed
        }
      }
      await h.clock.advance(1000)
      const snapshot = h.engine.snapshot()
      expect(DiscoverySnapshot.safeParse(snapshot).success).toBe(true)
      expect(snapshot.status.packetsReceived).toBe(processed)
      expect(snapshot.devices.length).toBeLessThanOrEqual(5000) // each device holds ≥ 2 of the cache's 10,000 entries
      for (const device of snapshot.devices.slice(0, 50)) expect(h.engine.packets(device.id).length).toBeLessThanOrEqual(20)
      gc()
      const growth = process.memoryUsage().heapUsed - heapAfterWarmup
      process.stdout.write(`engine fuzz: ${processed} packets in ${Math.round(performance.now() - started)} ms; ms per 1000: first ${perThousand.slice(0, 3).join(', ')}, last ${perThousand.slice(-3).join(', ')}; ` +
        `devices ${snapshot.devices.length}, types ${snapshot.status.types.length}, queries sent ${snapshot.status.queriesSent}, heap growth ${(growth / 1e6).toFixed(1)} MB\n`)
      if (heapAfterWarmup > 0) expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT)
      await new Promise((resolve) => setImmediate(resolve))
      expect(rejections).toEqual([])
      expect(processed, `only ${processed} of ${MUTATIONS} packets in ${BUDGET_MS / 1000} s; ms per 1000 packets went from ${perThousand[0]} to ${perThousand.at(-1)}`).toBe(MUTATIONS)
    } finally {
      process.off('unhandledRejection', onRejection)
    }
  }, BUDGET_MS + 60_000)

  it('case 11: 1,000 announced junk service types do not become 1,000 browses (the list stays bounded)', async () => {
    const h = setupEngine({ types: [], enumerate: true })
    cleanup = () => h.engine.close()
    await h.start()
    for (let i = 0; i < 1000; i++) await h.transport.receive({ data: packet([ptr('_services._dns-sd._udp.local', `_junk${i}._tcp.local`)]), link: 'eth0' })
    await h.clock.advance(5000)
    expect(h.engine.snapshot().status.types.length).toBeLessThanOrEqual(256)
    const lastQuery = h.transport.sent.at(-1)?.message.questions.length ?? 0
    expect(lastQuery).toBeLessThanOrEqual(256)
  }, 120_000)

  it('case 11: enumeration targets that are not service types (`_x._tcp|_udp.<domain>`) are not browsed', async () => {
    const h = setupEngine({ types: [], enumerate: true })
    cleanup = () => h.engine.close()
    await h.start()
    await h.clock.advance(200)
    const since = h.clock.now()
    await h.transport.receive({ data: packet([ptr('_services._dns-sd._udp.local', 'Porch Lamp._hap._tcp.local'), ptr('_services._dns-sd._udp.local', 'example.local')]), link: 'eth0' })
    await h.clock.advance(2000)
    // Only the enumeration's own retransmissions: neither junk target became a browse.
    expect(new Set(h.questions((q) => q.at > since && q.type === RR_TYPE.PTR).map((q) => q.name.toLowerCase()))).toEqual(new Set(['_services._dns-sd._udp.local']))
    expect(h.engine.snapshot().status.types).toEqual([])
  })
})
