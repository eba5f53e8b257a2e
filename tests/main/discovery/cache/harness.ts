/**
 * A cache on a fake clock with every callback recorded, and responses built the way they arrive: encoded
 * by dns-packet and read back by our decoder, so records carry real rdata bytes and decoded fields.
 */
import dnsPacket, { type Answer } from 'dns-packet'
import { createRecordCache, type CacheEvent, type RecordCacheDeps } from '../../../../main/discovery/cache'
import { decodeMessage, type DecodedMessage } from '../../../../main/discovery/wire'
import { createFakeClock } from '../../../helpers/fake-clock'
import { HOST, INSTANCE, SERVICE, encode } from '../wire/fixtures'

export { HOST, INSTANCE, SERVICE }
export const ETH = 'eth0'
export const WLAN = 'wlan0'

/** A PTR from the service type to an instance (shared, no cache-flush). */
export const ptr = (ttl = 4500, instance = INSTANCE): Answer => ({ type: 'PTR', name: SERVICE, ttl, data: instance })
/** The instance's SRV (unique, cache-flush). */
export const srv = (ttl = 120, port = 8080, flush = true): Answer => ({
  type: 'SRV', name: INSTANCE, ttl, flush, data: { priority: 0, weight: 0, port, target: HOST },
})
/** The instance's TXT (unique, cache-flush). */
export const txt = (ttl = 4500, strings: string[] = ['id=AA:BB:CC:DD:EE:FF'], flush = true): Answer => ({
  type: 'TXT', name: INSTANCE, ttl, flush, data: strings,
})
/** A host address (unique, cache-flush). */
export const a = (address = '192.168.1.40', ttl = 120, flush = true, name = HOST): Answer => ({ type: 'A', name, ttl, flush, data: address })
/** A host IPv6 address (unique, cache-flush). */
export const aaaa = (address = 'fe80::1', ttl = 120, flush = true): Answer => ({ type: 'AAAA', name: HOST, ttl, flush, data: address })

/** A response packet as our decoder reads it. */
export function response(answers: Answer[], additionals: Answer[] = []): DecodedMessage {
  const message = decodeMessage(encode({ type: 'response', id: 0, flags: dnsPacket.AUTHORITATIVE_ANSWER, answers, additionals }))
  if (message.errors.length > 0) throw new Error(`test packet did not decode: ${message.errors[0]?.reason}`)
  return message
}

/** One line per event: type, interface, name, type-specific rdata. */
export function describe(event: CacheEvent): string {
  const { record } = event
  const data =
    record.kind === 'A' || record.kind === 'AAAA' ? record.address
    : record.kind === 'PTR' ? record.target.text
    : record.kind === 'SRV' ? String(record.port)
    : record.kind
  return `${event.type} ${event.interfaceId} ${record.name.text} ${data}`
}

/** A cache with recorded callbacks; the random source is 0 (no jitter) unless given. */
export function setup(options: Partial<Omit<RecordCacheDeps, 'clock'>> = {}) {
  const clock = createFakeClock()
  const events: CacheEvent[] = []
  const refreshes: string[] = []
  const reconfirmQueries: string[] = []
  const stamp = (name: string, type: number, interfaceId: string) => `${clock.now()} ${interfaceId} ${name} ${type}`
  const cache = createRecordCache({
    clock,
    onEvent: (event) => events.push(event),
    onRefreshDue: (record, interfaceId) => refreshes.push(stamp(record.name.text, record.type, interfaceId)),
    onReconfirmQuery: (record, interfaceId) => reconfirmQueries.push(stamp(record.name.text, record.type, interfaceId)),
    random: () => 0,
    ...options,
  })
  /** Events since the last call, described. */
  const take = () => events.splice(0).map(describe)
  return { clock, cache, events, refreshes, reconfirmQueries, take }
}
