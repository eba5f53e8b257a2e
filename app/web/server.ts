/**
 * The loopback web host: serves the built renderer and the contract over a WebSocket, for Playwright and
 * for people who want the UI without Electron.
 *
 * Trust rules: listens on loopback only (refuses anything else); every HTTP request must carry this server's
 * own Host (DNS rebinding); the WebSocket upgrade must come from this server's Origin and present the
 * per-launch token; payloads are validated by the same dispatch as Electron's.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Core } from '../../main/core'
import { dispatch } from '../../main/dispatch'
import { contentSecurityPolicy } from '../../shared/csp'
import { CLOSE_UNAUTHORIZED, IPC_PATH, IPC_PROTOCOL, InvokeMessage, type ServerMessage } from '../../shared/ipc/wire'
import { isAllowedHost, isAllowedOrigin, isLoopbackAddress, tokenFromProtocols, tokenMatches } from './guards'
import { resolveAsset } from './static-files'

/** Options for a web host. */
export interface WebHostOptions {
  core: Pick<Core, 'handlers' | 'events'>
  rendererDir: string
  host?: string
  port?: number
  token?: string
  log?: (message: string) => void
}

/** A listening web host. */
export interface WebHost {
  /** The address to open, token included (in the fragment, so it never reaches a server log). */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Thrown for a configuration the web host refuses (a programmer or operator error, not a runtime one). */
export class WebHostConfigError extends Error {}

const SECURITY_HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy('web'),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
}

/** Starts the web host; rejects if the address is not loopback or the port is taken. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const address = options.host ?? '127.0.0.1'
  if (!isLoopbackAddress(address)) {
    throw new WebHostConfigError(`refusing to listen on ${address}: the web host only listens on loopback (127.0.0.1 or ::1)`)
  }
  const token = options.token ?? randomBytes(32).toString('base64url')
  const log = options.log ?? (() => undefined)
  let port = 0
  const http = createServer((req, res) => void serveStatic(req, res, options.rendererDir, address, port))
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, handleProtocols: () => IPC_PROTOCOL })
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const allowed = url.pathname === IPC_PATH && isAllowedHost(req.headers.host, address, port)
      && isAllowedOrigin(req.headers.origin, address, port)
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
      if (!tokenMatches(tokenFromProtocols(offered), token)) return ws.close(CLOSE_UNAUTHORIZED, 'token rejected')
      serveClient(ws, options.core, log)
    })
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? 0, address, () => resolve())
  })
  port = (http.address() as AddressInfo).port
  const literal = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${literal}:${port}/#token=${token}`,
    port,
    token,
    close: () => closeAll(http, wss),
  }
}

function serveClient(ws: WebSocket, core: WebHostOptions['core'], log: (m: string) => void): void {
  const send = (message: ServerMessage) => ws.send(JSON.stringify(message))
  const unsubscribe = core.events.subscribe((event, payload) => send({ t: 'event', event, payload }))
  ws.on('close', unsubscribe)
  ws.on('message', (data, isBinary) => {
    if (isBinary) return
    let raw: unknown
    try {
      raw = JSON.parse(String(data))
    } catch {
      return log('web host: dropped a message that is not JSON')
    }
    const message = InvokeMessage.safeParse(raw)
    if (!message.success) return log('web host: dropped a malformed message')
    const { id, channel, payload } = message.data
    void dispatch(core.handlers, channel, payload, (ch, error) => log(`web host: ${ch} failed: ${String(error)}`))
      .then((result) => send({ t: 'result', id, result }))
  })
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, address: string, port: number) {
  const reply = (status: number, body: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(body)
  }
  if (!isAllowedHost(req.headers.host, address, port)) return reply(421, 'Misdirected request')
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'Method not allowed')
  const lookup = resolveAsset(root, new URL(req.url ?? '/', 'http://placeholder').pathname)
  if (!lookup.ok) return reply(lookup.status, lookup.status === 404 ? 'Not found' : 'Bad request')
  try {
    const body = await readFile(lookup.file)
    const cache = lookup.file.endsWith('.html') ? 'no-store' : 'max-age=3600'
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': lookup.contentType, 'Cache-Control': cache })
    res.end(req.method === 'HEAD' ? undefined : body)
  } catch {
    reply(404, 'Not found')
  }
}

function closeAll(http: ReturnType<typeof createServer>, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate()
  wss.close()
  http.closeAllConnections()
  return new Promise((resolve) => http.close(() => resolve()))
}
