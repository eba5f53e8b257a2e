/**
 * Recent packets per device for the raw-packet view: each datagram stored once (bytes only, decoded again
 * on request, which is cheap) and referenced by every device whose names it carried. Bounded: 20 packets
 * per device and 2,000 overall, so a chatty network cannot grow memory.
 */
import type { RawPacket } from '../../../shared/discovery/view'
import type { Device } from '../model/types'
import type { ReceivedPacket } from '../transport'
import { decodeMessage, type DecodedMessage, type ResourceRecord } from '../wire'

/** A received response waiting to be logged: the decoded message, the datagram, and when (wall clock). */
export interface ReceivedBatchItem {
  message: DecodedMessage
  packet: ReceivedPacket
  at: number
}

const PER_DEVICE = 20
const OVERALL = 2000

const TYPE_NAMES: Record<number, string> = { 1: 'A', 12: 'PTR', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 41: 'OPT', 47: 'NSEC', 255: 'ANY' }

interface Stored {
  at: number
  interface: string
  from: string
  data: Uint8Array
}

function rdataText(record: ResourceRecord): string {
  switch (record.kind) {
    case 'A':
    case 'AAAA':
      return record.address
    case 'PTR':
      return record.target.text
    case 'SRV':
      return `${record.priority} ${record.weight} ${record.port} ${record.target.text}`
    case 'TXT':
      return record.strings.map((s) => JSON.stringify(Buffer.from(s).toString('latin1'))).join(' ') || '""'
    case 'NSEC':
      return `${record.nextName.text} ${record.types.map((t) => TYPE_NAMES[t] ?? `TYPE${t}`).join(' ')}`
    case 'unknown':
      return `\\# ${record.rdata.length} ${Buffer.from(record.rdata).toString('hex')}`
  }
}

function recordLine(section: string, record: ResourceRecord): string {
  const type = TYPE_NAMES[record.type] ?? `TYPE${record.type}`
  const flush = record.cacheFlush ? ' (cache-flush)' : ''
  return `${section} ${record.name.text} ${record.ttl} ${type}${flush} ${rdataText(record)}`
}

/** A dig-like rendering of a decoded message, one line per item, dropped items included with their reason. */
export function describeMessage(message: DecodedMessage): string[] {
  const h = message.header
  const lines = [`;; ${h.qr ? 'response' : 'query'} id=${h.id} opcode=${h.opcode} rcode=${h.rcode}${h.aa ? ' aa' : ''}${h.tc ? ' tc' : ''} qd=${h.qdcount} an=${h.ancount} ns=${h.nscount} ar=${h.arcount}`]
  for (const q of message.questions) lines.push(`question ${q.name.text} ${TYPE_NAMES[q.type] ?? `TYPE${q.type}`}${q.qu ? ' (QU)' : ''}`)
  for (const r of message.answers) lines.push(recordLine('answer', r))
  for (const r of message.authorities) lines.push(recordLine('authority', r))
  for (const r of message.additionals) lines.push(recordLine('additional', r))
  for (const e of message.errors) lines.push(`;; dropped ${e.section} #${e.index} at byte ${e.offset}: ${e.code}: ${e.reason}`)
  return lines
}

/** The packet log. */
export class PacketLog {
  private readonly byDevice = new Map<string, Stored[]>()
  private readonly order: Stored[] = []

  /** Records one datagram for the given devices. */
  add(deviceIds: Iterable<string>, packet: Stored): void {
    let stored = false
    for (const id of deviceIds) {
      const list = this.byDevice.get(id) ?? []
      list.push(packet)
      if (list.length > PER_DEVICE) list.shift()
      this.byDevice.set(id, list)
      stored = true
    }
    if (!stored) return
    this.order.push(packet)
    if (this.order.length > OVERALL) {
      const dropped = this.order.shift()
      for (const [id, list] of this.byDevice) {
        const kept = list.filter((p) => p !== dropped)
        if (kept.length === 0) this.byDevice.delete(id)
        else if (kept.length !== list.length) this.byDevice.set(id, kept)
      }
    }
  }

  /** Logs a batch of responses for the devices whose instance or host names they carry; returns those device ids. */
  addBatch(items: readonly ReceivedBatchItem[], devices: readonly Device[]): Set<string> {
    const byName = new Map<string, string[]>()
    const index = (name: string, id: string) => byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), id])
    for (const device of devices)
      for (const service of device.services) {
        index(service.name.text, device.id)
        for (const s of service.sightings) if (s.host) index(s.host.text, device.id)
      }
    const touched = new Set<string>()
    for (const { message, packet, at } of items) {
      // A PTR answer is owned by the service type; it belongs to the device whose instance it points at
      // (a PTR-only reply is exactly what Diagnose's "missing additionals" audit needs to see).
      const names = [...message.answers, ...message.additionals].flatMap((r) => (r.kind === 'PTR' ? [r.name.text, r.target.text] : [r.name.text]))
      const ids = new Set(names.flatMap((name) => byName.get(name.toLowerCase()) ?? []))
      for (const id of ids) touched.add(id)
      this.add(ids, { at, interface: packet.link, from: `${packet.address} port ${packet.port}${packet.unicast ? ' (unicast)' : ''}`, data: packet.data })
    }
    return touched
  }

  /** The device's packets, oldest first, decoded for display. */
  packets(deviceId: string): RawPacket[] {
    return (this.byDevice.get(deviceId) ?? []).map((p) => ({
      at: p.at,
      interface: p.interface,
      from: p.from,
      hex: Buffer.from(p.data).toString('hex'),
      lines: describeMessage(decodeMessage(p.data)),
    }))
  }

  /** Forgets a device's packets. */
  forget(deviceId: string): void {
    this.byDevice.delete(deviceId)
  }

  /** Forgets everything. */
  clear(): void {
    this.byDevice.clear()
    this.order.length = 0
  }
}
