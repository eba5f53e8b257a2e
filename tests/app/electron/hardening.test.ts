/**
 * App-wide hardening with stand-ins for Electron's App, Session, Shell and WebContents.
 */
import type { App, Session, Shell } from 'electron'
import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, hardenWebContents, isAllowedPermission, restrictPermissions, unsafeOpenExternal } from '../../../app/electron/hardening'

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

const camera = { isMainFrame: true, requestingUrl: 'app://bundle/index.html#/setup', securityOrigin: 'app://bundle/', mediaTypes: ['video'] }

describe('isAllowedPermission (checklist #5)', () => {
  it('allows the camera, video only, to the app’s own top-level page', () => {
    expect(isAllowedPermission('media', camera)).toBe(true)
    expect(isAllowedPermission('media', { isMainFrame: true, requestingOrigin: 'app://bundle/', securityOrigin: 'app://bundle', mediaType: 'video' })).toBe(true)
    expect(APP_ORIGIN).toBe('app://bundle')
  })

  it.each([
    ['the microphone', { ...camera, mediaTypes: ['audio'] }],
    ['camera and microphone together', { ...camera, mediaTypes: ['video', 'audio'] }],
    ['no media type at all', { ...camera, mediaTypes: [] }],
    ['an unknown media type', { ...camera, mediaTypes: ['screen'] }],
    ['a subframe', { ...camera, isMainFrame: false }],
    ['a frame that does not say where it is', { isMainFrame: true, mediaTypes: ['video'] }],
    ['another origin', { ...camera, requestingUrl: 'https://evil.example/', securityOrigin: 'https://evil.example/' }],
    ['another app:// host', { ...camera, requestingUrl: 'app://other/index.html', securityOrigin: 'app://other/' }],
    ['a page that says app but whose security origin is not', { ...camera, securityOrigin: 'https://evil.example' }],
    ['a file URL', { ...camera, requestingUrl: 'file:///index.html', securityOrigin: 'file:///' }],
    ['credentials in the URL', { ...camera, requestingUrl: 'app://user:pw@bundle/index.html' }],
    ['an unparsable URL', { ...camera, requestingUrl: 'not a url' }],
  ])('refuses %s', (_label, details) => {
    expect(isAllowedPermission('media', details)).toBe(false)
  })

  it('refuses checks for audio or an unknown media type, and from another origin', () => {
    const check = { isMainFrame: true, requestingOrigin: 'app://bundle/', securityOrigin: 'app://bundle/' }
    expect(isAllowedPermission('media', { ...check, mediaType: 'audio' })).toBe(false)
    expect(isAllowedPermission('media', { ...check, mediaType: 'unknown' })).toBe(false)
    expect(isAllowedPermission('media', check)).toBe(false)
    expect(isAllowedPermission('media', { ...check, mediaType: 'video', requestingOrigin: 'https://evil.example/' })).toBe(false)
  })

  it.each(['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'fullscreen', 'openExternal', 'midi', 'hid', 'serial', 'usb', 'fileSystem', 'unknown'])(
    'refuses %s even from the app itself',
    (permission) => expect(isAllowedPermission(permission, camera)).toBe(false),
  )
})

describe('restrictPermissions', () => {
  function install() {
    const handlers = new Map<string, Handler>()
    const session = {
      setPermissionRequestHandler: (h: Handler) => void handlers.set('request', h),
      setPermissionCheckHandler: (h: Handler) => void handlers.set('check', h),
      setDevicePermissionHandler: (h: Handler) => void handlers.set('device', h),
    } as unknown as Session
    restrictPermissions(session)
    return handlers
  }

  it('answers requests with the decision: the app’s camera yes, everything else no (checklist #5)', () => {
    const handlers = install()
    const answers: unknown[] = []
    const ask = (permission: string, details: object) => handlers.get('request')?.({}, permission, (granted: boolean) => answers.push(granted), details)
    ask('media', camera)
    ask('media', { ...camera, mediaTypes: ['video', 'audio'] })
    for (const permission of ['geolocation', 'notifications', 'clipboard-read']) ask(permission, camera)
    expect(answers).toEqual([true, false, false, false, false])
  })

  it('passes the check handler’s requesting origin into the decision; device requests are all denied', () => {
    const handlers = install()
    const check = handlers.get('check')
    expect(check?.({}, 'media', 'app://bundle/', { isMainFrame: true, mediaType: 'video' })).toBe(true)
    expect(check?.({}, 'media', 'https://evil.example/', { isMainFrame: true, mediaType: 'video' })).toBe(false)
    expect(check?.({}, 'media', 'app://bundle/', { isMainFrame: true, mediaType: 'audio' })).toBe(false)
    expect(check?.({}, 'clipboard-read', 'app://bundle/', { isMainFrame: true })).toBe(false)
    expect(handlers.get('device')?.({})).toBe(false)
  })

  it('is what main.ts installs under its former name', () => {
  })
})
