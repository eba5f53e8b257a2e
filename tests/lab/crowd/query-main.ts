/**
 * A scripted mDNS querier for crowd tests (bundled, run in a namespace): sends raw query packets from
 * port 5353 or an ephemeral port, then prints every response it gets as a JSON line, telling unicast
 * from multicast by socket: one socket bound to the interface's own address (unicast only, it sends),
 * one on 0.0.0.0:5353 joined to the group (multicast).
 *   node query-main.mjs '{"address4","sourcePort":5353|0,"packets":[hex…],"gapMs","listenMs"}'
 * stdout: {"ev":"sent","bytes"} per packet, {"ev":"packet","via":"unicast"|"multicast","from","hex"} per response, {"ev":"done"}.
 */
import { createSocket, type Socket } from 'node:dgram'

interface Args {
  address4: string
  sourcePort: number
  packets: string[]
  gapMs: number
  listenMs: number
}

const out = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`)
const bind = (socket: Socket, port: number, address: string) =>
  new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind({ port, address, exclusive: false }, () => resolve())
  })

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args
  const isResponse = (msg: Buffer) => msg.length >= 12 && (msg.readUInt16BE(2) & 0x8000) !== 0
  const group = createSocket({ type: 'udp4', reuseAddr: true })
  await bind(group, 5353, '0.0.0.0')
  group.addMembership('224.0.0.251', args.address4)
  group.on('message', (msg, rinfo) => {
    if (isResponse(msg)) out({ ev: 'packet', via: 'multicast', from: `${rinfo.address}:${rinfo.port}`, hex: msg.toString('hex') })
  })
  // Bound to our own address: multicast (destination 224.0.0.251) never matches it, so it hears unicast only.
  const own = createSocket({ type: 'udp4', reuseAddr: true })
  await bind(own, args.sourcePort, args.address4)
  own.setMulticastInterface(args.address4)
  own.setMulticastTTL(255)
  own.on('message', (msg, rinfo) => {
    if (isResponse(msg)) out({ ev: 'packet', via: 'unicast', from: `${rinfo.address}:${rinfo.port}`, hex: msg.toString('hex') })
  })
  for (const [i, hex] of args.packets.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, args.gapMs))
    const buf = Buffer.from(hex, 'hex')
    await new Promise<void>((resolve) => own.send(buf, 5353, '224.0.0.251', () => resolve()))
    out({ ev: 'sent', bytes: buf.length })
  }
  await new Promise((resolve) => setTimeout(resolve, args.listenMs))
  out({ ev: 'done' })
  group.close()
  own.close()
}

main().catch((error: unknown) => {
  out({ ev: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
