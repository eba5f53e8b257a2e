/**
 * A hostile mDNS host for the lab: multicasts COUNT seeded mutations of real and realistic mDNS packets
 * (tests/main/discovery/wire/fixtures.ts) to 224.0.0.251:5353 from port 5353 on one interface, PPS packets a
 * second, then exits. Only ever sends to the mDNS group on the given lab interface. Prints JSON lines:
 * `{"ev":"ready"}`, `{"ev":"progress","sent":n}` and `{"ev":"done","sent":n,"errors":n,"ms":n}`.
 *   node mdns-fuzz-sender-main.js IPV4 COUNT SEED PPS
 */
import { createSocket } from 'node:dgram'
import dnsPacket from 'dns-packet'
import {
  ANDROID_TV_HEX, DNS_PACKET_84_HEX, INSTANCE, SERVICE, encode, forwardNsecResponse, fromHex, hapResponse, mutate, seededRandom,
} from '../../main/discovery/wire/fixtures'

const [ipv4 = '', countText = '10000', seedText = '1', ppsText = '2000'] = process.argv.slice(2)
const count = Math.min(1_000_000, Number(countText))
const pps = Math.max(1, Math.min(20_000, Number(ppsText)))
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`)

/** The fixtures' announcement with lab addresses only (the lab's address rules apply to record data too). */
function labAnnouncement(): Uint8Array {
  const packet = hapResponse()
  packet.additionals = (packet.additionals ?? []).map((r) =>
    r.type === 'A' ? { ...r, data: '198.18.0.77' } : r.type === 'AAAA' ? { ...r, data: 'fd00:706c:78::77' } : r)
  return encode(packet)
}

const corpus: Uint8Array[] = [
  fromHex(DNS_PACKET_84_HEX),
  fromHex(ANDROID_TV_HEX),
  forwardNsecResponse(),
  labAnnouncement(),
  encode({ type: 'query', questions: [{ name: SERVICE, type: 'PTR' }, { name: INSTANCE, type: 'SRV' }], answers: [{ type: 'PTR', name: SERVICE, ttl: 4500, data: INSTANCE }] }),
  encode({ type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER, answers: [{ type: 'PTR', name: '_services._dns-sd._udp.local', ttl: 4500, data: SERVICE }] }),
]

const socket = createSocket({ type: 'udp4', reuseAddr: true })
socket.on('error', (error) => {
  out({ ev: 'error', message: error.message })
  process.exit(1)
})
socket.bind(5353, ipv4, () => {
  socket.setMulticastInterface(ipv4)
  socket.setMulticastTTL(255)
  socket.setMulticastLoopback(false)
  out({ ev: 'ready' })
  const random = seededRandom(Number(seedText))
  const started = performance.now()
  const tickMs = 20
  const perTick = Math.max(1, Math.round((pps * tickMs) / 1000))
  let sent = 0
  let errors = 0
  let inFlight = 0
  const tick = () => {
    for (let i = 0; i < perTick && sent < count; i++, sent++) {
      inFlight++
      socket.send(mutate(corpus[sent % corpus.length] ?? new Uint8Array(0), random), 5353, '224.0.0.251', (error) => {
        inFlight--
        if (error) errors++
      })
    }
    if (sent % 1000 < perTick) out({ ev: 'progress', sent })
    if (sent < count) return void setTimeout(tick, tickMs)
    const finish = () => (inFlight > 0 ? setTimeout(finish, 10) : socket.close(() => {
      out({ ev: 'done', sent, errors, ms: Math.round(performance.now() - started) })
      process.exit(0)
    }))
    finish()
  }
  tick()
})
