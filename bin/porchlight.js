#!/usr/bin/env node
// Launcher for the `porchlight` command: the CLI itself is bundled by `npm run build` (run on install).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../dist/app/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('porchlight: this checkout is not built yet; run `npm install` (or `npm run build`) first\n')
  process.exit(1)
}
await import(cli)
