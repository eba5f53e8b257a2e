/**
 * A minimal control-protocol client for lab tests (the app's real session manager comes later): connects,
 * exchanges HELLO, pings with a bounded wait, sends DATA, and reports what the socket does.
 */
import { connect } from 'node:net'
import { type Clock, systemClock } from '../../../../main/util/clock'
import { type FramedConnection, frameConnection } from './connection'
import { type CloseCode, DEFAULT_MAX_PAYLOAD, type Frame, PROTOCOL_VERSION } from './frames'

/** Where to connect and how the client introduces itself. */
export interface ControlClientOptions {
  host: string
  port: number
  /** Sent in the client's HELLO (default `lab-client`). */
  clientId?: string
  /** Protocol version to claim (default 1); tests use others to see `unsupported-version`. */
  version?: number
  maxPayload?: number
  /** How long to wait for TCP connect and the device's HELLO (default 3000 ms). */
  connectTimeoutMs?: number
  clock?: Clock
}

/** The outcome of one ping: a round-trip time or why none came back. */
export type PingResult =
  | { ok: true; seq: number; rttMs: number }
  | { ok: false; error: { code: 'timeout'; message: string; afterMs: number } | { code: 'closed'; message: string } }

/** What the client observed on its connection. */
export type ControlClientEvent =
  | { type: 'frame'; frame: Frame }
  | { type: 'protocol-error'; code: CloseCode; reason: string }
  | { type: 'end' }
  | { type: 'close' }

/** A connected client. */
export interface ControlClient {
  /** The device's HELLO. */
  readonly device: { id: string; version: number }
  /** Sends PING and waits up to `timeoutMs` for the matching PONG. */
  ping(timeoutMs: number): Promise<PingResult>
  /** Sends DATA; the lab server echoes it. */
  sendData(payload: Buffer): void
  /** Writes raw bytes (fragments, garbage) straight to the socket. */
  writeRaw(bytes: Buffer): void
  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: (event: ControlClientEvent) => void): () => void
  /** Sends CLOSE `normal` and resolves once the socket has closed (bounded by the close grace). */
  close(): Promise<void>
  /** Destroys the socket at once. */
  destroy(): void
  isOpen(): boolean
}

/** Connects and completes the HELLO exchange; rejects on connect failure, timeout, or a bad HELLO. */
export async function createControlClient(options: ControlClientOptions): Promise<ControlClient> {
  const clock = options.clock ?? systemClock
  const listeners = new Set<(event: ControlClientEvent) => void>()
  const emit = (event: ControlClientEvent) => listeners.forEach((l) => l(event))
  const subscribe = (listener: (event: ControlClientEvent) => void) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }
  const pending = new Map<number, (frame: Extract<Frame, { type: 'pong' }>) => void>()
  let nextSeq = 1
  let open = true

  const socket = connect({ host: options.host, port: options.port })
  let device: { id: string; version: number } | undefined
  let helloWaiter: ((hello: { id: string; version: number }) => void) | undefined

  const framed: FramedConnection = frameConnection(socket, options.maxPayload ?? DEFAULT_MAX_PAYLOAD, {
    onFrame(frame) {
      if (frame.type === 'hello' && !device) {
        device = { id: frame.id, version: frame.version }
        helloWaiter?.(device)
      } else if (frame.type === 'pong') {
        pending.get(frame.seq)?.(frame)
      } else if (frame.type === 'ping') {
        framed.send({ type: 'pong', seq: frame.seq, timestamp: frame.timestamp })
      }
      emit({ type: 'frame', frame })
    },
    onProtocolError: (code, reason) => emit({ type: 'protocol-error', code, reason }),
    onClosed() {
      open = false
      emit({ type: 'close' })
    },
  })
  socket.on('end', () => emit({ type: 'end' }))

  const timeoutMs = options.connectTimeoutMs ?? 3000
  const where = `${options.host}:${options.port}`
  const hello = await new Promise<{ id: string; version: number }>((resolve, reject) => {
    const onClose = () => fail(new Error(`connection to ${where} closed before HELLO`))
    const timer = clock.setTimeout(() => fail(new Error(`no HELLO from ${where} within ${timeoutMs} ms`)), timeoutMs)
    function fail(error: Error) {
      clock.clearTimeout(timer)
      socket.destroy()
      reject(error)
    }
    helloWaiter = (h) => {
      clock.clearTimeout(timer)
      socket.off('close', onClose)
      resolve(h)
    }
    socket.once('close', onClose)
    socket.once('connect', () => {
      framed.send({ type: 'hello', version: options.version ?? PROTOCOL_VERSION, id: options.clientId ?? 'lab-client' })
    })
  })

  return {
    device: hello,
    ping(waitMs) {
      const seq = nextSeq++
      const sentAt = clock.now()
      return new Promise<PingResult>((resolve) => {
        if (!open) return resolve({ ok: false, error: { code: 'closed', message: 'the connection is closed' } })
        const settle = (result: PingResult) => {
          pending.delete(seq)
          clock.clearTimeout(timer)
          unsubscribe()
          resolve(result)
        }
        const timer = clock.setTimeout(
          () => settle({ ok: false, error: { code: 'timeout', message: `no PONG for PING ${seq} within ${waitMs} ms`, afterMs: waitMs } }),
          waitMs,
        )
        const unsubscribe = subscribe((e) => {
          if (e.type === 'close') settle({ ok: false, error: { code: 'closed', message: 'the connection closed while waiting for PONG' } })
        })
        pending.set(seq, (pong) => {
          // The echoed timestamp is our own microsecond clock reading, so RTT needs no per-seq state.
          settle({ ok: true, seq, rttMs: clock.now() - Number(pong.timestamp) / 1000 })
        })
        framed.send({ type: 'ping', seq, timestamp: BigInt(Math.round(sentAt * 1000)) })
      })
    },
    sendData: (payload) => framed.send({ type: 'data', payload }),
    writeRaw: (bytes) => void socket.write(bytes),
    on: subscribe,
    async close() {
      if (!open) return
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      framed.closeWith('normal', 'client done')
      await closed
    },
    destroy: () => socket.destroy(),
    isOpen: () => open,
  }
}
