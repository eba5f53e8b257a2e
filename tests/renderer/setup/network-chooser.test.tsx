import { cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../shared/ipc'
import { choosing, lastPayload, makeNetwork, makeView, NOW, radio, renderSetup, settle } from './fixtures'

vi.mock('../../../renderer/features/setup/code-entry/code-entry', () => import('./fake-code-entry'))

afterEach(cleanup)

const send = () => fireEvent.click(screen.getByRole('button', { name: 'Send to the accessory' }))
const passwordField = () => screen.getByLabelText(/^Password/) as HTMLInputElement
const sending = makeView({ step: 'sending', chosenSsid: 'HomeNet', updatedAt: NOW + 20 })

async function atChooser(view = choosing()) {
  return renderSetup({ 'setup:current': ok(view), 'setup:credentials': ok(sending), 'setup:rescan': ok(makeView({ step: 'scan', updatedAt: NOW + 15 })) })
}

describe('choosing the network', () => {
  it('lists the networks strongest first with signal and security, hidden ones and repeats left out', async () => {
    const networks = [...choosing().networks, makeNetwork({ ssid: '', signal: 99 }), makeNetwork({ ssid: 'HomeNet', signal: 40 })]
    await atChooser(choosing({ networks }))
    const group = screen.getByRole('group', { name: 'Networks the accessory sees, strongest first' })
    const names = within(group).getAllByRole('radio').map((r) => r.closest('label')?.querySelector('.network-name')?.textContent)
    expect(names).toEqual(['HomeNet', 'Cafe', 'Neighbour', 'Other network…'])
    const home = radio('HomeNet').closest('label') as HTMLElement
    expect(within(home).getByRole('img', { name: 'Signal 90 %' }).querySelectorAll('.is-on')).toHaveLength(4)
    expect(within(home).getByText('Secured (wpa2-psk)').querySelector('svg')).toBeTruthy()
    expect(within(radio('Cafe').closest('label') as HTMLElement).getByText('Open')).toBeTruthy()
  })

  it('sends an open network without a password', async () => {
    const { bridge } = await atChooser()
    fireEvent.click(radio('Cafe'))
    expect(screen.queryByLabelText(/^Password/)).toBeNull()
    expect(screen.getByText('“Cafe” is open: no password needed.')).toBeTruthy()
    send()
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'Cafe' })
  })

  it('asks for a network before sending', async () => {
    const { bridge } = await atChooser()
    send()
    expect(screen.getByText('Choose a network, or “Other network…” to type its name.')).toBeTruthy()
    expect(document.activeElement).toBe(radio('HomeNet'))
    expect(bridge.calls).not.toContain('setup:credentials')
  })

  it.each([
    ['', 'This network is secured: enter its password.'],
    ['short', 'A Wi-Fi password has 8 to 63 characters, or exactly 64 hex digits (0–9, a–f).'],
    ['x'.repeat(64), 'A Wi-Fi password has 8 to 63 characters, or exactly 64 hex digits (0–9, a–f).'],
  ])('refuses the password %j for a secured network with a message and focus on the field', async (value, message) => {
    const { bridge } = await atChooser()
    fireEvent.click(radio('HomeNet'))
    fireEvent.change(passwordField(), { target: { value } })
    send()
    expect(screen.getByText(message)).toBeTruthy()
    expect(passwordField().getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(passwordField())
    expect(bridge.calls).not.toContain('setup:credentials')
  })

  it.each([['8chars!!'], ['y'.repeat(63)], ['0123456789abcdef'.repeat(4)]])('sends a valid password (%s)', async (passphrase) => {
    const { bridge } = await atChooser()
    fireEvent.click(radio('HomeNet'))
    fireEvent.change(passwordField(), { target: { value: passphrase } })
    send()
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'HomeNet', passphrase })
  })

  it('shows and hides the password', async () => {
    await atChooser()
    fireEvent.click(radio('HomeNet'))
    expect(passwordField().type).toBe('password')
    fireEvent.click(screen.getByRole('button', { name: 'Show password' }))
    expect(passwordField().type).toBe('text')
    fireEvent.click(screen.getByRole('button', { name: 'Hide password' }))
    expect(passwordField().type).toBe('password')
    expect(passwordField().getAttribute('autocomplete')).toBe('off')
  })

  it('sends a hidden network by its typed name, with or without a password', async () => {
    const { bridge } = await atChooser()
    fireEvent.click(radio('Other network…'))
    send()
    expect(screen.getByText('Type the network’s name exactly as it is spelled.')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Network name'), { target: { value: 'Attic 2.4' } })
    fireEvent.change(passwordField(), { target: { value: 'hidden-pass' } })
    send()
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'Attic 2.4', passphrase: 'hidden-pass', isHidden: true })
  })

  it('sends a typed open network without a password, and refuses a name over 32 bytes', async () => {
    const { bridge } = await atChooser()
    fireEvent.click(radio('Other network…'))
    fireEvent.change(screen.getByLabelText('Network name'), { target: { value: 'é'.repeat(17) } })
    send()
    expect(screen.getByText(/at most 32 characters/)).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Network name'), { target: { value: 'Open Attic' } })
    send()
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'Open Attic', isHidden: true })
  })

  it('offers typing the name when the accessory lists no networks', async () => {
    await atChooser(choosing({ networks: [] }))
    expect(screen.getByText(/did not list any networks/)).toBeTruthy()
    expect(radio('Other network…').checked).toBe(true)
    expect(screen.getByLabelText('Network name')).toBeTruthy()
  })

  it('asks the accessory to scan again', async () => {
    const { bridge } = await atChooser()
    fireEvent.click(screen.getByRole('button', { name: 'Rescan' }))
    await settle()
    expect(bridge.calls).toContain('setup:rescan')
    expect(screen.getByRole('heading', { name: 'Find networks' })).toBeTruthy()
  })
})

describe('network errors', () => {
  const wrong = choosing({
    chosenSsid: 'HomeNet',
    error: { code: 'wrong-passphrase', message: 'The accessory could not join “HomeNet”: the password was not accepted. Re-enter it.', action: 'reenter-passphrase' },
  })

  it('wrong password: says so, Re-enter focuses the password of the chosen network, and a corrected one is sent', async () => {
    const { bridge } = await atChooser(wrong)
    expect(screen.getByRole('alert').textContent).toContain('the password was not accepted. Re-enter it.')
    fireEvent.click(screen.getByRole('button', { name: 'Re-enter the password' }))
    expect(radio('HomeNet').checked).toBe(true)
    expect(document.activeElement).toBe(passwordField())
    expect(passwordField().value).toBe('')
    fireEvent.change(passwordField(), { target: { value: 'the-right-one' } })
    send()
    await settle()
    expect(lastPayload(bridge, 'setup:credentials')).toEqual({ ssid: 'HomeNet', passphrase: 'the-right-one' })
  })

  it('wrong password on a typed network: Re-enter brings back its name', async () => {
    await atChooser(choosing({ ...wrong, chosenSsid: 'Attic' }))
    fireEvent.click(screen.getByRole('button', { name: 'Re-enter the password' }))
    expect(radio('Other network…').checked).toBe(true)
    expect((screen.getByLabelText('Network name') as HTMLInputElement).value).toBe('Attic')
    expect(document.activeElement).toBe(passwordField())
  })

  it('network not found: Choose another network returns to the list with nothing chosen', async () => {
    const message = 'The accessory cannot find “HomeNet”. It may be out of its reach or on a band it does not support (many accessories need 2.4 GHz). Choose another network.'
    await atChooser(choosing({ chosenSsid: 'HomeNet', error: { code: 'network-not-found', message, action: 'choose-network' } }))
    expect(screen.getByRole('alert').textContent).toContain(message)
    fireEvent.click(radio('HomeNet'))
    fireEvent.click(screen.getByRole('button', { name: 'Choose another network' }))
    expect(screen.getAllByRole('radio').every((r) => !(r as HTMLInputElement).checked)).toBe(true)
    expect(document.activeElement).toBe(radio('HomeNet'))
  })
})
