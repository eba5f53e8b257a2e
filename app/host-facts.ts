/**
 * Name and version of this build, read once from package.json by whichever host starts.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { HostFacts } from '../main/handlers'
import type { HostKind } from '../shared/ipc'

/** Walks up from `start` to the folder holding Porchlight's package.json. */
export function findPackageRoot(start: string): string {
  let dir = start
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }
      if (pkg.name === 'porchlight') return dir
    } catch {
      // not here; keep walking up
    }
    dir = dirname(dir)
  }
  throw new Error(`Porchlight's package.json was not found above ${start}`)
}

/** Host facts for `app:info`. */
export function readHostFacts(kind: HostKind, root: string, extra: Partial<HostFacts> = {}): HostFacts {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { productName?: string; version?: string }
  return { kind, name: pkg.productName ?? 'Porchlight', version: pkg.version ?? '0.0.0', ...extra }
}
