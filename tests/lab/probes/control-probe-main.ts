/**
 * A control-service client inside a lab namespace, steered by stdin lines (`ping <timeoutMs>`, `close`) and
 * reporting JSON lines: connection events and each ping's outcome. Used to show the stall fault from the
 * app host's side: the socket stays open while pings go unanswered.
 */
import { createInterface } from 'node:readline'
import { createControlClient } from '../accessory/control'

const [host = '', port = '0'] = process.argv.slice(2)
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`)
const client = await createControlClient({ host, port: Number(port), clientId: 'lab-probe', connectTimeoutMs: 3000 })
out({ ev: 'connected', device: client.device })
// Frames carry u64 timestamps (BigInt, not JSON), and the test only needs the connection's fate.
client.on((event) => {
  if (event.type !== 'frame') out({ ev: 'client', type: event.type })
})

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, arg] = line.trim().split(' ')
  if (cmd === 'ping') {
    void client.ping(Number(arg ?? 1000)).then((result) => out({ ev: 'ping', open: client.isOpen(), ...(result as unknown as Record<string, unknown>) }))
  } else if (cmd === 'close') {
    void client.close().then(() => process.exit(0))
  }
})
