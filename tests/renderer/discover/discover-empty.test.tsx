import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { EMPTY_REFRESH_MS, SEARCH_GRACE_MS } from '../../../renderer/features/discover/discover-empty'
import { makeStatus, renderDiscover } from './fixtures'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const flush = () => act(async () => undefined)

describe('Discover with no devices', () => {
  it('after the first seconds says nothing was found and lists what was tried, with a link to Diagnose', async () => {
    renderDiscover([], makeStatus({
      interfaces: [
        { name: 'wlan0', kind: 'wifi', families: ['IPv4', 'IPv6'], state: 'active', reason: '' },
        { name: 'utun3', kind: 'tunnel', families: ['IPv4'], state: 'skipped', reason: 'VPN tunnel: rarely carries multicast' },
        { name: 'eth1', kind: 'ethernet', families: ['IPv4'], state: 'error', reason: 'Could not join 224.0.0.251: address in use' },
      ],
      queriesSent: 12,
      packetsReceived: 3,
      packetsIgnored: 2,
    }))
    const region = await screen.findByRole('region', { name: 'No accessories found' })
    const r = within(region)
    expect(r.getByText('Searched 1 interface.')).toBeTruthy()
    const row = (name: string) => (r.getByText(name, { selector: '.if-name' }).closest('li') as HTMLElement).textContent
    expect(row('wlan0')).toBe('wlan0 (wifi, IPv4 and IPv6) Searched')
    expect(row('utun3')).toBe('utun3 (tunnel, IPv4) Skipped — VPN tunnel: rarely carries multicast')
    expect(row('eth1')).toBe('eth1 (ethernet, IPv4) Failed — Could not join 224.0.0.251: address in use')
    expect(region.textContent).toContain('Browsed 2 service types: _hap._tcp, _matter._tcp.')
    expect(region.textContent).toContain('Sent 12 queries and received 3 packets (2 ignored before decoding).')
    expect(r.getByRole('link', { name: /Diagnose/ }).getAttribute('href')).toBe('#/diagnose')
    expect(r.getByText(/client isolation/)).toBeTruthy()
    expect(screen.queryByRole('listbox')).toBeNull()
  })

  it('in the first seconds after startedAt says it is still searching, then that nothing was found', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    renderDiscover([], makeStatus({}, 1_000))
    await flush()
    expect(screen.getByRole('region', { name: 'Searching your networks…' })).toBeTruthy()
    expect(screen.queryByText(/client isolation/)).toBeNull()
    act(() => {
      vi.advanceTimersByTime(SEARCH_GRACE_MS)
    })
    expect(screen.getByRole('region', { name: 'No accessories found' })).toBeTruthy()
  })

  it('refreshes the counters while empty, since the engine sends no event when only they change', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] })
    const { bridge } = renderDiscover([], makeStatus({ queriesSent: 0, packetsReceived: 0 }))
    await flush()
    expect(screen.getByText(/Sent 0 queries and received 0 packets/)).toBeTruthy()
    bridge.replies['discovery:snapshot'] = ok({ status: makeStatus({ queriesSent: 30, packetsReceived: 4 }), devices: [] })
    act(() => {
      vi.advanceTimersByTime(EMPTY_REFRESH_MS)
    })
    await flush()
    expect(screen.getByText(/Sent 30 queries and received 4 packets/)).toBeTruthy()
  })

  it('shows problems and explains a shared port 5353', async () => {
    renderDiscover([], makeStatus({ ownsPort: false, problems: ['IPv6 multicast is disabled on this computer.'] }))
    const region = await screen.findByRole('region', { name: 'No accessories found' })
    expect(within(region).getByRole('heading', { name: 'Problems' })).toBeTruthy()
    expect(within(region).getByText('IPv6 multicast is disabled on this computer.')).toBeTruthy()
    expect(within(region).getByText(/Another mDNS program on this computer .* also uses port 5353/)).toBeTruthy()
  })

  it('does not mention port 5353 when Porchlight owns it', async () => {
    renderDiscover([], makeStatus({ ownsPort: true }))
    const region = await screen.findByRole('region', { name: 'No accessories found' })
    expect(region.textContent).not.toContain('5353')
  })

  it('says when discovery is not running and when no interface could be searched', async () => {
    renderDiscover([], makeStatus({ running: false, startedAt: null, interfaces: [], problems: ['Port 5353 could not be opened.'] }))
    const region = await screen.findByRole('region', { name: 'Discovery is not running' })
    expect(within(region).getByText('No interface could be searched.')).toBeTruthy()
    expect(within(region).getByText('Port 5353 could not be opened.')).toBeTruthy()
  })

  it('Search again restarts discovery and reloads the snapshot', async () => {
    const { bridge } = renderDiscover([], makeStatus(), { 'discovery:restart': ok(makeStatus({ queriesSent: 0 })) })
    await screen.findByRole('region', { name: 'No accessories found' })
    fireEvent.click(screen.getByRole('button', { name: 'Search again' }))
    await flush()
    expect(bridge.calls).toEqual(['discovery:snapshot', 'discovery:restart', 'discovery:snapshot'])
  })

  it('when the snapshot fails, shows the host’s message with Try again and a way to Diagnose', async () => {
    const { bridge } = renderDiscover([], makeStatus(), { 'discovery:snapshot': fail({ code: 'unavailable', message: 'Port 5353 is in use. Quit other mDNS tools and try again.' }) })
    const region = await screen.findByRole('region', { name: 'Could not start discovery' })
    expect(within(region).getByText('Port 5353 is in use. Quit other mDNS tools and try again.')).toBeTruthy()
    expect(within(region).getByRole('link', { name: /Diagnose/ }).getAttribute('href')).toBe('#/diagnose')
    bridge.replies['discovery:snapshot'] = ok({ status: makeStatus(), devices: [] })
    fireEvent.click(within(region).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('region', { name: 'No accessories found' })).toBeTruthy()
  })
})

describe('tunnel and peer-to-peer toggle', () => {
  it('is visible, off by default, and says why those interfaces are skipped', async () => {
    renderDiscover([])
    const box = await screen.findByRole('group', { name: 'Interfaces searched' })
    const tunnels = within(box).getByRole('checkbox', { name: 'Include VPN and tunnel interfaces' }) as HTMLInputElement
    const p2p = within(box).getByRole('checkbox', { name: 'Include peer-to-peer links' }) as HTMLInputElement
    expect(tunnels.checked).toBe(false)
    expect(p2p.checked).toBe(false)
    expect(within(box).getByText(/Skipped by default: VPN tunnels rarely carry multicast/)).toBeTruthy()
    expect(within(box).getByText('Skipped now: utun3 (tunnel).')).toBeTruthy()
  })

  it('turning one on calls discovery:setOptions with just that option and shows the new state', async () => {
    const on = makeStatus({ options: { includeTunnels: true, includePeerToPeer: false } })
    const { bridge } = renderDiscover([], makeStatus(), { 'discovery:setOptions': ok(on) })
    const box = await screen.findByRole('group', { name: 'Interfaces searched' })
    const tunnels = () => within(box).getByRole('checkbox', { name: 'Include VPN and tunnel interfaces' }) as HTMLInputElement
    fireEvent.click(tunnels())
    expect(tunnels().checked).toBe(true)
    expect(tunnels().disabled).toBe(true)
    await flush()
    expect(tunnels().disabled).toBe(false)
    expect(bridge.calls.at(-1)).toBe('discovery:setOptions')
    expect(bridge.payloads.at(-1)).toEqual({ includeTunnels: true })
    expect((within(box).getByRole('checkbox', { name: 'Include VPN and tunnel interfaces' }) as HTMLInputElement).checked).toBe(true)
  })

  it('shows the host’s message when the change is refused, and leaves the switch as it was', async () => {
    const { bridge } = renderDiscover([], makeStatus(), { 'discovery:setOptions': fail({ code: 'internal', message: 'Could not open sockets on utun3.' }) })
    const box = await screen.findByRole('group', { name: 'Interfaces searched' })
    fireEvent.click(within(box).getByRole('checkbox', { name: 'Include peer-to-peer links' }))
    await flush()
    expect(bridge.payloads.at(-1)).toEqual({ includePeerToPeer: true })
    expect(within(box).getByRole('alert').textContent).toBe('Could not open sockets on utun3.')
    expect((within(box).getByRole('checkbox', { name: 'Include peer-to-peer links' }) as HTMLInputElement).checked).toBe(false)
  })
})
