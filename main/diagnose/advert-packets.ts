/**
 * The advertisement audit's view of a device's packets: each kept datagram decoded again with discovery's
 * own tolerant decoder (main/discovery/wire; never throws, drops only the bad record), the device's names
 * (instances and hosts), and the records that belong to it. Pure data for the rules in advert-*.ts.
 */
import type { DiscoveredDevice, RawPacket } from '../../shared/discovery/view'
import {
  decodeMessage, isMdnsResponseAcceptable, nameFromLabels, nameKey, parseName, RR_TYPE, type DecodedMessage, type DnsName, type ResourceRecord,
} from '../discovery/wire'

/** One usable response datagram of the device. */
export interface SeenPacket {
  /** Position in the input list. */
  index: number
  at: number
  interface: string
  /** Source address without zone. */
  source: string
  family: 'IPv4' | 'IPv6'
  /** Sent to us alone (a QU answer), not multicast. */
  unicast: boolean
  /** A legacy-unicast style reply (ID and question echoed, RFC 6762 §6.7): its TTLs and flush bits follow other rules. */
  legacy: boolean
  message: DecodedMessage
}

/** One record of the device, with the packet and section it came in. */
export interface SeenRecord {
  record: ResourceRecord
  section: 'answer' | 'additional'
  packet: SeenPacket
  /** The owner name's key (case-folded presentation text). */
  key: string
}

/** The packets as decoded, and what could not be used. */
export interface DecodedPackets {
  packets: SeenPacket[]
  /** Datagrams that could not be read at all (not hex, header cut short, not an acceptable mDNS response). */
  malformed: { index: number; reason: string }[]
  /** Records or questions the decoder dropped from otherwise readable datagrams, with the first reasons. */
  dropped: { count: number; reasons: string[] }
  /** The same datagram received twice within 50 ms on one interface from one source: counted once. */
  repeats: number
}

/** The names a device owns: service instances (full names) and host names, by key, with their text. */
export interface DeviceNames {
  instances: Map<string, string>
  hosts: Map<string, string>
}

const HEX = /^(?:[0-9a-f]{2})*$/i
const REPEAT_MS = 50
const utf8 = new TextEncoder()

/** The key of a name (ASCII case folded), or its text when it has no valid key. */
export function keyOf(name: DnsName): string {
  return nameKey(name) ?? name.text
}

function parseFrom(from: string): { source: string; unicast: boolean } {
  const match = /^(\S+) port \d+( \(unicast\))?$/.exec(from)
  const address = match?.[1] ?? from
  return { source: address.split('%')[0] ?? address, unicast: match?.[2] !== undefined }
}

/** Decodes every packet; never throws, whatever the bytes. */
export function decodePackets(raw: readonly RawPacket[]): DecodedPackets {
  const out: DecodedPackets = { packets: [], malformed: [], dropped: { count: 0, reasons: [] }, repeats: 0 }
  const recent: { hex: string; at: number; interface: string; from: string }[] = []
  for (const [index, p] of raw.entries()) {
    if (!HEX.test(p.hex)) {
      out.malformed.push({ index, reason: 'the stored datagram is not hex' })
      continue
    }
    const hex = p.hex.toLowerCase()
    if (recent.some((r) => r.hex === hex && r.interface === p.interface && r.from === p.from && Math.abs(r.at - p.at) <= REPEAT_MS)) {
      out.repeats++
      continue
    }
    recent.push({ hex, at: p.at, interface: p.interface, from: p.from })
    const message = decodeMessage(Buffer.from(hex, 'hex'))
    const fatal = message.errors.find((e) => e.code === 'header-truncated')
    if (fatal) {
      out.malformed.push({ index, reason: `${fatal.code}: ${fatal.reason}` })
      continue
    }
    if (!isMdnsResponseAcceptable(message.header)) {
      const h = message.header
      out.malformed.push({ index, reason: `not an mDNS response (qr=${h.qr ? 1 : 0} opcode=${h.opcode} rcode=${h.rcode}, RFC 6762 §18)` })
      continue
    }
    out.dropped.count += message.errors.length
    for (const e of message.errors) if (out.dropped.reasons.length < 5) out.dropped.reasons.push(`${e.section} #${e.index}: ${e.code}: ${e.reason}`)
    const { source, unicast } = parseFrom(p.from)
    out.packets.push({
      index, at: p.at, interface: p.interface, source, family: source.includes(':') ? 'IPv6' : 'IPv4', unicast,
      legacy: message.header.id !== 0 && message.questions.length > 0, message,
    })
  }
  out.packets.sort((a, b) => a.at - b.at || a.index - b.index)
  return out
}

/** The full name of a service instance (`<instance>.<type>.<domain>`), or undefined when it cannot be a name. */
export function instanceName(instance: string, type: string, domain: string): DnsName | undefined {
  const rest = parseName(`${type}.${domain}`)
  return rest.ok ? nameFromLabels([utf8.encode(instance), ...rest.name.labels]) : undefined
}

/** The device's instance names (from discovery) and host names (discovery's, plus SRV targets of its instances in the packets). */
export function deviceNames(device: DiscoveredDevice, packets: readonly SeenPacket[]): DeviceNames {
  const names: DeviceNames = { instances: new Map(), hosts: new Map() }
  for (const s of device.services) {
    const name = instanceName(s.instance, s.type, s.domain)
    if (name) names.instances.set(keyOf(name), name.text)
    const host = s.host === null ? undefined : nameKey(s.host)
    if (host && s.host) names.hosts.set(host, s.host)
  }
  for (const p of packets)
    for (const r of [...p.message.answers, ...p.message.additionals])
      if (r.kind === 'SRV' && names.instances.has(keyOf(r.name))) names.hosts.set(keyOf(r.target), r.target.text)
  return names
}

/** True when a record is about the device: owned by one of its names, or a PTR pointing at one of its instances. */
export function isDeviceRecord(record: ResourceRecord, names: DeviceNames): boolean {
  const key = keyOf(record.name)
  if (names.instances.has(key) || names.hosts.has(key)) return true
  return record.kind === 'PTR' && names.instances.has(keyOf(record.target))
}

/** Every record of the device in the answer and additional sections, in packet order. */
export function deviceRecords(packets: readonly SeenPacket[], names: DeviceNames): SeenRecord[] {
  const out: SeenRecord[] = []
  for (const packet of packets) {
    const sections = [['answer', packet.message.answers], ['additional', packet.message.additionals]] as const
    for (const [section, list] of sections)
      for (const record of list) if (isDeviceRecord(record, names)) out.push({ record, section, packet, key: keyOf(record.name) })
  }
  return out
}

const TYPE_NAMES: Record<number, string> = { 1: 'A', 12: 'PTR', 13: 'HINFO', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 47: 'NSEC' }

/** The type's mnemonic (`TYPE65` for unknown ones). */
export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`
}

/** A PTR that DNS-SD shares between responders (browse and enumeration PTRs), as opposed to reverse-mapping PTRs. */
export function isSharedRecord(record: ResourceRecord): boolean {
  return record.type === RR_TYPE.PTR && !/\.arpa\.?$/i.test(record.name.text)
}

const HOST_NAME_TYPES = new Set<number>([RR_TYPE.A, RR_TYPE.AAAA, RR_TYPE.SRV, 13])

/** Host-name records, which SHOULD have TTL 120 s (RFC 6762 §10): A, AAAA, SRV, HINFO and reverse-mapping PTR. */
export function isHostNameRecord(record: ResourceRecord): boolean {
  return HOST_NAME_TYPES.has(record.type) || (record.type === RR_TYPE.PTR && !isSharedRecord(record))
}

/** The rdata as a comparable string (names case-folded, TXT as hex strings). */
export function dataKey(record: ResourceRecord): string {
  switch (record.kind) {
    case 'A':
    case 'AAAA':
      return record.address
    case 'PTR':
      return keyOf(record.target)
    case 'SRV':
      return `${record.priority} ${record.weight} ${record.port} ${keyOf(record.target)}`
    case 'TXT':
      return record.strings.map((s) => Buffer.from(s).toString('hex')).join(',')
    case 'NSEC':
      return `${keyOf(record.nextName)} ${record.types.join(',')}`
    case 'unknown':
      return Buffer.from(record.rdata).toString('hex')
  }
}

/** The rdata for people: addresses, targets, `port target`, TXT strings count. */
export function dataText(record: ResourceRecord): string {
  switch (record.kind) {
    case 'A':
    case 'AAAA':
      return record.address
    case 'PTR':
      return record.target.text
    case 'SRV':
      return `port ${record.port} on ${record.target.text}`
    case 'TXT':
      return `${record.strings.length} string(s), ${record.rdata.length} bytes`
    case 'NSEC':
      return `types ${record.types.map(typeName).join(' ')}`
    case 'unknown':
      return `${record.rdata.length} bytes`
  }
}

/** One packet's record set for a unique name and type: its rdata keys, sorted and joined. */
export interface Claim {
  at: number
  data: string
  source: string
}

const CLAIMED = new Set(['SRV', 'TXT', 'A', 'AAAA'])

/** Per unique name and type (live SRV, TXT, A, AAAA), the record set each packet carried, in packet order. */
export function claimsByName(records: readonly SeenRecord[]): Map<string, { name: string; type: number; claims: Claim[] }> {
  const sets = new Map<string, { name: string; type: number; byPacket: Map<SeenPacket, Set<string>> }>()
  for (const r of records) {
    if (r.record.ttl === 0 || !CLAIMED.has(r.record.kind)) continue
    const id = `${r.key}\u0000${r.record.type}`
    const entry = sets.get(id) ?? { name: r.record.name.text, type: r.record.type, byPacket: new Map<SeenPacket, Set<string>>() }
    sets.set(id, entry)
    entry.byPacket.set(r.packet, (entry.byPacket.get(r.packet) ?? new Set<string>()).add(dataKey(r.record)))
  }
  return new Map([...sets].map(([id, { name, type, byPacket }]) => [
    id,
    { name, type, claims: [...byPacket].map(([p, data]) => ({ at: p.at, data: [...data].sort().join('|'), source: p.source })) },
  ]))
}
