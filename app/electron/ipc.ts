/**
 * Wires the contract onto ipcMain: one handler per contract channel, each checking the sender frame
 * (checklist #17) and validating the payload through the shared dispatch before any service runs.
 */
import type { IpcMain, WebContents } from 'electron'
import type { Core } from '../../main/core'
import { dispatch } from '../../main/dispatch'
import { CHANNELS, fail } from '../../shared/ipc'
import { isTrustedSender } from './security'

/** Registers every contract channel; returns the function that removes them. */
export function registerIpc(ipcMain: IpcMain, core: Pick<Core, 'handlers'>, log: (message: string) => void): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        log(`ipc: refused ${channel} from an untrusted frame`)
        return fail({ code: 'unauthorized', message: 'This request did not come from Porchlight’s own window.' })
      }
      return dispatch(core.handlers, channel, payload, (ch, error) => log(`ipc: ${ch} failed: ${String(error)}`))
    })
  }
  return () => CHANNELS.forEach((channel) => ipcMain.removeHandler(channel))
}

/** Forwards every core event to the given web contents while their main frame is the app. */
export function forwardEvents(core: Pick<Core, 'events'>, targets: () => readonly WebContents[]): () => void {
  return core.events.subscribe((event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed() && isTrustedSender(contents.mainFrame)) contents.send(event, payload)
    }
  })
}
