import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROW_HEIGHT } from '../../../renderer/features/discover/device-list'
import { makeDevice, makeStatus, manyDevices, renderDiscover, stubListLayout } from './fixtures'

let unstub: () => void = () => undefined
beforeEach(() => {
  unstub = stubListLayout(640)
})
afterEach(() => {
  cleanup()
  unstub()
})

const listbox = () => screen.getByRole('listbox', { name: 'Devices' })
const optionNames = () => within(listbox()).queryAllByRole('option').map((o) => o.querySelector('.device-name')?.textContent)
const active = () => document.getElementById(listbox().getAttribute('aria-activedescendant') ?? '')
const press = (key: string) => fireEvent.keyDown(listbox(), { key })

describe('device list virtualization', () => {
  it('renders a window of rows for 1,000 devices, with the set size and positions for assistive tech', async () => {
    renderDiscover(manyDevices(1000))
    await screen.findByRole('listbox')
    const options = within(listbox()).getAllByRole('option')
    expect(options.length).toBeGreaterThan(5)
    expect(options.length).toBeLessThan(40)
    expect(optionNames()[0]).toBe('Device 0000')
    expect(options[0]?.getAttribute('aria-setsize')).toBe('1000')
    expect(options[0]?.getAttribute('aria-posinset')).toBe('1')
    expect(screen.getByText('1000 of 1000 devices')).toBeTruthy()
  })

  it('scrolling renders later rows and drops the first ones', async () => {
    renderDiscover(manyDevices(1000))
    await screen.findByRole('listbox')
    act(() => {
      listbox().scrollTop = 500 * ROW_HEIGHT
      fireEvent.scroll(listbox())
    })
    const names = optionNames()
    expect(names).toContain('Device 0500')
    expect(names).not.toContain('Device 0000')
    expect(names.length).toBeLessThan(40)
    const row = within(listbox()).getByText('Device 0500').closest('[role="option"]')
    expect(row?.getAttribute('aria-posinset')).toBe('501')
  })

  it('shows name, types, interfaces, address count and up/down state on each row', async () => {
    const device = makeDevice({
      id: 'x',
      name: 'Hall light',
      status: 'down',
      types: ['_hap._tcp', '_http._tcp'],
      interfaces: ['wlan0', 'eth0'],
      addresses: [
        { address: '192.168.1.9', family: 'IPv4', interface: 'wlan0' },
        { address: 'fe80::9%wlan0', family: 'IPv6', interface: 'wlan0' },
      ],
    })
    renderDiscover([device])
    const row = within(await screen.findByRole('listbox')).getByRole('option')
    expect(row.querySelector('.device-name')?.textContent).toBe('Hall light')
    expect(within(row).getByText('Down')).toBeTruthy()
    expect(within(row).getByText('_hap._tcp, _http._tcp · wlan0, eth0 · 2 addresses')).toBeTruthy()
  })
})

describe('device list keyboard', () => {
  it('focus activates the first row; arrows, End and Home move the active row, rendering it', async () => {
    renderDiscover(manyDevices(1000))
    await screen.findByRole('listbox')
    act(() => listbox().focus())
    expect(active()?.querySelector('.device-name')?.textContent).toBe('Device 0000')
    press('ArrowDown')
    press('ArrowDown')
    expect(active()?.querySelector('.device-name')?.textContent).toBe('Device 0002')
    press('ArrowUp')
    expect(active()?.querySelector('.device-name')?.textContent).toBe('Device 0001')
    act(() => void press('End'))
    expect(active()?.querySelector('.device-name')?.textContent).toBe('Device 0999')
    expect(active()?.getAttribute('aria-posinset')).toBe('1000')
    press('ArrowDown')
    expect(active()?.querySelector('.device-name')?.textContent).toBe('Device 0999')
    act(() => void press('Home'))
    expect(active()?.querySelector('.device-name')?.textContent).toBe('Device 0000')
    act(() => void press('PageDown'))
    expect(Number(active()?.getAttribute('aria-posinset'))).toBeGreaterThan(5)
  })

  it('Enter opens the detail of the active row and focuses its heading; Escape closes it and returns to the list', async () => {
    renderDiscover(manyDevices(20))
    await screen.findByRole('listbox')
    act(() => listbox().focus())
    press('ArrowDown')
    expect(press('Enter')).toBe(false)
    const detail = screen.getByRole('region', { name: 'Device 0001' })
    expect(document.activeElement).toBe(within(detail).getByRole('heading', { level: 2 }))
    expect(within(listbox()).getByText('Device 0001').closest('[role="option"]')?.getAttribute('aria-selected')).toBe('true')
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' })
    expect(screen.queryByRole('region', { name: 'Device 0001' })).toBeNull()
    expect(document.activeElement).toBe(listbox())
  })

  it('clicking a row opens it', async () => {
    renderDiscover(manyDevices(5))
    await screen.findByRole('listbox')
    fireEvent.click(within(listbox()).getByText('Device 0003'))
    expect(screen.getByRole('region', { name: 'Device 0003' })).toBeTruthy()
  })

  it('follows discovery:changed live: a new device appears in order, a removed one goes', async () => {
    const { bridge } = renderDiscover([makeDevice({ id: 'a', name: 'Alpha' }), makeDevice({ id: 'c', name: 'Gamma' })])
    await screen.findByRole('listbox')
    act(() => bridge.emit('discovery:changed', { devices: [makeDevice({ id: 'b', name: 'Beta' })], removed: ['c'], status: makeStatus() }))
    expect(optionNames()).toEqual(['Alpha', 'Beta'])
    expect(screen.getByText('2 of 2 devices')).toBeTruthy()
  })

  it('an open device that the engine forgets says so instead of vanishing', async () => {
    const { bridge } = renderDiscover([makeDevice({ id: 'a', name: 'Alpha' }), makeDevice({ id: 'b', name: 'Beta' })])
    await screen.findByRole('listbox')
    fireEvent.click(within(listbox()).getByText('Alpha'))
    act(() => bridge.emit('discovery:changed', { devices: [], removed: ['a'], status: makeStatus() }))
    expect(screen.getByRole('region', { name: 'Device no longer listed' })).toBeTruthy()
  })
})
