/**
 * HTTP polling as a heartbeat, over one kept-alive connection (the socket the connect race won): a GET of
 * a path, or for ESP devices a POST to a protocomm endpoint (esp_local_ctrl's `version` needs no secure
 * session, so it is a cheap liveness probe). Any status below 500 proves the device's HTTP server runs.
 * One request at a time: a poll due while the previous one is unanswered is skipped (the session counts
 * the miss) instead of queueing behind a frozen server.
 */
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { OpenContext, OpenResult, ProtocolLink, SessionProtocol } from '../protocol'

/** Default endpoint of the ESP variant: esp_local_ctrl's version query. */
export const ESP_DEFAULT_ENDPOINT = 'esp_local_ctrl/version'
/** Response bodies are read and dropped, at most this much each. */
const MAX_BODY_BYTES = 64 * 1024

/** A plain GET poll of `path`. */
export function httpPollProtocol(port: number | undefined, path: string): SessionProtocol {
  return { kind: 'http-poll', port, open: (socket, context) => openHttpPoll(socket, context, { method: 'GET', path }) }
}

/** A POST poll of an ESP protocomm endpoint (`/esp_local_ctrl/version` by default). */
export function espEndpointProtocol(port: number | undefined, endpoint = ESP_DEFAULT_ENDPOINT): SessionProtocol {
  const path = `/${endpoint.replace(/^\/+/, '')}`
  return { kind: 'esp-endpoint', port, open: (socket, context) => openHttpPoll(socket, context, { method: 'POST', path, body: Buffer.from('version') }) }
}

/** An agent that only ever uses the socket it was given, so polls ride the raced, kept-alive connection. */
class OneSocketAgent extends Agent {
  constructor(private readonly socket: Socket) {
    super({ keepAlive: true, maxSockets: 1 })
  }
  override createConnection(): Socket {
    return this.socket
  }
}

interface Poll {
  method: 'GET' | 'POST'
  path: string
  body?: Buffer
}

function openHttpPoll(socket: Socket, context: OpenContext, poll: Poll): Promise<OpenResult> {
  const { events, clock } = context
  const agent = new OneSocketAgent(socket)
  let inFlight: ClientRequest | undefined
  let closed = false
  const close = (code: 'peer-closed' | 'socket-error' | 'local-close', message: string) => {
    if (closed) return
    closed = true
    events.closed({ code, message })
  }
  socket.once('close', () => close('peer-closed', 'The accessory closed the HTTP connection.'))

  const send = (onResponse: (res: IncomingMessage) => void, onError: (error: Error) => void) => {
    if (inFlight || socket.destroyed) return false
    const req = request({
      agent,
      method: poll.method,
      path: poll.path,
      headers: { host: context.hostHeader, 'user-agent': 'Porchlight', ...(poll.body && { 'content-type': 'application/x-www-form-urlencoded', 'content-length': poll.body.length }) },
    })
    inFlight = req
    req.on('response', (res) => {
      let size = 0
      res.on('data', (chunk: Buffer) => {
        events.activity()
        size += chunk.length
        if (size > MAX_BODY_BYTES) res.destroy()
      })
      res.on('end', () => {
        inFlight = undefined
        onResponse(res)
      })
      res.on('error', () => undefined)
    })
    req.on('error', (error) => {
      inFlight = undefined
      onError(error)
    })
    req.end(poll.body)
    return true
  }

  const link: ProtocolLink = {
    heartbeat(seq) {
      send(
        (res) => {
          events.activity()
          if ((res.statusCode ?? 500) < 500) events.reply(seq)
        },
        (error) => close('socket-error', `The HTTP poll failed: ${error.message}.`),
      )
    },
    close() {
      closed = true
      inFlight?.destroy()
      socket.end()
      clock.setTimeout(() => socket.destroy(), 1000)
      agent.destroy()
    },
  }

  return new Promise<OpenResult>((resolve) => {
    const timer = clock.setTimeout(() => {
      socket.destroy()
      resolve({ ok: false, error: { code: 'handshake-timeout', message: `The accessory accepted the connection but did not answer ${poll.method} ${poll.path} within ${context.timeoutMs} ms.` } })
    }, context.timeoutMs)
    const sent = send(
      (res) => {
        clock.clearTimeout(timer)
        const status = res.statusCode ?? 0
        if (status >= 500) {
          socket.destroy()
          resolve({ ok: false, error: { code: 'http-error', message: `The accessory answered ${poll.method} ${poll.path} with HTTP ${status}.` } })
        } else resolve({ ok: true, value: link })
      },
      (error) => {
        clock.clearTimeout(timer)
        socket.destroy()
        resolve({ ok: false, error: { code: 'handshake-closed', message: `The accessory did not answer HTTP: ${error.message}.` } })
      },
    )
    if (!sent) {
      clock.clearTimeout(timer)
      resolve({ ok: false, error: { code: 'handshake-closed', message: 'The connection closed before the first HTTP poll.' } })
    }
  })
}
