/**
 * Entry of `npm start`: launches the Electron app, or — where no Electron binary is installed, as on
 * machines that cannot download it — says so in one line and serves the same UI through the web host.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { findPackageRoot } from './host-facts'
import { runWebHost } from './web/run'

/** The Electron binary's path, or why there is none. */
function locateElectron(root: string): { path: string } | { reason: string } {
  try {
    // The `electron` npm package exports the path of the binary its install script downloaded.
    const path: unknown = createRequire(join(root, 'package.json'))('electron')
    return typeof path === 'string' ? { path } : { reason: 'the electron package did not report a binary' }
  } catch (error) {
    const message = (error as Error).message
    if (/failed to install correctly/.test(message)) {
      return { reason: 'the electron package has no binary: it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or its download failed' }
    }
    return { reason: message.split('\n')[0] ?? 'electron is not installed' }
  }
}

const root = findPackageRoot(import.meta.dirname)
const electron = locateElectron(root)
if ('path' in electron) {
  const child = spawn(electron.path, [root], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  process.stdout.write(`No Electron binary is installed (${electron.reason}); serving the same UI through the web host instead.\n`)
  await runWebHost(process.argv.slice(2))
}
