/**
 * Options for Porchlight's only window, as one inline literal so both the unit test and static scanners
 * (Electronegativity reads `webPreferences` literally) see every security setting.
 */
import type { BrowserWindowConstructorOptions } from 'electron'

/** Inputs that vary between runs. */
export interface WindowOptionsInput {
  preloadPath: string
  /** Background painted before the renderer loads, matching the OS theme to avoid a white flash. */
  isDark: boolean
}

/** The BrowserWindow options (Electron security checklist #2, #3, #4, #6, #8, #9, #10, #11). */
export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Porchlight',
    backgroundColor: input.isDark ? '#15171a' : '#f7f7f5',
    webPreferences: {
      preload: input.preloadPath,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  }
}
