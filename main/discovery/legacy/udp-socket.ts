/**
 * The one piece of the legacy probe that touches the network: a udp4 socket behind a small port, so the
 * probe's logic is tested with a fake and the real thing runs on loopback and in the lab.
 */
import { createSocket } from 'node:dgram'

/** The socket operations the broadcast probe needs. */
export interface ProbeSocket {
  /** Binds to `address`:`port` (0 = ephemeral); rejects with the OS error (EADDRNOTAVAIL, …). */
  bind(port: number, address: string): Promise<void>
  /** SO_BROADCAST: without it Linux refuses a send to a broadcast address with EACCES. */
  setBroadcast(on: boolean): void
  send(data: Uint8Array, port: number, address: string): Promise<void>
  onMessage(listener: (data: Uint8Array, from: { address: string; port: number }) => void): void
  /** Errors after a successful bind. */
  onError(listener: (error: Error) => void): void
  /** Idempotent; never throws. */
  close(): void
}

/** Makes one probe socket. */
export type ProbeSocketFactory = () => ProbeSocket

/** A real udp4 socket from node:dgram. */
export function createUdp4ProbeSocket(): ProbeSocket {
  const socket = createSocket({ type: 'udp4' })
  let closed = false
  // dgram throws an 'error' event without a listener; bind/onError add the real ones.
  socket.on('error', () => undefined)
  return {
    bind: (port, address) =>
      new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error)
        socket.once('error', onError)
        socket.bind({ port, address, exclusive: true }, () => {
          socket.off('error', onError)
          resolve()
        })
      }),
    setBroadcast: (on) => socket.setBroadcast(on),
    send: (data, port, address) =>
      new Promise((resolve, reject) => socket.send(data, port, address, (error) => (error ? reject(error) : resolve()))),
    onMessage: (listener) =>
      socket.on('message', (msg, rinfo) => listener(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { address: rinfo.address, port: rinfo.port })),
    onError: (listener) => socket.on('error', listener),
    close: () => {
      if (closed) return
      closed = true
      try {
        socket.close()
      } catch {
        // Already closed by the OS side (e.g. a failed bind); nothing left to release.
      }
    },
  }
}
