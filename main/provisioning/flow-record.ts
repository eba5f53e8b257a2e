/**
 * The view of one onboarding flow and its journal entry, kept together: every step change updates both, the
 * view goes to the wizard, the entry to disk before the action it announces. No secret ever enters either.
 */
import type { AccessoryCategory, SetupAction, SetupNetwork, SetupStep, SetupView } from '../../shared/provisioning/view'
import type { Clock } from '../util/clock'
import type { DeviceNetwork } from './driver'
import type { JournalEntry, OnboardingJournal } from './journal'

const HISTORY_LIMIT = 100

/** What a flow record starts from. */
export interface FlowRecordInit {
  id: string
  category: AccessoryCategory
  name: string
  accessorySsid?: string
  deviceId?: string
  address?: string
}

/** Signal 0–100 from dBm, the way Wi-Fi menus draw bars (−100 dBm → 0, −50 dBm and better → 100). */
export function signalFromRssi(rssi: number): number {
  return Math.max(0, Math.min(100, Math.round(2 * (rssi + 100))))
}

/** The wizard's network list from the device's scan. */
export function toSetupNetworks(networks: readonly DeviceNetwork[]): SetupNetwork[] {
  return networks.map((n) => ({ ssid: n.ssid, rssi: n.rssi, signal: signalFromRssi(n.rssi), channel: n.channel, security: n.security, secured: n.security !== 'open' }))
}

/** Holds a flow's view and journal entry; `emit` hears every change. */
export class FlowRecord {
  view: SetupView
  private temporaryProfile = false

  constructor(init: FlowRecordInit, private readonly clock: Clock, private readonly wallClock: () => number,
    private readonly journal: OnboardingJournal, private readonly emit: (view: SetupView) => void) {
    const now = wallClock()
    this.view = {
      id: init.id,
      category: init.category,
      accessory: { name: init.name, ...(init.accessorySsid && { ssid: init.accessorySsid }), ...(init.deviceId && { deviceId: init.deviceId }), ...(init.address && { address: init.address }) },
      step: 'remember-network',
      phase: 'running',
      onAccessoryNetwork: false,
      networks: [],
      notices: [],
      history: [],
      startedAt: now,
      updatedAt: now,
    }
  }

  /** Moves to `step` (journaled first), adding a history line. */
  async step(step: SetupStep, text: string, patch: Partial<SetupView> = {}): Promise<void> {
    this.update({ ...patch, step, phase: patch.phase ?? 'running' }, text)
    await this.journal.write(this.entry())
  }

  /** Changes the view without a new step (networks, notices, errors). */
  update(patch: Partial<SetupView>, text?: string): void {
    const at = this.wallClock()
    const history = text ? [...this.view.history, { at, step: patch.step ?? this.view.step, text }].slice(-HISTORY_LIMIT) : this.view.history
    this.view = { ...this.view, ...patch, history, updatedAt: at }
    this.emit(this.view)
  }

  /** Shows an error with the one action the wizard offers for it, and waits for the user. */
  fail(code: string, message: string, action: SetupAction, step?: SetupStep): void {
    this.update({ error: { code, message, action }, phase: 'waiting', ...(step && { step }) }, message)
  }

  /** Clears a shown error. */
  clearError(): void {
    this.drop('error')
  }

  /** Removes an optional part of the view (an answered error, a finished manual join). */
  drop(key: 'error' | 'manualJoin'): void {
    if (this.view[key] === undefined) return
    const { [key]: _dropped, ...rest } = this.view
    this.view = rest
  }

  /** Adds a notice once. */
  notice(text: string): void {
    if (!this.view.notices.includes(text)) this.update({ notices: [...this.view.notices, text] })
  }

  /** Removes a notice that no longer holds (no internet, once back on the original network). */
  dropNotice(text: string): void {
    if (this.view.notices.includes(text)) this.update({ notices: this.view.notices.filter((n) => n !== text) })
  }

  /** Records whether the computer is on the accessory's network (and whether the profile is ours to remove). */
  async onAccessory(isOn: boolean, temporaryProfile = this.temporaryProfile): Promise<void> {
    this.temporaryProfile = temporaryProfile
    this.update({ onAccessoryNetwork: isOn })
    await this.journal.write(this.entry())
  }

  /** The journal entry for the current state. */
  entry(): JournalEntry {
    const v = this.view
    return {
      version: 1,
      id: v.id,
      pid: process.pid,
      category: v.category,
      accessoryName: v.accessory.name.slice(0, 64),
      ...(v.accessory.ssid && { accessorySsid: v.accessory.ssid }),
      ...(v.originalNetwork && { originalSsid: v.originalNetwork }),
      temporaryProfile: this.temporaryProfile,
      onAccessoryNetwork: v.onAccessoryNetwork,
      step: v.step,
      ...(v.chosenSsid && { chosenSsid: v.chosenSsid }),
      startedAt: v.startedAt,
      updatedAt: v.updatedAt,
    }
  }

  /** Monotonic ms, for timeouts inside the flow. */
  now(): number {
    return this.clock.now()
  }
}
