import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../shared/csp'

const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]))

describe('contentSecurityPolicy', () => {
  it('denies by default and allows scripts and styles only from the app itself, never inline', () => {
    for (const host of ['meta', 'electron', 'web'] as const) {
      const d = directives(contentSecurityPolicy(host))
      expect(d.get('default-src')).toBe("'none'")
      expect(d.get('script-src')).toBe("'self'")
      expect(d.get('style-src')).toBe("'self'")
      expect(d.get('object-src')).toBe("'none'")
      expect(d.get('base-uri')).toBe("'none'")
      expect(contentSecurityPolicy(host)).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
    }
  })

  it('closes connect-src in Electron (the renderer does no networking) and allows only self for the web host', () => {
    expect(directives(contentSecurityPolicy('electron')).get('connect-src')).toBe("'none'")
    expect(directives(contentSecurityPolicy('web')).get('connect-src')).toBe("'self'")
  })

  it('puts frame-ancestors only in headers, where browsers honour it', () => {
    expect(directives(contentSecurityPolicy('meta')).has('frame-ancestors')).toBe(false)
    expect(directives(contentSecurityPolicy('web')).get('frame-ancestors')).toBe("'none'")
  })
})
