/**
 * Runs the web host from the command line (`npm run web`, and `npm start` where Electron is absent).
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from '../../main/core'
import { systemClock } from '../../main/util/clock'
import { runCommand } from '../../main/util/exec'
import { setupOptionsFor } from '../setup-wiring'
import { findPackageRoot, readHostFacts } from '../host-facts'
import { startWebHost, WebHostConfigError } from './server'

/** Parses `--port N`; exits with one clear line on a bad value. */
function parsePort(argv: readonly string[]): number {
  const { values } = parseArgs({ args: [...argv], options: { port: { type: 'string' } }, strict: true })
  if (values.port === undefined) return 0
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new WebHostConfigError(`--port must be 1–65535, not '${values.port}'`)
  return port
}

/** Starts core + web host, prints the URL, and stops cleanly on SIGINT/SIGTERM. */
export async function runWebHost(argv: readonly string[]): Promise<void> {
  const root = findPackageRoot(import.meta.dirname)
  let port: number
  try {
    port = parsePort(argv)
  } catch (error) {
    process.stderr.write(`porchlight web: ${(error as Error).message}\n`)
    process.exit(2)
  }
  const core = createCore({
    host: readHostFacts('web', root),
    watch: true,
    // The browser host remembers watched accessories only where told to (tests start each run empty).
    ...(process.env.PORCHLIGHT_DATA_DIR && { watchListFile: join(process.env.PORCHLIGHT_DATA_DIR, 'watched.json') }),
    // Onboarding's journal and trust store (0600 key file) live there too; without it nothing is remembered.
    setup: setupOptionsFor({
      ...(process.env.PORCHLIGHT_DATA_DIR && { dataDir: process.env.PORCHLIGHT_DATA_DIR }),
      platform: process.platform,
      run: runCommand,
      clock: systemClock,
      env: process.env,
      log: (message) => process.stderr.write(`${message}\n`),
    }),
    log: (message, error) => process.stderr.write(`${message}${error ? `: ${String(error)}` : ''}\n`),
  })
  const host = await startWebHost({
    core,
    rendererDir: join(root, 'dist', 'renderer'),
    port,
    log: (message) => process.stderr.write(`${message}\n`),
  }).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} is already in use; pick another with --port` : String((error as Error).message)
    process.stderr.write(`porchlight web: ${reason}\n`)
    process.exit(1)
  })
  process.stdout.write(`Porchlight is running at ${host.url}\nOpen that address in a browser (the token in it is required). Press Ctrl+C to stop.\n`)
  const stop = () => {
    core.dispose()
    void host.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
