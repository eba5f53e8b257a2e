/**
 * The lab accessory's control/heartbeat service over real TCP on 127.0.0.1: HELLO, PING/PONG, DATA,
 * fragmentation, garbage and oversize frames, and the stall / resume / dropAll fault switches.
 */
import { connect, type Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createControlClient,
  createControlServer,
  createFrameDecoder,
  encodeFrame,
  type ControlClient,
  type ControlClientEvent,
  type ControlServer,
  type ControlServerEvent,
  type Frame,
} from './accessory/control'

const HOST = '127.0.0.1'

/** Polls until `predicate` holds, failing after `ms` (every wait in this file is bounded). */
async function until(predicate: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A raw socket that decodes what the server sends, for tests that must misbehave on purpose. */
async function rawPeer(port: number): Promise<{ socket: Socket; frames: Frame[]; ended: () => boolean }> {
  const socket = connect({ host: HOST, port })
  const decoder = createFrameDecoder()
  const frames: Frame[] = []
  let ended = false
  socket.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk).frames))
  socket.on('end', () => (ended = true))
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return { socket, frames, ended: () => ended }
}

describe('control frames (pure)', () => {
  const ping = encodeFrame({ type: 'ping', seq: 7, timestamp: 123_456_789n })

  it('decodes a frame split at every possible byte boundary, and two frames glued together', () => {
    for (let cut = 1; cut < ping.length; cut++) {
      const decoder = createFrameDecoder()
      expect(decoder.push(ping.subarray(0, cut)).frames).toEqual([])
      expect(decoder.push(ping.subarray(cut)).frames).toEqual([{ type: 'ping', seq: 7, timestamp: 123_456_789n }])
    }
    const glued = createFrameDecoder().push(Buffer.concat([ping, encodeFrame({ type: 'data', payload: Buffer.from('hi') })]))
    expect(glued.frames.map((f) => f.type)).toEqual(['ping', 'data'])
  })

  it('rejects an oversized length from the header alone, unknown types, and bad payload sizes', () => {
    expect(createFrameDecoder(100).push(Buffer.from([0x04, 0x00, 0x65])).error?.code).toBe('frame-too-large')
    expect(createFrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n')).error?.code).toBe('protocol-error')
    const shortPing = Buffer.from([0x02, 0x00, 0x04, 0, 0, 0, 1])
    expect(createFrameDecoder().push(shortPing).error).toMatchObject({ code: 'protocol-error', reason: expect.stringMatching(/12 bytes/) })
    const badHello = Buffer.concat([Buffer.from([0x01, 0x00, 0x07]), Buffer.from('XXXX\x01\x01a')])
    expect(createFrameDecoder().push(badHello).error?.reason).toMatch(/magic/)
  })

  it('stays failed after an error and keeps frames decoded before it', () => {
    const decoder = createFrameDecoder()
    const result = decoder.push(Buffer.concat([ping, Buffer.from([0x7f, 0, 0])]))
    expect(result.frames).toHaveLength(1)
    expect(result.error?.code).toBe('protocol-error')
    expect(decoder.push(ping)).toMatchObject({ frames: [], error: { code: 'protocol-error' } })
  })
})

describe('control service on 127.0.0.1', () => {
  let server: ControlServer
  let serverEvents: ControlServerEvent[]
  const clients: ControlClient[] = []

  const client = async (extra: { clientId?: string; version?: number; connectTimeoutMs?: number } = {}) => {
    const c = await createControlClient({ host: HOST, port: server.port, ...extra })
    clients.push(c)
    return c
  }
  const record = (c: ControlClient) => {
    const events: ControlClientEvent[] = []
    c.on((e) => events.push(e))
    return events
  }

  beforeEach(async () => {
    serverEvents = []
    server = await createControlServer({ host: HOST, port: 0, deviceId: 'plx-acc-1', onEvent: (e) => serverEvents.push(e) })
  })

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server.close()
    expect(server.connections()).toBe(0)
  })

  it('exchanges HELLO, answers PING with PONG echoing seq and timestamp, and echoes DATA', async () => {
    const c = await client({ clientId: 'tester' })
    expect(c.device).toEqual({ id: 'plx-acc-1', version: 1 })
    await until(() => serverEvents.some((e) => e.type === 'hello'), 2000, 'the client HELLO')
    expect(serverEvents).toContainEqual(expect.objectContaining({ type: 'hello', clientId: 'tester', version: 1 }))
    const results = await Promise.all([c.ping(2000), c.ping(2000), c.ping(2000)])
    expect(results.map((r) => r.ok && r.seq)).toEqual([1, 2, 3])
    for (const r of results) expect(r.ok && r.rttMs).toBeGreaterThanOrEqual(0)
    const events = record(c)
    c.sendData(Buffer.from('payload ✓'))
    await until(() => events.some((e) => e.type === 'frame' && e.frame.type === 'data'), 2000, 'DATA echo')
    expect(events).toContainEqual({ type: 'frame', frame: { type: 'data', payload: Buffer.from('payload ✓') } })
    expect(server.connections()).toBe(1)
  })

  it('reassembles frames written one byte at a time and answers two frames sent in one write', async () => {
    const c = await client()
    const events = record(c)
    const frame = encodeFrame({ type: 'ping', seq: 41, timestamp: 5n })
    for (const byte of frame) {
      c.writeRaw(Buffer.from([byte]))
      await new Promise((r) => setTimeout(r, 2))
    }
    c.writeRaw(Buffer.concat([encodeFrame({ type: 'ping', seq: 42, timestamp: 6n }), encodeFrame({ type: 'ping', seq: 43, timestamp: 7n })]))
    const pongs = () => events.flatMap((e) => (e.type === 'frame' && e.frame.type === 'pong' ? [e.frame.seq] : []))
    await until(() => pongs().length === 3, 2000, 'three PONGs')
    expect(pongs()).toEqual([41, 42, 43])
  })

  it('closes a connection that sends garbage with CLOSE protocol-error, and keeps serving others', async () => {
    const peer = await rawPeer(server.port)
    peer.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await until(() => peer.ended(), 2000, 'FIN after garbage')
    expect(peer.frames[0]).toMatchObject({ type: 'hello', id: 'plx-acc-1' })
    expect(peer.frames.at(-1)).toMatchObject({ type: 'close', code: 'protocol-error', reason: expect.stringMatching(/unknown frame type 0x47/) })
    expect(serverEvents).toContainEqual(expect.objectContaining({ type: 'protocol-error', code: 'protocol-error' }))
    peer.socket.destroy()
    const c = await client()
    expect((await c.ping(2000)).ok).toBe(true)
  })

  it('closes at once on an oversized header, on a frame before HELLO, and on a wrong version', async () => {
    const big = await rawPeer(server.port)
    big.socket.write(Buffer.from([0x04, 0xff, 0xff, 0x00]))
    await until(() => big.ended(), 2000, 'FIN after an oversized header')
    expect(big.frames.at(-1)).toMatchObject({ type: 'close', code: 'frame-too-large' })
    big.socket.destroy()

    const early = await rawPeer(server.port)
    early.socket.write(encodeFrame({ type: 'ping', seq: 1, timestamp: 1n }))
    await until(() => early.ended(), 2000, 'FIN after PING before HELLO')
    expect(early.frames.at(-1)).toMatchObject({ type: 'close', code: 'hello-required' })
    early.socket.destroy()

    const v2 = await client({ version: 2 })
    const events = record(v2)
    await until(() => !v2.isOpen(), 2000, 'the server to close a version-2 client')
    expect(events).toContainEqual({ type: 'frame', frame: expect.objectContaining({ type: 'close', code: 'unsupported-version' }) })
  })

  it('stall: pings get no PONG while the socket stays open (no end, no close); resume answers again', async () => {
    const c = await client()
    const events = record(c)
    server.stall()
    const stalled = await c.ping(2000)
    expect(stalled).toMatchObject({ ok: false, error: { code: 'timeout', afterMs: 2000 } })
    expect(events.filter((e) => e.type === 'end' || e.type === 'close')).toEqual([])
    expect(c.isOpen()).toBe(true)
    expect(server.connections()).toBe(1)
    // A device that is wedged accepts TCP (the kernel does) but never says HELLO.
    await expect(client({ connectTimeoutMs: 300 })).rejects.toThrow(/no HELLO/)

    server.resume()
    const after = await c.ping(2000)
    expect(after.ok).toBe(true)
    // The PING sent during the stall is answered late, in order, once the device reads again.
    const pongs = events.flatMap((e) => (e.type === 'frame' && e.frame.type === 'pong' ? [e.frame.seq] : []))
    expect(pongs).toEqual([1, 2])
  })

  it('dropAll resets every connection: clients see the socket close and pings fail', async () => {
    const a = await client()
    const b = await client()
    const events = record(a)
    await until(() => server.connections() === 2, 2000, 'two connections')
    server.dropAll()
    await until(() => !a.isOpen() && !b.isOpen(), 2000, 'both clients to see the reset')
    expect(events).toContainEqual({ type: 'close' })
    expect(events.some((e) => e.type === 'frame' && e.frame.type === 'close')).toBe(false)
    expect(await a.ping(500)).toMatchObject({ ok: false, error: { code: 'closed' } })
    await until(() => server.connections() === 0, 2000, 'the server to forget them')
  })

  it('close sends CLOSE going-away then FIN; a client close is orderly on both sides', async () => {
    const a = await client()
    const eventsA = record(a)
    const b = await client()
    await b.close()
    await until(() => server.connections() === 1, 2000, 'the server to see the orderly close')
    await server.close()
    expect(eventsA).toContainEqual({ type: 'frame', frame: { type: 'close', code: 'going-away', reason: 'the accessory is shutting down' } })
    expect(eventsA.map((e) => e.type)).toContain('end')
    server = await createControlServer({ host: HOST, port: 0, deviceId: 'plx-acc-1' })
  })
})
