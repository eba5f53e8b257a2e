/** Entry of `npm run web` (bundled to dist/app/web.js). */
import { runWebHost } from './run'

await runWebHost(process.argv.slice(2))
