/**
 * Entry of the `porchlight` command (bundled to dist/app/cli.js, started by bin/porchlight.js).
 */
import { createCore } from '../../main/core'
import { findPackageRoot, readHostFacts } from '../host-facts'
import { runCli } from './cli'

const core = createCore({ host: readHostFacts('cli', findPackageRoot(import.meta.dirname)), watch: false })
const code = await runCli(process.argv.slice(2), core, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
})
core.dispose()
process.exitCode = code
