/**
 * Runs Diagnose's multicast/broadcast self-test inside a lab namespace on the interfaces it finds there, and
 * prints one JSON line: `{interfaces, checks}`.
 *   node multicast-test-main.js '{"knownResponders":[{"interface","address","name"}],"timeoutMs":2500}'
 */
import { runMulticastSelfTest, type KnownResponder } from '../../../main/diagnose/multicast-test'
import { createInterfaceReader } from '../../../main/net/interfaces'
import type { Clock, TimerHandle } from '../../../main/util/clock'

const args = JSON.parse(process.argv[2] ?? '{}') as { knownResponders?: KnownResponder[]; timeoutMs?: number }

// The system clock unrefs its timers; this process must stay alive until the last probe's timeout.
const clock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
}

const interfaces = await createInterfaceReader()()
const checks = await runMulticastSelfTest(
  { interfaces, platform: process.platform, clock, knownResponders: args.knownResponders ?? [] },
  { ...(args.timeoutMs !== undefined && { timeoutMs: args.timeoutMs }) },
)
process.stdout.write(`${JSON.stringify({ interfaces: interfaces.map((nic) => nic.name), checks })}\n`)
