/**
 * The multicast/broadcast self-test's decisions against a fake network: which checks it produces, how it
 * tells "multicast fails, broadcast works" from the reverse, how it decodes socket errors per platform, and
 * that every probe ends by its timeout with every socket closed. Real packets: tests/lab/diagnose-multicast.
 */
import { decode, encode } from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { decodeFailure } from '../../../main/diagnose/multicast-errors'
import { questionFor } from '../../../main/diagnose/multicast-dns'
import { dgramSelfTestSocket } from '../../../main/diagnose/multicast-socket'
import { runMulticastSelfTest, type KnownResponder, type SelfTestSocket, type SelfTestSocketFactory } from '../../../main/diagnose/multicast-test'
import { LOCAL_NETWORK_STEPS } from '../../../main/net/connect'
import { DiagnoseCheck } from '../../../shared/diagnose/view'
import type { NetInterface } from '../../../shared/net/interfaces'
import { createFakeClock } from '../../helpers/fake-clock'

interface Responder {
  address: string
  name: string
  /** Our multicast / broadcast query reaches it (default true). */
  hearsMulticast?: boolean
  hearsBroadcast?: boolean
  /** Its multicast answer reaches us (default true). */
  multicastBack?: boolean
}

interface World {
  loopMulticast?: boolean
  loopBroadcast?: boolean
  responders?: Responder[]
  /** An errno to fail a call with. */
  fail?: (op: 'bind' | 'join' | 'send', socket: FakeState, to: { address: string; port: number }) => string | undefined
}

interface FakeState {
  family: 'IPv4' | 'IPv6'
  address: string
  port: number
  out: string
  groups: string[]
  closed: boolean
  listeners: ((data: Uint8Array, from: { address: string; port: number }) => void)[]
}

const osError = (code: string) => Object.assign(new Error(`${code} (fake)`), { code })

/** A fake kernel: loops our probes back, and lets responders answer queries that reach them. */
function fakeNet(world: World) {
  const sockets: FakeState[] = []
  let nextPort = 40_000
  const deliver = (to: FakeState[], data: Uint8Array, from: { address: string; port: number }) =>
    to.filter((s) => !s.closed).forEach((s) => s.listeners.forEach((l) => l(data, from)))
  const route = (src: FakeState, data: Uint8Array, port: number, address: string) => {
    const isGroup = address.startsWith('224.') || address.startsWith('ff02::fb')
    const source = src.address === '0.0.0.0' || src.address === '::' ? src.out : src.address
    if (port !== 5353) {
      if (isGroup ? world.loopMulticast === false : world.loopBroadcast === false) return
      return deliver(sockets.filter((s) => s.port === port && (!isGroup || s.groups.length > 0)), data, { address: source, port: src.port })
    }
    const query = decode(Buffer.from(data))
    const q = query.questions?.[0]
    for (const r of world.responders ?? []) {
      if (!q || r.address.includes(':') !== src.family.endsWith('6') || !(isGroup ? r.hearsMulticast ?? true : r.hearsBroadcast ?? true)) continue
      if (q.name !== r.name && !q.name.startsWith('_services')) continue
      const answer = q.type === 'PTR' ? { type: 'PTR' as const, name: q.name, data: '_plx._tcp.local' }
        : { type: q.type === 'AAAA' ? 'AAAA' as const : 'A' as const, name: q.name, data: r.address.split('%')[0] ?? '' }
      const from = { address: r.address, port: 5353 }
      if (src.port !== 5353) deliver([src], encode({ type: 'response', id: query.id ?? 0, answers: [answer] }), from)
      else if (isGroup && r.multicastBack !== false) deliver(sockets.filter((s) => s.port === 5353 && s.family === src.family && s.groups.length > 0), encode({ type: 'response', answers: [answer] }), from)
    }
  }
  const factory: SelfTestSocketFactory = (options) => {
    const s: FakeState = { family: options.family, address: '', port: 0, out: '', groups: [], closed: false, listeners: [] }
    sockets.push(s)
    const failed = (op: 'bind' | 'join' | 'send', address: string, port: number) => {
      const errno = world.fail?.(op, s, { address, port })
      return errno ? osError(errno) : undefined
    }
    const socket: SelfTestSocket = {
      bind: async (port, address) => failed('bind', address, port) ?? void Object.assign(s, { address, port: port || nextPort++ }),
      localPort: () => s.port,
      join: (group, iface) => failed('join', group, 0) ?? void s.groups.push(`${group}@${iface}`),
      setMulticastOut: (iface) => void (s.out = iface.startsWith('::%') ? `fe80::2%${iface.slice(3)}` : iface),
      setBroadcast: () => undefined,
      send: async (data, port, address) => failed('send', address, port) ?? void queueMicrotask(() => route(s, data, port, address)),
      onMessage: (listener) => void s.listeners.push(listener),
      close: () => void (s.closed = true),
    }
    return socket
  }
  return { factory, sockets }
}

const wlan0: NetInterface = {
  name: 'wlan0', kind: 'wifi', kindReason: 'test', isUp: true, isRunning: true, isInternal: false, canMulticast: true,
  addresses: [
    { address: '198.18.0.2', family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'global' },
    { address: 'fe80::2', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId: 3 },
  ],
}
const DEVICE: Responder[] = [{ address: '198.18.0.11', name: 'plx-x0.local' }, { address: 'fe80::11%wlan0', name: 'plx-x0.local' }]
const KNOWN: KnownResponder[] = [
  { interface: 'wlan0', address: '198.18.0.11', name: 'plx-x0.local' },
  { interface: 'wlan0', address: 'fd00::11', name: 'plx-x0.local' },
]

async function selfTest(world: World, opts: { platform?: NodeJS.Platform; known?: KnownResponder[]; interfaces?: NetInterface[] } = {}) {
  const net = fakeNet(world)
  const clock = createFakeClock()
  const pending = runMulticastSelfTest(
    { interfaces: opts.interfaces ?? [wlan0], platform: opts.platform ?? 'linux', clock, socketFactory: net.factory, knownResponders: opts.known ?? KNOWN },
    { timeoutMs: 2500 },
  )
  // Small steps, so the probes' socket set-up (promises) runs between timers as it would in real time.
  for (let t = 0; t < 2500; t += 10) await clock.advance(10)
  const checks = await pending
  expect(net.sockets.every((s) => s.closed), 'every socket is closed').toBe(true)
  expect(clock.pendingTimers(), 'no timer outlives the test').toBe(0)
  checks.forEach((c) => DiagnoseCheck.parse(c))
  return Object.fromEntries(checks.map((c) => [c.id, c])) as Record<string, DiagnoseCheck>
}

describe('multicast self-test: what crosses the network', () => {
  it('passes multicast both ways (IPv4 and IPv6) and broadcast when the device answers every way', async () => {
    const c = await selfTest({ responders: DEVICE })
    expect(Object.keys(c)).toEqual(['multicast-wlan0', 'broadcast-wlan0', 'multicast-ipv6-wlan0'])
    expect(c['multicast-wlan0']).toMatchObject({ status: 'pass', group: 'multicast', facts: { selfLoop: true, known: [{ answeredQuery: true, multicastAnswerArrived: true }] } })
    expect(c['broadcast-wlan0']).toMatchObject({ status: 'pass', facts: { directedSelfReceive: true, limitedSelfReceive: true } })
    expect(c['multicast-ipv6-wlan0']).toMatchObject({ status: 'pass' })
  })

  it('multicast dropped, broadcast carried: multicast fails with the contrast, broadcast passes', async () => {
    const c = await selfTest({ responders: DEVICE.map((r) => ({ ...r, hearsMulticast: false })) })
    expect(c['multicast-wlan0']?.status).toBe('fail')
    expect(c['multicast-wlan0']?.summary).toMatch(/^Multicast fails on wlan0 but broadcast works: plx-x0\.local answered .* drops multicast \(IGMP snooping/)
    expect(c['multicast-wlan0']?.advice).toMatch(/multicast to unicast/)
    expect(c['broadcast-wlan0']).toMatchObject({ status: 'pass', summary: expect.stringMatching(/Multicast does not/) as unknown })
    expect(c['multicast-ipv6-wlan0']?.summary).toMatch(/^IPv6 multicast fails on wlan0 but broadcast works/)
  })

  it('broadcast dropped, multicast carried: broadcast warns with the reverse contrast', async () => {
    const c = await selfTest({ responders: DEVICE.map((r) => ({ ...r, hearsBroadcast: false })) })
    expect(c['multicast-wlan0']?.status).toBe('pass')
    expect(c['broadcast-wlan0']).toMatchObject({ status: 'warn', summary: expect.stringMatching(/^Broadcast fails on wlan0 but multicast works/) as unknown })
  })

  it('our query reaches the device but its multicast answer never arrives: inbound multicast is dropped', async () => {
    const c = await selfTest({ responders: DEVICE.map((r) => ({ ...r, multicastBack: false })) })
    expect(c['multicast-wlan0']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/reaches plx-x0\.local .*no multicast answer arrived/) as unknown })
  })

  it('only IPv6 multicast dropped while IPv4 multicast works points at MLD snooping', async () => {
    const c = await selfTest({ responders: DEVICE.map((r) => ({ ...r, hearsMulticast: !r.address.includes(':') })) })
    expect(c['multicast-wlan0']?.status).toBe('pass')
    expect(c['multicast-ipv6-wlan0']?.summary).toMatch(/^IPv6 multicast fails on wlan0 but IPv4 multicast works.*MLD snooping/)
  })

  it('without a known device, any answer to the service enumeration counts; nobody answering is a warning', async () => {
    const someone = await selfTest({ responders: [{ address: '198.18.0.50', name: 'x.local' }] }, { known: [] })
    expect(someone['multicast-wlan0']).toMatchObject({ status: 'pass', facts: { questions: ['_services._dns-sd._udp.local PTR'] } })
    const nobody = await selfTest({}, { known: [] })
    expect(nobody['multicast-wlan0']).toMatchObject({ status: 'warn', summary: expect.stringMatching(/our own probe came back.*no device answered/) as unknown })
    expect(nobody['broadcast-wlan0']?.summary).toMatch(/nothing on this computer blocks them; whether the network carries them is not known/)
  })

  it('answers from this computer’s own address (a local responder) never count as the network working', async () => {
    const c = await selfTest({ responders: [{ address: '198.18.0.2', name: 'me.local' }] }, { known: [] })
    expect(c['multicast-wlan0']).toMatchObject({ status: 'warn', facts: { otherResponders: [] } })
  })

  it('a device that answers neither way is reported as possibly gone, not as a network fault', async () => {
    const c = await selfTest({}, { known: KNOWN.slice(0, 1) })
    expect(c['multicast-wlan0']).toMatchObject({ status: 'warn', summary: expect.stringMatching(/Either it is off or gone, or the network drops multicast/) as unknown })
  })

  it('a busy port 5353 leaves multicast answers untested but still passes on a direct answer', async () => {
    const busy = await selfTest({ responders: DEVICE, fail: (op, _s, to) => (op === 'bind' && to.port === 5353 ? 'EADDRINUSE' : undefined) }, { known: KNOWN.slice(0, 1) })
    expect(busy['multicast-wlan0']).toMatchObject({ status: 'pass', facts: { multicastAnswersWatched: false }, summary: expect.stringMatching(/was not tested: port 5353/) as unknown })
  })
})

describe('multicast self-test: errors on this computer', () => {
  it('macOS EHOSTUNREACH on the second send (the first "succeeds" and is dropped) is the Local Network block, with the steps', async () => {
    let sends = 0
    const c = await selfTest({
      loopMulticast: false,
      responders: DEVICE,
      fail: (op, s, to) => (op === 'send' && s.family === 'IPv4' && to.address === '224.0.0.251' && to.port !== 5353 && ++sends > 1 ? 'EHOSTUNREACH' : undefined),
    }, { platform: 'darwin' })
    const m4 = c['multicast-wlan0']
    expect(m4).toMatchObject({ status: 'fail', steps: [...LOCAL_NETWORK_STEPS], facts: { failure: { stage: 'send', code: 'EHOSTUNREACH' } } })
    expect(m4?.summary).toMatch(/^Multicast fails on wlan0 but broadcast works\. macOS refused .*Local Network access is off/)
    expect(m4?.steps?.join(' ')).toMatch(/not in the list/)
    expect(m4?.advice).toMatch(/Privacy & Security › Local Network/)
  })

  it('macOS EHOSTUNREACH from bind() of the shared mDNS port (field report C06) is the same block', async () => {
    const c = await selfTest({ responders: DEVICE, fail: (op, _s, to) => (op === 'bind' && to.port === 5353 ? 'EHOSTUNREACH' : undefined) }, { platform: 'darwin' })
    expect(c['multicast-wlan0']).toMatchObject({ status: 'fail', steps: [...LOCAL_NETWORK_STEPS] })
  })

  it('macOS: nothing comes back although every send succeeded is still suspected as the Local Network block', async () => {
    const c = await selfTest({ loopMulticast: false, loopBroadcast: false }, { platform: 'darwin', known: [] })
    expect(c['multicast-wlan0']).toMatchObject({ status: 'fail', steps: [...LOCAL_NETWORK_STEPS], summary: expect.stringMatching(/never came back.*Local Network block/) as unknown })
  })

  it('Linux: EPERM on a send is a firewall rule; a missing self-receive is an input firewall', async () => {
    const eperm = await selfTest({ fail: (op, _s, to) => (op === 'send' && to.address.endsWith('.255') ? 'EPERM' : undefined) }, { known: [] })
    expect(eperm['broadcast-wlan0']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^Broadcast fails on wlan0 but multicast works\. .*firewall/) as unknown })
    expect(eperm['broadcast-wlan0']?.advice).toMatch(/nft list ruleset/)
    expect(eperm['broadcast-wlan0']?.steps).toBeUndefined()
    const dropped = await selfTest({ loopMulticast: false }, { known: [] })
    expect(dropped['multicast-wlan0']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^Multicast fails on wlan0 but broadcast works\. .*never came back.*firewall/) as unknown })
  })

  it('Linux EHOSTUNREACH is a missing route, not a privacy block; EADDRNOTAVAIL on join is an interface that went away', async () => {
    const route = await selfTest({ fail: (op, s) => (op === 'send' && s.family === 'IPv4' ? 'EHOSTUNREACH' : undefined) }, { known: [] })
    expect(route['multicast-wlan0']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/no route for multicast on wlan0/) as unknown })
    expect(route['multicast-wlan0']?.steps).toBeUndefined()
    const gone = await selfTest({ fail: (op) => (op === 'join' ? 'EADDRNOTAVAIL' : undefined) }, { known: [] })
    expect(gone['multicast-wlan0']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/went away or lost its address/) as unknown })
  })

  it('decodes errno per platform: privacy on macOS only; firewall wording names the platform tool', () => {
    const ctx = (platform: NodeJS.Platform) => ({ platform, interfaceName: 'en0', kind: 'multicast' as const })
    const send = (code: string) => ({ stage: 'send' as const, target: '224.0.0.251 port 5353', code, message: code })
    expect(decodeFailure(send('ENETUNREACH'), ctx('darwin')).code).toBe('local-network-denied')
    expect(decodeFailure(send('ENETUNREACH'), ctx('win32')).code).toBe('no-route')
    expect(decodeFailure(send('EACCES'), ctx('win32'))).toMatchObject({ code: 'blocked-by-firewall', advice: expect.stringMatching(/Windows Defender Firewall/) as unknown })
    expect(decodeFailure(send('ENODEV'), ctx('linux')).code).toBe('interface-gone')
    expect(decodeFailure({ stage: 'bind', target: '0.0.0.0', message: 'weird' }, ctx('linux'))).toMatchObject({ code: 'socket-failed', summary: expect.stringMatching(/weird/) as unknown })
  })
})

describe('multicast self-test: which interfaces, and bounds', () => {
  const nic = (over: Partial<NetInterface>): NetInterface => ({ ...wlan0, ...over })

  it('skips loopback, tunnels and peer-to-peer links; says so when nothing is left', async () => {
    const c = await selfTest({}, { interfaces: [nic({ name: 'lo', kind: 'loopback', isInternal: true }), nic({ name: 'utun3', kind: 'tunnel' }), nic({ name: 'awdl0', kind: 'peer-to-peer' })] })
    expect(Object.keys(c)).toEqual(['multicast-no-interface'])
    expect(c['multicast-no-interface']?.status).toBe('skip')
  })

  it('an interface without link, or with a /32, is skipped with the reason', async () => {
    const down = await selfTest({}, { interfaces: [nic({ isRunning: false })] })
    expect(down['multicast-wlan0']).toMatchObject({ status: 'skip', summary: expect.stringMatching(/no link/) as unknown })
    const host = nic({ addresses: [{ address: '198.18.0.2', family: 'IPv4', netmask: '255.255.255.255', prefixLength: 32, scope: 'global' }] })
    const p2p = await selfTest({ responders: DEVICE }, { interfaces: [host] })
    expect(p2p['broadcast-wlan0']).toMatchObject({ status: 'skip', summary: expect.stringMatching(/no broadcast address/) as unknown })
  })

  it('asks a host name for A/AAAA, a service type for PTR and an instance for SRV', () => {
    expect(questionFor('plx-x0', 'IPv4')).toEqual({ name: 'plx-x0.local', type: 'A' })
    expect(questionFor('plx-x0.local.', 'IPv6')).toEqual({ name: 'plx-x0.local', type: 'AAAA' })
    expect(questionFor('_esp_local_ctrl._tcp.local', 'IPv4')).toEqual({ name: '_esp_local_ctrl._tcp.local', type: 'PTR' })
    expect(questionFor('Lamp._esp_local_ctrl._tcp.local', 'IPv4')).toEqual({ name: 'Lamp._esp_local_ctrl._tcp.local', type: 'SRV' })
  })
})

describe('the node:dgram socket', () => {
  it('returns OS errors as values: a bind to an address this computer lacks, a send after close', async () => {
    const socket = dgramSelfTestSocket({ family: 'IPv4' })
    if (socket instanceof Error) throw socket
    // 198.18.255.254 is a benchmarking address no interface here has; nothing is sent.
    expect(await socket.bind(0, '198.18.255.254')).toMatchObject({ code: 'EADDRNOTAVAIL' })
    socket.close()
    socket.close()
    expect(await socket.send(new Uint8Array([1]), 9, '127.0.0.1')).toBeInstanceOf(Error)
  })
})
