import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeSession, makeStats, NOW, renderAppWithSessions } from './fixtures'

const LAMP = makeSession({ id: 'a', label: 'Porch Lamp' })

beforeEach(() => {
  window.location.hash = '#/discover'
})
afterEach(cleanup)

const notices = () => screen.queryAllByRole('alert').filter((el) => el.classList.contains('stale-alert'))

describe('stale connection notices in the shell', () => {
  it('appear on any screen when a connected session stalls, saying which device and why', async () => {
    const { bridge, notices: system } = await renderAppWithSessions([LAMP], 'diagnose')
    expect(notices()).toHaveLength(0)
    act(() => bridge.emit('session:changed', { kind: 'updated', session: { ...LAMP, state: 'stalled', since: NOW, cause: 'No reply to the last 3 heartbeats.' } }))
    const [notice] = notices()
    expect(notice?.querySelector('.stale-alert-label')?.textContent).toBe('Porch Lamp')
    expect(notice?.textContent).toMatch(/Porch Lamp stopped answering/)
    expect(notice?.textContent).toMatch(/No reply to the last 3 heartbeats\./)
    expect(system.map((n) => n.title)).toEqual(['Porch Lamp stopped answering'])
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Diagnose')
  })

  it('do not appear for a heartbeat sample, even a missed one', async () => {
    const { bridge, notices: system } = await renderAppWithSessions([LAMP])
    act(() => bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: { at: NOW, rttMs: null }, stats: makeStats() }))
    expect(notices()).toHaveLength(0)
    expect(system).toEqual([])
  })

  it('say offline for a connected session that went offline', async () => {
    const { bridge } = await renderAppWithSessions([LAMP])
    act(() => bridge.emit('session:changed', { kind: 'updated', session: { ...LAMP, state: 'offline', since: NOW, cause: 'Host unreachable.' } }))
    expect(notices()[0]?.textContent).toMatch(/Porch Lamp is offline/)
  })

  it('Show opens the Monitor screen and clears the notice; Dismiss just clears it', async () => {
    const garage = makeSession({ id: 'b', label: 'Garage' })
    const { bridge, store } = await renderAppWithSessions([LAMP, garage])
    act(() => {
      bridge.emit('session:changed', { kind: 'updated', session: { ...LAMP, state: 'stalled', since: NOW } })
      bridge.emit('session:changed', { kind: 'updated', session: { ...garage, state: 'stalled', since: NOW } })
    })
    expect(notices()).toHaveLength(2)
    const [lamp, other] = notices() as [HTMLElement, HTMLElement]
    fireEvent.click(within(other).getByRole('button', { name: 'Dismiss' }))
    expect(notices()).toHaveLength(1)
    expect(store.getState().screen).toBe('discover')
    fireEvent.click(within(lamp).getByRole('button', { name: 'Show' }))
    expect(store.getState().screen).toBe('monitor')
    expect(window.location.hash).toBe('#/monitor')
    expect(notices()).toHaveLength(0)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Monitor')
    expect(screen.getByRole('region', { name: 'Porch Lamp' })).toBeTruthy()
  })

  it('render a hostile device name as text', async () => {
    const evil = makeSession({ id: 'e', label: '<img src=x onerror=alert(1)>' })
    const { bridge, container } = await renderAppWithSessions([evil])
    act(() => bridge.emit('session:changed', { kind: 'updated', session: { ...evil, state: 'stalled', since: NOW } }))
    expect(notices()[0]?.querySelector('.stale-alert-label')?.textContent).toBe('<img src=x onerror=alert(1)>')
    expect(container.querySelector('img')).toBeNull()
  })

  it('on the Monitor screen itself, offer only Dismiss', async () => {
    const { bridge } = await renderAppWithSessions([LAMP], 'monitor')
    await act(async () => undefined)
    act(() => bridge.emit('session:changed', { kind: 'updated', session: { ...LAMP, state: 'stalled', since: NOW } }))
    const notice = notices()[0] as HTMLElement
    expect(within(notice).getAllByRole('button').map((b) => b.textContent)).toEqual(['Dismiss'])
  })
})
