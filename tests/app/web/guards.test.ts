import { describe, expect, it } from 'vitest'
import { isAllowedHost, isAllowedOrigin, isLoopbackAddress, tokenFromProtocols, tokenMatches } from '../../../app/web/guards'

describe('web host guards', () => {
  it('accepts only loopback addresses for listening', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true)
    expect(isLoopbackAddress('127.8.0.2')).toBe(true)
    expect(isLoopbackAddress('::1')).toBe(true)
    for (const bad of ['0.0.0.0', '::', '198.18.0.1', 'localhost', '', '127.0.0.1.evil.com', '::ffff:198.18.0.1', 'fe80::1']) {
      expect(isLoopbackAddress(bad), bad).toBe(false)
    }
  })

  it('answers only to its own Host (DNS rebinding arrives with the attacker’s name)', () => {
    expect(isAllowedHost('127.0.0.1:5000', '127.0.0.1', 5000)).toBe(true)
    expect(isAllowedHost('localhost:5000', '127.0.0.1', 5000)).toBe(true)
    expect(isAllowedHost('[::1]:5000', '::1', 5000)).toBe(true)
    expect(isAllowedHost('evil.example:5000', '127.0.0.1', 5000)).toBe(false)
    expect(isAllowedHost('127.0.0.1:5001', '127.0.0.1', 5000)).toBe(false)
    expect(isAllowedHost(undefined, '127.0.0.1', 5000)).toBe(false)
  })

  it('accepts a WebSocket only from its own page’s origin', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5000', '127.0.0.1', 5000)).toBe(true)
    expect(isAllowedOrigin('http://localhost:5000', '127.0.0.1', 5000)).toBe(true)
    for (const bad of ['https://127.0.0.1:5000', 'http://127.0.0.1:5001', 'http://evil.example', 'null', undefined]) {
      expect(isAllowedOrigin(bad, '127.0.0.1', 5000), String(bad)).toBe(false)
    }
  })

  it('compares tokens exactly and reads them from the offered subprotocols', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true)
    expect(tokenMatches('abd', 'abc')).toBe(false)
    expect(tokenMatches('ab', 'abc')).toBe(false)
    expect(tokenMatches(undefined, 'abc')).toBe(false)
    expect(tokenFromProtocols(['porchlight.v1', 'porchlight-token.xyz'])).toBe('xyz')
    expect(tokenFromProtocols(['porchlight.v1'])).toBeUndefined()
  })
})
