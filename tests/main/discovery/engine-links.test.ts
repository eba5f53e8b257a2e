/**
 * The engine across links: one device seen on two interfaces (case 23), interfaces coming, changing and
 * going (case 24), sockets that fail, options that bring tunnels in, reconfirmation after a failed connect
 * (case 25) and service-type enumeration (case 11). Fake clock, fake transport (engine-harness.ts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { describeSocketError } from '../../../main/discovery/transport'
import { RR_TYPE } from '../../../main/discovery/wire'
import { ETH0, WLAN0, netIf, setupEngine } from './engine-harness'
import { a, aaaa, announce, packet, ptr } from './model/harness'

const HOST = 'porch-lamp.local'
const lamp = (address: string) => packet(announce('Porch Lamp', HOST, address, ['id=AA:BB:CC:00:00:01']))

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

const eaddrnotavail = (link: string, family: 'IPv4' | 'IPv6') =>
  describeSocketError(Object.assign(new Error('bind EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' }), link, family)

describe('case 23: one device on two interfaces', () => {
  it('case 23: the same instance on eth0 and wlan0 is one device with two sightings, each with its own address and expiry', async () => {
    const h = await started({ interfaces: [ETH0, WLAN0] })
    await h.transport.receive({ data: lamp('198.18.0.40'), link: 'eth0' })
    await h.clock.advance(10_000)
    await h.transport.receive({ data: lamp('198.18.1.40'), link: 'wlan0', address: '198.18.1.40' })
    const [device, ...others] = h.engine.snapshot().devices
    expect(others).toEqual([])
    expect(device?.interfaces).toEqual(['eth0', 'wlan0'])
    expect(device?.services[0]?.interfaces).toEqual(['eth0', 'wlan0'])
    const byIface = new Map(device?.addresses.map((x) => [x.interface, x]))
    expect(byIface.get('eth0')?.address).toBe('198.18.0.40')
    expect(byIface.get('wlan0')?.address).toBe('198.18.1.40')
    expect((byIface.get('wlan0')?.expiresAt ?? 0) - (byIface.get('eth0')?.expiresAt ?? 0)).toBe(10_000)
  })

  it('case 23: when eth0 goes away the device stays up on wlan0 (changed, not down)', async () => {
    const h = await started({ interfaces: [ETH0, WLAN0] })
    await h.transport.receive({ data: lamp('198.18.0.40'), link: 'eth0' })
    await h.transport.receive({ data: lamp('198.18.1.40'), link: 'wlan0', address: '198.18.1.40' })
    const seen: string[] = []
    h.engine.subscribeDevices((c) => seen.push(c.type))
    await h.engine.setInterfaces([WLAN0])
    await h.clock.advance(10)
    const device = h.device('Porch Lamp')
    expect(device).toMatchObject({ status: 'up', interfaces: ['wlan0'] })
    expect(device?.addresses.map((x) => x.address)).toEqual(['198.18.1.40'])
    expect(seen).toEqual(['changed'])
  })
})

describe('case 24: interfaces added, changed and removed', () => {
  it('startup: the first-query delay runs while the sockets open; a query due before they are open waits and is sent, QU', async () => {
    const h = setupEngine({ interfaces: [ETH0] })
    cleanup = () => h.engine.close()
    let open: (() => void) | undefined
    const opened = new Promise<void>((resolve) => (open = resolve))
    const setLinks = h.transport.setLinks.bind(h.transport)
    // Opening the senders takes longer than the 20-120 ms delay (a slow bind, a busy machine).
    h.transport.setLinks = async (links) => {
      await opened
      return setLinks(links)
    }
    const starting = h.start()
    await h.clock.advance(200)
    expect(h.transport.sent).toEqual([])
    open?.()
    await starting
    await h.clock.advance(0)
    for (const family of ['IPv4', 'IPv6'] as const) {
      const [first] = h.sentOn('eth0', family)
      expect(first, family).toBeDefined()
      expect(first?.at, family).toBe(200)
      expect(first?.message.questions.every((q) => q.qu)).toBe(true)
    }
  })

  it('case 24: an interface added later gets QU queries within 20-120 ms; the others do not restart', async () => {
    const h = await started({ interfaces: [ETH0] })
    await h.clock.advance(5000)
    const since = h.clock.now()
    await h.engine.setInterfaces([ETH0, WLAN0])
    await h.clock.advance(120)
    for (const family of ['IPv4', 'IPv6'] as const) {
      const [first] = h.sentOn('wlan0', family, since)
      expect(first?.at, family).toBeGreaterThanOrEqual(since + 20)
      expect(first?.message.questions.every((q) => q.qu)).toBe(true)
    }
    expect(h.sentOn('eth0', undefined, since)).toEqual([])
    expect(h.engine.snapshot().status.interfaces.map((i) => `${i.name}:${i.state}`)).toEqual(['eth0:active', 'wlan0:active'])
  })

  it('case 24: an address change on a link re-queries there with QU', async () => {
    const h = await started({ interfaces: [ETH0] })
    await h.clock.advance(5000)
    const since = h.clock.now()
    await h.engine.setInterfaces([netIf('eth0', { v4: ['198.18.7.2/24'], v6: ['fe80::2/64'], scopeId: 2 })])
    await h.clock.advance(120)
    const after = h.questions((q) => q.at > since && q.link === 'eth0')
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((q) => q.qu)).toBe(true)
  })

  it('case 24: a removed interface forgets its records: its devices go down and do not come back with it', async () => {
    const h = await started({ interfaces: [ETH0, WLAN0] })
    await h.transport.receive({ data: lamp('198.18.1.40'), link: 'wlan0', address: '198.18.1.40' })
    expect(h.device('Porch Lamp')?.status).toBe('up')
    await h.engine.setInterfaces([ETH0])
    await h.clock.advance(10)
    expect(h.device('Porch Lamp')?.status).toBe('down')
    expect(h.engine.devices()).toEqual([])
    await h.engine.setInterfaces([ETH0, WLAN0])
    await h.clock.advance(10)
    expect(h.engine.devices()).toEqual([])
    expect(h.engine.snapshot().status.interfaces.map((i) => i.name)).toEqual(['eth0', 'wlan0'])
  })

  it('case 24: EADDRNOTAVAIL on an IPv6-only link: no crash, the link shows "error" with the reason, and it recovers', async () => {
    const v6only = netIf('wlan1', { kind: 'wifi', v6: ['fe80::9/64'], scopeId: 9 })
    const h = setupEngine({ interfaces: [ETH0, v6only] })
    cleanup = () => h.engine.close()
    h.transport.failures.set('wlan1|IPv6', eaddrnotavail('wlan1', 'IPv6'))
    await h.start()
    await h.clock.advance(2000)
    const wlan1 = h.engine.snapshot().status.interfaces.find((i) => i.name === 'wlan1')
    expect(wlan1).toMatchObject({ state: 'error', families: ['IPv6'] })
    expect(wlan1?.reason).toMatch(/IPv6 on wlan1: the address is not usable yet/)
    expect(h.sentOn('wlan1')).toEqual([])
    expect(h.sentOn('eth0').length).toBeGreaterThan(0)
    expect(h.changes.at(-1)?.status.interfaces.find((i) => i.name === 'wlan1')?.state).toBe('error')

    const since = h.clock.now()
    h.transport.recover('wlan1', 'IPv6')
    await h.clock.advance(0) // the engine re-plans links on the state change (asynchronously)
    await h.clock.advance(120)
    expect(h.engine.snapshot().status.interfaces.find((i) => i.name === 'wlan1')).toMatchObject({ state: 'active', reason: '' })
    const [first] = h.sentOn('wlan1', 'IPv6', since)
    expect(first?.message.questions.every((q) => q.qu)).toBe(true)
  })

  it('case 24: one failing family leaves the link active with the reason shown; the other family keeps working', async () => {
    const h = setupEngine({ interfaces: [ETH0] })
    cleanup = () => h.engine.close()
    h.transport.failures.set('eth0|IPv6', eaddrnotavail('eth0', 'IPv6'))
    await h.start()
    await h.clock.advance(200)
    expect(h.engine.snapshot().status.interfaces[0]).toMatchObject({ state: 'active', reason: expect.stringMatching(/not usable yet/) })
    expect(h.sentOn('eth0', 'IPv4')).toHaveLength(1)
    expect(h.sentOn('eth0', 'IPv6')).toEqual([])
  })
})

describe('options', () => {
  it('setOptions({includeTunnels: true}) makes a tunnel interface active and queried with QU', async () => {
    const tun = netIf('tun0', { kind: 'tunnel', v4: ['198.19.5.2/24'] })
    const h = await started({ interfaces: [ETH0, tun] })
    expect(h.engine.snapshot().status.interfaces.find((i) => i.name === 'tun0')).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/tunnel/i) })
    await h.clock.advance(3000)
    expect(h.sentOn('tun0')).toEqual([])
    const status = await h.engine.setOptions({ includeTunnels: true })
    expect(status.options).toEqual({ includeTunnels: true, includePeerToPeer: false })
    expect(status.interfaces.find((i) => i.name === 'tun0')).toMatchObject({ state: 'active', reason: '' })
    await h.clock.advance(120)
    expect(h.sentOn('tun0', 'IPv4')[0]?.message.questions.every((q) => q.qu)).toBe(true)
    await h.engine.setOptions({ includeTunnels: false })
    await h.clock.advance(5000)
    const last = h.sentOn('tun0').at(-1)?.at ?? 0
    await h.clock.advance(60_000)
    expect(h.sentOn('tun0', undefined, last)).toEqual([])
  })
})

describe('case 25: reconfirmation after a failed connect', () => {
  it('case 25: reconfirmAddress sends reconfirm queries; with no answer the device is down within ~10 s', async () => {
    const h = await started()
    await h.transport.receive({ data: lamp('198.18.0.40'), link: 'eth0' })
    await h.clock.advance(1000)
    const since = h.clock.now()
    expect(h.engine.reconfirmAddress('198.18.0.40', 'eth0')).toBe(1)
    await h.clock.advance(9000)
    const asked = h.questions((q) => q.at >= since && q.name === HOST && q.type === RR_TYPE.A && q.family === 'IPv4').map((q) => q.at - since)
    expect(asked.length).toBeGreaterThanOrEqual(2) // §10.4: two or more queries
    expect(asked[0]).toBeLessThan(200)
    expect(h.device('Porch Lamp')?.status).toBe('up')
    await h.clock.advance(1500)
    expect(h.device('Porch Lamp')?.status).toBe('down')
  })

  it('case 25: an answer during the window keeps the device up', async () => {
    const h = await started()
    await h.transport.receive({ data: lamp('198.18.0.40'), link: 'eth0' })
    h.engine.reconfirmAddress('198.18.0.40', 'eth0')
    await h.clock.advance(1500)
    await h.transport.receive({ data: packet([a(HOST, '198.18.0.40')]), link: 'eth0' })
    await h.clock.advance(20_000)
    expect(h.device('Porch Lamp')?.status).toBe('up')
  })

  it('case 25: a link-local IPv6 address as the connector has it (with its zone) is reconfirmed too', async () => {
    const h = await started()
    await h.transport.receive({ data: packet([...announce('Porch Lamp', HOST, '198.18.0.40').slice(0, 3), aaaa(HOST, 'fe80::1c2:3ff:fe04:506')]), link: 'eth0' })
    const connectAddress = h.device('Porch Lamp')?.addresses[0]?.address ?? ''
    expect(connectAddress).toBe('fe80::1c2:3ff:fe04:506%eth0')
    expect(h.engine.reconfirmAddress(connectAddress, 'eth0')).toBe(1)
    await h.clock.advance(10_500)
    expect(h.device('Porch Lamp')?.status).toBe('down')
  })

  it('case 25: an address on another interface, or unknown, reconfirms nothing', async () => {
    const h = await started({ interfaces: [ETH0, WLAN0] })
    await h.transport.receive({ data: lamp('198.18.0.40'), link: 'eth0' })
    expect(h.engine.reconfirmAddress('198.18.0.40', 'wlan0')).toBe(0)
    expect(h.engine.reconfirmAddress('198.18.0.99', 'eth0')).toBe(0)
    await h.clock.advance(15_000)
    expect(h.device('Porch Lamp')?.status).toBe('up')
  })
})

describe('case 11: service-type enumeration', () => {
  it('case 11: a type announced under _services._dns-sd._udp is browsed, and shows in status.types', async () => {
    const h = await started({ types: [], enumerate: true })
    await h.clock.advance(200)
    expect(h.questions((q) => q.type === RR_TYPE.PTR).map((q) => q.name)).toContain('_services._dns-sd._udp.local')
    const since = h.clock.now()
    await h.transport.receive({ data: packet([ptr('_services._dns-sd._udp.local', '_wled._tcp.local')]), link: 'eth0' })
    await h.clock.advance(150)
    expect(h.questions((q) => q.at > since && q.type === RR_TYPE.PTR).map((q) => q.name)).toContain('_wled._tcp.local')
    expect(h.engine.snapshot().status.types).toEqual(['_wled._tcp'])
    await h.transport.receive({ data: packet(announce('Strip', 'strip.local', '198.18.0.43', [], '_wled._tcp.local')), link: 'eth0' })
    expect(h.device('Strip')?.types).toEqual(['_wled._tcp'])
  })
})
