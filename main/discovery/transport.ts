/**
 * mDNS sockets on every usable interface, IPv4 and IPv6 (RFC 6762 §3, §5, §11, §15).
 *
 * Ours, not multicast-dns's: that library opens one socket on one interface, so a reply cannot be tied to
 * the interface it arrived on, and IPv6 link-local addresses would have no zone (reference §1.6). Layout:
 * - one *listener* per family bound to the wildcard address on 5353 and joined to the group on each link:
 *   it hears multicast, and attribution (`links.ts`) says which link a datagram came from;
 * - one *sender* per link and family bound to that link's address on 5353 with the multicast interface
 *   fixed: queries leave from port 5353 on the right interface (§5.2), and unicast replies to our address
 *   land on it, so we know a datagram was unicast and where it came in (Node has no IP_PKTINFO).
 * Kernel errors (EADDRNOTAVAIL while an IPv6 address is still tentative, a vanished interface) become a
 * per-link state with a plain-language reason and a retry, never an exception (case 24).
 */
import type { Socket } from 'node:dgram'
import type { Clock, TimerHandle } from '../util/clock'
import { attributeSource, isLinkLocal6, linkFamilies, linkSignature, zoneOf, type Family, type TransportLink } from './transport/links'
import { MDNS_GROUP_V4, MDNS_GROUP_V6, MDNS_PORT, attempt, bindShared, closeQuietly, errnoOf, portIsFree, sendTo, type Datagram } from './transport/udp'

export type { Family, TransportLink } from './transport/links'

/** A datagram with where it came from. */
export interface ReceivedPacket {
  data: Uint8Array
  link: string
  family: Family
  address: string
  port: number
  /** True when it was sent to our unicast address (a reply to a QU question, §5.4). */
  unicast: boolean
}

/** How one link and family stand. */
export interface LinkFamilyState {
  link: string
  family: Family
  ok: boolean
  /** Plain language; empty when ok. */
  error: string
}

/** What the transport needs. */
export interface TransportDeps {
  clock: Clock
  onPacket: (packet: ReceivedPacket) => void
  /** A datagram whose interface could not be told; counted, not guessed. */
  onUnattributed?: (address: string, family: Family) => void
  /** A sender became usable after a retry, or failed for good. */
  onStateChange?: (state: LinkFamilyState) => void
  platform?: NodeJS.Platform
  /** Retries for a sender whose address is not usable yet; default 1 s apart, 15 times. */
  retryDelayMs?: number
  retries?: number
  port?: number
}

/** The running transport. */
export interface MdnsTransport {
  /** Binds the listeners; `ownsPort` is false when another responder shares 5353 (unicast replies may go to it). */
  start(): Promise<{ ownsPort: boolean; problems: string[] }>
  /** Joins, rebinds and leaves so exactly these links are served; unchanged links keep their sockets. */
  setLinks(links: readonly TransportLink[]): Promise<LinkFamilyState[]>
  /** Multicasts a packet on one link and family; resolves with the OS error, if any. */
  send(link: string, family: Family, data: Uint8Array): Promise<Error | undefined>
  /** Unicasts (legacy or QU follow-ups) from the link's sender. */
  sendUnicast(link: string, family: Family, data: Uint8Array, address: string, port: number): Promise<Error | undefined>
  states(): LinkFamilyState[]
  close(): Promise<void>
}

interface Sender {
  socket: Socket | undefined
  /** The first open attempt; a send that comes while it runs waits for it. */
  opening: Promise<void> | undefined
  state: LinkFamilyState
  retry: TimerHandle | undefined
  attempts: number
}

interface Served {
  link: TransportLink
  signature: string
  senders: Map<Family, Sender>
  joined: Map<Family, string>
}

/** Plain-language reason for a socket error on a link. */
export function describeSocketError(error: Error, link: string, family: Family): string {
  const code = errnoOf(error)
  const where = `${family} on ${link}`
  if (code === 'EADDRNOTAVAIL') return `${where}: the address is not usable yet (IPv6 duplicate address detection, or it just changed); retrying`
  if (code === 'ENODEV' || code === 'ENXIO') return `${where}: the interface disappeared`
  if (code === 'EACCES' || code === 'EPERM') return `${where}: the system refused access to the mDNS port (a firewall or permission setting)`
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where}: sending was refused (${code}); on macOS this is the Local Network privacy setting`
  return `${where}: ${code ?? 'error'}: ${error.message}`
}

/** Creates a transport; nothing is bound until `start`. */
export function createMdnsTransport(deps: TransportDeps): MdnsTransport {
  const platform = deps.platform ?? process.platform
  const port = deps.port ?? MDNS_PORT
  const retryDelay = deps.retryDelayMs ?? 1000
  const maxRetries = deps.retries ?? 15
  const listeners = new Map<Family, Socket>()
  const served = new Map<string, Served>()
  let closed = false

  const currentLinks = () => [...served.values()].map((s) => s.link)
  const receive = (family: Family, unicastLink: string | undefined) => ({ data, rinfo }: Datagram) => {
    if (closed) return
    const link = unicastLink ?? attributeSource(rinfo.address, family, currentLinks(), platform)
    if (link === undefined) return deps.onUnattributed?.(rinfo.address, family)
    deps.onPacket({ data, link, family, address: rinfo.address, port: rinfo.port, unicast: unicastLink !== undefined })
  }
  // A listener error after bind (rare: ENOBUFS) is not fatal: the socket keeps receiving.
  const ignoreListenerError = () => undefined

  const groupInterface = (link: TransportLink, family: Family) => (family === 'IPv4' ? link.ipv4[0]?.address : `::%${zoneOf(link, platform)}`)

  function join(entry: Served, family: Family): void {
    const socket = listeners.get(family)
    const iface = groupInterface(entry.link, family)
    if (!socket || !iface) return
    const error = attempt(() => socket.addMembership(family === 'IPv4' ? MDNS_GROUP_V4 : MDNS_GROUP_V6, iface))
    // EADDRINUSE: still a member from before an address change, which is what we want.
    if (!error || errnoOf(error) === 'EADDRINUSE') entry.joined.set(family, iface)
  }

  function leave(entry: Served, family: Family): void {
    const socket = listeners.get(family)
    const iface = entry.joined.get(family)
    if (socket && iface) attempt(() => socket.dropMembership(family === 'IPv4' ? MDNS_GROUP_V4 : MDNS_GROUP_V6, iface))
    entry.joined.delete(family)
  }

  async function openSender(entry: Served, family: Family, sender: Sender): Promise<void> {
    const { link } = entry
    const local = family === 'IPv4' ? link.ipv4[0]?.address : link.ipv6.find((a) => isLinkLocal6(a.address))?.address
    if (!local) return
    const bindAddress = family === 'IPv6' ? `${local.split('%')[0] ?? local}%${zoneOf(link, platform)}` : local
    const bound = await bindShared(family, bindAddress, port, receive(family, link.name), (error) => {
      sender.state = { ...sender.state, ok: false, error: describeSocketError(error, link.name, family) }
    })
    if (closed || served.get(link.name) !== entry || entry.senders.get(family) !== sender) {
      if (bound.ok) closeQuietly(bound.socket)
      return
    }
    const failure = bound.ok
      ? (attempt(() => bound.socket.setMulticastInterface(family === 'IPv4' ? local : `::%${zoneOf(link, platform)}`)) ??
        attempt(() => bound.socket.setMulticastTTL(255)) ??
        attempt(() => bound.socket.setTTL(255)) ??
        attempt(() => bound.socket.setMulticastLoopback(true)))
      : bound.error
    if (failure) {
      if (bound.ok) closeQuietly(bound.socket)
      sender.state = { link: link.name, family, ok: false, error: describeSocketError(failure, link.name, family) }
      if (sender.attempts++ < maxRetries) sender.retry = deps.clock.setTimeout(() => void openSender(entry, family, sender), retryDelay)
      else sender.state.error = sender.state.error.replace(/; retrying$/, '; gave up')
      deps.onStateChange?.(sender.state)
      return
    }
    if (!bound.ok) return
    sender.socket = bound.socket
    const wasFailing = !sender.state.ok
    sender.state = { link: link.name, family, ok: true, error: '' }
    join(entry, family)
    if (wasFailing && sender.attempts > 0) deps.onStateChange?.(sender.state)
  }

  function closeEntry(entry: Served): void {
    for (const family of ['IPv4', 'IPv6'] as const) {
      leave(entry, family)
      const sender = entry.senders.get(family)
      if (!sender) continue
      if (sender.retry) deps.clock.clearTimeout(sender.retry)
      if (sender.socket) closeQuietly(sender.socket)
      entry.senders.delete(family)
    }
  }

  async function openEntry(link: TransportLink): Promise<void> {
    const entry: Served = { link, signature: linkSignature(link), senders: new Map(), joined: new Map() }
    served.set(link.name, entry)
    const families = linkFamilies(link)
    await Promise.all(
      families.map((family) => {
        const sender: Sender = { socket: undefined, opening: undefined, state: { link: link.name, family, ok: false, error: 'opening' }, retry: undefined, attempts: 0 }
        entry.senders.set(family, sender)
        sender.opening = openSender(entry, family, sender).finally(() => (sender.opening = undefined))
        return sender.opening
      }),
    )
  }

  const states = () => [...served.values()].flatMap((entry) => [...entry.senders.values()].map((s) => s.state))

  return {
    async start() {
      const problems: string[] = []
      const [free4, free6] = await Promise.all([portIsFree('IPv4', port), portIsFree('IPv6', port)])
      await Promise.all(
        (['IPv4', 'IPv6'] as const).map(async (family) => {
          const bound = await bindShared(family, family === 'IPv4' ? '0.0.0.0' : '::', port, receive(family, undefined), ignoreListenerError)
          if (bound.ok) listeners.set(family, bound.socket)
          else problems.push(`Cannot listen for ${family} mDNS on port ${port}: ${errnoOf(bound.error) ?? bound.error.message}`)
        }),
      )
      return { ownsPort: free4 && free6, problems }
    },
    async setLinks(links) {
      if (closed) return []
      const wanted = new Map(links.map((link) => [link.name, link]))
      for (const [name, entry] of served) {
        const next = wanted.get(name)
        if (next && linkSignature(next) === entry.signature) {
          entry.link = next // prefixes or MTU may change without touching sockets
          continue
        }
        closeEntry(entry)
        served.delete(name)
      }
      await Promise.all([...wanted.values()].filter((link) => !served.has(link.name)).map(openEntry))
      return states()
    },
    async send(link, family, data) {
      const sender = served.get(link)?.senders.get(family)
      // The engine starts the querier's 20-120 ms first-query delay while the senders open (§5.2).
      if (sender && !sender.socket && sender.opening) await sender.opening
      if (!sender?.socket) return new Error(sender?.state.error || `not sending on ${link} (${family})`)
      const zone = zoneOf(served.get(link)?.link ?? { name: link, scopeId: undefined }, platform)
      return sendTo(sender.socket, data, port, family === 'IPv4' ? MDNS_GROUP_V4 : `${MDNS_GROUP_V6}%${zone}`)
    },
    async sendUnicast(link, family, data, address, toPort) {
      const sender = served.get(link)?.senders.get(family)
      if (!sender?.socket) return new Error(sender?.state.error || `not sending on ${link} (${family})`)
      return sendTo(sender.socket, data, toPort, address)
    },
    states,
    async close() {
      if (closed) return
      closed = true
      for (const entry of served.values()) closeEntry(entry)
      served.clear()
      for (const family of ['IPv4', 'IPv6'] as const) {
        const socket = listeners.get(family)
        if (socket) closeQuietly(socket)
        listeners.delete(family)
      }
    },
  }
}
