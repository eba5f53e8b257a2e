/**
 * The import boundaries of docs/architecture.md, enforced by the project's real ESLint config: probe files
 * with forbidden imports are written into each layer, linted, and removed.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const probes: string[] = []

async function lintProbe(layer: string, source: string): Promise<string[]> {
  const file = join(root, layer, `lint-probe-${process.pid}-${probes.length}.ts`)
  probes.push(file)
  writeFileSync(file, `${source}\n`)
  const [result] = await new ESLint({ cwd: root }).lintFiles([file])
  return (result?.messages ?? []).filter((m) => m.ruleId === 'porchlight/boundaries').map((m) => m.message)
}

afterAll(() => probes.forEach((file) => rmSync(file, { force: true })))

describe('import boundaries (eslint porchlight/boundaries)', () => {
  it('fails a deliberate `import electron` in main/', async () => {
    expect(await lintProbe('main', "import 'electron'")).toEqual(['main/ must not import electron (only app/ may) (docs/architecture.md)'])
  }, 60_000)

  it('keeps renderer/ free of Node built-ins, electron, main/ and app/', async () => {
    const messages = await lintProbe('renderer', [
      "import 'node:fs'", "import 'path'", "import 'electron'", "import '../main/core'", "import '../app/web/server'",
    ].join('\n'))
    expect(messages).toHaveLength(5)
  }, 60_000)

  it('lets shared/ import only zod and itself', async () => {
    const messages = await lintProbe('shared', ["import 'zod'", "import './csp'", "import 'react'", "import '../main/core'", "import 'node:os'"].join('\n'))
    expect(messages).toEqual([
      "shared/ may import only zod (found 'react') (docs/architecture.md)",
      'shared/ must not import from main/ (docs/architecture.md)',
      "shared/ must not import Node built-ins ('node:os') (docs/architecture.md)",
    ])
  }, 60_000)

  it('allows what the architecture allows: electron in app/, node:* in main/', async () => {
    expect(await lintProbe('app', "import 'electron'\nimport '../main/core'")).toEqual([])
    expect(await lintProbe('main', "import 'node:dgram'\nimport '../shared/csp'")).toEqual([])
  }, 60_000)
})
