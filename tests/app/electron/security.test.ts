import { describe, expect, it } from 'vitest'
import { isAllowedExternalUrl, isAllowedNavigation, isAppUrl, isTrustedSender } from '../../../app/electron/security'

describe('Electron trust decisions', () => {
  it('recognises only app://bundle URLs as the app', () => {
    expect(isAppUrl('app://bundle/index.html')).toBe(true)
    expect(isAppUrl('app://bundle/assets/x.js?v=1#h')).toBe(true)
    for (const url of ['app://other/index.html', 'file:///index.html', 'https://bundle/', 'app://user@bundle/', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false)
    }
  })

  it('accepts IPC only from the app’s top-level frame (checklist #17)', () => {
    expect(isTrustedSender({ url: 'app://bundle/index.html', parent: null })).toBe(true)
    expect(isTrustedSender({ url: 'app://bundle/index.html', parent: {} })).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false)
    expect(isTrustedSender(null)).toBe(false)
    expect(isTrustedSender(undefined)).toBe(false)
  })

  it('allows navigation only inside the bundle (checklist #13)', () => {
    expect(isAllowedNavigation('app://bundle/index.html#/diagnose')).toBe(true)
    expect(isAllowedNavigation('https://porchlight.app/')).toBe(false)
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false)
  })

  it('opens externally only https to allowlisted hosts, parsed not prefix-matched (checklist #15)', () => {
    expect(isAllowedExternalUrl('https://porchlight.app/help/vpn')).toBe(true)
    expect(isAllowedExternalUrl('https://docs.espressif.com/projects/esp-idf/')).toBe(true)
    for (const url of [
      'http://porchlight.app/', 'https://porchlight.app.evil.example/', 'https://evil.example/?porchlight.app',
      'https://user:pw@porchlight.app/', 'https://porchlight.app:8443/', 'file:///etc/passwd', 'smb://porchlight.app/x',
      'javascript:alert(1)', 'https://sub.porchlight.app/',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })
})
