/**
 * A one-shot mDNS query from inside a lab namespace: joins the group on one interface, sends a QM query
 * from port 5353 (so answers come by multicast, with their real TTLs), listens for `waitMs`, and prints
 * every record received as JSON lines (name, type, ttl, section, data).
 *   node mdns-query-main.js IFNAME IPV4 NAME TYPE WAITMS
 */
import { createSocket } from 'node:dgram'
import { decode, encode, type Answer } from 'dns-packet'

const [ifname = '', ipv4 = '', name = '', type = 'PTR', waitMs = '1500'] = process.argv.slice(2)
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`)
const socket = createSocket({ type: 'udp4', reuseAddr: true })
const show = (section: string, r: Answer) => out({ section, name: r.name, type: r.type, ttl: 'ttl' in r ? r.ttl : undefined, data: 'data' in r ? r.data : undefined })

socket.on('message', (msg) => {
  try {
    const packet = decode(msg)
    if (packet.type !== 'response') return
    out({ ev: 'packet', bytes: msg.length })
    for (const r of packet.answers ?? []) show('answer', r)
    for (const r of packet.additionals ?? []) show('additional', r)
  } catch (error) {
    out({ ev: 'undecodable', message: (error as Error).message })
  }
})
socket.bind(5353, '0.0.0.0', () => {
  socket.addMembership('224.0.0.251', ipv4)
  socket.setMulticastInterface(ipv4)
  socket.setMulticastTTL(255)
  const query = encode({ type: 'query', id: 0, questions: [{ name, type: type as 'PTR' }] })
  socket.send(query, 5353, '224.0.0.251', () => out({ ev: 'sent', ifname }))
  setTimeout(() => socket.close(() => process.exit(0)), Number(waitMs))
})
