/**
 * The host checks inside a lab namespace: reads that namespace's interfaces and routes with the real tools
 * (`ip -json`, sysfs) and prints `{"checks":[…]}` as one JSON line.
 *   node host-checks-main.js
 */
import { runHostChecks } from '../../../main/diagnose/host-checks'
import { createInterfaceReader } from '../../../main/net/interfaces'
import { runCommand } from '../../../main/util/exec'

const checks = await runHostChecks({ run: runCommand, platform: process.platform, readInterfaces: createInterfaceReader() })
process.stdout.write(`${JSON.stringify({ checks })}\n`)
