/**
 * Unit and integration tests: `node` for main/, shared/, app/ and build/; `jsdom` for renderer/.
 * Lab tests (network namespaces) are node tests that skip with a printed reason where there is no root.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  test: {
    // Vitest's default on a 2-core machine is one worker; most files here wait on timers and namespaces,
    // so two workers halve the run (measured: 576 s → 284 s for the whole suite).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'node', environment: 'node', include: ['tests/{main,shared,app,build,lab}/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: { name: 'renderer', environment: 'jsdom', include: ['tests/renderer/**/*.test.{ts,tsx}'] },
      },
    ],
  },
})
