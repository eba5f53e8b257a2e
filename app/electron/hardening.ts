/**
 * Session- and app-wide hardening that applies to every web contents, present and future:
 * permissions denied except the camera for QR setup codes (checklist #5), navigation and new windows
 * blocked (#13, #14), webviews refused (#11, #12), and external links opened only when allowlisted (#15).
 */
import type { App, Session, Shell } from 'electron'
import { APP_HOST, APP_SCHEME, isAllowedExternalUrl, isAllowedNavigation } from './security'

/** The renderer's origin as Chromium reports it for the privileged standard `app:` scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** What the permission handlers are told, merged: a request carries `mediaTypes`, a check `mediaType` and the origin. */
export interface PermissionDetails {
  isMainFrame?: boolean
  requestingUrl?: string
  securityOrigin?: string
  /** The check handler's `requestingOrigin` argument. */
  requestingOrigin?: string
  /** Request: what getUserMedia asked for. */
  mediaTypes?: readonly string[]
  /** Check: 'video', 'audio' or 'unknown'. */
  mediaType?: string
}

function isOrigin(url: string | undefined, origin: string): boolean {
  if (url === undefined) return true
  try {
    const u = new URL(url)
    const o = new URL(origin)
    // protocol + host, not `origin`: WHATWG URL reports "null" as the origin of custom schemes.
    return u.protocol === o.protocol && u.host === o.host && u.username === '' && u.password === ''
  } catch {
    return false
  }
}

/**
 * The one permission granted: `media` with video only (the camera, to scan setup QR codes; never the
 * microphone), asked by the app's own top-level page. Every other permission, origin or frame is refused.
 */
export function isAllowedPermission(permission: string, details: PermissionDetails, appOrigin: string = APP_ORIGIN): boolean {
  if (permission !== 'media' || details.isMainFrame !== true) return false
  const where = [details.requestingUrl, details.securityOrigin, details.requestingOrigin]
  if (where.every((u) => u === undefined) || !where.every((u) => isOrigin(u, appOrigin))) return false
  if (details.mediaTypes !== undefined) return details.mediaTypes.length > 0 && details.mediaTypes.every((t) => t === 'video') && details.mediaType === undefined
  return details.mediaType === 'video'
}

/** Installs the permission handlers: request and check allow only isAllowedPermission(); device requests are all denied. */
export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isAllowedPermission(permission, details)))
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => isAllowedPermission(permission, { ...details, requestingOrigin }))
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
