/**
 * Runs the legacy broadcast probe from inside a lab namespace on every broadcast-capable interface it
 * finds, and prints one JSON line: `{targets, replies, errors}`.
 *   node legacy-probe-main.js PORT MAGIC TIMEOUTMS
 */
import { broadcastTargets, runBroadcastProbe } from '../../../main/discovery/legacy-probe'
import { createInterfaceReader } from '../../../main/net/interfaces'

const [port = '0', magic = '', timeoutMs = '1000'] = process.argv.slice(2)

const matchLegacy = (reply: Uint8Array) => {
  try {
    const parsed = JSON.parse(Buffer.from(reply).toString()) as { id?: unknown; kind?: unknown }
    return parsed.kind === 'plx-legacy' && typeof parsed.id === 'string' ? { key: parsed.id, id: parsed.id } : undefined
  } catch {
    return undefined
  }
}

const interfaces = await createInterfaceReader()()
const result = await runBroadcastProbe({
  interfaces, port: Number(port), payload: Buffer.from(magic), match: matchLegacy, timeoutMs: Number(timeoutMs), repeats: 3, intervalMs: 100,
})
process.stdout.write(`${JSON.stringify({ targets: broadcastTargets(interfaces), ...result })}\n`)
