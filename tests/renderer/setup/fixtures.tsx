/**
 * Set up data for renderer tests: views, networks and candidates with sensible defaults, the Set up screen
 * (or the whole app) over a fake bridge, and helpers to type a code and to read the whole store as text.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { ok } from '../../../shared/ipc'
import type { SetupCandidate, SetupCandidates, SetupNetwork, SetupView } from '../../../shared/provisioning/view'
import { App } from '../../../renderer/app'
import { SetupScreen } from '../../../renderer/features/setup/setup-screen'
import type { Screen } from '../../../renderer/features/shell/shell-slice'
import { createAppStore, StoreContext, subscribeToHost, type AppStore } from '../../../renderer/store'
import { createFakeBridge, type FakeBridge, type Replies } from '../fake-bridge'

/** A fixed wall-clock for views. */
export const NOW = 1_700_000_000_000

/** A network the accessory sees: secured WPA2 at signal 60 unless overridden. */
export function makeNetwork(overrides: Partial<SetupNetwork> & Pick<SetupNetwork, 'ssid'>): SetupNetwork {
  return { signal: 60, rssi: -70, channel: 6, security: 'wpa2-psk', secured: true, ...overrides }
}

/** A bound SoftAP flow for PROV_AB12, started from "HomeNet", at `remember-network`. */
export function makeView(overrides: Partial<SetupView> = {}): SetupView {
  return {
    id: 'flow-1',
    category: 'bound',
    accessory: { name: 'PROV_AB12', ssid: 'PROV_AB12' },
    step: 'remember-network',
    phase: 'running',
    originalNetwork: 'HomeNet',
    onAccessoryNetwork: false,
    networks: [],
    notices: [],
    history: [{ at: NOW, step: 'remember-network', text: 'Noting which network this computer is on' }],
    startedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  }
}

/** Three networks, listed weakest first on purpose, one open. */
export const NETWORKS: SetupNetwork[] = [
  makeNetwork({ ssid: 'Neighbour', signal: 20, rssi: -90 }),
  makeNetwork({ ssid: 'HomeNet', signal: 90, rssi: -55 }),
  makeNetwork({ ssid: 'Cafe', signal: 50, rssi: -75, security: 'open', secured: false }),
]

/** The flow waiting at `choose-network` with NETWORKS, on the accessory's network. */
export function choosing(overrides: Partial<SetupView> = {}): SetupView {
  return makeView({ step: 'choose-network', phase: 'waiting', onAccessoryNetwork: true, networks: NETWORKS, updatedAt: NOW + 10, ...overrides })
}

/** An accessory AP in range with a password. */
export const AP: SetupCandidate = { key: 'ap:PROV_AB12', name: 'PROV_AB12', target: { kind: 'softap', ssid: 'PROV_AB12' }, signal: 80, apSecured: true }
/** An open accessory AP, weaker. */
export const OPEN_AP: SetupCandidate = { key: 'ap:shelly-plug', name: 'shelly-plug', target: { kind: 'softap', ssid: 'shelly-plug' }, signal: 30, apSecured: false }
/** A provisionable device already on the LAN. */
export const LAN: SetupCandidate = {
  key: 'lan:dev-1',
  name: 'Porch Sensor',
  deviceId: 'ab12cd',
  target: { kind: 'on-network', host: '192.168.1.60', port: 80, deviceId: 'ab12cd' },
}

/** `setup:candidates` with AP, OPEN_AP and LAN; this computer on HomeNet. */
export function makeCandidates(overrides: Partial<SetupCandidates> = {}): SetupCandidates {
  return { candidates: [AP, OPEN_AP, LAN], wifi: { available: true, current: 'HomeNet' }, ...overrides }
}

/** Replies for a screen with no flow, three candidates and no paired accessories. */
export function idleReplies(): Replies {
  return { 'setup:current': ok(null), 'setup:candidates': ok(makeCandidates()), 'trust:list': ok([]) }
}

/** Renders the Set up screen over a fake bridge and lets the first requests answer. */
export async function renderSetup(replies: Replies = {}) {
  const bridge: FakeBridge = createFakeBridge({ ...idleReplies(), ...replies })
  const store = createAppStore(bridge, { screen: 'setup' })
  subscribeToHost(store, bridge)
  const view = render(<StoreContext.Provider value={store}><SetupScreen /></StoreContext.Provider>)
  await settle()
  return { bridge, store, ...view }
}

/** Renders the whole app on `screen`. */
export async function renderSetupApp(replies: Replies = {}, screenName: Screen = 'setup') {
  const bridge: FakeBridge = createFakeBridge({ ...idleReplies(), ...replies })
  const store = createAppStore(bridge, { screen: screenName })
  subscribeToHost(store, bridge)
  const view = render(<StoreContext.Provider value={store}><App /></StoreContext.Provider>)
  await settle()
  return { bridge, store, ...view }
}

/** Lets pending bridge answers land. */
export async function settle() {
  await act(async () => undefined)
}

/** Emits a view as `setup:changed`. */
export function emitView(bridge: FakeBridge, view: SetupView | null) {
  act(() => bridge.emit('setup:changed', { view }))
}

/** Types `text` into the (fake) CodeEntry inside `container` and submits it. */
export async function enterCode(text: string, container: HTMLElement = document.body) {
  const form = within(container).getByRole('form', { name: 'Setup code entry' })
  fireEvent.change(within(form).getByLabelText('Setup code'), { target: { value: text } })
  fireEvent.click(within(form).getByRole('button', { name: 'Use code' }))
  await settle()
}

/** The whole store state as text (Maps and Sets included; functions left out), to search for secrets. */
export function storeText(store: AppStore): string {
  return JSON.stringify(store.getState(), (_key, value: unknown) => {
    if (value instanceof Map) return [...value.entries()]
    if (value instanceof Set) return [...value.values()]
    return value
  })
}

/** The payload of the last call on `channel`. */
export function lastPayload(bridge: FakeBridge, channel: FakeBridge['calls'][number]): unknown {
  const i = bridge.calls.lastIndexOf(channel)
  return i < 0 ? undefined : bridge.payloads[i]
}

/** The radio whose accessible name starts with `name`. */
export function radio(name: string): HTMLInputElement {
  return screen.getByRole('radio', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }) as HTMLInputElement
}
