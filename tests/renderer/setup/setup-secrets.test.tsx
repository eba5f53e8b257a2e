import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../shared/ipc'
import type { SetupCandidate } from '../../../shared/provisioning/view'
import { choosing, emitView, enterCode, lastPayload, makeCandidates, makeNetwork, makeView, NOW, radio, renderSetup, settle, storeText } from './fixtures'

vi.mock('../../../renderer/features/setup/code-entry/code-entry', () => import('./fake-code-entry'))

const IMG = '<img src=x onerror=window.__xss=1>'

declare global {
  interface Window {
    __xss?: number
  }
}

const logged: unknown[][] = []
beforeEach(() => {
  logged.length = 0
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args))
  }
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const SECRETS = ['POP-SECRET-1', 'AP-SECRET-22', 'WIFI-SECRET-333', 'WIFI-SECRET-4444', 'POP-SECRET-5']

function expectNoSecret(store: Parameters<typeof storeText>[0]) {
  const state = storeText(store)
  const dom = `${document.body.textContent ?? ''}\n${document.body.innerHTML}`
  const logs = JSON.stringify(logged)
  for (const secret of SECRETS) {
    expect(state).not.toContain(secret)
    expect(dom).not.toContain(secret)
    expect(logs).not.toContain(secret)
  }
}

describe('secrets reach the host but never the store, the page or the console', () => {
  it('the setup code and the AP password of a start', async () => {
    const { bridge, store } = await renderSetup({ 'setup:start': ok(makeView()) })
    await enterCode(JSON.stringify({ serviceName: 'PROV_AB12', pop: 'POP-SECRET-1', apPassphrase: 'AP-SECRET-22', security: 1 }))
    fireEvent.click(screen.getByRole('button', { name: 'Start setup' }))
    await settle()
    expect(lastPayload(bridge, 'setup:start')).toMatchObject({ code: { pop: 'POP-SECRET-1', apPassphrase: 'AP-SECRET-22' } })
    expect(store.getState().setupLastStart).toEqual({ target: { kind: 'softap', ssid: 'PROV_AB12' }, category: 'bound' })
    expectNoSecret(store)
  })

  it('the Wi-Fi password, shown while typed, then re-entered after a wrong one', async () => {
    const { bridge, store } = await renderSetup({ 'setup:current': ok(choosing()), 'setup:credentials': ok(makeView({ step: 'sending', updatedAt: NOW + 20 })) })
    fireEvent.click(radio('HomeNet'))
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 'WIFI-SECRET-333' } })
    fireEvent.click(screen.getByRole('button', { name: 'Show password' }))
    fireEvent.click(screen.getByRole('button', { name: 'Send to the accessory' }))
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'HomeNet', passphrase: 'WIFI-SECRET-333' })
    expectNoSecret(store)

    const error = { code: 'wrong-passphrase', message: 'The password was not accepted. Re-enter it.', action: 'reenter-passphrase' as const }
    emitView(bridge, choosing({ chosenSsid: 'HomeNet', error, updatedAt: NOW + 30 }))
    fireEvent.click(screen.getByRole('button', { name: 'Re-enter the password' }))
    fireEvent.change(screen.getByLabelText(/^Password/), { target: { value: 'WIFI-SECRET-4444' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send to the accessory' }))
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'HomeNet', passphrase: 'WIFI-SECRET-4444' })
    expectNoSecret(store)
  })

  it('a corrected setup code', async () => {
    const waiting = makeView({ step: 'secure-session', phase: 'waiting', error: { code: 'wrong-code', message: 'Wrong code.', action: 'reenter-code' } })
    const { bridge, store } = await renderSetup({ 'setup:current': ok(waiting), 'setup:code': ok(makeView({ step: 'secure-session', updatedAt: NOW + 50 })) })
    fireEvent.click(screen.getByRole('button', { name: 'Enter the setup code again' }))
    await enterCode('POP-SECRET-5')
    expect(lastPayload(bridge, 'setup:code')).toEqual({ code: { pop: 'POP-SECRET-5' } })
    expectNoSecret(store)
  })
})

describe('untrusted names', () => {
  beforeEach(() => {
    delete window.__xss
  })

  const expectInert = (container: HTMLElement) => {
    expect(container.querySelector('img, script, [onerror]')).toBeNull()
    expect(window.__xss).toBeUndefined()
    expect(container.innerHTML).toContain('&lt;img src=x onerror=window.__xss=1&gt;')
  }

  it('a hostile accessory network and LAN device name render as text in the start form', async () => {
    const hostile: SetupCandidate = { key: `ap:${IMG}`, name: IMG, target: { kind: 'softap', ssid: IMG }, signal: 50, apSecured: true }
    const { container } = await renderSetup({ 'setup:candidates': ok(makeCandidates({ candidates: [hostile], wifi: { available: true, current: IMG } })) })
    expect(radio(IMG)).toBeTruthy()
    expectInert(container)
  })

  it('a hostile SSID, accessory name, notice, history line, error and confirmed name render as text in the flow', async () => {
    const view = choosing({
      accessory: { name: IMG, ssid: IMG },
      originalNetwork: IMG,
      networks: [makeNetwork({ ssid: IMG, signal: 80 }), makeNetwork({ ssid: `<b>${IMG}</b>`, signal: 70 })],
      notices: [IMG],
      history: [{ at: NOW, step: 'scan', text: IMG }],
      chosenSsid: IMG,
      error: { code: 'wrong-passphrase', message: `“${IMG}” refused the password.`, action: 'reenter-passphrase' },
    })
    const { container, bridge } = await renderSetup({ 'setup:current': ok(view) })
    expect(radio(IMG)).toBeTruthy()
    expect(screen.getByRole('heading', { name: `Setting up ${IMG}` })).toBeTruthy()
    expectInert(container)
    emitView(bridge, makeView({
      step: 'done', phase: 'finished', outcome: 'confirmed', accessory: { name: IMG }, chosenSsid: IMG,
      confirmed: { deviceId: 'x', name: IMG, address: IMG, interface: IMG }, updatedAt: NOW + 99,
    }))
    expect(screen.getByRole('region', { name: `Set up and confirmed: ${IMG}` })).toBeTruthy()
    expectInert(container)
  })

  it('a hostile paired accessory name renders as text', async () => {
    const { container } = await renderSetup({ 'trust:list': ok([{ deviceId: 'd1', name: IMG, protocol: 'esp-unified', security: 1, network: IMG, pairedAt: NOW }]) })
    expect(screen.getByText(IMG, { selector: '.paired-name' })).toBeTruthy()
    expectInert(container)
  })
})
