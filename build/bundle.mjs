// Builds everything the hosts run: the renderer (Vite) and the Node/Electron entries (esbuild).
// Runs on `npm install` (prepare), `npm start`, `npm run web` and before tests; takes a few seconds.
import { build as viteBuild } from 'vite'
import { build as esbuild } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const quiet = process.argv.includes('--quiet')

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root }

await Promise.all([
  viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' }),
  // Node entries keep npm packages external: they are installed beside them (and packed into the asar).
  esbuild({ ...node, format: 'esm', packages: 'external', outdir: join(root, 'dist/app'),
    entryPoints: { cli: 'app/cli/main.ts', web: 'app/web/main.ts', start: 'app/start.ts' } }),
  esbuild({ ...node, format: 'cjs', packages: 'external', external: ['electron'],
    outfile: join(root, 'dist/electron/main.cjs'), entryPoints: ['app/electron/main.ts'] }),
  // A sandboxed preload can require only `electron` and a few built-ins, so everything else is inlined.
  esbuild({ ...node, format: 'cjs', external: ['electron'], outfile: join(root, 'dist/electron/preload.cjs'),
    entryPoints: ['app/electron/preload.ts'] }),
])
if (!quiet) process.stdout.write('built dist/renderer, dist/app, dist/electron\n')
