/**
 * The discovery engine: sockets on every usable interface (transport), the querier deciding what to ask,
 * the record cache, and the DNS-SD model turning records into devices — wired together, with the status
 * and history the Discover screen and the CLI show. Packets in, device changes out; time from the clock.
 */
import type { DiscoveryChange, DiscoveryInterface, DiscoveryOptions, DiscoverySnapshot, DiscoveryStatus, RawPacket } from '../../shared/discovery/view'
import { BROWSED_SERVICE_TYPES, SERVICE_TYPE_ENUMERATION } from '../../shared/discovery/service-types'
import type { NetInterface } from '../../shared/net/interfaces'
import { systemClock, type Clock, type TimerHandle } from '../util/clock'
import { createRecordCache, type CacheEvent } from './cache'
import { PacketLog, type ReceivedBatchItem } from './engine/packet-log'
import { PendingQuestions, WantedNames } from './engine/interest'
import { handlePacket, type PacketContext } from './engine/receive'
import { Browses } from './engine/browses'
import { DeviceBook } from './engine/device-book'
import { scheduleWarmUp } from './engine/warm-up'
import { createServiceModel, type Device, type DeviceChange } from './model'
import { createQuerier, type QuestionSpec } from './querier'
import { createMdnsTransport, type Family, type MdnsTransport, type TransportDeps } from './transport'
import { linkFamilies, planLinks, withSocketStates, type TransportLink } from './transport/links'
import { RR_TYPE } from './wire'

/** Default options: tunnels and peer-to-peer links are skipped (issue #4 point 3). */
export const DEFAULT_DISCOVERY_OPTIONS: DiscoveryOptions = { includeTunnels: false, includePeerToPeer: false }

/** A change to some options; undefined leaves an option as it is. */
export type DiscoveryOptionsPatch = { [K in keyof DiscoveryOptions]?: DiscoveryOptions[K] | undefined }

/** What the engine needs. */
export interface EngineDeps {
  clock?: Clock
  wallNow?: () => number
  random?: () => number
  /** Service types to browse, without `.local`; default the app's list. */
  types?: readonly string[]
  /** Browse `_services._dns-sd._udp` and every type it announces (RFC 6763 §9); default true. */
  enumerate?: boolean
  options?: DiscoveryOptions
  /** Batched device changes; at most one call per `changeBatchMs` (first change of a quiet period at once). */
  onChange?: (change: DiscoveryChange) => void
  changeBatchMs?: number
  transport?: (deps: TransportDeps) => MdnsTransport
  log?: (message: string, error?: unknown) => void
}

/** A running discovery. */
export interface DiscoveryEngine {
  start(interfaces: readonly NetInterface[]): Promise<void>
  /** The machine's interfaces changed: rejoin, re-query with QU where new or changed (case 24). */
  setInterfaces(interfaces: readonly NetInterface[]): Promise<void>
  setOptions(options: DiscoveryOptionsPatch): Promise<DiscoveryStatus>
  /** Host woke from sleep: every interface restarts its queries with QU (§5.4). */
  wake(): void
  /** A connect to a discovered address failed: reconfirm its records (RFC 6762 §10.4, case 25); returns how many. */
  reconfirmAddress(address: string, interfaceName: string): number
  snapshot(): DiscoverySnapshot
  /** Model devices (for the CLI's JSON). */
  devices(): Device[]
  /** Every model device change as it happens (the CLI's --watch); returns the unsubscribe. */
  subscribeDevices(listener: (change: DeviceChange) => void): () => void
  packets(deviceId: string): RawPacket[]
  restart(): Promise<DiscoveryStatus>
  close(): Promise<void>
}

const linkId = (name: string, family: Family) => `${name}|${family}`
const splitLinkId = (id: string): [string, Family] => {
  const at = id.lastIndexOf('|')
  return [id.slice(0, at), id.slice(at + 1) as Family]
}

/** Creates an engine; nothing is bound until `start`. */
export function createDiscoveryEngine(deps: EngineDeps = {}): DiscoveryEngine {
  const clock = deps.clock ?? systemClock
  const wallNow = deps.wallNow ?? Date.now
  const log = deps.log ?? (() => undefined)
  const toWall = (clockMs: number) => Math.round(wallNow() + (clockMs - clock.now()))
  const counters = { queriesSent: 0, packetsReceived: 0, packetsIgnored: 0 }
  let options = { ...DEFAULT_DISCOVERY_OPTIONS, ...deps.options }
  let interfaces: readonly NetInterface[] = []
  let verdicts: DiscoveryInterface[] = []
  let links: TransportLink[] = []
  let ownsPort = true
  /** Settles once start has bound the listeners and opened the first links' senders. */
  let linksReady: Promise<void> = Promise.resolve()
  let problems: string[] = []
  let startedAt: number | null = null
  let running = false
  let closed = false

  const packetLog = new PacketLog()

  const transport = (deps.transport ?? createMdnsTransport)({
    clock,
    onPacket: (packet) => receive(packet),
    onUnattributed: () => void counters.packetsIgnored++,
    onStateChange: () => void syncLinks(),
  })
  let batch: CacheEvent[] = []
  const cache = createRecordCache({
    clock,
    ...(deps.random && { random: deps.random }),
    onEvent: (event) => {
      if (batch.push(event) === 1) scheduleFlush()
    },
    onRefreshDue: (record, iface) => queryEverywhere({ name: record.name, type: record.type }, iface),
    onReconfirmQuery: (record, iface) => queryEverywhere({ name: record.name, type: record.type }, iface),
  })
  const querier = createQuerier({
    clock,
    ...(deps.random && { random: deps.random }),
    send: (id, packet) => {
      const [name, family] = splitLinkId(id)
      counters.queriesSent++
      statusTick()
      // During start a query can fall due before its link's socket exists (the delay runs while they open): it waits.
      void linksReady.catch(() => undefined).then(() => transport.send(name, family, packet)).then((error) => error && log(`mDNS send failed on ${id}`, error))
    },
    knownAnswers: (name, type, id, now) => cache.knownAnswers(name, type, splitLinkId(id)[0], now).map((e) => ({ ...e.record, ttl: e.remainingTtl })),
    onSendError: (id, error) => log(`mDNS send failed on ${id}`, error),
    unicastResponses: () => ownsPort,
  })
  const model = createServiceModel({ onChange: (change) => onDeviceChange(change), onServiceTypes: (types) => browses.syncLearned(types.map((t) => t.name.text)) })
  const book = new DeviceBook({
    clock,
    wallNow,
    toWall,
    lookup: (name, type, iface) => cache.lookup(name, type, iface),
    status: () => status(),
    onChange: deps.onChange,
    batchMs: deps.changeBatchMs ?? 100,
    onForget: (id) => packetLog.forget(id),
  })
  const wanted = new WantedNames((name, type) => cache.want({ name, type }))
  const pending = new PendingQuestions()
  let pendingTimer: TimerHandle | undefined
  const browses = new Browses(querier, (name) => cache.want({ name, type: RR_TYPE.PTR }), log)
  const deviceListeners = new Set<(change: DeviceChange) => void>()

  function queryEverywhere(question: QuestionSpec, iface: string): void {
    for (const family of ['IPv4', 'IPv6'] as const) {
      try {
        querier.queryOnce(question, linkId(iface, family))
      } catch (error) {
        log('cannot ask an mDNS question', error) // a name that cannot be encoded; nothing to send
      }
    }
  }

  /**
   * Cache events are applied to the model once per turn of the event loop, not per packet: libuv reads up
   * to 32 datagrams per poll, and a 250-device answer arrives as ~85 packets, so re-deriving the picture
   * per packet made the last device wait for 84 re-derivations (measured: 2.6 s vs 0.4 s).
   */
  let flushScheduled = false
  function scheduleFlush(): void {
    if (flushScheduled || closed) return
    flushScheduled = true
    setImmediate(() => {
      flushScheduled = false
      flushEvents()
    })
  }

  function flushEvents(): void {
    if (closed) return
    const events = batch
    const packets = recentPackets
    batch = []
    recentPackets = []
    if (events.length > 0) {
      model.apply(events)
      wanted.update(model.instances())
      askPending()
    }
    if (packets.length > 0) logPackets(packets)
  }

  let recentPackets: ReceivedBatchItem[] = []
  function logPackets(packets: readonly ReceivedBatchItem[]): void {
    const devices = model.devices()
    const touched = packetLog.addBatch(packets, devices)
    if (touched.size > 0) book.refresh(touched, new Map(devices.map((d) => [d.id, d])))
  }

  function askPending(): void {
    const now = clock.now()
    for (const q of pending.due(model.pendingQueries(), now)) queryEverywhere({ name: q.name, type: q.type }, q.interfaceId)
    if (pendingTimer) clock.clearTimeout(pendingTimer)
    const next = pending.nextDueIn(now)
    pendingTimer = next === undefined ? undefined : clock.setTimeout(askPending, Math.max(50, next))
  }

  const context: PacketContext = {
    cache,
    querier,
    linkId,
    ownAddresses: () => new Set(links.flatMap((l) => [...l.ipv4, ...l.ipv6].map((a) => a.address.split('%')[0] ?? a.address))),
    onIgnored: () => void counters.packetsIgnored++,
    afterIngest: (message, packet) => {
      recentPackets.push({ message, packet, at: wallNow() })
      scheduleFlush()
    },
  }

  /** Counters moved: the screen hears about it at most once a second, even when no device changed. */
  let statusTimer: TimerHandle | undefined
  function statusTick(): void {
    if (statusTimer || !deps.onChange || closed) return
    statusTimer = clock.setTimeout(() => {
      statusTimer = undefined
      book.touch()
    }, 1000)
  }

  function receive(packet: Parameters<TransportDeps['onPacket']>[0]): void {
    if (closed) return
    statusTick()
    counters.packetsReceived++
    handlePacket(context, packet)
  }

  function onDeviceChange(change: DeviceChange): void {
    for (const listener of [...deviceListeners]) listener(change)
    book.apply(change)
  }

  function status(): DiscoveryStatus {
    const interfacesView = withSocketStates(verdicts, transport.states())
    return { running, startedAt, options, interfaces: interfacesView, types: browses.types(SERVICE_TYPE_ENUMERATION), ...counters, ownsPort, problems }
  }

  async function syncLinks(): Promise<void> {
    const plan = planLinks(interfaces, options)
    verdicts = plan.interfaces
    const before = new Map(links.map((l) => [l.name, l]))
    links = plan.links
    // New links join the querier now, so their first-query delay (20-120 ms, §5.2) runs while the sockets
    // open; a query due before its socket is ready waits in the transport. Links that fail are removed below.
    for (const link of plan.links)
      if (!before.has(link.name))
        for (const family of linkFamilies(link)) querier.addInterface(linkId(link.name, family), { family, ...(link.mtu !== undefined && { mtu: link.mtu }) })
    const states = await transport.setLinks(plan.links)
    if (closed) return
    const usable = new Set(states.filter((s) => s.ok).map((s) => linkId(s.link, s.family)))
    for (const link of before.keys()) {
      // The forgotten records arrive as removal events through the cache, so devices there go down.
      if (!plan.links.some((l) => l.name === link)) cache.forgetInterface(link)
    }
    for (const family of ['IPv4', 'IPv6'] as const)
      for (const link of plan.links) {
        const id = linkId(link.name, family)
        if (!usable.has(id)) {
          querier.removeInterface(id)
          continue
        }
        const old = before.get(link.name)
        querier.addInterface(id, { family, ...(link.mtu !== undefined && { mtu: link.mtu }) })
        // An address change on a known link: the network may be new, so re-query with QU (§8, case 24).
        if (old && JSON.stringify(old.ipv4) + JSON.stringify(old.ipv6) !== JSON.stringify(link.ipv4) + JSON.stringify(link.ipv6)) querier.poke('interface-up', id)
      }
    for (const link of before.keys()) if (!plan.links.some((l) => l.name === link)) for (const f of ['IPv4', 'IPv6'] as const) querier.removeInterface(linkId(link, f))
    book.touch()
  }

  return {
    async start(initial) {
      if (running || closed) return
      running = true
      startedAt = wallNow()
      interfaces = initial
      browses.add(deps.types ?? BROWSED_SERVICE_TYPES, true)
      if (deps.enumerate ?? true) browses.add([SERVICE_TYPE_ENUMERATION], true)
      // The first-query delay (20-120 ms, §5.2) starts now and runs while the listeners bind and the senders
      // open; a query that falls due before then waits for `linksReady`. Failed links leave in syncLinks.
      for (const link of planLinks(interfaces, options).links)
        for (const family of linkFamilies(link)) querier.addInterface(linkId(link.name, family), { family, ...(link.mtu !== undefined && { mtu: link.mtu }) })
      linksReady = transport.start().then(async (started) => {
        ownsPort = started.ownsPort
        problems = started.problems
        await syncLinks()
      })
      await linksReady
      scheduleWarmUp(clock, () => closed)
    },
    async setInterfaces(next) {
      interfaces = next
      if (running && !closed) await syncLinks()
    },
    async setOptions(next) {
      options = {
        includeTunnels: next.includeTunnels ?? options.includeTunnels,
        includePeerToPeer: next.includePeerToPeer ?? options.includePeerToPeer,
      }
      if (running && !closed) await syncLinks()
      return status()
    },
    wake: () => querier.poke('wake'),
    reconfirmAddress(address, iface) {
      const bare = address.split('%')[0] ?? address
      let marked = 0
      for (const type of [RR_TYPE.A, RR_TYPE.AAAA])
        for (const instance of model.instances())
          for (const s of instance.sightings)
            if (s.interfaceId === iface && s.host && s.addresses.some((a) => a.address === bare))
              for (const entry of cache.lookup(s.host, type, iface)) if ('address' in entry.record && entry.record.address === bare) marked += cache.reconfirm(entry.key, iface)
      return marked
    },
    snapshot: () => ({ status: status(), devices: book.views() }),
    devices: () => model.devices(),
    subscribeDevices(listener) {
      deviceListeners.add(listener)
      return () => void deviceListeners.delete(listener)
    },
    packets: (id) => packetLog.packets(id),
    async restart() {
      for (const link of links) cache.forgetInterface(link.name)
      flushEvents()
      book.clear()
      packetLog.clear()
      querier.poke('wake')
      return status()
    },
    async close() {
      if (closed) return
      closed = true
      running = false
      for (const timer of [pendingTimer, statusTimer]) if (timer) clock.clearTimeout(timer)
      book.dispose()
      browses.stopAll()
      wanted.clear()
      querier.dispose()
      cache.dispose()
      model.dispose()
      await transport.close()
    },
  }
}
