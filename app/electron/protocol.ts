/**
 * The `app://bundle/` protocol: serves only the renderer build, with the CSP as a header (checklist #7, #18).
 */
import { readFile } from 'node:fs/promises'
import type { Protocol } from 'electron'
import { contentSecurityPolicy } from '../../shared/csp'
import { resolveAsset } from '../web/static-files'
import { APP_HOST, APP_SCHEME } from './security'

/** Privileges for the scheme; must be registered before `ready`. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false },
} as const

/** Installs the handler that maps `app://bundle/<path>` onto files under `rendererDir`. */
export function handleAppProtocol(protocol: Protocol, rendererDir: string): void {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy('electron'),
    'X-Content-Type-Options': 'nosniff',
  }
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404, headers })
    const lookup = resolveAsset(rendererDir, url.pathname)
    if (!lookup.ok) return new Response('Not found', { status: lookup.status, headers })
    try {
      const body = await readFile(lookup.file)
      return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': lookup.contentType } })
    } catch {
      return new Response('Not found', { status: 404, headers })
    }
  })
}
