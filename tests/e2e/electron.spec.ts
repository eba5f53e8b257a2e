/**
 * Electron smoke test: the packaged shell starts, its window has no Node globals, exactly the two-function
 * bridge, a CSP, and a working `app:info`. Machines without an Electron binary (this project's, see
 * docs/architecture.md) report it as skipped with the reason, never as passed.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { _electron, expect, test, type ElectronApplication } from '@playwright/test'
import { REPO_ROOT } from './helpers/web-host'

/** The Electron executable, or why there is none. */
function findElectron(): { path: string } | { reason: string } {
  let path: unknown
  try {
    // The `electron` package exports the binary's path, and throws when the binary was never downloaded.
    path = createRequire(import.meta.url)('electron')
  } catch (error) {
    const message = (error as Error).message
    // The package's own wording ("failed to install correctly, please delete node_modules/electron") misleads
    // on machines that install it with ELECTRON_SKIP_BINARY_DOWNLOAD=1 on purpose, as this project's do.
    if (/failed to install correctly/.test(message)) return { reason: 'the electron package has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed)' }
    return { reason: message.split('\n')[0] ?? message }
  }
  if (typeof path !== 'string') return { reason: `require('electron') returned ${typeof path}, not a path` }
  if (!existsSync(path)) return { reason: `${path} does not exist` }
  return { path }
}

/** The window's bridge as the preload exposes it (typed loosely: the test checks its shape). */
interface WindowWithBridge {
  bridge?: { invoke(channel: string): Promise<unknown> } & Record<string, unknown>
}

test('the Electron window is isolated, has exactly the bridge, a CSP, and answers app:info', async () => {
  const electron = findElectron()
  if ('reason' in electron) {
    const reason = `no Electron binary installed: ${electron.reason}`
    // The list reporter does not show skip annotations; say it where the person running the suite looks.
    process.stderr.write(`electron smoke test skipped: ${reason}\n`)
    test.skip(true, reason)
    return
  }

  let app: ElectronApplication | undefined
  try {
    app = await _electron.launch({ executablePath: electron.path, args: ['.'], cwd: REPO_ROOT, timeout: 30_000 })
    const win = await app.firstWindow({ timeout: 15_000 })
    expect(await win.evaluate(() => typeof (window as unknown as Record<string, unknown>).require)).toBe('undefined')
    expect(await win.evaluate(() => typeof (window as unknown as Record<string, unknown>).process)).toBe('undefined')
    expect(await win.evaluate(() => Object.keys((window as unknown as WindowWithBridge).bridge ?? {}).sort())).toEqual(['invoke', 'on'])
    await expect(win.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', /default-src 'none'/)
    const info = await win.evaluate(() => (window as unknown as WindowWithBridge).bridge?.invoke('app:info'))
    expect(info).toMatchObject({ ok: true, value: { hostKind: 'electron' } })
    await expect(win.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(4)
  } finally {
    await app?.close()
  }
})
