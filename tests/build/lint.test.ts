/**
 * The import boundaries of docs/architecture.md, enforced by the project's real ESLint config: probe sources
 * with forbidden imports are linted as if they were files in each layer. Nothing is written to disk; the
 * probes only switch off type-aware parsing (they are in no tsconfig), not the boundaries rule.
 */
import { join } from 'node:path'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ files: ['**/lint-probe-*.ts'], ...tseslint.configs.disableTypeChecked }],
})
let probes = 0

async function lintProbe(layer: string, source: string): Promise<string[]> {
  const filePath = join(root, layer, `lint-probe-${probes++}.ts`)
  const [result] = await eslint.lintText(`${source}\n`, { filePath })
  const fatal = (result?.messages ?? []).filter((m) => m.fatal)
  if (fatal.length > 0) throw new Error(`probe did not parse: ${fatal[0]?.message}`)
  return (result?.messages ?? []).filter((m) => m.ruleId === 'porchlight/boundaries').map((m) => m.message)
}

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
