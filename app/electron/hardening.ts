/**
 * Session- and app-wide hardening that applies to every web contents, present and future:
 * permissions denied (checklist #5), navigation and new windows blocked (#13, #14), webviews refused
 * (#11, #12), and external links opened only when allowlisted (#15).
 */
import type { App, Session, Shell } from 'electron'
import { isAllowedExternalUrl, isAllowedNavigation } from './security'

/** Denies every permission request and check: the app needs no web permissions yet. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}

/**
 * The only caller of `shell.openExternal`: unsafe by name because any URL it is given leaves the app;
 * it re-checks the allowlist itself (checklist #15).
 */
export function unsafeOpenExternal(shell: Shell, url: string, log: (message: string) => void): void {
  if (!isAllowedExternalUrl(url)) return log('blocked an external link outside the allowlist')
  void shell.openExternal(url)
}

/** Applies navigation, window-open and webview rules to every web contents the app creates. */
export function hardenWebContents(app: App, shell: Shell, log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      unsafeOpenExternal(shell, url, log)
      return { action: 'deny' }
    })
  })
}
