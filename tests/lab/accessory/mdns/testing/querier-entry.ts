/**
 * Child-process entry for lab tests: a dumb packet pump inside a network namespace. It opens UDP sockets
 * on request (optionally joined to the mDNS group), sends the hex it is given, and reports every datagram
 * it receives, so the test process builds and inspects packets itself.
 */
import { createSocket, type Socket } from 'node:dgram'
import { createInterface } from 'node:readline'

type Command =
  | { op: 'open'; id: string; family: 4 | 6; address: string; port: number; ifname: string; ipv4?: string; join: boolean }
  | { op: 'send'; id: string; hex: string; address: string; port: number }
  | { op: 'close'; id: string }

const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ t: performance.now(), ...line })}\n`)
const sockets = new Map<string, Socket>()

function open(c: Extract<Command, { op: 'open' }>): void {
  const socket = createSocket(c.family === 4 ? { type: 'udp4', reuseAddr: true } : { type: 'udp6', reuseAddr: true, ipv6Only: true })
  socket.on('message', (msg, rinfo) => out({ ev: 'packet', id: c.id, hex: msg.toString('hex'), address: rinfo.address, port: rinfo.port }))
  socket.on('error', (error) => out({ ev: 'error', id: c.id, message: error.message }))
  socket.bind(c.port, c.address, () => {
    const localIf = c.family === 4 ? (c.ipv4 ?? '') : `::%${c.ifname}`
    if (c.join) socket.addMembership(c.family === 4 ? '224.0.0.251' : 'ff02::fb', localIf)
    socket.setMulticastInterface(localIf)
    socket.setMulticastTTL(255)
    sockets.set(c.id, socket)
    out({ ev: 'opened', id: c.id, port: socket.address().port })
  })
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const c = JSON.parse(line) as Command
    if (c.op === 'open') return open(c)
    const socket = sockets.get(c.id)
    if (!socket) return out({ ev: 'error', id: c.id, message: 'no such socket' })
    if (c.op === 'close') {
      sockets.delete(c.id)
      return socket.close(() => out({ ev: 'closed', id: c.id }))
    }
    socket.send(Buffer.from(c.hex, 'hex'), c.port, c.address, (error) => out({ ev: 'sent', id: c.id, error: error?.message }))
  })
  .on('close', () => process.exit(0))
