/**
 * The web host's Bridge: the same `invoke`/`on` surface as the Electron preload, over one WebSocket.
 * Requests made before the socket opens are queued; if the socket closes, pending and later requests
 * resolve to an `unavailable` error (never a rejection) and the status says why.
 */
import { eventSchemas, fail, isChannel, isEventName, type Bridge, type Channel, type EventName, type Result } from '../../shared/ipc'
import { CLOSE_UNAUTHORIZED, IPC_PATH, IPC_PROTOCOL, ResultEnvelope, ServerMessage, TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc/wire'

/** Connection state of the web bridge, for the UI's banner. */
export type BridgeStatus = 'connecting' | 'open' | 'closed' | 'unauthorized'

/** The socket constructor, injectable for tests. */
export type SocketFactory = (url: string, protocols: string[]) => WebSocket

/** A Bridge plus its connection status. */
export interface WebBridge extends Bridge {
  status(): BridgeStatus
  onStatus(listener: (status: BridgeStatus) => void): () => void
}

/** Connects to the web host at `origin` (e.g. `http://127.0.0.1:5000`) with the per-launch token. */
export function createWebSocketBridge(origin: string, token: string, makeSocket: SocketFactory = (u, p) => new WebSocket(u, p)): WebBridge {
  const socket = makeSocket(origin.replace(/^http/, 'ws') + IPC_PATH, [IPC_PROTOCOL, TOKEN_PROTOCOL_PREFIX + token])
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const statusListeners = new Set<(s: BridgeStatus) => void>()
  const queue: string[] = []
  let status: BridgeStatus = 'connecting'
  let nextId = 1

  const setStatus = (s: BridgeStatus) => {
    status = s
    statusListeners.forEach((l) => l(s))
  }
  const unavailable = (): Result<never> =>
    fail({ code: 'unavailable', message: 'Lost the connection to Porchlight. Restart `npm run web` and open the new address.' })

  const malformed = (): Result<never> =>
    fail({ code: 'internal', message: 'Porchlight sent a reply this page could not read. Reload the page.' })

  socket.addEventListener('open', () => {
    setStatus('open')
    queue.splice(0).forEach((m) => socket.send(m))
  })
  socket.addEventListener('close', (event) => {
    setStatus(event.code === CLOSE_UNAUTHORIZED ? 'unauthorized' : 'closed')
    pending.forEach((resolve) => resolve(unavailable()))
    pending.clear()
  })
  socket.addEventListener('message', (event) => {
    let parsed: ReturnType<typeof ServerMessage.safeParse>
    try {
      parsed = ServerMessage.safeParse(JSON.parse(String(event.data)))
    } catch {
      return
    }
    if (!parsed.success) return
    const message = parsed.data
    if (message.t === 'result') {
      const envelope = ResultEnvelope.safeParse(message.result)
      pending.get(message.id)?.(envelope.success ? (envelope.data as Result<unknown>) : malformed())
      pending.delete(message.id)
    } else if (isEventName(message.event)) {
      // Events become store state; one that does not match its schema is dropped, not rendered.
      const payload = eventSchemas[message.event].safeParse(message.payload)
      if (payload.success) listeners.get(message.event)?.forEach((l) => l(payload.data))
    }
  })

  const invoke = (channel: Channel, payload?: unknown): Promise<Result<unknown>> => {
    if (!isChannel(channel)) return Promise.resolve(fail({ code: 'unknown-channel', message: 'unknown channel', channel: String(channel) }))
    if (status === 'closed' || status === 'unauthorized') return Promise.resolve(unavailable())
    const id = nextId++
    const text = JSON.stringify({ t: 'invoke', id, channel, payload })
    return new Promise((resolve) => {
      pending.set(id, resolve)
      if (status === 'open') socket.send(text)
      else queue.push(text)
    })
  }

  return {
    invoke: invoke as Bridge['invoke'],
    on: (event: EventName, listener: (payload: never) => void) => {
      if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`)
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => void set.delete(l)
    },
    status: () => status,
    onStatus: (listener) => {
      statusListeners.add(listener)
      return () => void statusListeners.delete(listener)
    },
  }
}
