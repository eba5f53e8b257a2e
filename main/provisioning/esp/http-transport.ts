/**
 * The client side of protocomm's HTTP transport (`protocomm_httpd.c`, reference §1.2 and (b)2): raw bytes
 * POSTed to `/<prefix><endpoint>`, 1–4095 bytes, the `session=` cookie captured and echoed, and exactly one
 * kept-alive socket — the device's httpd has `max_open_sockets = 1` with LRU purge, so a second connection
 * would kill the first and, without the cookie, the security session with it.
 *
 * Requests are bound to `localAddress` so they cannot leave by another interface when the OS prefers a
 * network with internet (field report android#64), and run one at a time: session ciphers must see requests
 * in the order they were encrypted. Every outcome is a value; nothing here throws.
 */
import { Agent, request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import { systemClock, type Clock } from '../../util/clock'
import type { DriverEndpoint, DriverError, DriverResult } from '../driver'
import { classifyFailure, endpointPath, requestTarget, type RequestTarget } from './http-target'

/** Protocomm refuses an empty body and one of 4096 bytes or more (`Content-Length` must be 1..4095). */
export const MAX_REQUEST_BYTES = 4095
/** Replies are small protobufs or the proto-ver JSON; anything far larger is not an ESP device. */
const MAX_REPLY_BYTES = 64 * 1024
/** Default time one request may take, connect included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000

/** Options of one POST. */
export interface PostOptions {
  signal?: AbortSignal | undefined
  /** Overrides the transport's request timeout (a blocking scan takes seconds). */
  timeoutMs?: number | undefined
}

/** A failed POST: the DriverError, plus the HTTP status when the device answered with one. */
export type PostResult = { ok: true; value: Uint8Array } | { ok: false; error: DriverError; httpStatus?: number }

/** One connection to one accessory's provisioning service. */
export interface EspHttpTransport {
  /** POSTs `body` to the endpoint `name` (e.g. `prov-session`) and resolves to the reply body. */
  post(name: string, body: Uint8Array, options?: PostOptions): Promise<PostResult>
  /** True once the device has set its `session=` cookie. */
  readonly hasCookie: boolean
  readonly isClosed: boolean
  /** Drops the socket and any request in flight; idempotent. */
  close(): void
}

/** Options of the transport. */
export interface EspHttpTransportOptions {
  clock?: Clock
  requestTimeoutMs?: number
}

const COOKIE = /^\s*session=([A-Za-z0-9_-]{1,64})\s*(?:;|$)/

/** Opens a transport (no connection is made until the first POST); an invalid endpoint is an error value. */
export function createHttpTransport(endpoint: DriverEndpoint, options: EspHttpTransportOptions = {}): DriverResult<EspHttpTransport> {
  const resolved = requestTarget(endpoint)
  if (!resolved.ok) return resolved
  const target = resolved.value
  const clock = options.clock ?? systemClock
  const defaultTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, maxTotalSockets: 1 })
  const inFlight = new Set<ClientRequest>()
  let cookie: string | undefined
  let closed = false
  let queue: Promise<unknown> = Promise.resolve()

  const captureCookie = (res: IncomingMessage): void => {
    for (const line of res.headers['set-cookie'] ?? []) {
      const value = COOKIE.exec(line)?.[1]
      if (value !== undefined) cookie = `session=${value}`
    }
  }

  const send = (name: string, body: Uint8Array, opts: PostOptions): Promise<PostResult> => {
    if (closed) return Promise.resolve(failure({ code: 'invalid-state', message: 'The connection to the accessory was closed; open a new session.' }))
    if (body.length < 1 || body.length > MAX_REQUEST_BYTES) {
      return Promise.resolve(failure({ code: 'unsupported', message: `A provisioning message must be 1 to ${MAX_REQUEST_BYTES} bytes; this one cannot be sent to the accessory.`, detail: `body-${body.length}-bytes` }))
    }
    if (opts.signal?.aborted) return Promise.resolve(abortedResult())
    return exchange({ target, agent, clock, cookie, captureCookie, inFlight, isClosed: () => closed }, name, body, opts.timeoutMs ?? defaultTimeoutMs, opts.signal)
  }

  return {
    ok: true,
    value: {
      post(name, body, opts = {}) {
        const run = queue.then(() => send(name, body, opts))
        queue = run
        return run
      },
      get hasCookie() {
        return cookie !== undefined
      },
      get isClosed() {
        return closed
      },
      close() {
        if (closed) return
        closed = true
        for (const req of inFlight) req.destroy()
        agent.destroy()
      },
    },
  }
}

const failure = (error: DriverError, httpStatus?: number): PostResult => (httpStatus === undefined ? { ok: false, error } : { ok: false, error, httpStatus })
const abortedResult = (): PostResult => failure({ code: 'aborted', message: 'Stopped.' })

interface ExchangeContext {
  target: RequestTarget
  agent: Agent
  clock: Clock
  cookie: string | undefined
  captureCookie(res: IncomingMessage): void
  inFlight: Set<ClientRequest>
  isClosed(): boolean
}

/** node:http options for one POST on the shared agent, bound to the local address when one is set. */
function requestOptions(ctx: ExchangeContext, name: string, body: Uint8Array): RequestOptions {
  const { target } = ctx
  const headers: Record<string, string | number> = {
    // What esp_prov and the Espressif apps send; the device ignores both (reference §1.2).
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'text/plain',
    'Content-Length': body.length,
    Host: target.hostHeader,
    ...(ctx.cookie !== undefined && { Cookie: ctx.cookie }),
  }
  const options: RequestOptions = { host: target.host, port: target.port, path: endpointPath(target, name), method: 'POST', agent: ctx.agent, headers, setHost: false }
  if (target.family !== undefined) options.family = target.family
  if (target.localAddress !== undefined) options.localAddress = target.localAddress
  return options
}

/** One request/response with a timer over the whole exchange (connect included) and abort support. */
function exchange(ctx: ExchangeContext, name: string, body: Uint8Array, timeoutMs: number, signal: AbortSignal | undefined): Promise<PostResult> {
  return new Promise((resolve) => {
    let connected = false
    let timedOut = false
    let settled = false
    let req: ClientRequest | undefined
    const finish = (result: PostResult): void => {
      if (settled) return
      settled = true
      ctx.clock.clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (req) ctx.inFlight.delete(req)
      resolve(result)
    }
    const onAbort = (): void => {
      req?.destroy()
      finish(abortedResult())
    }
    const fail = (error: unknown): void => {
      if (ctx.isClosed()) return finish(failure({ code: 'aborted', message: 'The connection to the accessory was closed.' }))
      finish(failure(classifyFailure(error, { connected, timedOut, timeoutMs })))
    }
    const timer = ctx.clock.setTimeout(() => {
      timedOut = true
      req?.destroy(new Error('request timed out'))
      fail(undefined)
    }, timeoutMs)
    signal?.addEventListener('abort', onAbort, { once: true })

    try {
      req = request(requestOptions(ctx, name, body))
    } catch (error) {
      const code = (error as { code?: unknown }).code
      return finish(failure({ code: 'unsupported', message: 'The request to the accessory could not be built.', ...(typeof code === 'string' && { detail: code }) }))
    }
    ctx.inFlight.add(req)
    req.on('socket', (socket) => {
      // A kept-alive socket is connected already; a new one only once 'connect' fires (a failed bind
      // destroys it before that, and it is then neither connecting nor connected).
      if (socket.connecting) socket.once('connect', () => (connected = true))
      else connected = !socket.destroyed
    })
    req.on('error', fail)
    req.on('response', (res) => {
      ctx.captureCookie(res)
      readReply(res, finish, fail, () => req?.destroy())
    })
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  })
}

/** Collects a reply body (bounded), then finishes with the body on 200 or a device error with the status. */
function readReply(res: IncomingMessage, finish: (result: PostResult) => void, fail: (error: unknown) => void, destroy: () => void): void {
  const chunks: Buffer[] = []
  let size = 0
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size <= MAX_REPLY_BYTES) return void chunks.push(chunk)
    destroy()
    finish(failure({ code: 'device-error', message: 'The accessory sent a reply far larger than any provisioning message.', detail: 'reply-too-large' }))
  })
  res.on('error', fail)
  res.on('close', () => {
    if (!res.complete) fail(Object.assign(new Error('reply cut short'), { code: 'ECONNRESET' }))
  })
  res.on('end', () => {
    const status = res.statusCode ?? 0
    if (status === 200) return finish({ ok: true, value: new Uint8Array(Buffer.concat(chunks)) })
    finish(failure({ code: 'device-error', message: `The accessory answered with an error (HTTP ${status}).`, detail: `http-${status}` }, status))
  })
}
