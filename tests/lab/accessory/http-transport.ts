/**
 * The device side of protocomm's HTTP transport (`protocomm_httpd.c`), as a client meets it:
 * `POST /<endpoint>` only; a body of 1–4095 bytes; one security session at a time, bound by the
 * `session=<u32>` cookie set on its first response (or, without a cookie, by the socket); a request that
 * matches neither starts a new session and discards the old one; `max_open_sockets = 1` with LRU purge.
 * Reference: provisioning-protocols.md §1.2 and (b)2.
 */
import { randomInt } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Per-session state the endpoint handlers keep (the security session lives here). */
export interface TransportSession {
  readonly id: number
}

/** What an endpoint handler returns. */
export type EndpointReply = { status: 200; body: Uint8Array } | { status: 400 | 404 | 500; message: string } | { status: 'drop' }

/** Handles one request of a session; `isNew` is true for the first request after the session began. */
export type EndpointHandler = (endpoint: string, body: Uint8Array, session: TransportSession, isNew: boolean) => Promise<EndpointReply>

/** Options of the transport. */
export interface HttpTransportOptions {
  /** Addresses to listen on (one server each, sharing sessions), e.g. the AP address, or the home addresses. */
  hosts: readonly string[]
  port: number
  handler: EndpointHandler
  /** Called when a session is replaced (the old security state is gone). */
  onSessionEnded?: (session: TransportSession) => void
  /** ESP's httpd keeps one socket and purges the least recently used; 0 = unlimited. */
  maxOpenSockets?: number
  /** Delay before every reply (the "slow responses" fault). */
  responseDelayMs?: () => number
}

/** A listening transport. */
export interface HttpTransport {
  readonly port: number
  /** Drops every connection and the session, as a reboot does. */
  resetAll(): void
  close(): Promise<void>
}

const MAX_BODY = 4095

/** Starts the transport. */
export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpTransport> {
  let current: { session: TransportSession; socket: Socket | undefined } | undefined
  const sockets: Socket[] = []

  const sessionFor = (req: IncomingMessage): { session: TransportSession; isNew: boolean } => {
    const cookie = /(?:^|;\s*)session=(\d+)/.exec(req.headers.cookie ?? '')?.[1]
    if (current && ((cookie !== undefined && Number(cookie) === current.session.id) || (cookie === undefined && current.socket === req.socket))) {
      return { session: current.session, isNew: false }
    }
    if (current) options.onSessionEnded?.(current.session)
    current = { session: { id: randomInt(1, 2 ** 31) }, socket: req.socket }
    return { session: current.session, isNew: true }
  }

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const endpoint = new URL(req.url ?? '/', 'http://device').pathname.replace(/^\//, '')
    if (req.method !== 'POST') return send(res, 405, 'Method Not Allowed')
    const body = await readBody(req)
    if (body === undefined || body.length === 0) return send(res, 400, 'Bad Request: body must be 1 to 4095 bytes')
    const { session, isNew } = sessionFor(req)
    const reply = await options.handler(endpoint, body, session, isNew)
    // A device that reboots or crashes answers nothing: the connection just dies.
    if (reply.status === 'drop') return void req.socket.destroy()
    const delay = options.responseDelayMs?.() ?? 0
    if (delay > 0) await new Promise((r) => setTimeout(r, delay))
    if (reply.status !== 200) return send(res, reply.status, reply.message)
    const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream', 'Content-Length': reply.body.length }
    if (isNew) headers['Set-Cookie'] = `session=${session.id}`
    res.writeHead(200, headers).end(reply.body)
  }

  const servers: Server[] = []
  let port = options.port
  for (const host of options.hosts) {
    const server: Server = createServer((req, res) => {
      respond(req, res).catch(() => send(res, 500, 'Internal Server Error'))
    })
    server.on('connection', (socket: Socket) => {
      const limit = options.maxOpenSockets ?? 1
      if (limit > 0 && sockets.length >= limit) sockets.shift()?.destroy()
      sockets.push(socket)
      socket.on('close', () => sockets.splice(sockets.indexOf(socket) >>> 0, 1))
    })
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => resolve())
      })
    } catch (error) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
      throw error
    }
    servers.push(server)
    // Every address shares the port the first one got (0 = the OS picks it once).
    const address = server.address()
    if (typeof address === 'object' && address) port = address.port
  }
  return {
    port,
    resetAll() {
      if (current) options.onSessionEnded?.(current.session)
      current = undefined
      for (const socket of sockets.splice(0)) socket.destroy()
    },
    close: async () => {
      for (const socket of sockets.splice(0)) socket.destroy()
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
    },
  }
}

function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY ? undefined : new Uint8Array(Buffer.concat(chunks))))
    req.on('error', () => resolve(undefined))
  })
}

function send(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' }).end(message)
}
