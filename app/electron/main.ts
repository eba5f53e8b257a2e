/**
 * The Electron main entry (bundled to dist/electron/main.cjs): a thin shell that wires main/ services to
 * one hardened window. Everything it decides is in pure modules beside it; see checklist.ts.
 */
import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, nativeTheme, powerMonitor, protocol, safeStorage, session, shell } from 'electron'
import { createCore } from '../../main/core'
import { systemClock } from '../../main/util/clock'
import { runCommand } from '../../main/util/exec'
import { setupOptionsFor } from '../setup-wiring'
import { electronTrustSealer } from './safe-storage-sealer'
import { readHostFacts } from '../host-facts'
import { hardenWebContents, restrictPermissions } from './hardening'
import { forwardEvents, registerIpc } from './ipc'
import { APP_SCHEME_PRIVILEGES, handleAppProtocol } from './protocol'
import { APP_ENTRY_URL } from './security'
import { windowOptions } from './window-options'

const log = (message: string) => process.stderr.write(`porchlight: ${message}\n`)
const root = app.getAppPath()

// Checklist #4: sandbox every renderer, including any created later.
app.enableSandbox()
// Checklist #18: the renderer comes from a privileged custom scheme, never from local file URLs.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
hardenWebContents(app, shell, log)

// A second launch hands over to the first and quits before creating anything (Electron's documented pattern).
if (!app.requestSingleInstanceLock()) app.quit()
else void app.whenReady().then(() => {
  restrictPermissions(session.defaultSession)
  handleAppProtocol(protocol, join(root, 'dist', 'renderer'))
  const core = createCore({
    host: readHostFacts('electron', root, { electron: process.versions.electron, chrome: process.versions.chrome }),
    watch: true,
    watchListFile: join(app.getPath('userData'), 'watched.json'),
    // Onboarding: this OS's Wi-Fi adapter, the journal (an interrupted setup's network is restored now) and
    // the trust store sealed with safeStorage (a 0600 key file where the OS offers no keyring).
    setup: setupOptionsFor({
      dataDir: app.getPath('userData'),
      sealer: { sealer: electronTrustSealer(safeStorage, { userDataDir: app.getPath('userData'), platform: process.platform }), fileName: 'trusted.bin' },
      platform: process.platform,
      run: runCommand,
      clock: systemClock,
      env: process.env,
      log,
    }),
    log: (message, error) => log(`${message}${error ? `: ${String(error)}` : ''}`),
  })
  registerIpc(ipcMain, core, log)
  forwardEvents(core, () => BrowserWindow.getAllWindows().map((w) => w.webContents))
  // Interfaces come back (or move) after sleep, and live sessions may have died with the Wi-Fi: re-check
  // interfaces, discovery and every watched session at once rather than at the next poll or heartbeat.
  powerMonitor.on('resume', () => core.poke())

  const createWindow = () => {
    const win = new BrowserWindow(windowOptions({ preloadPath: join(root, 'dist', 'electron', 'preload.cjs'), isDark: nativeTheme.shouldUseDarkColors }))
    win.once('ready-to-show', () => win.show())
    void win.loadURL(APP_ENTRY_URL)
  }
  createWindow()
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow())
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit())
  app.on('will-quit', () => core.dispose())
})
