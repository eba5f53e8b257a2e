/**
 * The model's copy of the cache, fed by cache events, and the resolution of PTR → SRV/TXT → A/AAAA per
 * interface. A copy rather than `cache.lookup` calls because the events already say everything that changed
 * (timer-driven expiry included), so the model never has to guess when to look again.
 */
import type { CacheEntry, CacheEvent, InterfaceId } from '../cache/types'
import { RR_TYPE, nameKey, parseTxt, type DnsName, type ResourceRecord } from '../wire'
import type { AddressFamily, AddressSighting, ServiceSighting } from './types'

/** Entries currently in the cache, indexed by interface, type and owner name. */
export class RecordMirror {
  private readonly entries = new Map<string, CacheEntry>()
  private readonly index = new Map<string, Map<string, CacheEntry>>()

  /** Applies one cache event: `added`/`updated` store the entry, every other type removes it. */
  apply(event: CacheEvent): void {
    if (event.type === 'updated') this.remove(event.previous.key)
    this.remove(event.key)
    if (event.type !== 'added' && event.type !== 'updated') return
    // Only the entry's own fields: an event's `previous` would keep an older copy alive.
    const { key, interfaceId, record, ttl, receivedAt, expiresAt, state, wanted } = event
    this.put({ key, interfaceId, record, ttl, receivedAt, expiresAt, state, wanted })
  }

  /** Records of one name and type on one interface, oldest answer first. */
  find(interfaceId: InterfaceId, type: number, name: DnsName): CacheEntry[] {
    const bucket = this.index.get(slot(interfaceId, type, nameKey(name) ?? ''))
    return bucket ? [...bucket.values()].sort((a, b) => a.receivedAt - b.receivedAt) : []
  }

  /** Every cached PTR record, on every interface. */
  pointers(): CacheEntry[] {
    return [...this.entries.values()].filter((entry) => entry.record.type === RR_TYPE.PTR)
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear()
    this.index.clear()
  }

  private put(entry: CacheEntry): void {
    this.entries.set(entry.key, entry)
    const key = slotOf(entry)
    const bucket = this.index.get(key) ?? new Map<string, CacheEntry>()
    bucket.set(entry.key, entry)
    this.index.set(key, bucket)
  }

  private remove(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    const slotKey = slotOf(entry)
    const bucket = this.index.get(slotKey)
    bucket?.delete(key)
    if (bucket?.size === 0) this.index.delete(slotKey)
  }
}

function slot(interfaceId: InterfaceId, type: number, name: string): string {
  return `${interfaceId}\u0000${type}\u0000${name}`
}

function slotOf(entry: CacheEntry): string {
  return slot(entry.interfaceId, entry.record.type, nameKey(entry.record.name) ?? '')
}

type Srv = Extract<ResourceRecord, { kind: 'SRV' }>
type Txt = Extract<ResourceRecord, { kind: 'TXT' }>

/** RFC 2782: lowest priority first, then highest weight; one SRV per instance is the norm. */
function pickSrv(entries: CacheEntry[]): Srv | undefined {
  const records = entries.map((entry) => entry.record).filter((record): record is Srv => record.kind === 'SRV')
  return records.sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0]
}

/** The newest TXT: after a change the old one lingers for its last second (cache-flush, RFC 6762 §10.2). */
function pickTxt(entries: CacheEntry[]): Txt | undefined {
  return entries.map((entry) => entry.record).filter((record): record is Txt => record.kind === 'TXT').at(-1)
}

/** fe80::/10: the only IPv6 addresses that need a zone to be usable (RFC 4007 §6). */
export function isLinkLocalIpv6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address)
}

/** An address with the interface it was seen on; link-local IPv6 gets the interface name as its zone. */
export function addressSighting(address: string, family: AddressFamily, interfaceId: InterfaceId, interfaceName: string): AddressSighting {
  const zone = family === 'IPv6' && isLinkLocalIpv6(address) ? interfaceName : undefined
  return { address, family, interfaceId, interfaceName, zone, connectAddress: zone ? `${address}%${zone}` : address }
}

/**
 * Addresses per host, family and interface that the model uses. Real hosts have a handful; a responder
 * (or an attacker) flooding a name with A records must not make every re-derivation and view grow with it.
 */
export const MAX_ADDRESSES_PER_HOST = 16

/** Addresses of `host` on one interface, IPv4 first then IPv6, each in answer order (at most 16 per family). */
export function hostAddresses(mirror: RecordMirror, host: DnsName, interfaceId: InterfaceId, interfaceName: string): AddressSighting[] {
  const out: AddressSighting[] = []
  for (const [type, family] of [[RR_TYPE.A, 'IPv4'], [RR_TYPE.AAAA, 'IPv6']] as const) {
    for (const { record } of mirror.find(interfaceId, type, host).slice(0, MAX_ADDRESSES_PER_HOST)) {
      if (record.kind === 'A' || record.kind === 'AAAA') out.push(addressSighting(record.address, family, interfaceId, interfaceName))
    }
  }
  return out
}

/** What the cache holds for one instance on one interface. */
export function resolveSighting(mirror: RecordMirror, instance: DnsName, interfaceId: InterfaceId, interfaceName: string): ServiceSighting {
  const srv = pickSrv(mirror.find(interfaceId, RR_TYPE.SRV, instance))
  const txt = pickTxt(mirror.find(interfaceId, RR_TYPE.TXT, instance))
  const addresses = srv ? hostAddresses(mirror, srv.target, interfaceId, interfaceName) : []
  return {
    interfaceId,
    host: srv?.target,
    port: srv?.port,
    txt: txt ? parseTxt(txt.strings) : undefined,
    txtStrings: txt?.strings.map((s) => new Uint8Array(s)),
    addresses,
    isResolved: srv !== undefined && addresses.length > 0,
  }
}
