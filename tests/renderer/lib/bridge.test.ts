import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connectBridge, takeToken } from '../../../renderer/lib/bridge'
import { createFakeBridge } from '../fake-bridge'

const TOKEN_KEY = 'porchlight.token'

beforeEach(() => {
  sessionStorage.clear()
  history.replaceState(null, '', '/')
})

afterEach(() => {
  delete window.bridge
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('takeToken', () => {
  it('takes the token from #token=…, keeps it in storage and strips it from the address', () => {
    history.replaceState(null, '', '/app/?view=1#token=abc_-1')
    expect(takeToken(location, history, sessionStorage)).toBe('abc_-1')
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('abc_-1')
    expect(location.hash).toBe('')
    expect(location.href).not.toContain('abc_-1')
    expect(location.pathname + location.search).toBe('/app/?view=1')
  })

  it('finds the token after other hash parameters', () => {
    history.replaceState(null, '', '/#x=1&token=XYZ')
    expect(takeToken(location, history, sessionStorage)).toBe('XYZ')
    expect(location.hash).toBe('')
  })

  it('replaces an older stored token with the one in the address', () => {
    sessionStorage.setItem(TOKEN_KEY, 'old')
    history.replaceState(null, '', '/#token=new')
    expect(takeToken(location, history, sessionStorage)).toBe('new')
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('new')
  })

  it('falls back to the stored token after a reload without a hash, leaving the address alone', () => {
    sessionStorage.setItem(TOKEN_KEY, 'stored_1')
    history.replaceState(null, '', '/app/?view=1')
    const replaceState = vi.spyOn(history, 'replaceState')
    expect(takeToken(location, history, sessionStorage)).toBe('stored_1')
    expect(replaceState).not.toHaveBeenCalled()
    expect(location.pathname + location.search).toBe('/app/?view=1')
  })

  it('is undefined with neither a hash nor a stored token', () => {
    expect(takeToken(location, history, sessionStorage)).toBeUndefined()
  })

  it.each(['#token=<script>', '#token=%3Cscript%3E', '#token=', '#mytoken=abc'])(
    'does not take %j as a token',
    (hash) => {
      // A plain object: the real Location would percent-encode the raw characters before the code saw them.
      const fakeLocation = { hash, pathname: '/', search: '' } as Location
      const replaceState = vi.spyOn(history, 'replaceState')
      expect(takeToken(fakeLocation, history, sessionStorage)).toBeUndefined()
      sessionStorage.setItem(TOKEN_KEY, 'good_1')
      expect(takeToken(fakeLocation, history, sessionStorage)).toBe('good_1')
      expect(sessionStorage.getItem(TOKEN_KEY)).toBe('good_1')
      expect(replaceState).not.toHaveBeenCalled()
    },
  )
})

describe('connectBridge', () => {
  it('uses the Electron preload bridge as it is when window.bridge is set', () => {
    const fake = createFakeBridge()
    window.bridge = fake
    history.replaceState(null, '', '/#/diagnose')
    const WebSocketSpy = vi.fn()
    vi.stubGlobal('WebSocket', WebSocketSpy)
    const host = connectBridge(window)
    expect(host.transport).toBe('electron')
    expect(host.bridge).toBe(fake)
    expect(host.status()).toBe('open')
    expect(WebSocketSpy).not.toHaveBeenCalled()
    expect(location.hash).toBe('#/diagnose')
  })

  it('otherwise connects over a WebSocket to this origin with the token from the address', () => {
    const opened: { url: string; protocols: string[] }[] = []
    vi.stubGlobal('WebSocket', class {
      constructor(url: string, protocols: string[]) {
        opened.push({ url, protocols })
      }

      addEventListener() {
        return undefined
      }
    })
    history.replaceState(null, '', '/#token=abc_-1')
    const host = connectBridge(window)
    expect(host.transport).toBe('web')
    expect(host.status()).toBe('connecting')
    expect(opened).toEqual([{ url: `${location.origin.replace(/^http/, 'ws')}/ipc`, protocols: ['porchlight.v1', 'porchlight-token.abc_-1'] }])
    expect(location.hash).toBe('')
  })
})
