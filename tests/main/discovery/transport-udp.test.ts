/**
 * The mDNS transport on real sockets, on loopback and on an unused port (never 5353, never another host):
 * a datagram to a link's address comes back attributed and marked unicast; an address the machine does not
 * have (EADDRNOTAVAIL, case 24) becomes a per-link state with a plain reason and bounded retries, not a throw.
 */
import { createSocket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { createMdnsTransport, describeSocketError, type LinkFamilyState, type MdnsTransport, type ReceivedPacket } from '../../../main/discovery/transport'
import type { TransportLink } from '../../../main/discovery/transport/links'
import { createFakeClock } from '../../helpers/fake-clock'

const loopback: TransportLink = { name: 'lo', scopeId: undefined, mtu: 65536, ipv4: [{ address: '127.0.0.1', prefixLength: 8 }], ipv6: [] }
/** An address this machine does not have (benchmarking range), so binding it fails with EADDRNOTAVAIL. */
const ghost: TransportLink = { name: 'ghost0', scopeId: undefined, mtu: 1500, ipv4: [{ address: '198.18.254.254', prefixLength: 24 }], ipv6: [] }

async function freePort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

async function sendFrom(port: number, data: Uint8Array): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const from = socket.address().port
  await new Promise<void>((resolve, reject) => socket.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())))
  socket.close()
  return from
}

function waitFor<T>(list: T[], count = 1, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  return new Promise((resolve, reject) => {
    const check = () => (list.length >= count ? resolve() : Date.now() > deadline ? reject(new Error(`nothing arrived within ${ms} ms`)) : setTimeout(check, 10))
    check()
  })
}

let transport: MdnsTransport | undefined
afterEach(async () => {
  await transport?.close()
  transport = undefined
})

describe('createMdnsTransport on real sockets', () => {
  it('a datagram to the link address is delivered once, attributed to the link, marked unicast, with its source port', async () => {
    const port = await freePort()
    const received: ReceivedPacket[] = []
    transport = createMdnsTransport({ clock: createFakeClock(), port, onPacket: (p) => received.push(p) })
    const started = await transport.start()
    expect(started).toEqual({ ownsPort: true, problems: [] })
    const states = await transport.setLinks([loopback])
    expect(states).toEqual([{ link: 'lo', family: 'IPv4', ok: true, error: '' }])
    const from = await sendFrom(port, new Uint8Array([1, 2, 3]))
    await waitFor(received)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(received).toEqual([{ data: new Uint8Array([1, 2, 3]), link: 'lo', family: 'IPv4', address: '127.0.0.1', port: from, unicast: true }])
  })

  it('another responder sharing the port (SO_REUSEADDR, like avahi) → ownsPort false, and listening still works', async () => {
    const port = await freePort()
    const other = createSocket({ type: 'udp4', reuseAddr: true })
    await new Promise<void>((resolve) => other.bind(port, '0.0.0.0', resolve))
    try {
      transport = createMdnsTransport({ clock: createFakeClock(), port, onPacket: () => undefined })
      expect(await transport.start()).toEqual({ ownsPort: false, problems: [] })
    } finally {
      other.close()
    }
  })

  it('keeps the sockets of an unchanged link across setLinks (MTU changes do not rebind)', async () => {
    const port = await freePort()
    const received: ReceivedPacket[] = []
    transport = createMdnsTransport({ clock: createFakeClock(), port, onPacket: (p) => received.push(p) })
    await transport.start()
    await transport.setLinks([loopback])
    await transport.setLinks([{ ...loopback, mtu: 1500 }])
    await sendFrom(port, new Uint8Array([9]))
    await waitFor(received)
    expect(received[0]).toMatchObject({ link: 'lo', unicast: true })
  })

  it('case 24: EADDRNOTAVAIL is a per-link state with a plain reason, retried a bounded number of times, never a throw', async () => {
    const port = await freePort()
    const clock = createFakeClock()
    const changes: LinkFamilyState[] = []
    transport = createMdnsTransport({ clock, port, retries: 2, retryDelayMs: 1000, onPacket: () => undefined, onStateChange: (s) => changes.push({ ...s }) })
    await transport.start()
    const [state] = await transport.setLinks([ghost, loopback])
    expect(state).toMatchObject({ link: 'ghost0', family: 'IPv4', ok: false })
    expect(state?.error).toBe('IPv4 on ghost0: the address is not usable yet (IPv6 duplicate address detection, or it just changed); retrying')
    expect(transport.states().find((s) => s.link === 'lo')?.ok).toBe(true)
    const sendError = await transport.send('ghost0', 'IPv4', new Uint8Array([0]))
    expect(sendError?.message).toMatch(/not usable yet/)
    for (let i = 0; i < 4; i++) {
      await clock.advance(1000)
      await new Promise((resolve) => setTimeout(resolve, 20)) // the real bind attempt settles
    }
    expect(transport.states().find((s) => s.link === 'ghost0')?.error).toMatch(/; gave up$/)
    expect(changes.map((c) => c.ok)).toEqual([false, false, false])
    expect(clock.pendingTimers()).toBe(0)
  })

  it('after close(), sends resolve with an error instead of throwing', async () => {
    const port = await freePort()
    transport = createMdnsTransport({ clock: createFakeClock(), port, onPacket: () => undefined })
    await transport.start()
    await transport.setLinks([loopback])
    await transport.close()
    expect(await transport.send('lo', 'IPv4', new Uint8Array([0]))).toBeInstanceOf(Error)
    expect(await transport.setLinks([loopback])).toEqual([])
  })
})

describe('describeSocketError', () => {
  const error = (code: string) => Object.assign(new Error(`x ${code}`), { code })

  it('says what happened and what to do, per errno', () => {
    expect(describeSocketError(error('ENODEV'), 'wlan0', 'IPv6')).toBe('IPv6 on wlan0: the interface disappeared')
    expect(describeSocketError(error('EACCES'), 'en0', 'IPv4')).toMatch(/firewall or permission/)
    expect(describeSocketError(error('EHOSTUNREACH'), 'en0', 'IPv4')).toMatch(/Local Network privacy setting/)
    expect(describeSocketError(error('EWHATEVER'), 'en0', 'IPv4')).toBe('IPv4 on en0: EWHATEVER: x EWHATEVER')
  })
})
