/**
 * What the engine shows: batched change events, device views (TXT as text and hex, addresses with expiry
 * on the wall clock, up/down history), the raw packets of a device, and untrusted names kept as exact text.
 * Fake clock, fake transport (engine-harness.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { toDiscoverJson } from '../../../main/discovery/model'
import { RR_TYPE } from '../../../main/discovery/wire'
import { DiscoveryChange, DiscoverySnapshot } from '../../../shared/discovery/view'
import { WALL0, setupEngine } from './engine-harness'
import { a, aaaa, announce, packet, ptr, srv, txt, type RawRecord } from './model/harness'

const TYPE = '_hap._tcp.local'
const LAMP = `Porch Lamp.${TYPE}`
const HOST = 'porch-lamp.local'
const enc = new TextEncoder()
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

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

/** A TXT record from raw strings (bytes that are not UTF-8 included). */
const rawTxt = (instance: string, strings: Uint8Array[]): RawRecord => ({
  name: instance, type: RR_TYPE.TXT, ttl: 4500, flush: true, rdata: new Uint8Array(strings.flatMap((s) => [s.length, ...s])),
})

describe('batched onChange', () => {
  it('a burst of 100 new devices is one emission; a change 10 ms later waits for changeBatchMs', async () => {
    const h = await started({ changeBatchMs: 100 })
    await h.clock.advance(5000)
    const before = h.changes.length
    for (let i = 0; i < 100; i++) h.transport.deliver({ data: packet(announce(`Lamp ${i}`, `lamp-${i}.local`, `198.18.0.${i + 100}`, [`id=lamp-${i}`])), link: 'eth0' })
    await new Promise((resolve) => setImmediate(resolve)) // the engine applies the burst in one turn
    await h.clock.advance(0) // the first change after a quiet period goes at once
    expect(h.changes.length - before).toBe(1)
    const burst = DiscoveryChange.parse(h.changes.at(-1))
    expect(burst.devices).toHaveLength(100)
    expect(new Set(burst.devices.map((d) => d.name)).size).toBe(100)

    await h.clock.advance(10)
    h.transport.deliver({ data: packet(announce('Late', 'late.local', '198.18.0.99', ['id=late'])), link: 'eth0' })
    await h.clock.advance(89)
    expect(h.changes.length - before).toBe(1)
    await h.clock.advance(1)
    expect(h.changes.length - before).toBe(2)
    expect(h.changes.at(-1)?.devices.map((d) => d.name)).toEqual(['Late'])
  })

  it('restart() reports every device as removed and asks again with QU', async () => {
    const h = await started()
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40')), link: 'eth0' })
    await h.clock.advance(5000)
    const id = h.device('Porch Lamp')?.id
    const since = h.clock.now()
    await h.engine.restart()
    await h.clock.advance(120)
    expect(h.engine.snapshot().devices).toEqual([])
    expect(h.changes.at(-1)?.removed).toContain(id)
    expect(h.questions((q) => q.at > since).every((q) => q.qu)).toBe(true)
  })

  it('close() stops every timer and ignores later packets', async () => {
    const h = setupEngine()
    await h.start()
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40')), link: 'eth0' })
    await h.engine.close()
    expect(h.transport.closed).toBe(true)
    expect(h.clock.pendingTimers()).toBe(0)
    await h.transport.receive({ data: packet(announce('After', 'after.local', '198.18.0.41')), link: 'eth0' })
    expect(h.engine.devices()).toEqual([])
  })
})

describe('snapshot() device views', () => {
  it('shows TXT as text and hex, addresses with wall-clock expiry, and the up/down history', async () => {
    const h = await started()
    await h.clock.advance(1000)
    const strings = ['id=AA:BB', 'md=Lamp', 'vendor=Acme', 'flag'].map((s) => enc.encode(s)).concat([new Uint8Array([0x62, 0x3d, 0xff, 0xfe])])
    await h.transport.receive({ data: packet([ptr(TYPE, LAMP), srv(LAMP, HOST, 8080, 120), rawTxt(LAMP, strings), a(HOST, '198.18.0.40', 120), aaaa(HOST, 'fe80::1c2:3ff:fe04:506', 120)]), link: 'eth0' })
    const snap = DiscoverySnapshot.parse(h.engine.snapshot())
    const [device] = snap.devices
    expect(device).toMatchObject({ name: 'Porch Lamp', groupedBy: 'id', vendor: 'Acme', model: 'Lamp', status: 'up', firstSeenAt: WALL0 + 1000 })
    expect(device?.history).toEqual([{ at: WALL0 + 1000, event: 'up', detail: 'seen on eth0' }])
    const service = device?.services[0]
    expect(service).toMatchObject({ instance: 'Porch Lamp', type: '_hap._tcp', domain: 'local', host: HOST, port: 8080, resolved: true, srvExpiresAt: WALL0 + 121_000 })
    expect(service?.txt).toEqual([
      { key: 'id', value: 'AA:BB', hex: hex(enc.encode('AA:BB')), isText: true },
      { key: 'md', value: 'Lamp', hex: hex(enc.encode('Lamp')), isText: true },
      { key: 'vendor', value: 'Acme', hex: hex(enc.encode('Acme')), isText: true },
      { key: 'flag', value: null, hex: null, isText: true },
      { key: 'b', value: '\ufffd\ufffd', hex: 'fffe', isText: false },
    ])
    expect(service?.txtRaw).toEqual(strings.map(hex))
    expect(device?.addresses).toEqual([
      { address: '198.18.0.40', family: 'IPv4', interface: 'eth0', expiresAt: WALL0 + 121_000 },
      { address: 'fe80::1c2:3ff:fe04:506%eth0', family: 'IPv6', interface: 'eth0', expiresAt: WALL0 + 121_000 },
    ])


    await h.transport.receive({ data: packet([ptr(TYPE, LAMP, 0)]), link: 'eth0' })
    await h.clock.advance(1100)
    const down = h.device('Porch Lamp')
    expect(down?.status).toBe('down')
    expect(down?.history.map((e) => [e.event, e.at])).toEqual([['up', WALL0 + 1000], ['down', WALL0 + 2000]])
    expect(DiscoverySnapshot.safeParse(h.engine.snapshot()).success).toBe(true)
  })

  it('a refresh with the same TTL moves the shown expiry of the address and the SRV (RFC 6762 §5.2)', async () => {
    const h = await started()
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40')), link: 'eth0' })
    expect(h.device('Porch Lamp')?.addresses[0]?.expiresAt).toBe(WALL0 + 120_000)
    await h.clock.advance(96_000) // the device answers our 80 % refresh query with the same records
    await h.transport.receive({ data: packet(announce('Porch Lamp', HOST, '198.18.0.40')), link: 'eth0' })
    await h.clock.advance(100)
    const view = h.device('Porch Lamp')
    expect(view?.addresses[0]?.expiresAt).toBe(WALL0 + 216_000)
    expect(view?.services[0]?.srvExpiresAt).toBe(WALL0 + 216_000)
  })
})

describe('packets(deviceId)', () => {
  it('returns the raw datagrams of one device with dig-like lines, dropped records included', async () => {
    const h = await started()
    const data = packet(announce('Porch Lamp', HOST, '198.18.0.40', ['id=1']))
    await h.transport.receive({ data, link: 'eth0', address: '198.18.0.40' })
    await h.transport.receive({ data: packet(announce('Other', 'other.local', '198.18.0.41', ['id=2'])), link: 'eth0', address: '198.18.0.41' })
    // The same records plus a fifth answer cut short: it is dropped, the rest still count.
    const damaged = new Uint8Array([...packet(announce('Porch Lamp', HOST, '198.18.0.40', ['id=1'])), 0xc0, 0x0c, 0x00])
    damaged[7] = 5
    await h.clock.advance(1000)
    await h.transport.receive({ data: damaged, link: 'eth0', address: '198.18.0.40' })
    const id = h.device('Porch Lamp')?.id ?? ''
    const packets = h.engine.packets(id)
    expect(packets).toHaveLength(2)
    expect(packets[0]).toMatchObject({ at: WALL0, interface: 'eth0', from: '198.18.0.40 port 5353', hex: hex(data) })
    expect(packets[0]?.lines).toEqual([
      ';; response id=0 opcode=0 rcode=0 aa qd=0 an=4 ns=0 ar=0',
      `answer ${TYPE} 4500 PTR ${LAMP}`,
      `answer ${LAMP} 120 SRV (cache-flush) 0 0 8080 ${HOST}`,
      `answer ${LAMP} 4500 TXT (cache-flush) "id=1"`,
      `answer ${HOST} 120 A (cache-flush) 198.18.0.40`,
    ])
    expect(packets[1]?.lines.at(-1)).toMatch(/^;; dropped answer #4 at byte \d+: /)
    expect(packets.flatMap((p) => p.lines).join('\n')).not.toContain('Other')
    expect(h.engine.packets('no-such-device')).toEqual([])
  })
})

describe('untrusted names', () => {
  const hostile = ['<img src=x onerror=alert(1)>', 'My.Lamp v2.0', 'Küche 💡 "Decke"']

  it.each(hostile)('case 10: instance %j stays exact text in views, JSON and device changes', async (label) => {
    const h = await started()
    const instance = [enc.encode(label), enc.encode('_hap'), enc.encode('_tcp'), enc.encode('local')]
    const changes: string[] = []
    h.engine.subscribeDevices((c) => changes.push(c.device.name))
    await h.transport.receive({ data: packet([ptr(TYPE, instance), srv(instance, 'h1.local'), txt(instance, []), a('h1.local', '198.18.0.45')]), link: 'eth0' })
    const [device] = h.engine.snapshot().devices
    expect(device?.name).toBe(label)
    expect(device?.services[0]?.instance).toBe(label)
    expect(toDiscoverJson(h.engine.devices())[0]?.services[0]?.instance).toBe(label)
    expect(changes).toEqual([label])
    expect(JSON.parse(JSON.stringify(h.engine.snapshot())).devices[0].name).toBe(label)
  })
})
