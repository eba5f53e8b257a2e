/**
 * The preload: the page gets `window.bridge` with exactly `invoke` and `on`, never `ipcRenderer` or the
 * `IpcRendererEvent` (checklist #20). Channel and event names outside the contract are refused here, so a
 * compromised page cannot reach other IPC traffic. Bundled to one CJS file: a sandboxed preload can only
 * `require('electron')` and a few built-ins (checklist #4).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { isChannel, isEventName, type Bridge } from '../../shared/ipc'

const bridge: Bridge = {
  invoke: (channel, ...args) => {
    if (!isChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`))
    return ipcRenderer.invoke(channel, ...args)
  },
  on: (event, listener) => {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`)
    const wrapped = (_event: unknown, payload: Parameters<typeof listener>[0]) => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => void ipcRenderer.removeListener(event, wrapped)
  },
}

if (!process.contextIsolated) throw new Error('Porchlight refuses to run without context isolation')
contextBridge.exposeInMainWorld('bridge', bridge)
