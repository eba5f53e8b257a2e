/**
 * The web host on real loopback sockets: static serving with its headers, the Host check, and the WebSocket
 * rules (origin, token, payload validation, events).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createEventHub } from '../../../main/events'
import { createHandlers } from '../../../main/handlers'
import { quietDiagnose, quietDiscovery, quietSessions, quietSetup } from '../../helpers/quiet-discovery'
import { startWebHost, WebHostConfigError, type WebHost } from '../../../app/web/server'

const dir = mkdtempSync(join(tmpdir(), 'plx-web-'))
mkdirSync(join(dir, 'assets'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>')
writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
writeFileSync(join(tmpdir(), 'outside.json'), '{}')

const events = createEventHub()
const core = { handlers: createHandlers({ host: { kind: 'web', name: 'Porchlight', version: '1.0.0' }, readInterfaces: async () => [], discovery: quietDiscovery(), sessions: quietSessions(), diagnose: quietDiagnose(), setup: quietSetup() }), events }

function get(port: number, path: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connect(h: WebHost, options: { origin?: string; token?: string } = {}) {
  const protocols = ['porchlight.v1', `porchlight-token.${options.token ?? h.token}`]
  const headers = options.origin === undefined ? { Origin: `http://127.0.0.1:${h.port}` } : options.origin ? { Origin: options.origin } : {}
  return new WebSocket(`ws://127.0.0.1:${h.port}/ipc`, protocols, { headers })
}

function outcome(ws: WebSocket) {
  return new Promise<{ opened: boolean; status?: number; closeCode?: number }>((resolve) => {
    let opened = false
    ws.on('open', () => (opened = true))
    ws.on('unexpected-response', (_req, res) => resolve({ opened, status: res.statusCode ?? 0 }))
    ws.on('close', (code) => resolve({ opened, closeCode: code }))
    ws.on('error', () => undefined)
  })
}

function invoke(ws: WebSocket, id: number, channel: string, payload?: unknown) {
  return new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>
      if (message.t === 'result' && message.id === id) {
        ws.off('message', onMessage)
        resolve(message.result as Record<string, unknown>)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ t: 'invoke', id, channel, payload }))
  })
}

let host: WebHost
beforeAll(async () => {
  host = await startWebHost({ core, rendererDir: dir })
})
afterAll(() => host.close())

describe('web host: binding', () => {
  it('refuses to listen on anything but loopback', async () => {
    for (const address of ['0.0.0.0', '::', '198.18.0.1']) {
      await expect(startWebHost({ core, rendererDir: dir, host: address })).rejects.toBeInstanceOf(WebHostConfigError)
    }
  })

  it('listens on 127.0.0.1, a random port, and prints a URL with a long random token in the fragment', async () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#token=[A-Za-z0-9_-]{43}$`))
    const other = await startWebHost({ core, rendererDir: dir })
    expect(other.port).not.toBe(host.port)
    expect(other.token).not.toBe(host.token)
    await other.close()
  })
})

describe('web host: HTTP', () => {
  it('serves the renderer with the CSP and hardening headers', async () => {
    const res = await get(host.port, '/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>t</title>')
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect((await get(host.port, '/assets/app.js')).status).toBe(200)
  })

  it('refuses a foreign Host header, traversal and unknown files', async () => {
    expect((await get(host.port, '/', `evil.example:${host.port}`)).status).toBe(421)
    // The URL parser folds %2e%2e into the root (so it is just a missing file); an encoded slash is refused.
    expect((await get(host.port, '/%2e%2e/outside.json')).status).toBe(404)
    expect((await get(host.port, '/..%2foutside.json')).status).toBe(400)
    expect((await get(host.port, '/nope.js')).status).toBe(404)
  })
})

describe('web host: WebSocket', () => {
  it('rejects an upgrade from another origin or with no origin', async () => {
    expect(await outcome(connect(host, { origin: 'http://evil.example' }))).toMatchObject({ opened: false, status: 403 })
    expect(await outcome(connect(host, { origin: '' }))).toMatchObject({ opened: false, status: 403 })
  })

  it('closes a connection with a wrong token with code 4401', async () => {
    expect(await outcome(connect(host, { token: 'wrong' }))).toMatchObject({ closeCode: 4401 })
  })

  it('serves the contract: results by id, invalid payloads and unknown channels as errors', async () => {
    const ws = connect(host)
    await new Promise((r) => ws.once('open', r))
    expect(ws.protocol).toBe('porchlight.v1')
    expect(await invoke(ws, 1, 'app:info')).toMatchObject({ ok: true, value: { hostKind: 'web', version: '1.0.0' } })
    expect(await invoke(ws, 2, 'net:interfaces', { x: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(await invoke(ws, 3, 'shell:exec')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    ws.send('not json')
    ws.send(JSON.stringify({ t: 'invoke', id: -1, channel: 'app:info' }))
    expect(await invoke(ws, 4, 'app:info')).toMatchObject({ ok: true })
    ws.close()
  })

  it('forwards events to connected clients', async () => {
    const ws = connect(host)
    await new Promise((r) => ws.once('open', r))
    const received = new Promise<Record<string, unknown>>((r) => ws.once('message', (d: Buffer) => r(JSON.parse(d.toString()) as Record<string, unknown>)))
    events.emit('net:interfacesChanged', { interfaces: [], added: [], removed: ['eth9'], changed: [] })
    expect(await received).toEqual({ t: 'event', event: 'net:interfacesChanged', payload: { interfaces: [], added: [], removed: ['eth9'], changed: [] } })
    ws.close()
  })
})
