import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fail, ok, type Events } from '../../shared/ipc'
import type { Screen } from '../../renderer/features/shell/shell-slice'
import { App } from '../../renderer/app'
import { createAppStore, StoreContext, subscribeToHost } from '../../renderer/store'
import { makeStatus } from './discover/fixtures'
import { APP_INFO, createFakeBridge, ETH0, LO, makeInterface, TUN0, WLAN0, type FakeBridge } from './fake-bridge'

afterEach(cleanup)

function renderApp(options: { bridge?: FakeBridge; screen?: Screen } = {}) {
  const bridge = options.bridge ?? createFakeBridge({
    'net:interfaces': ok([WLAN0, LO, ETH0]),
    'app:info': ok(APP_INFO),
    'discovery:snapshot': ok({ status: makeStatus(), devices: [] }),
  })
  const store = createAppStore(bridge, options.screen ? { screen: options.screen } : {})
  subscribeToHost(store, bridge)
  const view = render(<StoreContext.Provider value={store}><App /></StoreContext.Provider>)
  return { bridge, store, ...view }
}

const mainNav = () => screen.getByRole('navigation', { name: 'Main' })
const navLinks = () => within(mainNav()).getAllByRole('link')
const rowOf = (name: string) => screen.getByText(name, { selector: 'th .if-name' }).closest('tr') as HTMLElement

describe('navigation', () => {
  it('is a landmark named Main with five links, exactly one of them the current page', () => {
    renderApp()
    const links = navLinks()
    expect(links.map((a) => a.querySelector('.nav-label')?.textContent)).toEqual(['Discover', 'Set up', 'Monitor', 'Diagnose', 'Fleet'])
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['#/discover', '#/setup', '#/monitor', '#/diagnose', '#/fleet'])
    const current = links.filter((a) => a.getAttribute('aria-current') === 'page')
    expect(current).toHaveLength(1)
    expect(current[0]?.textContent).toMatch(/^Discover/)
  })

  it('names each link by its label alone; the hint is its description, not read twice', () => {
    renderApp()
    const link = within(mainNav()).getByRole('link', { name: 'Diagnose' })
    expect(link.getAttribute('aria-describedby')).toBe('nav-hint-diagnose')
    expect(document.getElementById('nav-hint-diagnose')?.textContent).toBe('Why a device cannot be seen or reached')
  })

  it('navigating shows the new screen, marks its link current and moves focus to its heading', () => {
    const { store } = renderApp()
    act(() => store.getState().navigate('diagnose'))
    const heading = screen.getByRole('heading', { level: 1 })
    expect(heading.textContent).toBe('Diagnose')
    expect(document.activeElement).toBe(heading)
    expect(document.title).toBe('Diagnose — Porchlight')
    const current = navLinks().filter((a) => a.getAttribute('aria-current') === 'page')
    expect(current.map((a) => a.getAttribute('href'))).toEqual(['#/diagnose'])
  })

  it('Arrow Down/Up, Home and End move focus between the links, wrapping at the ends', () => {
    renderApp()
    const [discover, setup, , , fleet] = navLinks()
    discover?.focus()
    const press = (key: string) => fireEvent.keyDown(document.activeElement as Element, { key })
    expect(press('ArrowDown')).toBe(false)
    expect(document.activeElement).toBe(setup)
    press('ArrowUp')
    expect(document.activeElement).toBe(discover)
    press('ArrowUp')
    expect(document.activeElement).toBe(fleet)
    press('ArrowDown')
    expect(document.activeElement).toBe(discover)
    press('End')
    expect(document.activeElement).toBe(fleet)
    press('Home')
    expect(document.activeElement).toBe(discover)
  })

  it('leaves other keys alone', () => {
    renderApp()
    const [discover] = navLinks()
    discover?.focus()
    expect(fireEvent.keyDown(discover as Element, { key: 'Tab' })).toBe(true)
    expect(document.activeElement).toBe(discover)
  })

  it('the skip link focuses the screen heading without changing the address', () => {
    renderApp({ screen: 'fleet' })
    const hashBefore = window.location.hash
    navLinks()[0]?.focus()
    expect(fireEvent.click(screen.getByRole('link', { name: 'Skip to content' }))).toBe(false)
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Fleet' }))
    expect(window.location.hash).toBe(hashBefore)
  })
})

describe('Diagnose screen', () => {
  it('shows a table row per interface with kind labels, state and addresses', async () => {
    renderApp({ screen: 'diagnose' })
    const table = await screen.findByRole('table')
    expect(within(table).getAllByRole('rowheader').map((th) => th.querySelector('.if-name')?.textContent)).toEqual(['wlan0', 'lo', 'eth0'])
    const wlan = within(rowOf('wlan0'))
    expect(wlan.getByText('Wi-Fi')).toBeTruthy()
    expect(wlan.getByText('aa:bb:cc:dd:ee:ff')).toBeTruthy()
    expect(wlan.getByText('192.168.1.23/24')).toBeTruthy()
    expect(wlan.getByText('fe80::a8bb:ccff:fedd:eeff%3/64')).toBeTruthy()
    expect(wlan.getByText('Up')).toBeTruthy()
    expect(within(rowOf('lo')).getByText('Loopback')).toBeTruthy()
    const eth = within(rowOf('eth0'))
    expect(eth.getByText('Ethernet')).toBeTruthy()
    expect(eth.getByText('Down')).toBeTruthy()
    expect(eth.getByText('None')).toBeTruthy()
    expect(screen.getByText(/^3 interfaces, 1 active with an address/)).toBeTruthy()
  })

  it('adds and removes rows live on net:interfacesChanged and announces the change', async () => {
    const { bridge } = renderApp({ screen: 'diagnose' })
    await screen.findByRole('table')
    expect(screen.getByRole('status').textContent).toBe('')
    act(() => bridge.emit('net:interfacesChanged', { interfaces: [WLAN0, LO, TUN0], added: ['tun0'], removed: ['eth0'], changed: [] }))
    expect(within(rowOf('tun0')).getByText('VPN / tunnel')).toBeTruthy()
    expect(screen.queryByText('eth0', { selector: 'th .if-name' })).toBeNull()
    expect(screen.getByRole('status').textContent).toBe('Interfaces added tun0; removed eth0')
    expect(screen.getByRole('table').querySelectorAll('tbody tr')).toHaveLength(3)
  })

  it('renders an interface name carrying markup as literal text', async () => {
    const payload = '<img src=x onerror=alert(1)>'
    const bridge = createFakeBridge({ 'net:interfaces': ok([makeInterface({ name: payload, kindReason: '<b>bold</b>' })]) })
    const { container } = renderApp({ bridge, screen: 'diagnose' })
    await screen.findByRole('table')
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('b')).toBeNull()
    expect(screen.getByText(payload).className).toBe('if-name')
    act(() => bridge.emit('net:interfacesChanged', { interfaces: [], added: [], removed: [payload], changed: [] }))
    expect(screen.getByRole('status').textContent).toBe(`Interfaces removed ${payload}`)
    expect(container.querySelector('img')).toBeNull()
  })

  it('shows the host’s error and a Try again button that asks again', async () => {
    const message = 'Could not list network interfaces: permission denied. Try again.'
    const bridge = createFakeBridge({ 'net:interfaces': fail({ code: 'internal', message }) })
    renderApp({ bridge, screen: 'diagnose' })
    const region = await screen.findByRole('region', { name: 'Could not read this computer\'s interfaces' })
    expect(within(region).getByText(message)).toBeTruthy()
    expect(screen.queryByRole('table')).toBeNull()
    bridge.replies['net:interfaces'] = ok([LO])
    fireEvent.click(within(region).getByRole('button', { name: 'Try again' }))
    expect(bridge.calls).toEqual(['net:interfaces', 'net:interfaces'])
    expect(within(await screen.findByRole('table')).getByText('127.0.0.1/8')).toBeTruthy()
    expect(screen.queryByText(message)).toBeNull()
  })
})

describe('screens not in this build', () => {
  it.each([
    ['fleet', 'Fleet', 'Batch onboarding is not in this build yet'],
  ] as const)('%s says honestly that it is not built yet', (name, title, emptyTitle) => {
    const { bridge } = renderApp({ screen: name })
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(title)
    const region = screen.getByRole('region', { name: emptyTitle })
    expect(within(region).getByRole('heading', { level: 2 }).textContent).toBe(emptyTitle)
    expect(screen.queryByRole('table')).toBeNull()
    expect(bridge.calls).toEqual([])
  })
})

describe('Discover screen in the app', () => {
  it('opens first, loads the discovery snapshot, and with no devices points to Diagnose', async () => {
    const { bridge } = renderApp()
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Discover')
    const region = await screen.findByRole('region', { name: 'No accessories found' })
    expect(bridge.calls).toEqual(['discovery:snapshot'])
    expect(within(region).getByRole('link', { name: /Diagnose/ }).getAttribute('href')).toBe('#/diagnose')
  })
})

describe('connection banner and footer', () => {
  it('alerts when the token was not accepted or the connection was lost, and not while open', () => {
    const { store } = renderApp()
    expect(screen.queryByRole('alert')).toBeNull()
    act(() => store.getState().setConnection('unauthorized'))
    expect(screen.getByRole('alert').textContent).toMatch(/access token was not accepted/)
    act(() => store.getState().setConnection('closed'))
    expect(screen.getByRole('alert').textContent).toMatch(/connection to Porchlight was lost/)
    act(() => store.getState().setConnection('open'))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('shows the app name, version and host once app:info has answered', async () => {
    const { store, container } = renderApp()
    expect(container.querySelector('.sidebar-footer')).toBeNull()
    await act(() => store.getState().loadAppInfo())
    expect(screen.getByText('Porchlight 0.1.0 · web host · linux')).toBeTruthy()
  })
})

describe('a screen that fails to render', () => {
  it('shows a plain-language alert in place of the screen, keeps navigation, and recovers on the next screen', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const { bridge, store } = renderApp({ screen: 'diagnose' })
      await screen.findByText('wlan0', { selector: 'th .if-name' })
      const broken = { interfaces: null, added: [], removed: [], changed: [] } as unknown as Events['net:interfacesChanged']
      act(() => bridge.emit('net:interfacesChanged', broken))
      expect(screen.getByRole('alert', { name: 'This screen failed' }).textContent).toMatch(/reloading usually fixes it/)
      expect(navLinks()).toHaveLength(5)
      act(() => store.getState().navigate('fleet'))
      expect(screen.queryByRole('alert', { name: 'This screen failed' })).toBeNull()
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Fleet')
    } finally {
      quiet.mockRestore()
    }
  })
})
