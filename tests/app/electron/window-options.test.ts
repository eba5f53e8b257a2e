import { describe, expect, it } from 'vitest'
import { windowOptions } from '../../../app/electron/window-options'

describe('windowOptions', () => {
  const options = windowOptions({ preloadPath: '/app/dist/electron/preload.cjs', isDark: false })
  const prefs = options.webPreferences ?? {}

  it('isolates and sandboxes the renderer with no Node access (checklist #2, #3, #4)', () => {
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
  })

  it('keeps web security on and risky features off (checklist #6, #8, #9, #10, #11)', () => {
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.experimentalFeatures).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect('enableBlinkFeatures' in prefs).toBe(false)
  })

  it('loads the bundled preload and paints the OS theme before the page loads', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs')
    expect(windowOptions({ preloadPath: 'p', isDark: true }).backgroundColor).not.toBe(options.backgroundColor)
    expect(options.show).toBe(false)
  })
})
