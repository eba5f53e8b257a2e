/**
 * Discovery inside a lab namespace, driven over stdin, for the reconfirm test (case 25): browses one type,
 * prints `{"ev":"up"|"down", name, id, t}` for device changes, and on `{"cmd":"connect","name":…,"id":n}`
 * races the device's addresses through the discovery service (failed addresses are reconfirmed) and
 * replies `{"id":n,"ok":true,"connected":bool,"code"?,"t"}`.
 */
import { createInterface } from 'node:readline'
import { createDiscoveryService } from '../../../main/discovery/service'
import { createInterfaceReader } from '../../../main/net/interfaces'

const type = process.argv[2] ?? '_esp_local_ctrl._tcp'
const out = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`)
const service = createDiscoveryService(createInterfaceReader(), { types: [type], enumerate: false })
const engine = await service.ensureStarted()
engine.subscribeDevices((change) => out({ ev: change.type, name: change.device.name, id: change.device.id, t: Date.now() }))
out({ ev: 'started', t: Date.now() })
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { cmd?: string; name?: string; id?: number }
  if (command.cmd !== 'connect') return out({ id: command.id, ok: false, error: `unknown command ${String(command.cmd)}` })
  const device = engine.devices().find((d) => d.name === command.name)
  if (!device) return out({ id: command.id, ok: true, connected: false, code: 'not-listed', t: Date.now() })
  void service.connect(device.id, { timeoutMs: 4000 }).then((result) => {
    if (result.ok) result.value.socket.destroy()
    out({ id: command.id, ok: true, connected: result.ok, ...(!result.ok && { code: result.error.code }), t: Date.now() })
  })
})
process.stdin.on('end', () => void service.close().then(() => process.exit(0)))
