/**
 * Bundles a TypeScript entry (an accessory process, a client) into one Node script for processes the lab
 * starts inside namespaces. Bundled per test run under node_modules/.cache, so tests never run a stale dist/.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { build } from 'esbuild'

// Inside node_modules so the bundles' imports of npm packages resolve at run time.
const outDir = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'porchlight-lab', String(process.pid))
mkdirSync(outDir, { recursive: true })
const built = new Map<string, Promise<string>>()
process.once('exit', () => rmSync(outDir, { recursive: true, force: true }))

/** Resolves to the path of the bundled entry (built once per process). */
export function bundleEntry(entry: string): Promise<string> {
  let pending = built.get(entry)
  if (!pending) {
    const outfile = join(outDir, `${basename(entry, '.ts')}-${built.size}.mjs`)
    pending = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    }).then(() => outfile)
    built.set(entry, pending)
  }
  return pending
}
