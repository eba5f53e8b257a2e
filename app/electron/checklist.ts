/**
 * Electron's security checklist (docs/tutorial/security.md, 20 items), item by item: where Porchlight
 * satisfies it, or why it does not apply. tests/app/electron/checklist.test.ts checks every claim that can
 * be checked without an Electron binary.
 */

/** How one checklist item is met. */
export interface ChecklistItem {
  item: number
  title: string
  status: 'satisfied' | 'not-applicable'
  how: string
}

/** The 20 items, in the guide's order. */
export const SECURITY_CHECKLIST: readonly ChecklistItem[] = [
  { item: 1, title: 'Only load secure content', status: 'satisfied',
    how: 'The window loads only app://bundle/ (packaged files); accessory traffic runs in main/ over sockets; the Electron CSP sets connect-src none.' },
  { item: 2, title: 'Do not enable Node.js integration for remote content', status: 'satisfied',
    how: 'windowOptions(): nodeIntegration, nodeIntegrationInWorker and nodeIntegrationInSubFrames are false.' },
  { item: 3, title: 'Enable context isolation', status: 'satisfied',
    how: 'windowOptions(): contextIsolation true; the preload refuses to run without it.' },
  { item: 4, title: 'Enable process sandboxing', status: 'satisfied',
    how: 'windowOptions(): sandbox true, and app.enableSandbox() before ready; the preload is one bundled CJS file.' },
  { item: 5, title: 'Handle session permission requests from remote content', status: 'satisfied',
    how: 'hardening.ts restrictPermissions(): request and check handlers grant only isAllowedPermission() — media with video only (the camera, to scan setup QR codes; never the microphone) for the top-level app://bundle page; every other permission, origin and frame, and every device request, is denied.' },
  { item: 6, title: 'Do not disable webSecurity', status: 'satisfied', how: 'windowOptions(): webSecurity true.' },
  { item: 7, title: 'Define a Content-Security-Policy', status: 'satisfied',
    how: 'shared/csp.ts: default-src none; sent as a header by the app:// handler and as a meta tag in index.html.' },
  { item: 8, title: 'Do not enable allowRunningInsecureContent', status: 'satisfied',
    how: 'windowOptions(): allowRunningInsecureContent false.' },
  { item: 9, title: 'Do not enable experimental features', status: 'satisfied', how: 'windowOptions(): experimentalFeatures false.' },
  { item: 10, title: 'Do not use enableBlinkFeatures', status: 'satisfied', how: 'windowOptions() never sets enableBlinkFeatures.' },
  { item: 11, title: '<webview>: Do not use allowpopups', status: 'satisfied',
    how: 'No webviews: webviewTag false and will-attach-webview is prevented (hardening.ts).' },
  { item: 12, title: '<webview>: Verify options and params', status: 'satisfied',
    how: 'Every webview attach is refused outright, so there are no options to verify.' },
  { item: 13, title: 'Disable or limit navigation', status: 'satisfied',
    how: 'hardening.ts: will-navigate and will-redirect are prevented unless isAllowedNavigation() (app://bundle only).' },
  { item: 14, title: 'Disable or limit creation of new windows', status: 'satisfied',
    how: 'hardening.ts: setWindowOpenHandler always denies; allowlisted links go to the browser instead.' },
  { item: 15, title: 'Do not use shell.openExternal with untrusted content', status: 'satisfied',
    how: 'unsafeOpenExternal() is the only caller and opens only https URLs to EXTERNAL_HOST_ALLOWLIST.' },
  { item: 16, title: 'Use a current version of Electron', status: 'satisfied',
    how: 'electron is pinned to a supported major (41) in package.json; upgrade one major at a time.' },
  { item: 17, title: 'Validate the sender of all IPC messages', status: 'satisfied',
    how: 'ipc.ts: every handler checks isTrustedSender(event.senderFrame): top-level frame on app://bundle.' },
  { item: 18, title: 'Avoid usage of the file:// protocol and prefer usage of custom protocols', status: 'satisfied',
    how: 'protocol.ts: privileged app:// scheme serving only dist/renderer, traversal refused by resolveAsset().' },
  { item: 19, title: 'Check which fuses you can change', status: 'satisfied',
    how: 'electron-builder.yml electronFuses: runAsNode, NODE_OPTIONS, inspect args off; asar-only with integrity; cookie encryption on; no file:// privileges.' },
  { item: 20, title: 'Do not expose Electron APIs to untrusted web content', status: 'satisfied',
    how: 'preload.ts exposes only bridge.invoke / bridge.on with contract allowlists; listeners get the payload, never the IpcRendererEvent.' },
]
