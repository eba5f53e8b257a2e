/**
 * The discovery engine, wired to its real querier, cache and model, on a fake clock over a fake transport:
 * what goes out on which link and when, and how answers turn into devices that go up and down
 * (reference/discovery-and-mdns.md section (b); case numbers in the test names).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { RR_TYPE } from '../../../main/discovery/wire'
import { ETH0, describeQuestion, setupEngine } from './engine-harness'
import { a, announce, packet, ptr, srv, txt } from './model/harness'

const TYPE = '_hap._tcp.local'
const LAMP = `Porch Lamp.${TYPE}`
const HOST = 'porch-lamp.local'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

async function started(setup: Parameters<typeof setupEngine>[0] = {}) {
  const h = setupEngine(setup)
  cleanup = () => h.engine.close()
  await h.start()
  return h
}

describe('first queries (cases 13, 18)', () => {
  it('case 13/18: the first query on each link and family goes 20-120 ms after start, every question QU; the next one is QM', async () => {
    const h = await started({ interfaces: [ETH0], types: ['_hap._tcp', '_http._tcp'] })
    await h.clock.advance(19)
    expect(h.transport.sent).toEqual([])
    await h.clock.advance(101)
    for (const family of ['IPv4', 'IPv6'] as const) {
      const [first] = h.sentOn('eth0', family)
      expect(first, family).toBeDefined()
      expect(first?.at).toBeGreaterThanOrEqual(20)
      expect(first?.at).toBeLessThanOrEqual(120)
      expect(first?.message.questions.map(describeQuestion).sort()).toEqual([`_hap._tcp.local/${RR_TYPE.PTR}/QU`, `_http._tcp.local/${RR_TYPE.PTR}/QU`])
    }
    await h.clock.advance(1500)
    const second = h.sentOn('eth0', 'IPv4')[1]
    expect(second?.at).toBeGreaterThanOrEqual((h.sentOn('eth0', 'IPv4')[0]?.at ?? 0) + 1000)
    expect(second?.message.questions.every((q) => !q.qu)).toBe(true)
    expect(h.engine.snapshot().status.queriesSent).toBe(h.transport.sent.length)
  })

  it('wake() restarts the series on every link with QU within 120 ms (§5.4)', async () => {
    const h = await started()
    await h.clock.advance(10_000)
    const since = h.clock.now()
    h.engine.wake()
    await h.clock.advance(120)
    const after = h.questions((q) => q.at > since)
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((q) => q.qu)).toBe(true)
  })
})

describe('answers to devices', () => {
  it('a PTR+SRV+TXT+A response makes a device up, with the interface it arrived on', async () => {
    const h = await started()
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40', ['id=AA:BB:CC:00:00:01', 'md=Lamp'])), link: 'eth0' })
    const device = h.device('Porch Lamp')
    expect(device).toMatchObject({ status: 'up', interfaces: ['eth0'], types: ['_hap._tcp'], model: 'Lamp' })
    expect(device?.addresses).toEqual([expect.objectContaining({ address: '198.18.0.40', family: 'IPv4', interface: 'eth0' })])
    expect(h.engine.devices().map((d) => d.name)).toEqual(['Porch Lamp'])
  })

  it('case 12: a PTR without additionals → SRV and TXT questions, then A/AAAA for the target, then the device is up', async () => {
    const h = await started()
    await h.clock.advance(200)
    await h.transport.receive({ data: packet([ptr(TYPE, LAMP)]), link: 'eth0' })
    await h.clock.advance(150)
    const asked = (type: number, name: string) => h.questions((q) => q.type === type && q.name === name && q.link === 'eth0')
    expect(asked(RR_TYPE.SRV, LAMP).map((q) => q.family).sort()).toEqual(['IPv4', 'IPv6'])
    expect(asked(RR_TYPE.TXT, LAMP)).toHaveLength(2)
    expect(asked(RR_TYPE.A, HOST)).toHaveLength(0) // no target known yet
    expect(h.device('Porch Lamp')).toBeUndefined()

    await h.transport.receive({ data: packet([srv(LAMP, HOST), txt(LAMP, ['id=1'])]), link: 'eth0' })
    await h.clock.advance(150)
    expect(asked(RR_TYPE.A, HOST).length).toBeGreaterThan(0)
    expect(asked(RR_TYPE.AAAA, HOST).length).toBeGreaterThan(0)
    expect(h.device('Porch Lamp')).toBeUndefined() // no address yet: not connectable, not up

    await h.transport.receive({ data: packet([a(HOST, '198.18.0.40')]), link: 'eth0' })
    expect(h.device('Porch Lamp')).toMatchObject({ status: 'up', addresses: [expect.objectContaining({ address: '198.18.0.40' })] })
    const before = h.transport.sent.length
    await h.clock.advance(30_000)
    const reasked = h.transport.sent.slice(before).flatMap((p) => p.message.questions).filter((q) => q.type === RR_TYPE.SRV || q.type === RR_TYPE.A)
    expect(reasked).toEqual([]) // answered questions are not asked again
  })

  it('case 12: unanswered SRV questions back off (gaps ≥ 1 s, doubling, ≤ 8 s) and pause after a few asks', async () => {
    const h = await started()
    await h.clock.advance(200)
    await h.transport.receive({ data: packet([ptr(TYPE, LAMP)]), link: 'eth0' })
    await h.clock.advance(60_000)
    const times = h.questions((q) => q.type === RR_TYPE.SRV && q.family === 'IPv4').map((q) => q.at)
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0))
    expect(times.length).toBeGreaterThanOrEqual(3)
    expect(times.length).toBeLessThanOrEqual(8)
    expect(gaps.every((g) => g >= 1000 && g <= 8200)).toBe(true)
    expect(gaps.slice(0, 3).every((g, i) => i === 0 || g >= 2 * (gaps[i - 1] ?? 0) - 200)).toBe(true)
    expect(times.at(-1)).toBeLessThan(60_000) // then silence: the responder is not answering
  })

  it('case 12: a question that ran out of asks starts over a minute later (as engine/interest.ts promises)', async () => {
    const h = await started()
    await h.clock.advance(200)
    await h.transport.receive({ data: packet([ptr(TYPE, LAMP)]), link: 'eth0' })
    await h.clock.advance(40_000)
    const asks = () => h.questions((q) => q.type === RR_TYPE.SRV && q.family === 'IPv4').length
    const exhausted = asks()
    await h.clock.advance(15_000)
    expect(asks()).toBe(exhausted) // paused
    await h.clock.advance(60_000)
    expect(asks()).toBeGreaterThan(exhausted)
  })
})

describe('devices going down', () => {
  it('case 20: a goodbye (TTL 0) keeps the device for 1 s, then it is down with a history entry', async () => {
    const h = await started()
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40')), link: 'eth0' })
    await h.clock.advance(5000)
    await h.transport.receive({ data: packet([ptr(TYPE, LAMP, 0), srv(LAMP, HOST, 8080, 0), a(HOST, '198.18.0.40', 0)]), link: 'eth0' })
    await h.clock.advance(990)
    expect(h.device('Porch Lamp')?.status).toBe('up')
    await h.clock.advance(20)
    expect(h.device('Porch Lamp')?.status).toBe('down')
    expect(h.device('Porch Lamp')?.history.map((e) => e.event)).toEqual(['up', 'down'])
    expect(h.engine.devices()).toEqual([])
  })

  it('case 22: without refreshes the device goes down when its address expires, on time', async () => {
    const h = await started()
    await h.transport.receive({ data: packet([...announce('Porch Lamp', HOST, '198.18.0.40').slice(0, 3), a(HOST, '198.18.0.40', 60)]), link: 'eth0' })
    await h.clock.advance(59_900)
    expect(h.device('Porch Lamp')?.status).toBe('up')
    // Refresh queries went out for the wanted address record (RFC 6762 §5.2: 80 %, 85 %, 90 %, 95 %).
    const refreshes = h.questions((q) => q.name === HOST && q.type === RR_TYPE.A && q.family === 'IPv4').map((q) => q.at)
    expect(refreshes.length).toBeGreaterThanOrEqual(4)
    expect(refreshes[0]).toBeGreaterThanOrEqual(48_000)
    await h.clock.advance(200)
    expect(h.device('Porch Lamp')?.status).toBe('down')
  })

  it('case 22: an SRV that expires takes the device down even while its PTR lives', async () => {
    const h = await started()
    await h.transport.receive({ data: packet([ptr(TYPE, LAMP), srv(LAMP, HOST, 8080, 30), txt(LAMP, []), a(HOST, '198.18.0.40', 4500)]), link: 'eth0' })
    await h.clock.advance(29_900)
    expect(h.device('Porch Lamp')?.status).toBe('up')
    await h.clock.advance(200)
    expect(h.device('Porch Lamp')?.status).toBe('down')
  })
})

describe('which responses count (case 19)', () => {
  it('case 19: a response from a port other than 5353 is ignored and counted', async () => {
    const h = await started()
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40')), link: 'eth0', port: 5354 })
    expect(h.engine.devices()).toEqual([])
    expect(h.engine.snapshot().status).toMatchObject({ packetsReceived: 1, packetsIgnored: 1 })
  })

  it('case 19: a unicast response counts only within 2 s of our QU query on that link', async () => {
    const h = await started()
    const unicast = (name: string) => h.transport.receive({ data: packet(announce(name, `${name.toLowerCase()}.local`, '198.18.0.41')), link: 'eth0', unicast: true })
    await unicast('Early') // before any query went out
    expect(h.engine.devices()).toEqual([])
    await h.clock.advance(150) // the first (QU) query is out
    expect(h.questions((q) => q.qu && q.family === 'IPv4')).not.toEqual([])
    await unicast('Answer')
    expect(h.device('Answer')?.status).toBe('up')
    await h.clock.advance(2500) // the QM retransmission does not re-open the window
    await unicast('Late')
    expect(h.device('Late')).toBeUndefined()
    expect(h.engine.snapshot().status.packetsIgnored).toBe(2)
  })

  it('queries from other hosts and non-mDNS datagrams never throw and make no devices', async () => {
    const h = await started()
    const query = new Uint8Array([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 95, 104, 97, 112, 4, 95, 116, 99, 112, 5, 108, 111, 99, 97, 108, 0, 0, 12, 0, 1])
    await h.transport.receive({ data: query, link: 'eth0', address: '198.18.0.50' })
    await h.transport.receive({ data: new Uint8Array([1, 2, 3]), link: 'eth0' })
    const opcode = packet(announce('Odd', 'odd.local', '198.18.0.42'))
    opcode[2] = 0x84 | (2 << 3) // opcode 2: not mDNS (§18.3)
    await h.transport.receive({ data: opcode, link: 'eth0' })
    expect(h.engine.devices()).toEqual([])
  })
})
