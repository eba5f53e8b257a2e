/**
 * The provisioning HTTP transport against plain node:http servers on loopback: body limits, the session
 * cookie, one socket for everything (in order), error statuses and what a failed request is called.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { classifyFailure, requestTarget } from '../../../../main/provisioning/esp/http-target'
import { createHttpTransport, type EspHttpTransport } from '../../../../main/provisioning/esp/http-transport'

const running: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop()
})

interface Seen {
  url: string
  cookie: string | undefined
  body: string
}

async function serve(reply: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = { url: req.url ?? '', cookie: req.headers.cookie, body: Buffer.concat(chunks).toString() }
      seen.push(entry)
      reply(req, res, entry)
    })
  })
  server.on('connection', (s: Socket) => {
    connections++
    sockets.add(s)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  running.push(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy()
    server.close(() => r())
  }))
  return { port: (server.address() as { port: number }).port, seen, connections: () => connections }
}

function transport(port: number, requestTimeoutMs = 2000): EspHttpTransport {
  const created = createHttpTransport({ host: '127.0.0.1', port }, { requestTimeoutMs })
  if (!created.ok) throw new Error(created.error.message)
  running.push(() => created.value.close())
  return created.value
}

const text = (s: string) => new TextEncoder().encode(s)

describe('HTTP transport', () => {
  it('refuses empty bodies and bodies over 4095 bytes without sending anything; 4095 goes through', async () => {
    const server = await serve((_req, res) => res.writeHead(200).end('ok'))
    const t = transport(server.port)
    expect(await t.post('proto-ver', new Uint8Array(0))).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(await t.post('proto-ver', new Uint8Array(4096))).toMatchObject({ ok: false, error: { code: 'unsupported', detail: 'body-4096-bytes' } })
    expect(server.seen).toHaveLength(0)
    expect(await t.post('proto-ver', new Uint8Array(4095).fill(0x41))).toMatchObject({ ok: true })
    expect(server.seen.map((s) => s.body.length)).toEqual([4095])
  })

  it('captures the session cookie and echoes it; ignores malformed cookies', async () => {
    let n = 0
    const server = await serve((_req, res) => {
      n++
      if (n === 1) res.setHeader('Set-Cookie', ['theme=dark', 'session=1234567; Path=/'])
      if (n === 2) res.setHeader('Set-Cookie', 'session=bad value; Path=/')
      res.writeHead(200).end('ok')
    })
    const t = transport(server.port)
    for (let i = 0; i < 3; i++) expect((await t.post('prov-session', text('x'))).ok).toBe(true)
    expect(t.hasCookie).toBe(true)
    expect(server.seen.map((s) => s.cookie)).toEqual([undefined, 'session=1234567', 'session=1234567'])
  })

  it('uses one kept-alive socket for every request, and sends concurrent requests in call order', async () => {
    const server = await serve((_req, res, seen) => setTimeout(() => res.writeHead(200).end(seen.body), seen.body === '0' ? 30 : 0))
    const t = transport(server.port)
    const replies = await Promise.all(['0', '1', '2', '3', '4'].map((b) => t.post('prov-config', text(b))))
    expect(replies.map((r) => r.ok && new TextDecoder().decode(r.value))).toEqual(['0', '1', '2', '3', '4'])
    expect(server.seen.map((s) => s.body)).toEqual(['0', '1', '2', '3', '4'])
    expect(server.seen[0]?.url).toBe('/prov-config')
    expect(server.connections()).toBe(1)
  })

  it('reports a non-200 reply as device-error with its status', async () => {
    const server = await serve((_req, res) => res.writeHead(500).end('no'))
    expect(await transport(server.port).post('prov-ctrl', text('x'))).toMatchObject({ ok: false, httpStatus: 500, error: { code: 'device-error', detail: 'http-500' } })
  })

  it('a dropped request is connection-lost; silence past the timeout is connection-lost with detail timeout', async () => {
    const server = await serve((req, res, seen) => {
      if (seen.body === 'drop') return void req.socket.destroy()
      if (seen.body === 'ok') res.writeHead(200).end('ok')
    })
    const t = transport(server.port, 200)
    expect(await t.post('prov-session', text('drop'))).toMatchObject({ ok: false, error: { code: 'connection-lost' } })
    expect(await t.post('prov-session', text('ok'))).toMatchObject({ ok: true })
    expect(await t.post('prov-session', text('silence'))).toMatchObject({ ok: false, error: { code: 'connection-lost', detail: 'timeout' } })
  })

  it('refuses replies far larger than any provisioning message', async () => {
    const server = await serve((_req, res) => res.writeHead(200).end(Buffer.alloc(200_000)))
    expect(await transport(server.port).post('proto-ver', text('---'))).toMatchObject({ ok: false, error: { code: 'device-error', detail: 'reply-too-large' } })
  })

  it('abort and close end requests in flight; a closed transport refuses more', async () => {
    const server = await serve(() => undefined)
    const t = transport(server.port)
    const controller = new AbortController()
    const pending = t.post('prov-config', text('x'), { signal: controller.signal })
    setTimeout(() => controller.abort(), 30)
    expect(await pending).toMatchObject({ ok: false, error: { code: 'aborted' } })
    const inFlight = t.post('prov-config', text('y'))
    setTimeout(() => t.close(), 30)
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'aborted' } })
    expect(await t.post('prov-config', text('z'))).toMatchObject({ ok: false, error: { code: 'invalid-state' } })
  })
})

describe('request targets and failure names', () => {
  it('accepts IPv6 link-local with a zone in plain, bracketed and URL-encoded form; the Host header has no zone', () => {
    for (const host of ['fe80::1%wlan0', '[fe80::1%wlan0]', '[fe80::1%25wlan0]']) {
      expect(requestTarget({ host, port: 80, localAddress: 'fe80::2%wlan0' })).toEqual({
        ok: true,
        value: { host: 'fe80::1%wlan0', port: 80, family: 6, hostHeader: '[fe80::1]:80', localAddress: 'fe80::2%wlan0', pathPrefix: '' },
      })
    }
    expect(requestTarget({ host: '192.168.4.1', port: 80 })).toMatchObject({ ok: true, value: { family: 4, hostHeader: '192.168.4.1:80' } })
    expect(requestTarget({ host: 'device.local', port: 8080 })).toMatchObject({ ok: true, value: { family: undefined, hostHeader: 'device.local:8080' } })
  })

  it('rejects what cannot be dialled, as values', () => {
    for (const endpoint of [
      { host: '', port: 80 }, { host: 'a b', port: 80 }, { host: '192.168.4.1', port: 0 }, { host: 'name%zone', port: 80 },
      { host: '192.168.4.1', port: 80, pathPrefix: 'sp ace/' }, { host: '192.168.4.1', port: 80, localAddress: 'wlan0' },
    ]) {
      expect(requestTarget(endpoint)).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    }
  })

  it('names failures by whether a connection existed', () => {
    const ctx = { connected: false, timedOut: false, timeoutMs: 5000 }
    expect(classifyFailure({ code: 'EHOSTUNREACH' }, ctx)).toMatchObject({ code: 'unreachable', detail: 'EHOSTUNREACH' })
    expect(classifyFailure(undefined, { ...ctx, timedOut: true })).toMatchObject({ code: 'unreachable', detail: 'connect-timeout' })
    expect(classifyFailure({ code: 'ECONNRESET' }, { ...ctx, connected: true })).toMatchObject({ code: 'connection-lost', detail: 'ECONNRESET' })
    expect(classifyFailure({ code: 'EPIPE' }, { ...ctx, connected: true })).toMatchObject({ code: 'connection-lost', detail: 'EPIPE' })
    expect(classifyFailure({ code: 'ECONNREFUSED' }, { ...ctx, connected: true })).toMatchObject({ code: 'unreachable' })
  })
})
