/**
 * Pure trust decisions for the Electron host: which URLs are the app, which frames may call IPC, where
 * navigation and external links may go. URLs are parsed, never compared with `startsWith`.
 */

/** The privileged scheme the renderer is served from (checklist #18). */
export const APP_SCHEME = 'app'
/** The single host under that scheme. */
export const APP_HOST = 'bundle'
/** The renderer's entry URL. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Hosts Porchlight may open in the user's browser: its own help and the vendors' documentation it links. */
export const EXTERNAL_HOST_ALLOWLIST = ['porchlight.app', 'docs.espressif.com', 'support.apple.com'] as const

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * True for URLs of the packaged renderer. Compares protocol and host, not `origin`: for custom schemes
 * WHATWG `URL` reports the origin as the string "null".
 */
export function isAppUrl(url: string): boolean {
  const u = parse(url)
  return u !== undefined && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === ''
}

/** The parts of a WebFrameMain the sender check reads. */
export interface FrameLike {
  url: string
  parent: unknown
}

/** IPC is accepted only from the app's own top-level frame (checklist #17). */
export function isTrustedSender(frame: FrameLike | null | undefined): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url)
}

/** In-app navigation is allowed only within the bundle (checklist #13). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url)
}

/** External links open only as https to an allowlisted host, with no credentials or odd port (checklist #15). */
export function isAllowedExternalUrl(url: string): boolean {
  const u = parse(url)
  if (u === undefined || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false
  return (EXTERNAL_HOST_ALLOWLIST as readonly string[]).includes(u.hostname)
}
