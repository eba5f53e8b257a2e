/**
 * The node:dgram calls of the mDNS transport behind small promise-returning helpers, so every kernel error
 * (EADDRINUSE, EADDRNOTAVAIL while an IPv6 address is still tentative, ENODEV after an unplug) comes back
 * as a value the transport reports instead of an exception or an unhandled 'error' event.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'

/** The mDNS port and groups (RFC 6762 §3, §5). */
export const MDNS_PORT = 5353
/** IPv4 mDNS group. */
export const MDNS_GROUP_V4 = '224.0.0.251'
/** IPv6 mDNS group (link-local scope). */
export const MDNS_GROUP_V6 = 'ff02::fb'

/** A datagram as the socket delivered it. */
export type Datagram = { data: Uint8Array; rinfo: RemoteInfo }

/** The OS error code of an error, e.g. `EADDRNOTAVAIL`, or undefined. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Opens a socket bound to address:port with SO_REUSEADDR (and SO_REUSEPORT where libuv sets it), so other responders keep working. */
export async function bindShared(
  family: 'IPv4' | 'IPv6',
  address: string,
  port: number,
  onMessage: (datagram: Datagram) => void,
  onError: (error: Error) => void,
): Promise<{ ok: true; socket: Socket } | { ok: false; error: Error }> {
  const socket = createSocket(family === 'IPv4' ? { type: 'udp4', reuseAddr: true } : { type: 'udp6', reuseAddr: true, ipv6Only: true })
  const bound = await new Promise<Error | undefined>((resolve) => {
    socket.once('error', resolve)
    try {
      socket.bind({ port, address, exclusive: false }, () => {
        socket.off('error', resolve)
        resolve(undefined)
      })
    } catch (error) {
      resolve(error instanceof Error ? error : new Error(String(error)))
    }
  })
  if (bound) {
    closeQuietly(socket)
    return { ok: false, error: bound }
  }
  socket.on('error', onError)
  socket.on('message', (msg, rinfo) => onMessage({ data: new Uint8Array(msg.buffer, msg.byteOffset, msg.length), rinfo }))
  return { ok: true, socket }
}

/**
 * True when nothing else holds UDP port 5353 for the family: a bind without SO_REUSEADDR succeeds. The probe
 * socket is closed at once, so a responder starting later still can bind. When another responder shares the
 * port, unicast (QU) answers may be delivered to it instead of us (RFC 6762 §15), so we stop asking for them.
 */
export async function portIsFree(family: 'IPv4' | 'IPv6', port: number = MDNS_PORT): Promise<boolean> {
  const socket = createSocket(family === 'IPv4' ? { type: 'udp4' } : { type: 'udp6', ipv6Only: true })
  const result = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false))
    try {
      socket.bind({ port, address: family === 'IPv4' ? '0.0.0.0' : '::', exclusive: true }, () => resolve(true))
    } catch {
      resolve(false)
    }
  })
  closeQuietly(socket)
  return result
}

/** Runs a socket option call; returns the error instead of throwing. */
export function attempt(call: () => void): Error | undefined {
  try {
    call()
    return undefined
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

/** Sends one datagram; resolves with the send error, if any (never rejects). */
export function sendTo(socket: Socket, data: Uint8Array, port: number, address: string): Promise<Error | undefined> {
  return new Promise((resolve) => {
    try {
      socket.send(data, port, address, (error) => resolve(error ?? undefined))
    } catch (error) {
      resolve(error instanceof Error ? error : new Error(String(error)))
    }
  })
}

/** Closes a socket, ignoring "not running" (a failed bind already closed it). */
export function closeQuietly(socket: Socket): void {
  try {
    socket.close()
  } catch {
    // Already closed; nothing left to release.
  }
}
