/**
 * One UDP socket per (interface, address family) on port 5353, joined to the mDNS group on that
 * interface only, sending with IP TTL / hop limit 255 (RFC 6762 §11).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import { networkInterfaces } from 'node:os'
import type { MdnsInterfaceConfig } from './types'
import { MDNS_GROUP_V4, MDNS_GROUP_V6, MDNS_PORT } from './wire'

/** A bound mDNS socket for one interface and family. */
export interface MdnsSocket {
  readonly iface: MdnsInterfaceConfig
  readonly family: 4 | 6
  /** Multicasts to the group on this interface. */
  multicast(buf: Buffer): Promise<void>
  /** Unicasts to a querier (a link-local IPv6 destination gets this interface as its zone). */
  unicast(buf: Buffer, address: string, port: number): Promise<void>
  /** True if a received datagram's source belongs to this interface's link (Linux delivers group traffic from every interface to every 5353 socket). */
  isFromThisLink(rinfo: RemoteInfo): boolean
  close(): Promise<void>
}

/** Opens and configures the socket; rejects if the kernel refuses (no such interface or address). */
export async function openMdnsSocket(
  iface: MdnsInterfaceConfig,
  family: 4 | 6,
  onMessage: (msg: Buffer, rinfo: RemoteInfo, socket: MdnsSocket) => void,
  onError: (error: Error) => void,
): Promise<MdnsSocket> {
  const socket: Socket = createSocket(family === 4 ? { type: 'udp4', reuseAddr: true } : { type: 'udp6', reuseAddr: true, ipv6Only: true })
  const localIf = family === 4 ? (iface.ipv4?.[0] ?? '') : `::%${iface.name}`
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind({ port: MDNS_PORT, address: family === 4 ? '0.0.0.0' : '::', exclusive: false }, () => {
      socket.off('error', reject)
      resolve()
    })
  })
  try {
    socket.addMembership(family === 4 ? MDNS_GROUP_V4 : MDNS_GROUP_V6, localIf)
    socket.setMulticastInterface(localIf)
    socket.setMulticastTTL(255)
    socket.setTTL(255)
    // Loopback stays on so other processes in the namespace (a zeroconf peer) hear us; our own echoes are filtered by the responder.
    socket.setMulticastLoopback(true)
  } catch (error) {
    socket.close()
    throw error
  }
  const subnets = family === 4 ? ipv4Subnets(iface) : []
  let closed = false
  const send = (buf: Buffer, address: string, port: number) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve()
      try {
        socket.send(buf, port, address, (error) => {
          if (error) onError(error)
          resolve()
        })
      } catch (error) {
        // dgram throws synchronously for a bad address or a socket closed meanwhile; report, never crash.
        onError(error instanceof Error ? error : new Error(String(error)))
        resolve()
      }
    })
  const mdnsSocket: MdnsSocket = {
    iface,
    family,
    multicast: (buf) => send(buf, family === 4 ? MDNS_GROUP_V4 : `${MDNS_GROUP_V6}%${iface.name}`, MDNS_PORT),
    unicast: (buf, address, port) => send(buf, family === 6 && /^fe80:/i.test(address) && !address.includes('%') ? `${address}%${iface.name}` : address, port),
    isFromThisLink(rinfo) {
      if (family === 6) {
        // Node reports a link-local source with its zone (`fe80::1%eth0`).
        const zone = rinfo.address.split('%')[1]
        return zone === undefined || zone === iface.name
      }
      return subnets.length === 0 || subnets.some((s) => ((ipv4ToInt(rinfo.address) & s.mask) >>> 0) === s.network)
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve()
        closed = true
        socket.close(() => resolve())
      }),
  }
  socket.on('message', (msg, rinfo) => onMessage(msg, rinfo, mdnsSocket))
  socket.on('error', onError)
  return mdnsSocket
}

/** One socket per address family `iface` has addresses of; closes what it opened if one fails. */
export async function openInterfaceSockets(
  iface: MdnsInterfaceConfig,
  onMessage: (msg: Buffer, rinfo: RemoteInfo, socket: MdnsSocket) => void,
  onError: (error: Error) => void,
): Promise<MdnsSocket[]> {
  const opened: MdnsSocket[] = []
  try {
    if (iface.ipv4?.length) opened.push(await openMdnsSocket(iface, 4, onMessage, onError))
    if (iface.ipv6?.length) opened.push(await openMdnsSocket(iface, 6, onMessage, onError))
    return opened
  } catch (error) {
    await Promise.all(opened.map((s) => s.close()))
    throw error
  }
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | (Number(part) & 255)) >>> 0, 0)
}

/** The on-link IPv4 subnets of the interface, from the kernel's view inside this namespace. */
function ipv4Subnets(iface: MdnsInterfaceConfig): { network: number; mask: number }[] {
  const ours = new Set(iface.ipv4 ?? [])
  return (networkInterfaces()[iface.name] ?? [])
    .filter((a) => a.family === 'IPv4' && ours.has(a.address))
    .map((a) => {
      const mask = ipv4ToInt(a.netmask)
      return { network: (ipv4ToInt(a.address) & mask) >>> 0, mask }
    })
}
