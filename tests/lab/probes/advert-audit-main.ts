/**
 * The advertisement audit inside a lab namespace: starts discovery for one type, waits (bounded) until a
 * device with each given TXT `id` is resolved with an address, then plays a second querier on the LAN (a
 * phone browsing): one multicast (QM) query from port 5353 for the type's PTR and each instance's SRV and
 * TXT, so the answers pass discovery's socket and are kept for the device. (Discovery keeps a device's
 * packets only once it is grouped by its TXT id, so the packets of its first resolution are not kept.)
 * Then prints one JSON line `{"devices":[{txtId, deviceId, name, packets, checks, lines}]}` or `{"error"}`.
 *   node advert-audit-main.js <type> <timeoutMs> <ipv4> <txtId>...
 */
import { createSocket } from 'node:dgram'
import dnsPacket, { type Question } from 'dns-packet'
import { auditAdvertisement } from '../../../main/diagnose/advert-audit'
import { createDiscoveryService } from '../../../main/discovery/service'
import { createInterfaceReader } from '../../../main/net/interfaces'
import type { DiscoveredDevice } from '../../../shared/discovery/view'

const [type = '_esp_local_ctrl._tcp', timeoutArg = '15000', ipv4 = '', ...txtIds] = process.argv.slice(2)
const ANSWER_WAIT_MS = 1500
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const readInterfaces = createInterfaceReader()
const service = createDiscoveryService(readInterfaces, { types: [type], enumerate: false })

const withTxtId = (devices: readonly DiscoveredDevice[], id: string) =>
  devices.find((d) => d.status === 'up' && d.services.some((s) => s.resolved && s.addresses.length > 0 && s.txt.some((t) => t.key.toLowerCase() === 'id' && t.value === id)))

/** One QM query from port 5353 on the interface with `ipv4`: answers come back by multicast (RFC 6762 §5.4). */
async function askAsAnotherQuerier(questions: Question[]): Promise<void> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true })
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(5353, '0.0.0.0', () => resolve())
    })
    socket.setMulticastInterface(ipv4)
    socket.setMulticastTTL(255)
    const query = dnsPacket.encode({ type: 'query', id: 0, questions })
    await new Promise<void>((resolve, reject) => socket.send(query, 5353, '224.0.0.251', (error) => (error ? reject(error) : resolve())))
  } finally {
    socket.close()
  }
}

async function waitForDevices(): Promise<DiscoveredDevice[] | string> {
  const deadline = Date.now() + Number(timeoutArg)
  for (;;) {
    const { devices } = await service.snapshot()
    const found = txtIds.map((id) => withTxtId(devices, id))
    if (found.every((d) => d !== undefined)) return found
    if (Date.now() > deadline) return `not all of ${txtIds.join(', ')} resolved within ${timeoutArg} ms; saw ${devices.map((d) => d.name).join(', ') || 'none'}`
    await sleep(100)
  }
}

async function main(): Promise<object> {
  await service.ensureStarted()
  const found = await waitForDevices()
  if (typeof found === 'string') return { error: found }
  // A record is not multicast again within 1 s (RFC 6762 §6): let the resolution's answers age first.
  await sleep(1200)
  const instances = found.flatMap((d) => d.services.map((s) => `${s.instance}.${s.type}.${s.domain}`))
  await askAsAnotherQuerier([{ type: 'PTR', name: `${type}.local` }, ...instances.flatMap((name) => [{ type: 'SRV' as const, name }, { type: 'TXT' as const, name }])])
  await sleep(ANSWER_WAIT_MS)
  const { devices } = await service.snapshot()
  const interfaces = await readInterfaces()
  const out = []
  for (const txtId of txtIds) {
    const device = withTxtId(devices, txtId)
    if (!device) return { error: `device ${txtId} went away` }
    const packets = await service.packets(device.id)
    const checks = auditAdvertisement(device, packets, { interfaces })
    out.push({ txtId, deviceId: device.id, name: device.name, packets: packets.length, checks, lines: packets.map((p) => [`${p.at} from ${p.from}`, ...p.lines]) })
  }
  return { devices: out }
}

const result = await main().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }))
process.stdout.write(`${JSON.stringify(result)}\n`)
await service.close()
process.exit(0)
