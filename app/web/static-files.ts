/**
 * Mapping a request path onto the renderer build, for the web host and Electron's `app://` protocol.
 * Pure so traversal and type rules are unit-tested; the hosts do the file I/O.
 */
import { extname, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** A file to serve, or why not. */
export type AssetLookup = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 404 }

/**
 * Resolves a URL pathname inside `root`. `/` is `index.html`; anything escaping `root` (after percent-decoding,
 * with either slash) is refused; unknown extensions are 404 so nothing unexpected is served with a guessed type.
 */
export function resolveAsset(root: string, pathname: string): AssetLookup {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return { ok: false, status: 400 }
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const base = resolve(root)
  const file = resolve(base, relative)
  if (file !== base && !file.startsWith(base + sep)) return { ok: false, status: 400 }
  const contentType = TYPES[extname(file).toLowerCase()]
  if (contentType === undefined) return { ok: false, status: 404 }
  return { ok: true, file, contentType }
}
