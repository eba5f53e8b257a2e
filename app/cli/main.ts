/**
 * Entry of the `porchlight` command (bundled to dist/app/cli.js, started by bin/porchlight.js).
 */
import { createCore } from '../../main/core'
import { findPackageRoot, readHostFacts } from '../host-facts'
import { runCli } from './cli'

const host = readHostFacts('cli', findPackageRoot(import.meta.dirname))
const stopSignal = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve)
  process.once('SIGTERM', resolve)
})
const code = await runCli(process.argv.slice(2), {
  makeCore: ({ watch, discovery }) => createCore({ host, watch, ...(discovery && { discovery }) }),
  io: {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  },
  stopSignal,
})
process.exitCode = code
