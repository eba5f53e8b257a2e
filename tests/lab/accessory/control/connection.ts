/**
 * One framed TCP connection, shared by the lab control server and client: feeds reads through the decoder,
 * sends frames, and ends the connection with a CLOSE frame and a reason when the peer misbehaves.
 */
import type { Socket } from 'node:net'
import { type CloseCode, createFrameDecoder, encodeFrame, type Frame } from './frames'

/** How long a closing connection may take to finish before it is destroyed. */
export const CLOSE_GRACE_MS = 1000

/** A socket with framing; `closeWith` sends CLOSE, half-closes, and destroys after a grace period. */
export interface FramedConnection {
  readonly socket: Socket
  readonly remote: string
  send(frame: Frame): void
  closeWith(code: CloseCode, reason: string): void
  isClosing(): boolean
}

/** What a framed connection reports to its owner. */
export interface FramedHandlers {
  onFrame(frame: Frame): void
  /** The peer sent bytes that are not a valid frame; the connection is already closing with `code`. */
  onProtocolError(code: CloseCode, reason: string): void
  onClosed(): void
}

/** Formats a socket's peer as `address:port` (or `[v6]:port`). */
export function remoteOf(socket: Socket): string {
  const address = socket.remoteAddress ?? '?'
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`
}

/** Wraps a connected socket; socket errors (ECONNRESET, EPIPE) end in `onClosed`, never in a throw. */
export function frameConnection(socket: Socket, maxPayload: number, handlers: FramedHandlers): FramedConnection {
  const decoder = createFrameDecoder(maxPayload)
  const remote = remoteOf(socket)
  let closing = false
  socket.setNoDelay(true)
  const finish = () => {
    closing = true
    socket.end()
    // A peer that never closes its side must not keep the socket (and the test) alive.
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref()
  }

  const connection: FramedConnection = {
    socket,
    remote,
    send(frame) {
      if (!closing && socket.writable) socket.write(encodeFrame(frame))
    },
    closeWith(code, reason) {
      if (closing) return
      if (socket.writable) socket.write(encodeFrame({ type: 'close', code, reason }))
      finish()
    },
    isClosing: () => closing,
  }

  socket.on('data', (chunk: Buffer) => {
    if (closing) return
    const { frames, error } = decoder.push(chunk)
    for (const frame of frames) {
      if (closing) return
      handlers.onFrame(frame)
      // CLOSE: the peer is done; finish our side without answering (PROTOCOL.md "Closing").
      if (frame.type === 'close') finish()
    }
    if (error && !closing) {
      connection.closeWith(error.code, error.reason)
      handlers.onProtocolError(error.code, error.reason)
    }
  })
  socket.on('error', () => {
    // Reported through 'close'; an unhandled 'error' would crash the process.
  })
  socket.on('end', () => {
    // The peer half-closed: finish our side too (no half-open connections in this protocol).
    if (!closing) finish()
  })
  socket.on('close', () => {
    closing = true
    handlers.onClosed()
  })
  return connection
}
