// Tiny network probes for lab tests, run inside a namespace with `lab.exec(ns, process.execPath, [probeScript, …])`.
// Plain JS so Node runs it without a TypeScript loader. The lab image has no `ping`, and a UDP echo
// measures what the tests need (round trip, loss) with real sockets. Every mode is bounded in time.
//
//   udp-echo  ADDR PORT                          echoes datagrams; prints "ready"; runs until killed
//   udp-rtt   ADDR PORT COUNT INTERVAL_MS WAIT_MS prints {"sent","received","rtts":[ms…]}
//   http-serve ADDR PORT BODY                    answers every GET with 200 BODY; prints "ready"
//   http-get  URL TIMEOUT_MS                     prints {"status","body"} or {"error"}
import { createSocket } from 'node:dgram'
import { createServer, get } from 'node:http'
import { isIPv6 } from 'node:net'

const [mode, ...args] = process.argv.slice(2)
const family = (addr) => (isIPv6(addr.split('%')[0]) ? 'udp6' : 'udp4')

if (mode === 'udp-echo') {
  const [addr, port] = args
  const socket = createSocket(family(addr))
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address))
  socket.bind(Number(port), addr, () => console.log('ready'))
} else if (mode === 'udp-rtt') {
  const [addr, port, count, intervalMs, waitMs] = args
  const socket = createSocket(family(addr))
  const sentAt = new Map()
  const rtts = []
  socket.on('message', (msg) => {
    const t = sentAt.get(msg.toString())
    if (t !== undefined) rtts.push(Math.round((performance.now() - t) * 100) / 100)
    sentAt.delete(msg.toString())
  })
  let sent = 0
  const timer = setInterval(() => {
    if (sent >= Number(count)) return clearInterval(timer)
    const id = `probe-${sent++}`
    sentAt.set(id, performance.now())
    socket.send(id, Number(port), addr)
  }, Number(intervalMs))
  setTimeout(() => {
    console.log(JSON.stringify({ sent, received: rtts.length, rtts }))
    socket.close()
    process.exit(0)
  }, Number(count) * Number(intervalMs) + Number(waitMs))
} else if (mode === 'http-serve') {
  const [addr, port, body] = args
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(body))
  server.listen(Number(port), addr, () => console.log('ready'))
} else if (mode === 'http-get') {
  const [url, timeoutMs] = args
  const req = get(url, { timeout: Number(timeoutMs) }, (res) => {
    let body = ''
    res.on('data', (chunk) => (body += chunk))
    res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, body })))
  })
  req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)))
  req.on('error', (error) => console.log(JSON.stringify({ error: error.message })))
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
