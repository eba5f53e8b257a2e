/**
 * A configurable heartbeat for any TCP service: send fixed bytes each interval; bytes back (all of them,
 * or only ones that start with the expected reply) answer the oldest heartbeat still waiting. There is no
 * handshake, so a connected socket is a link at once.
 */
import type { Socket } from 'node:net'
import { describeSocketEnd, watchSocket, writeBounded, type OpenContext, type OpenResult, type SessionProtocol } from '../protocol'

/** Replies buffered while looking for the expected prefix, at most. */
const MAX_PENDING_BYTES = 4096

/** Builds the protocol from hex request/reply bytes (validated by the contract's schema). */
export function tcpHeartbeatProtocol(port: number | undefined, requestHex: string, replyHex?: string): SessionProtocol {
  const request = Buffer.from(requestHex, 'hex')
  const reply = replyHex === undefined ? undefined : Buffer.from(replyHex, 'hex')
  return { kind: 'tcp-heartbeat', port, open: (socket, context) => Promise.resolve(openTcpHeartbeat(socket, context, request, reply)) }
}

function openTcpHeartbeat(socket: Socket, context: OpenContext, request: Buffer, reply: Buffer | undefined): OpenResult {
  const { events } = context
  const waiting: number[] = []
  let pending: Buffer = Buffer.alloc(0)
  const answerOldest = () => {
    const seq = waiting.shift()
    if (seq !== undefined) events.reply(seq)
  }
  socket.setNoDelay(true)
  socket.on('data', (chunk: Buffer) => {
    events.activity()
    if (!reply) return answerOldest()
    pending = Buffer.concat([pending, chunk])
    // Each occurrence of the expected reply answers one heartbeat; other bytes are skipped, bounded.
    for (let at = pending.indexOf(reply); at >= 0; at = pending.indexOf(reply)) {
      pending = pending.subarray(at + reply.length)
      answerOldest()
    }
    if (pending.length > MAX_PENDING_BYTES) pending = pending.subarray(pending.length - reply.length)
  })
  const stopWatching = watchSocket(socket, events, describeSocketEnd)
  return {
    ok: true,
    value: {
      heartbeat(seq) {
        waiting.push(seq)
        if (waiting.length > 16) waiting.shift()
        writeBounded(socket, request, () => {
          stopWatching()
          events.closed({ code: 'send-buffer-full', message: 'The accessory stopped reading: 64 KB of heartbeats are waiting to be sent.' })
          socket.destroy()
        })
      },
      close() {
        stopWatching()
        socket.end()
        context.clock.setTimeout(() => socket.destroy(), 1000)
      },
    },
  }
}
