/**
 * Electron's 20-item security checklist: every item is accounted for, and the claims that can be checked
 * without an Electron binary are checked — in the pure modules directly, and in main.ts's wiring by reading it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { SECURITY_CHECKLIST } from '../../../app/electron/checklist'
import { windowOptions } from '../../../app/electron/window-options'
import { contentSecurityPolicy } from '../../../shared/csp'

const root = join(import.meta.dirname, '..', '..', '..')
const mainSource = readFileSync(join(root, 'app/electron/main.ts'), 'utf8')
const prefs = windowOptions({ preloadPath: 'p', isDark: false }).webPreferences ?? {}

describe('Electron security checklist', () => {
  it('accounts for all 20 items, in order, each with how it is met', () => {
    expect(SECURITY_CHECKLIST.map((i) => i.item)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1))
    for (const item of SECURITY_CHECKLIST) expect(item.how.length, `item ${item.item}`).toBeGreaterThan(20)
  })

  it('#2–#4, #6, #8–#11: the window options say what the checklist says', () => {
    expect(prefs).toMatchObject({ nodeIntegration: false, contextIsolation: true, sandbox: true, webSecurity: true,
      allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false })
  })

  it('#1, #7: the CSP closes everything but the app’s own scripts and styles', () => {
    expect(contentSecurityPolicy('electron')).toMatch(/default-src 'none'.*connect-src 'none'/)
  })

  it('#4, #5, #13–#15, #17, #18: main.ts wires every hardening step before or at ready', () => {
    for (const call of ['app.enableSandbox()', 'protocol.registerSchemesAsPrivileged(', 'hardenWebContents(app, shell',
      'restrictPermissions(session.defaultSession)', 'handleAppProtocol(protocol', 'registerIpc(ipcMain', 'win.loadURL(APP_ENTRY_URL)']) {
      expect(mainSource, call).toContain(call)
    }
    expect(mainSource).not.toMatch(/loadFile|file:\/\/|shell\.openExternal|nodeIntegration:\s*true/)
    expect(mainSource.indexOf('app.enableSandbox()')).toBeLessThan(mainSource.indexOf('app.whenReady()'))
  })

  it('#16: Electron is pinned to a current major', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    expect(Number(pkg.devDependencies.electron?.split('.')[0])).toBeGreaterThanOrEqual(39)
  })

  it('#19: electron-builder.yml flips the fuses', () => {
    const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> }
    expect(config.electronFuses.runAsNode).toBe(false)
    expect(config.electronFuses.onlyLoadAppFromAsar).toBe(true)
  })
})
