/**
 * Launches Debian's Chromium inside a network namespace for end-to-end tests, through a wrapper script
 * (`ip netns exec NS chromium "$@"`): Playwright drives it over inherited pipes, which survive the exec, so
 * no debugging port is opened. The same approach as live-interfaces.spec.ts, for tests that need it twice.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS } from '../../../playwright.config'

/** A browser running inside a namespace; `close` ends it and removes its wrapper script. */
export interface NetnsBrowser {
  browser: Browser
  /** Closes the browser (Playwright ends the process it started) and removes the temp dir; idempotent. */
  close(): Promise<void>
}

/** Writes an executable that runs Chromium inside `ns`; returns its path. */
async function writeWrapper(dir: string, ns: string): Promise<string> {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  const wrapper = join(dir, 'chromium-in-netns')
  await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${JSON.stringify(ns)} ${JSON.stringify(chromiumPath)} "$@"\n`)
  await chmod(wrapper, 0o755)
  return wrapper
}

/** Starts Chromium inside `ns` (needs root); gives up after `timeoutMs` (default 20 s). */
export async function launchChromiumInNetns(ns: string, timeoutMs = 20_000): Promise<NetnsBrowser> {
  const dir = await mkdtemp(join(tmpdir(), 'plx-e2e-chromium-'))
  let browser: Browser
  try {
    browser = await chromium.launch({ executablePath: await writeWrapper(dir, ns), args: CHROMIUM_ARGS, timeout: timeoutMs })
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  let closing: Promise<void> | undefined
  return {
    browser,
    close: () =>
      (closing ??= (async () => {
        try {
          await browser.close()
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      })()),
  }
}
