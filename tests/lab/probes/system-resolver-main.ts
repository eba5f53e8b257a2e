/**
 * The system-resolver cross-check inside a lab namespace, with the real avahi-browse (reaching the daemon
 * through DBUS_SYSTEM_BUS_ADDRESS in this process's environment), printing the checks as one JSON line:
 *   node system-resolver-main.js '{"types":["_esp_local_ctrl._tcp"],"ours":[…DiscoveredDevice],"timeoutMs":4000}'
 */
import { crossCheckSystemResolver } from '../../../main/diagnose/system-resolver'
import { runCommand } from '../../../main/util/exec'
import type { DiscoveredDevice } from '../../../shared/discovery/view'

const options = JSON.parse(process.argv[2] ?? '{}') as { types?: string[]; ours?: DiscoveredDevice[]; timeoutMs?: number }
const checks = await crossCheckSystemResolver({
  platform: process.platform, run: runCommand, ours: options.ours ?? [], types: options.types ?? [], timeoutMs: options.timeoutMs ?? 4000,
})
process.stdout.write(`${JSON.stringify(checks)}\n`)
