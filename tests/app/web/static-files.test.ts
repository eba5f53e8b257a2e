import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveAsset } from '../../../app/web/static-files'

const root = resolve('/srv/renderer')

describe('resolveAsset', () => {
  it('serves index.html for / and files inside the root with their type', () => {
    expect(resolveAsset(root, '/')).toEqual({ ok: true, file: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' })
    expect(resolveAsset(root, '/assets/index-x.js')).toMatchObject({ ok: true, file: join(root, 'assets/index-x.js'), contentType: 'text/javascript; charset=utf-8' })
    expect(resolveAsset(root, '/assets/a%20b.css')).toMatchObject({ ok: true, file: join(root, 'assets/a b.css') })
  })

  it('refuses every way out of the root', () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../etc/passwd.txt', '/..%2fsecret.json', '/a\\..\\b.js', '/x%00.js', '/%E0%A4%A']) {
      expect(resolveAsset(root, path).ok, path).toBe(false)
    }
  })

  it('does not serve files of unknown type', () => {
    expect(resolveAsset(root, '/assets/index.js.map')).toEqual({ ok: false, status: 404 })
    expect(resolveAsset(root, '/.env')).toEqual({ ok: false, status: 404 })
  })
})
