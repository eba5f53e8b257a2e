/**
 * Bundles a TypeScript entry (an accessory process, a client) into one Node script for processes the lab
 * starts inside namespaces. Bundled per test run under node_modules/.cache, so tests never run a stale dist/.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { build } from 'esbuild'

/** The repository root, found from wherever this module runs (tests/lab, or bundled into dist/lab). */
function repoRoot(): string {
  let dir = import.meta.dirname
  while (!existsSync(join(dir, 'tests', 'lab', 'bundle.ts'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the repository root above ' + import.meta.dirname)
    dir = up
  }
  return dir
}

const root = repoRoot()

/** A path under tests/lab, wherever this code was bundled to. */
export function labPath(...parts: string[]): string {
  return join(root, 'tests', 'lab', ...parts)
}

// Inside node_modules so the bundles' imports of npm packages resolve at run time.
const cacheRoot = join(root, 'node_modules', '.cache', 'porchlight-lab')
const outDir = join(cacheRoot, String(process.pid))
mkdirSync(outDir, { recursive: true })
// Test workers do not always run 'exit' handlers; remove the folders of processes that are gone.
for (const name of readdirSync(cacheRoot)) {
  if (/^\d+$/.test(name) && !isAlive(Number(name))) rmSync(join(cacheRoot, name), { recursive: true, force: true })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
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
