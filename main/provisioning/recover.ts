/**
 * Launch-time recovery from a flow that never finished (crash, kill, quit mid-setup): the journal says which
 * network the computer was on and whether an accessory profile of ours exists. The computer goes back to its
 * original network, the temporary profile is removed, and the wizard shows what happened. Runs once per launch.
 */
import type { SetupView } from '../../shared/provisioning/view'
import type { HostWifi } from '../wifi/port'
import type { JournalEntry, OnboardingJournal } from './journal'

const FINISHED = new Set(['done', 'failed', 'cancelled'])
const SENT = new Set(['sending', 'device-connecting', 'returning', 'confirming', 'storing'])

/** What recovery needs. */
export interface RecoverDeps {
  journal: OnboardingJournal
  /** Asked only when there is something to restore (finding the adapter runs OS tools). */
  wifi: HostWifi | undefined | (() => Promise<HostWifi | undefined>)
  wallClock?: () => number
  log?: (message: string) => void
}

/** Restores the network after an interrupted flow; the view to show, or undefined when nothing was interrupted. */
export async function recoverInterrupted(deps: RecoverDeps): Promise<SetupView | undefined> {
  const entry = await deps.journal.read()
  if (!entry) return undefined
  if (FINISHED.has(entry.step)) {
    await deps.journal.clear()
    return undefined
  }
  const lines: string[] = []
  const wifi = typeof deps.wifi === 'function' ? await deps.wifi() : deps.wifi
  const restoredTo = await rejoinOriginal(entry, wifi, lines)
  if (wifi && entry.temporaryProfile && entry.accessorySsid) {
    const forgot = await wifi.forgetTemporary(entry.accessorySsid)
    lines.push(forgot.ok ? `Removed the temporary network profile for “${entry.accessorySsid}”` : `Could not remove the network profile for “${entry.accessorySsid}”: ${forgot.error.message}`)
  }
  await deps.journal.clear()
  deps.log?.(`recovered an interrupted setup at step ${entry.step}`)
  return interruptedView(entry, restoredTo, lines, (deps.wallClock ?? Date.now)())
}

async function rejoinOriginal(entry: JournalEntry, wifi: HostWifi | undefined, lines: string[]): Promise<'already' | 'restored' | 'failed' | 'none'> {
  const original = entry.originalSsid
  if (!original) return 'none'
  if (!wifi) {
    lines.push(`Rejoin “${original}” from the Wi-Fi menu`)
    return 'failed'
  }
  const current = await wifi.current()
  if (current.ok && current.value?.ssid === original) {
    lines.push(`This computer is already on “${original}”`)
    return 'already'
  }
  const back = await wifi.rejoin(original)
  lines.push(back.ok ? `Returned this computer to “${original}”` : `Could not return to “${original}”: ${back.error.message}`)
  return back.ok ? 'restored' : 'failed'
}

function interruptedView(entry: JournalEntry, restoredTo: 'already' | 'restored' | 'failed' | 'none', lines: string[], now: number): SetupView {
  const where = entry.originalSsid
    ? restoredTo === 'failed' ? `Join “${entry.originalSsid}” again from the Wi-Fi menu.` : `This computer is back on “${entry.originalSsid}”.`
    : ''
  const maybe = SENT.has(entry.step) && entry.chosenSsid
    ? ` The accessory may already have joined “${entry.chosenSsid}”: look for it in Discover, or start setup again.`
    : ' Start setup again when you are ready.'
  const message = `Porchlight was closed while setting up ${entry.accessoryName}. ${where}${maybe}`.replace(/\s+/g, ' ').trim()
  return {
    id: entry.id,
    category: entry.category,
    accessory: { name: entry.accessoryName, ...(entry.accessorySsid && { ssid: entry.accessorySsid }) },
    step: 'failed',
    phase: 'finished',
    outcome: 'failed',
    ...(entry.originalSsid && { originalNetwork: entry.originalSsid }),
    onAccessoryNetwork: false,
    networks: [],
    ...(entry.chosenSsid && { chosenSsid: entry.chosenSsid }),
    notices: [],
    error: { code: 'interrupted', message, action: 'retry' },
    history: [
      { at: entry.updatedAt, step: entry.step, text: `Interrupted at “${entry.step}”` },
      ...lines.map((text) => ({ at: now, step: 'failed' as const, text })),
    ],
    startedAt: entry.startedAt,
    updatedAt: now,
  }
}
