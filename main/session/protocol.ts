/**
 * The small interface every heartbeat protocol implements: a handshake on a connected socket, then a
 * link that sends heartbeats and reports replies, any received bytes, and how it closed. The session
 * owns timing (interval, silence, reconnect); protocols only speak their wire format.
 */
import type { Socket } from 'node:net'
import type { Clock } from '../util/clock'

/** How a link ended, in plain language; `code` is kebab-case. */
export interface LinkClosed {
  code: 'peer-closed' | 'going-away' | 'connection-reset' | 'protocol-error' | 'socket-error' | 'local-close' | 'send-buffer-full'
  message: string
}

/** What a link reports to its session. */
export interface LinkEvents {
  /** Heartbeat `seq` was answered. */
  reply(seq: number): void
  /** The peer sent something (any byte proves it is alive). */
  activity(): void
  /** The link is gone; called once. */
  closed(reason: LinkClosed): void
}

/** One live, handshaken connection. */
export interface ProtocolLink {
  /** Sends heartbeat `seq`; `sentAt` is the session clock in ms. */
  heartbeat(seq: number, sentAt: number): void
  /** Orderly close (the protocol's goodbye where it has one), then the socket ends. */
  close(): void
}

/** Why a handshake failed. */
export interface HandshakeError {
  code: 'handshake-timeout' | 'handshake-closed' | 'protocol-error' | 'wrong-device' | 'unsupported-version' | 'http-error'
  message: string
}

/** Context of one handshake. */
export interface OpenContext {
  clock: Clock
  timeoutMs: number
  /** The device id we expect to find (TXT `id`); a different one means the address now belongs to another device. */
  expectedDeviceId?: string
  /** Host as written in requests (HTTP `Host`). */
  hostHeader: string
  events: LinkEvents
}

/** The outcome of a handshake. */
export type OpenResult = { ok: true; value: ProtocolLink } | { ok: false; error: HandshakeError }

/** A heartbeat protocol. */
export interface SessionProtocol {
  readonly kind: string
  /** The port to connect to, when the protocol knows it (otherwise the discovered service port). */
  readonly port: number | undefined
  open(socket: Socket, context: OpenContext): Promise<OpenResult>
}

/** Largest unsent backlog a link tolerates before it calls the peer stuck (the send-timeout backstop). */
export const MAX_SEND_BACKLOG_BYTES = 64 * 1024

/** Wires the socket events every protocol needs: errors and closes become one `closed` call. */
export function watchSocket(socket: Socket, events: LinkEvents, describe: (hadError: boolean, error?: NodeJS.ErrnoException) => LinkClosed): () => void {
  let lastError: NodeJS.ErrnoException | undefined
  let done = false
  const onError = (error: NodeJS.ErrnoException) => {
    lastError = error
  }
  const onClose = (hadError: boolean) => {
    if (done) return
    done = true
    events.closed(describe(hadError, lastError))
  }
  socket.on('error', onError)
  socket.once('close', onClose)
  return () => {
    done = true
  }
}

/** The usual reading of a socket that ended: reset, error, or an orderly FIN from the peer. */
export function describeSocketEnd(hadError: boolean, error?: NodeJS.ErrnoException): LinkClosed {
  if (error?.code === 'ECONNRESET') return { code: 'connection-reset', message: 'The accessory reset the connection (ECONNRESET).' }
  if (hadError) return { code: 'socket-error', message: `The connection failed${error?.code ? ` (${error.code})` : ''}.` }
  return { code: 'peer-closed', message: 'The accessory closed the connection.' }
}

/** Writes unless the peer has stopped reading for so long that the backlog passed the cap. */
export function writeBounded(socket: Socket, bytes: Uint8Array, onStuck: () => void): void {
  if (socket.destroyed || !socket.writable) return
  if (socket.writableLength > MAX_SEND_BACKLOG_BYTES) return onStuck()
  socket.write(bytes)
}
