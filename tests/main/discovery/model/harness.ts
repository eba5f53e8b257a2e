/**
 * A record cache on a fake clock feeding a service model, and responses built byte by byte and read back by
 * our decoder. Built here rather than with dns-packet because its encoder splits `My\.Lamp` at the escaped dot
 * (checked with dns-packet 5.6), and hostile instance names are half of what these tests are about.
 */
import { createRecordCache, type CacheEvent } from '../../../../main/discovery/cache'
import { createServiceModel, type DeviceChange, type ServiceModelDeps, type ServiceTypeSighting } from '../../../../main/discovery/model'
import { CLASS_IN, RR_TYPE, decodeMessage, encodeName, parseName, type DnsName } from '../../../../main/discovery/wire'
import { createFakeClock } from '../../../helpers/fake-clock'

/** A record to encode; names are presentation text (`My\.Lamp._hap._tcp.local`) or raw labels. */
export interface RawRecord {
  name: string | Uint8Array[]
  type: number
  ttl: number
  flush: boolean
  rdata: Uint8Array
}

type NameInput = string | Uint8Array[]
const enc = new TextEncoder()

function labels(name: NameInput): Uint8Array[] {
  if (Array.isArray(name)) return name
  const parsed = parseName(name)
  if (!parsed.ok) throw new Error(`bad test name ${name}: ${parsed.error.message}`)
  return [...parsed.name.labels]
}

const nameBytes = (name: NameInput) => encodeName(labels(name))
const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff]

/** The PTR from a type (or subtype, or `_services._dns-sd._udp`) to an instance; shared, so no cache-flush. */
export const ptr = (owner: NameInput, target: NameInput, ttl = 4500): RawRecord => ({ name: owner, type: RR_TYPE.PTR, ttl, flush: false, rdata: nameBytes(target) })
/** An instance's SRV. */
export const srv = (instance: NameInput, host: NameInput, port = 8080, ttl = 120): RawRecord => ({
  name: instance, type: RR_TYPE.SRV, ttl, flush: true, rdata: new Uint8Array([0, 0, 0, 0, ...u16(port), ...nameBytes(host)]),
})
/** An instance's TXT, strings as given (duplicates and odd keys included). */
export const txt = (instance: NameInput, strings: string[], ttl = 4500): RawRecord => ({
  name: instance, type: RR_TYPE.TXT, ttl, flush: true, rdata: rawTxt(strings),
})
/** A host's IPv4 address. */
export const a = (host: NameInput, address: string, ttl = 120): RawRecord => ({
  name: host, type: RR_TYPE.A, ttl, flush: true, rdata: new Uint8Array(address.split('.').map(Number)),
})
/** A host's IPv6 address. */
export const aaaa = (host: NameInput, address: string, ttl = 120): RawRecord => ({
  name: host, type: RR_TYPE.AAAA, ttl, flush: true, rdata: ipv6(address),
})

function rawTxt(strings: string[]): Uint8Array {
  // Not encodeTxt: it refuses duplicate keys, which is exactly what a hostile peer sends.
  if (strings.length === 0) return new Uint8Array([0]) // the §6.1 empty record
  return new Uint8Array(strings.flatMap((s) => [enc.encode(s).length, ...enc.encode(s)]))
}

function ipv6(address: string): Uint8Array {
  const [head = '', tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  return new Uint8Array(groups.flatMap((g) => u16(parseInt(g, 16))))
}

/** A response datagram with the records as answers. */
export function packet(records: RawRecord[]): Uint8Array {
  const bytes: number[] = [0, 0, 0x84, 0, 0, 0, ...u16(records.length), 0, 0, 0, 0]
  for (const r of records) {
    bytes.push(...nameBytes(r.name), ...u16(r.type), ...u16(CLASS_IN | (r.flush ? 0x8000 : 0)))
    bytes.push((r.ttl >>> 24) & 0xff, (r.ttl >>> 16) & 0xff, (r.ttl >>> 8) & 0xff, r.ttl & 0xff, ...u16(r.rdata.length), ...r.rdata)
  }
  return new Uint8Array(bytes)
}

/** A name as the decoder would produce it. */
export function dnsName(text: string): DnsName {
  return { labels: labels(text), text: parseName(text).ok ? text : '' }
}

/** Cache + model on a fake clock; every device change and type list recorded. */
export function setup(deps: Omit<ServiceModelDeps, 'onChange' | 'onServiceTypes'> = {}) {
  const clock = createFakeClock()
  const pending: CacheEvent[] = []
  const changes: DeviceChange[] = []
  const typeLists: ServiceTypeSighting[][] = []
  const cache = createRecordCache({ clock, onEvent: (event) => pending.push(event), random: () => 0 })
  const model = createServiceModel({ ...deps, onChange: (c) => changes.push(c), onServiceTypes: (t) => typeLists.push(t) })
  const flush = () => model.apply(pending.splice(0))
  /** Delivers one datagram on an interface, then hands its events to the model as one batch. */
  const receive = (interfaceId: string, ...records: RawRecord[]) => {
    const message = decodeMessage(packet(records))
    if (message.errors.length > 0) throw new Error(`test packet did not decode: ${message.errors[0]?.reason}`)
    cache.ingest(message, interfaceId)
    flush()
  }
  const advance = async (ms: number) => {
    await clock.advance(ms)
    flush()
  }
  /** Changes since the last call as `type name`. */
  const take = () => changes.splice(0).map((c) => `${c.type} ${c.device.name}`)
  return { clock, cache, model, changes, typeLists, receive, advance, flush, take }
}

/** A complete announcement of one instance: PTR, SRV, TXT and an A record. */
export function announce(instance: string, host: string, address: string, strings: string[] = [], type = '_hap._tcp.local'): RawRecord[] {
  const full = `${instance}.${type}`
  return [ptr(type, full), srv(full, host), txt(full, strings), a(host, address)]
}
