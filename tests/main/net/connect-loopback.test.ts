/**
 * The racer with real sockets on loopback (cases 44–46): listeners on 127.0.0.1 and ::1, a port nobody
 * serves, and an unusable zone, with the real clock and `net.connect`. Only loopback is ever dialled.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRace, type ConnectFinding, type ResolvedTarget } from '../../../main/net/connect'

const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'))
if (!hasIpv6Loopback) process.stderr.write('connect loopback: ::1 tests skipped: this machine has no IPv6 loopback address\n')

/** A listener that writes its name to each client and counts connections. */
async function listen(host: string, name: string): Promise<{ server: Server; port: number; accepted: () => number }> {
  let accepted = 0
  const server = createServer((socket) => {
    accepted++
    // A client that won and was closed at once resets us; that is the client's business.
    socket.on('error', () => undefined)
    socket.end(`${name}\n`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, resolve)
  })
  return { server, port: (server.address() as AddressInfo).port, accepted: () => accepted }
}

/** A loopback port nobody listens on: bound, then closed. */
async function deadPort(host: string): Promise<number> {
  const { server, port } = await listen(host, 'dead')
  await new Promise((resolve) => server.close(resolve))
  return port
}

const readLine = (socket: Socket) => new Promise<string>((resolve, reject) => {
  let text = ''
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
  socket.once('end', () => resolve(text.trim()))
  socket.once('error', reject)
})

describe('connectRace on loopback (real sockets)', () => {
  const servers: Server[] = []
  let v4: Awaited<ReturnType<typeof listen>>
  let v6: Awaited<ReturnType<typeof listen>> | undefined
  let dead4 = 0
  let dead6 = 0

  beforeAll(async () => {
    v4 = await listen('127.0.0.1', 'v4')
    servers.push(v4.server)
    dead4 = await deadPort('127.0.0.1')
    if (hasIpv6Loopback) {
      v6 = await listen('::1', 'v6')
      servers.push(v6.server)
      dead6 = await deadPort('::1')
    }
  })

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  })

  it('case 44: connects to 127.0.0.1 and the socket carries the server’s bytes', async () => {
    const out = await connectRace([{ address: '127.0.0.1', port: v4.port }])
    if (!out.ok) throw new Error(out.error.message)
    expect(await readLine(out.value.socket)).toBe('v4')
    expect(out.value.attempts).toMatchObject([{ address: '127.0.0.1', outcome: 'won' }])
  })

  it.skipIf(!hasIpv6Loopback)('case 44: with both families live, ::1 is dialled first and wins; 127.0.0.1 is never dialled', async () => {
    const before = v4.accepted()
    const out = await connectRace([{ address: '127.0.0.1', port: v4.port }, { address: '::1', port: v6?.port }])
    if (!out.ok) throw new Error(out.error.message)
    expect(out.value.winner.connectAddress).toBe('::1')
    expect(await readLine(out.value.socket)).toBe('v6')
    expect(out.value.attempts.map((a) => a.outcome)).toEqual(['won', 'not-started'])
    expect(v4.accepted()).toBe(before)
  })

  it.skipIf(!hasIpv6Loopback)('case 44: a refused ::1 starts 127.0.0.1 at once, not after the attempt delay', async () => {
    const failed: [ResolvedTarget, ConnectFinding][] = []
    const out = await connectRace([{ address: '127.0.0.1', port: v4.port }, { address: '::1', port: dead6 }],
      { attemptDelayMs: 2000, onAddressFailed: (target, finding) => void failed.push([target, finding]) })
    if (!out.ok) throw new Error(out.error.message)
    expect(out.value.winner.connectAddress).toBe('127.0.0.1')
    const [first, second] = out.value.attempts
    expect(first).toMatchObject({ address: '::1', outcome: 'failed', errno: 'ECONNREFUSED' })
    // Had the race waited for the 2000 ms delay, the second attempt would start at ≥ 2000 ms.
    expect(second?.startedAtMs).toBeLessThan(1000)
    expect(second?.startedAtMs).toBeGreaterThanOrEqual(first?.endedAtMs ?? Infinity)
    expect(failed.map(([t, f]) => [t.connectAddress, f.code])).toEqual([['::1', 'connection-refused']])
    out.value.socket.destroy()
  })

  it('case 44: every address refused is `all-failed` with one ECONNREFUSED per address', async () => {
    const targets = [{ address: '127.0.0.1', port: dead4 }, ...(hasIpv6Loopback ? [{ address: '::1', port: dead6 }] : [])]
    const out = await connectRace(targets)
    if (out.ok || out.error.code !== 'all-failed') throw new Error('expected all-failed')
    expect(out.error.failures.map((f) => [f.address, f.errno])).toEqual(
      hasIpv6Loopback ? [['::1', 'ECONNREFUSED'], ['127.0.0.1', 'ECONNREFUSED']] : [['127.0.0.1', 'ECONNREFUSED']])
    expect(out.error.message).toMatch(/Could not connect at any of the device's/)
  })

  it.runIf(process.platform === 'linux')('case 45/46: a zone naming no interface fails in the kernel with EINVAL, reported as a bad zone', async () => {
    // No interface list is passed, so the zone goes to the OS as it is (libuv: if_nametoindex → 0 → EINVAL).
    const out = await connectRace(['fe80::1%plxnosuch0'], { port: 9 })
    if (out.ok || out.error.code !== 'all-failed') throw new Error('expected all-failed')
    expect(out.error.failures[0]).toMatchObject({ errno: 'EINVAL', finding: { code: 'zone-invalid' } })
    expect(out.error.message).toMatch(/Search for the device again/)
  })

  it('a caller’s abort, before the loopback connect completes, ends the race as `aborted`', async () => {
    const controller = new AbortController()
    const pending = connectRace([{ address: '127.0.0.1', port: v4.port }], { signal: controller.signal })
    controller.abort()
    const out = await pending
    expect(!out.ok && out.error.code).toBe('aborted')
  })
})
