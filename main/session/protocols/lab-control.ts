/**
 * The lab accessory's control/heartbeat service (tests/lab/accessory/control/PROTOCOL.md) as a session
 * protocol: HELLO both ways (the device's id is checked against the one discovery announced), PING with
 * our clock in the echoed timestamp, PONG matched by seq, the device's own PINGs answered, CLOSE decoded.
 */
import type { Socket } from 'node:net'
import { watchSocket, describeSocketEnd, writeBounded, type LinkClosed, type OpenContext, type OpenResult, type SessionProtocol } from '../protocol'
import { createFrameDecoder, encodeFrame, PROTOCOL_VERSION, type Frame } from './control-frames'

/** The id Porchlight sends in its HELLO. */
export const CLIENT_ID = 'porchlight'

/** Builds the protocol for a control port (the lab advertises it in TXT `ctl`). */
export function labControlProtocol(port: number | undefined): SessionProtocol {
  return { kind: 'lab-control', port, open: (socket, context) => openLabControl(socket, context) }
}

function closeReason(frame: Extract<Frame, { type: 'close' }>): LinkClosed {
  if (frame.code === 'going-away') return { code: 'going-away', message: 'The accessory said it is shutting down (going-away).' }
  if (frame.code === 'normal') return { code: 'peer-closed', message: 'The accessory closed the session.' }
  return { code: 'protocol-error', message: `The accessory closed the session: ${frame.code}.` }
}

function openLabControl(socket: Socket, context: OpenContext): Promise<OpenResult> {
  const { clock, events } = context
  const decoder = createFrameDecoder()
  let ready = false
  let settle: ((result: OpenResult) => void) | undefined
  const send = (frame: Frame) =>
    writeBounded(socket, encodeFrame(frame), () => {
      events.closed({ code: 'send-buffer-full', message: 'The accessory stopped reading: 64 KB of heartbeats are waiting to be sent.' })
      socket.destroy()
    })
  const fail = (code: 'protocol-error' | 'wrong-device' | 'unsupported-version', message: string) => {
    socket.destroy()
    settle?.({ ok: false, error: { code, message } })
  }

  const onFrame = (frame: Frame) => {
    if (!ready) {
      if (frame.type !== 'hello') return fail('protocol-error', 'The accessory did not start with HELLO; this port is not a Porchlight control service.')
      if (frame.version !== PROTOCOL_VERSION) return fail('unsupported-version', `The accessory speaks control protocol version ${frame.version}; Porchlight speaks ${PROTOCOL_VERSION}.`)
      if (context.expectedDeviceId !== undefined && frame.id.toLowerCase() !== context.expectedDeviceId.toLowerCase()) {
        return fail('wrong-device', `A different accessory (${frame.id}) now answers at this address; looking for the right one again.`)
      }
      ready = true
      settle?.({ ok: true, value: link })
      return
    }
    events.activity()
    if (frame.type === 'pong') events.reply(frame.seq)
    else if (frame.type === 'ping') send({ type: 'pong', seq: frame.seq, timestamp: frame.timestamp })
    else if (frame.type === 'close') {
      stopWatching()
      events.closed(closeReason(frame))
      socket.end()
    }
  }

  const link = {
    heartbeat: (seq: number, sentAt: number) => send({ type: 'ping', seq, timestamp: BigInt(Math.max(0, Math.round(sentAt * 1000))) }),
    close: () => {
      stopWatching()
      if (socket.writable) socket.write(encodeFrame({ type: 'close', code: 'normal', reason: 'watch ended' }))
      socket.end()
      clock.setTimeout(() => socket.destroy(), 1000)
    },
  }

  socket.setNoDelay(true)
  socket.on('data', (chunk: Buffer) => {
    const { frames, error } = decoder.push(chunk)
    for (const frame of frames) onFrame(frame)
    if (error && !socket.destroyed) {
      if (!ready) return fail('protocol-error', `The accessory sent malformed data: ${error.reason}.`)
      if (socket.writable) socket.write(encodeFrame({ type: 'close', code: error.code, reason: error.reason }))
      stopWatching()
      events.closed({ code: 'protocol-error', message: `The accessory sent malformed data: ${error.reason}.` })
      socket.destroy()
    }
  })
  const stopWatching = watchSocket(socket, events, describeSocketEnd)

  return new Promise<OpenResult>((resolve) => {
    const timer = clock.setTimeout(() => {
      socket.destroy()
      resolve({ ok: false, error: { code: 'handshake-timeout', message: `The accessory accepted the connection but sent no HELLO within ${context.timeoutMs} ms (it may be frozen).` } })
    }, context.timeoutMs)
    const onEarlyClose = () => resolve({ ok: false, error: { code: 'handshake-closed', message: 'The accessory closed the connection before saying HELLO.' } })
    socket.once('close', onEarlyClose)
    settle = (result) => {
      settle = undefined
      clock.clearTimeout(timer)
      socket.off('close', onEarlyClose)
      resolve(result)
    }
    send({ type: 'hello', version: PROTOCOL_VERSION, id: CLIENT_ID })
  })
}
