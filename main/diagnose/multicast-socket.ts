/**
 * The only part of the multicast/broadcast self-test that touches the network: a UDP socket behind a small
 * port whose calls return the OS error as a value, so the test's decisions run against a fake in unit tests
 * and against node:dgram on the machine and in the lab.
 */
import { createSocket, type Socket } from 'node:dgram'

/** Where a datagram came from (`address` keeps Node's `%zone` on link-local IPv6 sources). */
export interface DatagramSource {
  address: string
  port: number
}

/** The socket operations the self-test needs; every call reports failure as an Error value, never a throw. */
export interface SelfTestSocket {
  /** Binds to `address`:`port` (0 = ephemeral). */
  bind(port: number, address: string): Promise<Error | undefined>
  /** The bound local port (0 before a bind). */
  localPort(): number
  /** Joins `group` on the interface named by `iface` (an IPv4 address, or `::%ifname` for IPv6). */
  join(group: string, iface: string): Error | undefined
  /** Sends multicast out of `iface` (same form as `join`) with loopback on and hop limit 255 (RFC 6762 §11). */
  setMulticastOut(iface: string): Error | undefined
  /** SO_BROADCAST: without it Linux refuses a send to a broadcast address with EACCES. */
  setBroadcast(on: boolean): Error | undefined
  send(data: Uint8Array, port: number, address: string): Promise<Error | undefined>
  onMessage(listener: (data: Uint8Array, from: DatagramSource) => void): void
  /** Idempotent; never throws. */
  close(): void
}

/** Options for one socket. `reuseAddr` shares a port other processes hold (5353 with a system responder). */
export interface SelfTestSocketOptions {
  family: 'IPv4' | 'IPv6'
  reuseAddr?: boolean
}

/** Makes one self-test socket; may return an Error when the OS refuses a socket at all. */
export type SelfTestSocketFactory = (options: SelfTestSocketOptions) => SelfTestSocket | Error

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)))

function attempt(call: () => void): Error | undefined {
  try {
    call()
    return undefined
  } catch (error) {
    return asError(error)
  }
}

/** The real socket, from node:dgram. */
export const dgramSelfTestSocket: SelfTestSocketFactory = (options) => {
  let socket: Socket
  try {
    socket = createSocket(options.family === 'IPv4'
      ? { type: 'udp4', reuseAddr: options.reuseAddr ?? false }
      : { type: 'udp6', reuseAddr: options.reuseAddr ?? false, ipv6Only: true })
  } catch (error) {
    return asError(error)
  }
  let closed = false
  let port = 0
  // dgram emits 'error' with no listener as an uncaught exception; send and bind report their own errors.
  socket.on('error', () => undefined)
  return {
    bind: (bindPort, address) =>
      new Promise((resolve) => {
        const onError = (error: Error) => resolve(error)
        socket.once('error', onError)
        const failed = attempt(() =>
          socket.bind({ port: bindPort, address, exclusive: !options.reuseAddr }, () => {
            socket.off('error', onError)
            port = socket.address().port
            resolve(undefined)
          }))
        if (failed) resolve(failed)
      }),
    localPort: () => port,
    join: (group, iface) => attempt(() => socket.addMembership(group, iface)),
    setMulticastOut: (iface) =>
      attempt(() => {
        socket.setMulticastInterface(iface)
        socket.setMulticastLoopback(true)
        socket.setMulticastTTL(255)
      }),
    setBroadcast: (on) => attempt(() => socket.setBroadcast(on)),
    send: (data, sendPort, address) =>
      new Promise((resolve) => {
        if (closed) return resolve(new Error('socket closed'))
        const failed = attempt(() => socket.send(data, sendPort, address, (error) => resolve(error ?? undefined)))
        if (failed) resolve(failed)
      }),
    onMessage: (listener) =>
      void socket.on('message', (msg, rinfo) => listener(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { address: rinfo.address, port: rinfo.port })),
    close: () => {
      if (closed) return
      closed = true
      attempt(() => socket.close())
    },
  }
}
