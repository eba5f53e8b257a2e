/**
 * App-wide hardening with stand-ins for Electron's App, Session, Shell and WebContents.
 */
import type { App, Session, Shell } from 'electron'
import { describe, expect, it } from 'vitest'
import { denyAllPermissions, hardenWebContents, unsafeOpenExternal } from '../../../app/electron/hardening'

type Handler = (...args: unknown[]) => unknown

function fakeContents() {
  const on = new Map<string, Handler>()
  let openHandler: Handler = () => undefined
  return {
    on: (event: string, h: Handler) => void on.set(event, h),
    setWindowOpenHandler: (h: Handler) => void (openHandler = h),
    emit: (event: string, ...args: unknown[]) => on.get(event)?.(...args),
    open: (url: string) => openHandler({ url }),
  }
}

function setup() {
  let created: Handler = () => undefined
  const opened: string[] = []
  const app = { on: (_e: string, h: Handler) => void (created = h) } as unknown as App
  const shell = { openExternal: async (url: string) => void opened.push(url) } as unknown as Shell
  const contents = fakeContents()
  hardenWebContents(app, shell, () => undefined)
  created({}, contents)
  return { contents, opened }
}

const preventable = () => {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) }
  return e
}

describe('hardenWebContents', () => {
  it('blocks navigation and redirects away from the bundle (checklist #13)', () => {
    const { contents } = setup()
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = preventable()
      contents.emit(event, away, 'https://evil.example/')
      expect(away.prevented).toBe(true)
      const inside = preventable()
      contents.emit(event, inside, 'app://bundle/index.html#/fleet')
      expect(inside.prevented).toBe(false)
    }
  })

  it('refuses webviews (checklist #11, #12)', () => {
    const { contents } = setup()
    const attach = preventable()
    contents.emit('will-attach-webview', attach)
    expect(attach.prevented).toBe(true)
  })

  it('never opens a window; allowlisted https links go to the browser, others nowhere (checklist #14, #15)', () => {
    const { contents, opened } = setup()
    expect(contents.open('https://porchlight.app/help')).toEqual({ action: 'deny' })
    expect(contents.open('https://evil.example/')).toEqual({ action: 'deny' })
    expect(contents.open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://porchlight.app/help'])
  })
})

describe('unsafeOpenExternal', () => {
  it('re-checks the allowlist itself and logs what it blocked', () => {
    const opened: string[] = []
    const logs: string[] = []
    const shell = { openExternal: async (url: string) => void opened.push(url) } as unknown as Shell
    unsafeOpenExternal(shell, 'http://porchlight.app/', (m) => logs.push(m))
    expect(opened).toEqual([])
    expect(logs).toHaveLength(1)
  })
})

describe('denyAllPermissions', () => {
  it('denies every permission request, check and device request (checklist #5)', () => {
    const handlers = new Map<string, Handler>()
    const session = {
      setPermissionRequestHandler: (h: Handler) => void handlers.set('request', h),
      setPermissionCheckHandler: (h: Handler) => void handlers.set('check', h),
      setDevicePermissionHandler: (h: Handler) => void handlers.set('device', h),
    } as unknown as Session
    denyAllPermissions(session)
    const answers: unknown[] = []
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      handlers.get('request')?.({}, permission, (granted: boolean) => answers.push(granted))
    }
    expect(answers).toEqual([false, false, false, false])
    expect(handlers.get('check')?.({}, 'media')).toBe(false)
    expect(handlers.get('device')?.({})).toBe(false)
  })
})
