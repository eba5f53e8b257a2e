/**
 * A device with legacy (non-mDNS) discovery, for the lab: listens on 0.0.0.0:PORT and answers the magic
 * payload with `{"id":ID,"kind":"plx-legacy"}`; anything else gets no answer. Prints JSON lines
 * (`listening`, `probe`) and runs until stopped.
 *   node legacy-responder-main.js ID PORT MAGIC
 */
import { createSocket } from 'node:dgram'

const [id = '', port = '0', magic = ''] = process.argv.slice(2)
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`)
const socket = createSocket('udp4')

socket.on('message', (msg, rinfo) => {
  const answered = msg.toString() === magic
  out({ ev: 'probe', from: rinfo.address, answered })
  if (answered) socket.send(JSON.stringify({ id, kind: 'plx-legacy' }), rinfo.port, rinfo.address)
})
socket.on('error', (error) => {
  out({ ev: 'error', message: error.message })
  process.exit(1)
})
socket.bind(Number(port), '0.0.0.0', () => out({ ev: 'listening', id, port: socket.address().port }))
process.once('SIGTERM', () => socket.close(() => process.exit(0)))
