/**
 * ipcMain wiring with a stand-in IpcMain/WebContents (no Electron binary here): sender validation before
 * any handler runs, payload validation, and event forwarding only to the app's own frames.
 */
import type { IpcMain, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { forwardEvents, registerIpc } from '../../../app/electron/ipc'
import { createEventHub } from '../../../main/events'
import { createHandlers } from '../../../main/handlers'
import { quietDiagnose, quietDiscovery, quietSessions, quietSetup } from '../../helpers/quiet-discovery'
import { CHANNELS } from '../../../shared/ipc'

type Listener = (event: { senderFrame: unknown }, payload: unknown) => Promise<unknown>

function fakeIpcMain() {
  const handlers = new Map<string, Listener>()
  const ipcMain = {
    handle: (channel: string, l: Listener) => void handlers.set(channel, l),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as unknown as IpcMain
  return { ipcMain, handlers }
}

let reads = 0
const core = {
  handlers: createHandlers({ host: { kind: 'electron', name: 'P', version: '2.0.0' }, readInterfaces: async () => (reads++, []), discovery: quietDiscovery(), sessions: quietSessions(), diagnose: quietDiagnose(), setup: quietSetup() }),
  events: createEventHub(),
}
const appFrame = { url: 'app://bundle/index.html', parent: null }

describe('registerIpc', () => {
  it('registers exactly the contract’s channels and removes them again', () => {
    const { ipcMain, handlers } = fakeIpcMain()
    const unregister = registerIpc(ipcMain, core, () => undefined)
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort())
    unregister()
    expect(handlers.size).toBe(0)
  })

  it('answers the app’s top frame and refuses subframes and foreign pages before the handler runs', async () => {
    const { ipcMain, handlers } = fakeIpcMain()
    const logs: string[] = []
    registerIpc(ipcMain, core, (m) => logs.push(m))
    const call = handlers.get('net:interfaces')
    if (!call) throw new Error('net:interfaces not registered')
    expect(await call({ senderFrame: appFrame }, undefined)).toMatchObject({ ok: true })
    const before = reads
    for (const frame of [{ url: 'app://bundle/index.html', parent: appFrame }, { url: 'https://evil.example/', parent: null }, null]) {
      expect(await call({ senderFrame: frame }, undefined)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    }
    expect(reads).toBe(before)
    expect(logs.filter((l) => l.includes('untrusted'))).toHaveLength(3)
  })

  it('validates payloads with the contract’s schemas', async () => {
    const { ipcMain, handlers } = fakeIpcMain()
    registerIpc(ipcMain, core, () => undefined)
    const result = await handlers.get('app:info')?.({ senderFrame: appFrame }, { sneaky: true })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
})

describe('forwardEvents', () => {
  it('sends events only to live web contents showing the app', () => {
    const sent: string[] = []
    const contents = (name: string, url: string, destroyed = false) =>
      ({ isDestroyed: () => destroyed, mainFrame: { url, parent: null }, send: (event: string) => sent.push(`${name}:${event}`) }) as unknown as WebContents
    const off = forwardEvents(core, () => [
      contents('app', 'app://bundle/index.html'),
      contents('navigated-away', 'https://evil.example/'),
      contents('closed', 'app://bundle/index.html', true),
    ])
    core.events.emit('net:interfacesChanged', { interfaces: [], added: [], removed: [], changed: [] })
    off()
    core.events.emit('net:interfacesChanged', { interfaces: [], added: [], removed: [], changed: [] })
    expect(sent).toEqual(['app:net:interfacesChanged'])
  })
})
