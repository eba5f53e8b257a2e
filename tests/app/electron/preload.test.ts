/**
 * The preload with a stand-in for Electron's contextBridge/ipcRenderer: what the page gets is exactly
 * `invoke` and `on`, limited to the contract (preload allowlists == contract keys == handler keys).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createHandlers } from '../../../main/handlers'
import { quietDiagnose, quietDiscovery, quietSessions, quietSetup } from '../../helpers/quiet-discovery'
import { CHANNELS, EVENT_NAMES, type Bridge } from '../../../shared/ipc'

const exposed = new Map<string, unknown>()
const invoked: unknown[][] = []
const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: null }),
    on: (event: string, l: (e: unknown, p: unknown) => void) => listeners.set(event, [...(listeners.get(event) ?? []), l]),
    removeListener: (event: string, l: unknown) => listeners.set(event, (listeners.get(event) ?? []).filter((x) => x !== l)),
  },
}))

let bridge: Bridge
beforeAll(async () => {
  Object.assign(process, { contextIsolated: true })
  await import('../../../app/electron/preload')
  bridge = exposed.get('bridge') as Bridge
})

describe('preload bridge', () => {
  it('exposes one object, `bridge`, with exactly invoke and on', () => {
    expect([...exposed.keys()]).toEqual(['bridge'])
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on'])
  })

  it('forwards every contract channel, and the contract’s channels are exactly the handler table’s', async () => {
    const handlers = createHandlers({ host: { kind: 'electron', name: 'P', version: '0' }, readInterfaces: async () => [], discovery: quietDiscovery(), sessions: quietSessions(), diagnose: quietDiagnose(), setup: quietSetup() })
    expect([...CHANNELS].sort()).toEqual(Object.keys(handlers).sort())
    for (const channel of CHANNELS) await (bridge.invoke as (c: string) => Promise<unknown>)(channel)
    expect(invoked.map((args) => args[0])).toEqual(CHANNELS)
  })

  it('refuses channels and events outside the contract', async () => {
    const before = invoked.length
    await expect((bridge.invoke as (c: string) => Promise<unknown>)('shell:openExternal')).rejects.toThrow(/unknown channel/)
    await expect((bridge.invoke as (c: string) => Promise<unknown>)('__proto__')).rejects.toThrow(/unknown channel/)
    expect(invoked.length).toBe(before)
    expect(() => (bridge.on as (e: string, l: () => void) => void)('ipc:anything', () => undefined)).toThrow(/unknown event/)
  })

  it('gives listeners the payload only, never the IpcRendererEvent, and unsubscribes', () => {
    const event = EVENT_NAMES[0]
    if (!event) throw new Error('the contract has no events')
    const got: unknown[][] = []
    const off = bridge.on(event, (...args: unknown[]) => void got.push(args))
    const fakeIpcEvent = { sender: { send: () => undefined }, ports: [] }
    for (const l of listeners.get(event) ?? []) l(fakeIpcEvent, { interfaces: [] })
    expect(got).toEqual([[{ interfaces: [] }]])
    off()
    expect(listeners.get(event)).toEqual([])
  })
})
