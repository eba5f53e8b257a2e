/**
 * The mDNS pieces of the self-test: which question to ask a known responder, the query bytes, and the
 * little that matters about an answer (its ID and the names it carries). dns-packet does the encoding;
 * anything it cannot decode is simply "not an answer" (untrusted bytes from the network).
 */
import { decode, encode } from 'dns-packet'
import { expandIpv6 } from '../net/address'

/** A question the self-test asks. */
export interface MdnsQuestion {
  name: string
  type: 'A' | 'AAAA' | 'PTR' | 'SRV'
}

/** RFC 6763 §9: every responder with a service answers this, so any answer means "multicast reached a responder". */
export const SERVICES_QUESTION: MdnsQuestion = { name: '_services._dns-sd._udp.local', type: 'PTR' }

/** What an answer carries that the self-test uses. */
export interface ResponseSummary {
  id: number
  /** Owner names of every record in it, lower case, without a trailing dot. */
  names: string[]
}

const bare = (name: string) => name.trim().replace(/\.$/, '').toLowerCase()

/**
 * The question for a known responder's `name`: PTR for a service type (`_x._tcp.local`), SRV for a service
 * instance (`Name._x._tcp.local`), otherwise A or AAAA for a host name (`.local` added when missing).
 */
export function questionFor(name: string, family: 'IPv4' | 'IPv6'): MdnsQuestion {
  const n = name.trim().replace(/\.$/, '')
  if (n.startsWith('_')) return { name: n, type: 'PTR' }
  if (/\._(tcp|udp)\.local$/i.test(n)) return { name: n, type: 'SRV' }
  return { name: /\.local$/i.test(n) ? n : `${n}.local`, type: family === 'IPv4' ? 'A' : 'AAAA' }
}

/** The owner name an answer about `name` carries, in the form `ResponseSummary.names` uses. */
export function answerKey(name: string): string {
  return bare(questionFor(name, 'IPv4').name)
}

/** The query packet (QM; the QU bit stays clear); undefined when dns-packet cannot encode the name. */
export function encodeQuestion(question: MdnsQuestion, id: number): Uint8Array | undefined {
  try {
    return encode({ type: 'query', id, flags: 0, questions: [{ name: question.name, type: question.type, class: 'IN' }] })
  } catch {
    return undefined
  }
}

/** The ID and record names of an mDNS response; undefined for queries and for bytes that do not decode. */
export function readResponse(bytes: Uint8Array): ResponseSummary | undefined {
  try {
    const packet = decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    if (packet.type !== 'response') return undefined
    const records = [...(packet.answers ?? []), ...(packet.additionals ?? []), ...(packet.authorities ?? [])]
    return { id: packet.id ?? 0, names: [...new Set(records.map((r) => bare(r.name)))] }
  } catch {
    return undefined
  }
}

/** The address without its `%zone`, lower case, so `fe80::1%wlan0` equals `FE80::1`. */
export function addressKey(address: string): string {
  const plain = (address.split('%')[0] ?? '').toLowerCase()
  return plain.includes(':') ? expandIpv6(plain).map((g) => g.toString(16)).join(':') : plain
}

/** True when `address` lies in `network`/`prefixLength` (same family only). */
export function inSubnet(address: string, network: string, prefixLength: number): boolean {
  const a = addressKey(address)
  const b = addressKey(network)
  if (a.includes(':') !== b.includes(':')) return false
  const bits = (value: string) => value.includes(':')
    ? expandIpv6(value).map((g) => g.toString(2).padStart(16, '0')).join('')
    : value.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('')
  return bits(a).slice(0, prefixLength) === bits(b).slice(0, prefixLength)
}
