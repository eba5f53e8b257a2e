/**
 * Entry of the `porchlight` command (bundled to dist/app/cli.js, started by bin/porchlight.js).
 */
import { homedir } from 'node:os'
import { createCore } from '../../main/core'
import { systemClock } from '../../main/util/clock'
import { runCommand } from '../../main/util/exec'
import { cliDataDir, setupOptionsFor } from '../setup-wiring'
import { findPackageRoot, readHostFacts } from '../host-facts'
import { runCli } from './cli'

const host = readHostFacts('cli', findPackageRoot(import.meta.dirname))
const stopSignal = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve)
  process.once('SIGTERM', resolve)
})
const code = await runCli(process.argv.slice(2), {
  makeCore: ({ watch, discovery }) => createCore({
    host,
    watch,
    ...(discovery && { discovery }),
    // The same data directory as the app: a `provision` killed mid-flow is restored by the next launch of either.
    setup: setupOptionsFor({
      dataDir: cliDataDir(process.env, process.platform, homedir()),
      platform: process.platform,
      run: runCommand,
      clock: systemClock,
      env: process.env,
      log: (message) => process.stderr.write(`porchlight: ${message}\n`),
    }),
  }),
  io: {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  },
  stopSignal,
})
process.exitCode = code
