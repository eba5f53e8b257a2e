/** The app:// handler with a stand-in Protocol: serves only the renderer build, always with the CSP header. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Protocol } from 'electron'
import { describe, expect, it } from 'vitest'
import { handleAppProtocol } from '../../../app/electron/protocol'

const dir = mkdtempSync(join(tmpdir(), 'plx-proto-'))
writeFileSync(join(dir, 'index.html'), '<!doctype html>')
let handler: (request: Request) => Promise<Response> = async () => new Response()
handleAppProtocol({ handle: (_scheme: string, h: typeof handler) => void (handler = h) } as unknown as Protocol, dir)

describe('app:// protocol', () => {
  it('serves index.html with the Electron CSP (connect-src none) as a header', async () => {
    const res = await handler(new Request('app://bundle/index.html'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'none'")
    expect(await res.text()).toBe('<!doctype html>')
  })

  it('refuses other hosts, traversal and missing files, still with the CSP', async () => {
    for (const url of ['app://other/index.html', 'app://bundle/..%2f..%2fetc%2fpasswd.txt', 'app://bundle/missing.js']) {
      const res = await handler(new Request(url))
      expect(res.status, url).toBeGreaterThanOrEqual(400)
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    }
  })
})
