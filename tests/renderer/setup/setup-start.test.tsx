import { cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { AP, enterCode, LAN, lastPayload, makeCandidates, makeView, radio, renderSetup, settle } from './fixtures'

vi.mock('../../../renderer/features/setup/code-entry/code-entry', () => import('./fake-code-entry'))

afterEach(cleanup)

const start = () => fireEvent.click(screen.getByRole('button', { name: 'Start setup' }))

describe('the start form', () => {
  it('loads the current flow, the candidates and the paired accessories on mount', async () => {
    const { bridge } = await renderSetup()
    expect(new Set(bridge.calls)).toEqual(new Set(['setup:current', 'setup:candidates', 'trust:list']))
    expect(screen.getByText(/This computer is on/).textContent).toContain('HomeNet')
  })

  it('lists accessory networks with signal and a lock, and devices on the LAN with their address', async () => {
    await renderSetup()
    const list = screen.getByRole('group', { name: 'Accessory to set up' })
    const ap = radio('PROV_AB12').closest('label') as HTMLElement
    expect(within(ap).getByRole('img', { name: 'Signal 80 %' })).toBeTruthy()
    expect(within(ap).getByText('Secured')).toBeTruthy()
    expect(within(radio('shelly-plug').closest('label') as HTMLElement).getByText('Open')).toBeTruthy()
    expect(within(list).getByText('On your network at 192.168.1.60:80')).toBeTruthy()
  })

  it('refreshes the candidates on request', async () => {
    const { bridge } = await renderSetup()
    bridge.replies['setup:candidates'] = ok(makeCandidates({ candidates: [LAN] }))
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }))
    await settle()
    expect(bridge.calls.filter((c) => c === 'setup:candidates')).toHaveLength(2)
    expect(screen.queryByRole('radio', { name: /PROV_AB12/ })).toBeNull()
  })

  it('starts with the chosen accessory, a typed code and the chosen category', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView()) })
    fireEvent.click(radio('PROV_AB12'))
    await enterCode('abcd1234')
    expect(screen.getByRole('status').textContent).toContain('Setup code entered')
    expect((screen.getByRole('radio', { name: 'Joins your Wi-Fi' }) as HTMLInputElement).checked).toBe(true)
    fireEvent.click(screen.getByRole('radio', { name: 'Stand-alone' }))
    start()
    await settle()
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: { kind: 'softap', ssid: 'PROV_AB12' }, code: { pop: 'abcd1234' }, category: 'stand-alone' })
    expect(screen.getByRole('heading', { name: 'Setting up PROV_AB12' })).toBeTruthy()
  })

  it('explains each category in one line', async () => {
    await renderSetup()
    fireEvent.click(radio('PROV_AB12'))
    const gateway = screen.getByRole('radio', { name: 'Gateway' })
    expect(gateway.getAttribute('aria-describedby')).toBeTruthy()
    expect(document.getElementById(gateway.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(/provide internet/)
  })

  it('starts a LAN device as on-lan, with no choice of category', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView({ accessory: { name: '192.168.1.60', address: '192.168.1.60:80' } })) })
    fireEvent.click(radio('Porch Sensor'))
    expect(screen.queryByRole('group', { name: 'Kind of accessory' })).toBeNull()
    expect(screen.getByText(/nothing switches networks/)).toBeTruthy()
    start()
    await settle()
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: LAN.target, code: {}, category: 'on-lan' })
  })

  it('selects the accessory a QR code names when it is in range', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView()) })
    await enterCode(JSON.stringify({ serviceName: 'PROV_AB12', pop: 'qrpop123', transport: 'softap', security: 1 }))
    expect(radio('PROV_AB12').checked).toBe(true)
    start()
    await settle()
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: AP.target, code: { serviceName: 'PROV_AB12', pop: 'qrpop123', transport: 'softap', security: 1 }, category: 'bound' })
  })

  it('starts with the network a QR code names when nothing in range matches, with its AP password', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView()) })
    const code = { serviceName: 'PROV_FF00', pop: 'abcd1234', apPassphrase: 'ap-secret-99' }
    await enterCode(JSON.stringify(code))
    expect(radio('PROV_FF00').checked).toBe(true)
    expect(screen.getByRole('status').textContent).toMatch(/not in range yet/)
    start()
    await settle()
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: { kind: 'softap', ssid: 'PROV_FF00', apPassphrase: 'ap-secret-99' }, code, category: 'bound' })
  })

  it('can type an accessory network that is not listed', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView()) })
    fireEvent.click(radio('Other setup network…'))
    start()
    expect(screen.getByText('Type the accessory network’s name.')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Accessory network name'), { target: { value: 'ESP_123456' } })
    start()
    await settle()
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: { kind: 'softap', ssid: 'ESP_123456' }, code: {}, category: 'bound' })
  })

  it('asks for an accessory before starting', async () => {
    const { bridge } = await renderSetup()
    start()
    expect(screen.getByRole('alert').textContent).toBe('Choose the accessory to set up.')
    expect(bridge.calls).not.toContain('setup:start')
  })

  it('explains the manual join path when this computer cannot join networks itself', async () => {
    const reason = 'Porchlight cannot change this computer’s Wi-Fi here; you will join the accessory’s network from the Wi-Fi menu.'
    await renderSetup({ 'setup:candidates': ok(makeCandidates({ candidates: [], wifi: { available: false, reason } })) })
    expect(screen.getByText(reason)).toBeTruthy()
    expect(screen.getByText(/join its network from your Wi-Fi menu yourself/)).toBeTruthy()
    expect(screen.getByText(/No accessory found in setup mode/)).toBeTruthy()
  })

  it('says why the host refused to start, and stays on the form', async () => {
    await renderSetup({ 'setup:start': fail({ code: 'unavailable', message: 'A setup is already running. Finish or cancel it first.' }) })
    fireEvent.click(radio('PROV_AB12'))
    start()
    await settle()
    expect(screen.getByRole('alert').textContent).toBe('Could not start: A setup is already running. Finish or cancel it first.')
    expect(screen.getByRole('button', { name: 'Start setup' })).toBeTruthy()
  })

  it('says when the candidates could not be listed', async () => {
    await renderSetup({ 'setup:candidates': fail({ code: 'internal', message: 'Scan failed.' }) })
    expect(screen.getByRole('alert').textContent).toBe('Could not list accessories: Scan failed.')
  })

  it('shows a flow that was running (or restored) instead of the form', async () => {
    await renderSetup({ 'setup:current': ok(makeView({ step: 'secure-session' })) })
    expect(screen.queryByRole('button', { name: 'Start setup' })).toBeNull()
    expect(screen.getByRole('heading', { name: 'Open a secure session' })).toBeTruthy()
  })
})
