/**
 * The accessory's control/heartbeat service (PROTOCOL.md): HELLO on connect, PONG for every PING, DATA
 * echoed. Fault switches for connection-health work: `stall` (the socket stays open and silent, like a
 * wedged device: no FIN, no RST, nothing read or written), `dropAll` (RST every connection) and `abandon`
 * (the address is gone: connections are dropped without a word).
 */
import { createServer, type Server, type Socket } from 'node:net'
import { type FramedConnection, frameConnection, CLOSE_GRACE_MS } from './connection'
import { type CloseCode, DEFAULT_MAX_PAYLOAD, type Frame, MAX_ID_BYTES, PROTOCOL_VERSION } from './frames'

/** Where and as whom the control service listens. */
export interface ControlServerOptions {
  /** Address to listen on, e.g. the accessory's 198.18.x.y or `127.0.0.1` in tests. */
  host: string
  /** TCP port; 0 picks a free one (read it back from `port`). */
  port: number
  /** Sent in HELLO; 1–64 UTF-8 bytes. */
  deviceId: string
  /** Largest accepted payload (default 4096); a bigger frame closes that connection. */
  maxPayload?: number
  /** Observes connections and protocol errors (for logs and tests). */
  onEvent?: (event: ControlServerEvent) => void
}

/** What the server reports. */
export type ControlServerEvent =
  | { type: 'connected'; remote: string }
  | { type: 'hello'; remote: string; clientId: string; version: number }
  | { type: 'protocol-error'; remote: string; code: CloseCode; reason: string }
  | { type: 'closed'; remote: string }

/** A running control service. */
export interface ControlServer {
  /** The port actually bound. */
  readonly port: number
  /** Fault: every connection (and any new one) goes silent: reading paused, nothing written, socket left open. */
  stall(): void
  /** Ends a stall: HELLOs owed are sent and everything received meanwhile is processed in order. */
  resume(): void
  /** Fault: resets (RST) every open connection. */
  dropAll(): void
  /**
   * The device lost the address it listens on (renumbered): stops listening and destroys every connection
   * without writing anything. Call it after the address is gone, so the kernel has no route for the FIN
   * (or RST) it would send and the peer sees silence, as with a device that simply vanished.
   */
  abandon(): Promise<void>
  /** Stops listening, sends CLOSE `going-away` to each peer, and resolves once every socket is gone. */
  close(): Promise<void>
  /** Open connections right now. */
  connections(): number
}

interface ServerConnection {
  framed: FramedConnection
  helloSent: boolean
  helloReceived: boolean
}

/** Starts the control service; rejects if it cannot listen (e.g. EADDRINUSE). */
export async function createControlServer(options: ControlServerOptions): Promise<ControlServer> {
  if (Buffer.byteLength(options.deviceId) === 0 || Buffer.byteLength(options.deviceId) > MAX_ID_BYTES) {
    throw new RangeError(`deviceId must be 1–${MAX_ID_BYTES} UTF-8 bytes`)
  }
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD
  const emit = (event: ControlServerEvent) => options.onEvent?.(event)
  const open = new Set<ServerConnection>()
  let stalled = false

  const sendHello = (c: ServerConnection) => {
    c.helloSent = true
    c.framed.send({ type: 'hello', version: PROTOCOL_VERSION, id: options.deviceId })
  }

  const handleFrame = (c: ServerConnection, frame: Frame) => {
    const { framed } = c
    if (!c.helloReceived) {
      if (frame.type !== 'hello') return framed.closeWith('hello-required', `expected HELLO first, got ${frame.type.toUpperCase()}`)
      if (frame.version !== PROTOCOL_VERSION) {
        return framed.closeWith('unsupported-version', `this device speaks version ${PROTOCOL_VERSION}, not ${frame.version}`)
      }
      c.helloReceived = true
      return emit({ type: 'hello', remote: framed.remote, clientId: frame.id, version: frame.version })
    }
    switch (frame.type) {
      case 'hello':
        return framed.closeWith('protocol-error', 'HELLO sent twice')
      case 'ping':
        return framed.send({ type: 'pong', seq: frame.seq, timestamp: frame.timestamp })
      case 'pong':
        return undefined // this server never pings, so a PONG is stray but harmless
      case 'data':
        return framed.send(frame)
      case 'close':
        return undefined // the connection finishes its side itself
    }
  }

  const server: Server = createServer((socket: Socket) => {
    // The handlers run only after this callback returns, by which time `c` exists.
    const framed = frameConnection(socket, maxPayload, {
      onFrame: (frame) => handleFrame(c, frame),
      onProtocolError: (code, reason) => emit({ type: 'protocol-error', remote: framed.remote, code, reason }),
      onClosed: () => {
        open.delete(c)
        emit({ type: 'closed', remote: framed.remote })
      },
    })
    const c: ServerConnection = { framed, helloSent: false, helloReceived: false }
    open.add(c)
    emit({ type: 'connected', remote: c.framed.remote })
    // A stalled device accepts (the kernel completes the handshake) but says and reads nothing.
    if (stalled) socket.pause()
    else sendHello(c)
  })
  server.on('error', () => {
    // Accept errors (EMFILE and the like) must not crash the accessory process.
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port

  return {
    port,
    stall() {
      stalled = true
      for (const c of open) c.framed.socket.pause()
    },
    resume() {
      stalled = false
      for (const c of open) {
        if (!c.helloSent) sendHello(c)
        c.framed.socket.resume()
      }
    },
    dropAll() {
      for (const c of open) c.framed.socket.resetAndDestroy()
    },
    connections: () => open.size,
    async abandon() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const c of open) c.framed.socket.destroy()
      await closed
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      const sockets = [...open].map((c) => new Promise<void>((resolve) => c.framed.socket.once('close', () => resolve())))
      for (const c of open) {
        // A stalled peer gets no goodbye: the device is wedged, so its sockets just go away.
        if (stalled) c.framed.socket.destroy()
        else c.framed.closeWith('going-away', 'the accessory is shutting down')
      }
      const deadline = setTimeout(() => {
        for (const c of open) c.framed.socket.destroy()
      }, CLOSE_GRACE_MS * 2)
      await Promise.all([closed, ...sockets])
      clearTimeout(deadline)
    },
  }
}
