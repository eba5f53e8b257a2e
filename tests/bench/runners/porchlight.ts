/**
 * Bench runner: Porchlight's discovery engine inside a lab namespace. Browses one type and prints JSON
 * lines: `start`, then `up`/`down` per device with wall-clock times, and on request the queries it sent.
 * Counts are taken from the transport (every datagram the engine sends), not from the engine's own claims.
 * Usage: node porchlight.js TYPE. Stdin takes JSON commands `{"cmd":"queries","id":1}` (replies with the
 * PTR questions sent so far per link and family); closing stdin ends it.
 */
import { createInterface } from 'node:readline'
import { createDiscoveryEngine } from '../../../main/discovery/engine'
import { createMdnsTransport, type MdnsTransport, type TransportDeps } from '../../../main/discovery/transport'
import { decodeMessage } from '../../../main/discovery/wire'
import { createInterfaceReader } from '../../../main/net/interfaces'

const type = process.argv[2] ?? '_esp_local_ctrl._tcp'
const typeName = `${type}.local`.toLowerCase()
const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`)
/** PTR questions for the browsed type per link and family. */
const queries = new Map<string, number>()

function counting(deps: TransportDeps): MdnsTransport {
  const inner = createMdnsTransport(deps)
  return {
    ...inner,
    send(link, family, data) {
      const asked = decodeMessage(data).questions.some((q) => q.type === 12 && q.name.text.toLowerCase() === typeName)
      if (asked) queries.set(`${link}|${family}`, (queries.get(`${link}|${family}`) ?? 0) + 1)
      return inner.send(link, family, data)
    },
  }
}

const engine = createDiscoveryEngine({ types: [type], enumerate: false, transport: counting })
engine.subscribeDevices((change) => {
  const resolved = change.device.services.some((s) => s.isResolved)
  print({ ev: change.type, t: Date.now(), id: change.device.id, name: change.device.name, resolved, txtId: change.device.services[0]?.sightings[0]?.txt?.entries.find((e) => e.key === 'id')?.text ?? null })
})
const interfaces = await createInterfaceReader()()
print({ ev: 'start', t: Date.now() })
await engine.start(interfaces)
print({ ev: 'started', t: Date.now(), status: engine.snapshot().status.interfaces })
createInterface({ input: process.stdin }).on('line', (line) => {
  let command: { cmd?: unknown; id?: unknown }
  try {
    command = JSON.parse(line) as { cmd?: unknown; id?: unknown }
  } catch {
    return print({ ev: 'error', message: 'commands are JSON lines' })
  }
  if (command.cmd === 'queries') print({ id: command.id, ok: true, ev: 'queries', t: Date.now(), perLink: Object.fromEntries(queries) })
  else print({ id: command.id, ok: false, message: `unknown command ${String(command.cmd)}` })
})
process.stdin.on('end', () => void engine.close().then(() => process.exit(0)))
