/**
 * Runs the port-conflict check from inside a lab namespace (as whichever user started it) with the real
 * bind and the real owner lookup, and prints the checks as one JSON line.
 *   node port-check-main.js '[{"protocol":"tcp","port":8080,"address":"198.18.0.2","purpose":"the web host"}]'
 */
import { checkPorts, type WantedPort } from '../../../main/diagnose/port-check'
import { runCommand } from '../../../main/util/exec'

const wanted = JSON.parse(process.argv[2] ?? '[]') as WantedPort[]
const checks = await checkPorts(wanted, { platform: process.platform, run: runCommand })
process.stdout.write(`${JSON.stringify(checks)}\n`)
