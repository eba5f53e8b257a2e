/**
 * The discovery engine on a fake clock over a fake transport: every packet the engine multicasts is
 * captured per link and family and decoded, and the test delivers datagrams as the real transport would
 * (already attributed to a link, with source address, port and whether it was unicast).
 */
import type { DiscoveryChange, DiscoveryOptions } from '../../../shared/discovery/view'
import type { InterfaceAddress, NetInterface } from '../../../shared/net/interfaces'
import { createDiscoveryEngine, type DiscoveryEngine } from '../../../main/discovery/engine'
import type { Family, LinkFamilyState, MdnsTransport, TransportDeps, TransportLink } from '../../../main/discovery/transport'
import { isLinkLocal6 } from '../../../main/discovery/transport/links'
import { decodeMessage, type DecodedMessage } from '../../../main/discovery/wire'
import { createFakeClock } from '../../helpers/fake-clock'
import { seededRandom } from './wire/fixtures'

/** Wall-clock ms at engine-clock 0, so wall times in views are predictable. */
export const WALL0 = 1_750_000_000_000

/** One packet the engine sent, decoded. */
export interface SentPacket {
  at: number
  link: string
  family: Family
  data: Uint8Array
  message: DecodedMessage
}

/** A datagram to deliver; defaults: IPv4, from 198.18.0.40:5353, multicast. */
export interface Delivery {
  data: Uint8Array
  link: string
  family?: Family
  address?: string
  port?: number
  unicast?: boolean
}

/** An MdnsTransport that sends nowhere: it records, and fails links and families on request. */
export class FakeTransport implements MdnsTransport {
  deps: TransportDeps | undefined
  links: TransportLink[] = []
  readonly sent: SentPacket[] = []
  /** `link|family` → the error text its sender reports (as describeSocketError would word it). */
  readonly failures = new Map<string, string>()
  setLinksCalls = 0
  closed = false
  /** Packets sent in all; `sent` keeps them only while `keepSent` is true (long fuzz runs turn it off). */
  sentCount = 0
  keepSent = true

  constructor(private readonly now: () => number) {}

  async start() {
    return { ownsPort: true, problems: [] }
  }

  async setLinks(links: readonly TransportLink[]) {
    this.setLinksCalls++
    this.links = [...links]
    return this.states()
  }

  states(): LinkFamilyState[] {
    return this.links.flatMap((link) => families(link).map((family) => {
      const error = this.failures.get(`${link.name}|${family}`)
      return { link: link.name, family, ok: error === undefined, error: error ?? '' }
    }))
  }

  async send(link: string, family: Family, data: Uint8Array) {
    const state = this.states().find((s) => s.link === link && s.family === family)
    if (!state?.ok) return new Error(state?.error || `not sending on ${link} (${family})`)
    this.sentCount++
    if (this.keepSent) this.sent.push({ at: this.now(), link, family, data, message: decodeMessage(data) })
    return undefined
  }

  async sendUnicast(link: string, family: Family, data: Uint8Array) {
    return this.send(link, family, data)
  }

  async close() {
    this.closed = true
  }

  /** Delivers a datagram to the engine. */
  deliver({ data, link, family = 'IPv4', address = '198.18.0.40', port = 5353, unicast = false }: Delivery): void {
    this.deps?.onPacket({ data, link, family, address, port, unicast })
  }

  /** Delivers a datagram and lets the engine apply it (it does so once per turn of the event loop). */
  async receive(delivery: Delivery): Promise<void> {
    this.deliver(delivery)
    await new Promise((resolve) => setImmediate(resolve))
  }

  /** A failing sender starts working (as the real transport's retry would report it). */
  recover(link: string, family: Family): void {
    this.failures.delete(`${link}|${family}`)
    this.deps?.onStateChange?.({ link, family, ok: true, error: '' })
  }
}

function families(link: TransportLink): Family[] {
  return [...(link.ipv4.length > 0 ? ['IPv4' as const] : []), ...(link.ipv6.some((a) => isLinkLocal6(a.address)) ? ['IPv6' as const] : [])]
}

/** Options of a test interface; addresses in CIDR form. */
export interface IfaceOptions {
  kind?: NetInterface['kind']
  v4?: string[]
  v6?: string[]
  scopeId?: number
  isUp?: boolean
  isRunning?: boolean
  canMulticast?: boolean
  isInternal?: boolean
  mtu?: number
}

/** A NetInterface as the interface reader reports it. */
export function netIf(name: string, options: IfaceOptions = {}): NetInterface {
  const address = (cidr: string, family: 'IPv4' | 'IPv6'): InterfaceAddress => {
    const [addr = '', prefix = family === 'IPv4' ? '24' : '64'] = cidr.split('/')
    const linkLocal = family === 'IPv6' ? isLinkLocal6(addr) : addr.startsWith('169.254.')
    return {
      address: addr, family, netmask: '', prefixLength: Number(prefix), scope: addr.startsWith('127.') || addr === '::1' ? 'host' : linkLocal ? 'link' : 'global',
      ...(family === 'IPv6' && options.scopeId !== undefined && { scopeId: options.scopeId }),
    }
  }
  return {
    name, kind: options.kind ?? 'ethernet', kindReason: 'test', isUp: options.isUp ?? true, isInternal: options.isInternal ?? false,
    ...(options.isRunning !== undefined && { isRunning: options.isRunning }),
    ...(options.canMulticast !== undefined && { canMulticast: options.canMulticast }),
    ...(options.mtu !== undefined && { mtu: options.mtu }),
    addresses: [...(options.v4 ?? []).map((c) => address(c, 'IPv4')), ...(options.v6 ?? []).map((c) => address(c, 'IPv6'))],
  }
}

/** The lab-range interfaces most tests use. */
export const ETH0 = netIf('eth0', { v4: ['198.18.0.2/24'], v6: ['fe80::2/64'], scopeId: 2 })
export const WLAN0 = netIf('wlan0', { kind: 'wifi', v4: ['198.18.1.2/24'], v6: ['fe80::3/64'], scopeId: 3 })

/** What a test may choose. */
export interface EngineSetup {
  interfaces?: NetInterface[]
  types?: string[]
  enumerate?: boolean
  options?: DiscoveryOptions
  changeBatchMs?: number
  /** Collect onChange emissions (default true). */
  onChange?: boolean
}

/** An engine on a fake clock over a FakeTransport; `start()` it. */
export function setupEngine(setup: EngineSetup = {}) {
  const clock = createFakeClock()
  const transport = new FakeTransport(() => clock.now())
  const changes: DiscoveryChange[] = []
  const logs: string[] = []
  const engine: DiscoveryEngine = createDiscoveryEngine({
    clock,
    wallNow: () => WALL0 + clock.now(),
    random: seededRandom(42),
    types: setup.types ?? ['_hap._tcp'],
    enumerate: setup.enumerate ?? false,
    ...(setup.options && { options: setup.options }),
    ...(setup.changeBatchMs !== undefined && { changeBatchMs: setup.changeBatchMs }),
    ...(setup.onChange !== false && { onChange: (change: DiscoveryChange) => void changes.push(change) }),
    transport: (deps) => {
      transport.deps = deps
      return transport
    },
    log: (message) => void logs.push(message),
  })
  const start = () => engine.start(setup.interfaces ?? [ETH0])
  /** Packets sent on a link (and family), optionally only after a time. */
  const sentOn = (link: string, family?: Family, since = -1) => transport.sent.filter((p) => p.link === link && (!family || p.family === family) && p.at > since)
  /** Every question sent, as `time link family name/type[/QU]`. */
  const questions = (filter: (q: { link: string; family: Family; at: number; name: string; type: number; qu: boolean }) => boolean = () => true) =>
    transport.sent.flatMap((p) => p.message.questions.map((q) => ({ link: p.link, family: p.family, at: p.at, name: q.name.text, type: q.type, qu: q.qu }))).filter(filter)
  const device = (name: string) => engine.snapshot().devices.find((d) => d.name === name)
  return { clock, transport, engine, changes, logs, start, sentOn, questions, device }
}

/** A question's rendering, for readable failures. */
export const describeQuestion = (q: { name: string | { text: string }; type: number; qu: boolean }) =>
  `${typeof q.name === 'string' ? q.name : q.name.text}/${q.type}${q.qu ? '/QU' : ''}`
