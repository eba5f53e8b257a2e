import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok } from '../../../shared/ipc'
import type { SetupView } from '../../../shared/provisioning/view'
import { makeDevice, makeService } from '../discover/fixtures'
import { makeSession } from '../monitor/fixtures'
import { makeStatus } from '../discover/fixtures'
import { emitView, enterCode, lastPayload, makeView, NOW, renderSetup, renderSetupApp, settle } from './fixtures'

vi.mock('../../../renderer/features/setup/code-entry/code-entry', () => import('./fake-code-entry'))

beforeEach(() => {
  window.location.hash = '#/setup'
})
afterEach(cleanup)

const announcer = () => document.querySelector('.setup-announcer')?.textContent
const stepper = () => screen.getByRole('navigation', { name: 'Setup steps' })
const stepState = (label: string) => within(stepper()).getByText(label).closest('li')?.className

const failed = (error: NonNullable<SetupView['error']>, overrides: Partial<SetupView> = {}) =>
  makeView({ step: 'failed', phase: 'finished', outcome: 'failed', error, updatedAt: NOW + 50, ...overrides })

describe('a running flow', () => {
  it('follows setup:changed: the stepper ticks done steps, highlights the current one and announces it', async () => {
    const { bridge } = await renderSetup({ 'setup:current': ok(makeView()) })
    expect(announcer()).toBe('Step 1 of 11: Note this computer’s network.')
    emitView(bridge, makeView({ step: 'secure-session', updatedAt: NOW + 5 }))
    expect(announcer()).toBe('Step 3 of 11: Open a secure session.')
    expect(stepState('Note this computer’s network')).toContain('step-done')
    expect(stepState('Join the accessory’s network')).toContain('step-done')
    expect(within(stepper()).getByText('Open a secure session').closest('li')?.getAttribute('aria-current')).toBe('step')
    expect(stepState('Confirm it on your network')).toContain('step-pending')
    expect(document.querySelector('.setup-announcer')?.getAttribute('aria-live')).toBe('polite')
  })

  it('ignores an older view of the same flow arriving late', async () => {
    const { bridge } = await renderSetup({ 'setup:current': ok(makeView({ step: 'scan', updatedAt: NOW + 9 })) })
    emitView(bridge, makeView({ step: 'secure-session', updatedAt: NOW + 5 }))
    expect(announcer()).toBe('Step 4 of 11: Find networks.')
  })

  it('shows the notes while on the accessory’s network, and the history as a timeline', async () => {
    const notice = 'While this computer is on the accessory’s network it has no internet — that is expected. Porchlight brings it back when setup ends.'
    const history = [
      { at: NOW, step: 'remember-network' as const, text: 'Noting which network this computer is on' },
      { at: NOW + 1, step: 'join-accessory' as const, text: 'Joining the accessory’s network “PROV_AB12”' },
    ]
    await renderSetup({ 'setup:current': ok(makeView({ step: 'secure-session', onAccessoryNetwork: true, notices: [notice], history })) })
    const notes = screen.getByRole('region', { name: 'Notes' })
    expect(within(notes).getByText(notice)).toBeTruthy()
    expect(within(notes).getByText('This computer is on the accessory’s network now.')).toBeTruthy()
    const timeline = screen.getByRole('list', { name: 'What happened (2)' })
    expect(within(timeline).getAllByRole('listitem').map((li) => li.querySelector('span')?.textContent)).toEqual(history.map((h) => h.text))
  })

  it('manual join: says to join the network from the Wi-Fi menu, and “I’ve joined” tells the host', async () => {
    const view = makeView({ step: 'manual-join', phase: 'waiting', manualJoin: { ssid: 'PROV_AB12', reason: 'Porchlight cannot change this computer’s Wi-Fi here.' } })
    const { bridge } = await renderSetup({ 'setup:current': ok(view), 'setup:joined': ok(view) })
    const panel = screen.getByRole('region', { name: 'Join the accessory’s network yourself' })
    expect(within(panel).getByRole('list').textContent).toContain('Open your Wi-Fi menu and join PROV_AB12.')
    expect(within(stepper()).getByText('Join the accessory’s network by hand')).toBeTruthy()
    fireEvent.click(within(panel).getByRole('button', { name: 'I’ve joined' }))
    await settle()
    expect(bridge.calls).toContain('setup:joined')
  })

  it('Cancel says where the computer returns, and cancels', async () => {
    const running = makeView({ step: 'device-connecting', chosenSsid: 'HomeNet' })
    const cancelled = makeView({ step: 'cancelled', phase: 'finished', outcome: 'cancelled', updatedAt: NOW + 99 })
    const { bridge } = await renderSetup({ 'setup:current': ok(running), 'setup:cancel': ok(cancelled) })
    const cancel = screen.getByRole('button', { name: 'Cancel setup' })
    expect(document.getElementById(cancel.getAttribute('aria-describedby') ?? '')?.textContent).toBe('This computer will return to “HomeNet”.')
    fireEvent.click(cancel)
    await settle()
    expect(bridge.calls).toContain('setup:cancel')
    expect(screen.getByRole('heading', { name: 'Setup cancelled' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Cancel setup' })).toBeNull()
    expect(announcer()).toBe('Setup cancelled.')
  })

  it('a code the accessory refused: enter it again, sent with setup:code', async () => {
    const view = makeView({ step: 'secure-session', phase: 'waiting', error: { code: 'wrong-code', message: 'The setup code did not match this accessory.', action: 'reenter-code' } })
    const { bridge } = await renderSetup({ 'setup:current': ok(view), 'setup:code': ok(makeView({ step: 'secure-session', updatedAt: NOW + 60 })) })
    expect(screen.getByRole('alert').textContent).toBe('The setup code did not match this accessory.')
    fireEvent.click(screen.getByRole('button', { name: 'Enter the setup code again' }))
    expect(screen.getByRole('form', { name: 'Setup code entry' }).getAttribute('data-expected-name')).toBe('PROV_AB12')
    await enterCode('right-pop-1')
    expect(lastPayload(bridge, 'setup:code')).toEqual({ code: { pop: 'right-pop-1' } })
  })
})

describe('a flow that stopped', () => {
  it('device unreachable: Open Diagnose goes to #/diagnose', async () => {
    const view = failed({ code: 'unreachable', message: 'The accessory does not answer at 192.168.4.1. Open Diagnose to see why.', action: 'open-diagnose' })
    const { store } = await renderSetupApp({ 'setup:current': ok(view) })
    expect(screen.getByRole('alert').textContent).toBe(view.error?.message)
    expect(stepState('Note this computer’s network')).toContain('step-stopped')
    fireEvent.click(screen.getByRole('button', { name: 'Open Diagnose' }))
    expect(store.getState().screen).toBe('diagnose')
    expect(window.location.hash).toBe('#/diagnose')
  })

  it('marks where it stopped, not the clean-up that followed', async () => {
    const history = [
      { at: NOW, step: 'remember-network' as const, text: 'a' },
      { at: NOW + 1, step: 'join-accessory' as const, text: 'b' },
      { at: NOW + 2, step: 'secure-session' as const, text: 'c' },
      { at: NOW + 3, step: 'returning' as const, text: 'd' },
      { at: NOW + 4, step: 'failed' as const, text: 'e' },
    ]
    await renderSetup({ 'setup:current': ok(failed({ code: 'x', message: 'Stopped.', action: 'retry' }, { history })) })
    expect(stepState('Open a secure session')).toContain('step-stopped')
    expect(stepState('Join the accessory’s network')).toContain('step-done')
    expect(stepState('Return this computer to its network')).toContain('step-pending')
  })

  it('Start again reuses the target, category and the code this screen still holds', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView({ category: 'stand-alone' })) })
    fireEvent.click(screen.getByRole('radio', { name: /^PROV_AB12/ }))
    await enterCode('pop-12345')
    fireEvent.click(screen.getByRole('radio', { name: 'Stand-alone' }))
    fireEvent.click(screen.getByRole('button', { name: 'Start setup' }))
    await settle()
    emitView(bridge, failed({ code: 'ap-not-found', message: '“PROV_AB12” is not in range.', action: 'retry' }, { category: 'stand-alone' }))
    fireEvent.click(screen.getByRole('button', { name: 'Start again' }))
    await settle()
    expect(bridge.calls.filter((c) => c === 'setup:start')).toHaveLength(2)
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: { kind: 'softap', ssid: 'PROV_AB12' }, code: { pop: 'pop-12345' }, category: 'stand-alone' })
  })

  it('Start again never reuses an earlier accessory’s code', async () => {
    const { bridge } = await renderSetup({ 'setup:start': ok(makeView()), 'setup:dismiss': ok({ dismissed: true }) })
    fireEvent.click(screen.getByRole('radio', { name: /^PROV_AB12/ }))
    await enterCode('pop-old-1')
    fireEvent.click(screen.getByRole('button', { name: 'Start setup' }))
    await settle()
    emitView(bridge, failed({ code: 'x', message: 'Stopped.', action: 'retry' }))
    fireEvent.click(screen.getByRole('button', { name: 'Set up another' }))
    await settle()
    fireEvent.click(screen.getByRole('radio', { name: /^shelly-plug/ }))
    fireEvent.click(screen.getByRole('button', { name: 'Start setup' }))
    await settle()
    emitView(bridge, failed({ code: 'x', message: 'Stopped.', action: 'retry' }, { id: 'flow-2', accessory: { name: 'shelly-plug', ssid: 'shelly-plug' } }))
    fireEvent.click(screen.getByRole('button', { name: 'Start again' }))
    await settle()
    expect(bridge.calls.filter((c) => c === 'setup:start')).toHaveLength(3)
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: { kind: 'softap', ssid: 'shelly-plug' }, code: {}, category: 'bound' })
  })

  it('Start again after a restart asks for the code again, then starts the same accessory', async () => {
    const view = failed({ code: 'interrupted', message: 'Porchlight stopped during setup.', action: 'retry' }, { accessory: { name: 'Porch Sensor', address: '192.168.1.60:80', deviceId: 'ab12cd' }, category: 'on-lan' })
    const { bridge } = await renderSetup({ 'setup:current': ok(view), 'setup:start': ok(makeView({ updatedAt: NOW + 100 })) })
    fireEvent.click(screen.getByRole('button', { name: 'Start again' }))
    expect(screen.getByText(/Enter the setup code again to start over/)).toBeTruthy()
    await enterCode('pop-abc')
    expect(lastPayload(bridge, 'setup:start')).toEqual({ target: { kind: 'on-network', host: '192.168.1.60', port: 80, deviceId: 'ab12cd' }, code: { pop: 'pop-abc' }, category: 'on-lan' })
  })

  it('needs a reset: explains how, then offers to start again', async () => {
    await renderSetup({ 'setup:current': ok(failed({ code: 'needs-reset', message: 'The accessory still holds the previous failed attempt.', action: 'factory-reset' })) })
    expect(screen.getByText(/back into setup mode/)).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Start again' })).toBeTruthy()
  })

  it('manual join timed out: the join instructions and Start again', async () => {
    await renderSetup({ 'setup:current': ok(failed({ code: 'manual-join-timeout', message: 'This computer did not join “PROV_AB12”.', action: 'join-manually' })) })
    expect(screen.getByText(/Open your Wi-Fi menu and join/).textContent).toContain('PROV_AB12')
    expect(screen.getByRole('button', { name: 'Start again' })).toBeTruthy()
  })
})

describe('a confirmed flow', () => {
  const done = makeView({
    step: 'done',
    phase: 'finished',
    outcome: 'confirmed',
    chosenSsid: 'HomeNet',
    confirmed: { deviceId: 'ab12cd', name: 'Porch Sensor', address: '192.168.1.77', interface: 'wlan0' },
    updatedAt: NOW + 80,
  })

  it('shows where it answers, watches it with Monitor connection, and reloads the paired list', async () => {
    const device = makeDevice({ id: 'id-5f3e', name: 'Porch Sensor', services: [makeService({ txt: [{ key: 'id', value: 'AB12CD', hex: '', isText: true }] })] })
    const { bridge, store } = await renderSetupApp({ 'setup:current': ok(done), 'session:watch': ok(makeSession({ id: 's1', label: 'Porch Sensor' })) })
    act(() => store.getState().applyDiscoveryChange({ devices: [device], removed: [], status: makeStatus() }))
    const panel = screen.getByRole('region', { name: /Set up and confirmed: Porch Sensor/ })
    const facts = [...panel.querySelectorAll('dt')].map((dt) => `${dt.textContent}=${dt.nextElementSibling?.textContent}`)
    expect(facts).toEqual(['Name=Porch Sensor', 'Address=192.168.1.77', 'Interface=wlan0', 'Network=HomeNet'])
    expect(announcer()).toBe('Setup finished: the accessory is confirmed.')
    expect(bridge.calls.filter((c) => c === 'trust:list').length).toBeGreaterThanOrEqual(1)
    fireEvent.click(within(panel).getByRole('button', { name: 'Monitor connection' }))
    await settle()
    expect(lastPayload(bridge, 'session:watch')).toEqual({ target: { kind: 'device', deviceId: 'id-5f3e' } })
    expect(store.getState().screen).toBe('monitor')
  })

  it('Set up another forgets the flow and shows the start form', async () => {
    const { bridge } = await renderSetup({ 'setup:current': ok(done), 'setup:dismiss': ok({ dismissed: true }) })
    fireEvent.click(screen.getByRole('button', { name: 'Set up another' }))
    await settle()
    expect(bridge.calls).toContain('setup:dismiss')
    expect(screen.getByRole('button', { name: 'Start setup' })).toBeTruthy()
  })
})
