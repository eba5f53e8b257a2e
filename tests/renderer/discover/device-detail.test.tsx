import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { makeDevice, makePacket, makeService, makeStatus, NOW, renderDiscover, stubListLayout } from './fixtures'

let unstub: () => void = () => undefined
beforeEach(() => {
  // Only the clock and intervals are fake: the TTL ticker runs on setInterval, the rest stays real.
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: NOW })
  unstub = stubListLayout(640)
})
afterEach(() => {
  cleanup()
  unstub()
  vi.useRealTimers()
})

const LAMP = makeDevice({
  id: 'lamp',
  name: 'Porch Lamp',
  vendor: 'Acme',
  model: 'PL-2',
  services: [
    makeService({
      instance: 'Porch Lamp',
      type: '_hap._tcp',
      subtypes: ['_printer'],
      host: 'porch-lamp.local',
      port: 8080,
      txt: [
        { key: 'md', value: 'Porch Lamp 2', hex: '506f726368204c616d702032', isText: true },
        { key: 'blob', value: null, hex: 'deadbeef', isText: false },
        { key: 'flag', value: null, hex: null, isText: true },
      ],
      txtRaw: ['6d643d506f726368204c616d702032', '626c6f623ddeadbeef', '666c6167'],
    }),
  ],
  addresses: [
    { address: '192.168.1.50', family: 'IPv4', interface: 'wlan0', expiresAt: NOW + 120_000 },
    { address: 'fe80::50%eth0', family: 'IPv6', interface: 'eth0', expiresAt: NOW + 3_000 },
    { address: '10.0.0.50', family: 'IPv4', interface: 'eth0' },
  ],
  history: [
    { at: NOW - 60_000, event: 'up', detail: 'answered on wlan0' },
    { at: NOW - 10_000, event: 'down', detail: 'goodbye received on wlan0' },
  ],
})

async function openLamp(replies: Parameters<typeof renderDiscover>[2] = {}) {
  const view = renderDiscover([LAMP], makeStatus(), replies)
  await act(async () => undefined)
  fireEvent.click(within(screen.getByRole('listbox')).getByText('Porch Lamp'))
  return { ...view, detail: screen.getByRole('region', { name: 'Porch Lamp' }) }
}

const ttlOf = (detail: HTMLElement, address: string) =>
  within(detail).getByText(address).closest('tr')?.querySelector('.ttl')?.textContent

describe('device detail', () => {
  it('shows vendor, model and each service with type, subtypes and host:port', async () => {
    const { detail } = await openLamp()
    const d = within(detail)
    expect(d.getByText('Acme')).toBeTruthy()
    expect(d.getByText('PL-2')).toBeTruthy()
    expect(d.getByRole('heading', { level: 4, name: 'Porch Lamp' })).toBeTruthy()
    expect(d.getByText('_hap._tcp.local')).toBeTruthy()
    expect(d.getByText('_printer')).toBeTruthy()
    expect(d.getByText('porch-lamp.local:8080')).toBeTruthy()
  })

  it('decodes TXT: text as text, non-text as hex, a bare key as a flag; raw TXT strings in hex', async () => {
    const { detail } = await openLamp()
    const txt = within(within(detail).getByRole('table', { name: 'TXT keys of Porch Lamp' }))
    const valueOf = (key: string) => txt.getByRole('rowheader', { name: key }).closest('tr')?.querySelector('td')?.textContent
    expect(valueOf('md')).toBe('Porch Lamp 2')
    expect(valueOf('blob')).toBe('de ad be ef (not text, shown as hex)')
    expect(valueOf('flag')).toBe('(flag, no value)')
    const raw = detail.querySelector('.txt-raw') as HTMLElement
    expect(within(raw).getByText('Raw TXT (3 strings, hex)')).toBeTruthy()
    expect([...raw.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '6d 64 3d 50 6f 72 63 68 20 4c 61 6d 70 20 32',
      '62 6c 6f 62 3d de ad be ef',
      '66 6c 61 67',
    ])
  })

  it('lists addresses with their interface and a TTL remaining that counts down every second', async () => {
    const { detail } = await openLamp()
    const table = within(detail).getByRole('table', { name: 'Addresses of Porch Lamp' })
    expect(within(table).getByText('fe80::50%eth0').closest('tr')?.querySelector('td')?.textContent).toBe('eth0')
    expect(ttlOf(detail, '192.168.1.50')).toBe('expires in 2 min 0 s')
    expect(ttlOf(detail, 'fe80::50%eth0')).toBe('expires in 3 s')
    expect(ttlOf(detail, '10.0.0.50')).toBe('TTL unknown')
    act(() => {
      vi.advanceTimersByTime(5_000)
    })
    expect(ttlOf(detail, '192.168.1.50')).toBe('expires in 1 min 55 s')
    expect(ttlOf(detail, 'fe80::50%eth0')).toBe('expired')
  })

  it('shows the up/down history, newest first', async () => {
    const { detail } = await openLamp()
    const items = [...detail.querySelectorAll('.history-list li')].map((li) => li.textContent)
    expect(items).toHaveLength(2)
    expect(items[0]).toMatch(/Down goodbye received on wlan0$/)
    expect(items[1]).toMatch(/Up answered on wlan0$/)
  })

  it('the Close button closes the panel', async () => {
    await openLamp()
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('region', { name: 'Porch Lamp' })).toBeNull()
  })
})

describe('raw packet view', () => {
  const packet = makePacket({
    at: NOW - 5_000,
    interface: 'wlan0',
    from: '192.168.1.50:5353',
    hex: '0000840000000001000000000541424344450000',
    lines: ['Porch\\032Lamp._hap._tcp.local. 4500 IN TXT "md=Porch Lamp 2"', ';; dropped 1 record: bad rdata length'],
  })

  it('loads the packets of this device and shows time, interface, source, decoded lines and a hex dump', async () => {
    const { bridge, detail } = await openLamp({ 'discovery:packets': ok([makePacket({ at: NOW - 9_000, from: 'older' }), packet]) })
    fireEvent.click(within(detail).getByRole('button', { name: 'Show raw packets' }))
    await act(async () => undefined)
    expect(bridge.calls.at(-1)).toBe('discovery:packets')
    expect(bridge.payloads.at(-1)).toEqual({ deviceId: 'lamp' })
    const view = within(screen.getByRole('region', { name: 'Raw packets' }))
    expect(view.getByText('2 packets, newest first.')).toBeTruthy()
    const first = view.getAllByRole('listitem')[0] as HTMLElement
    const item = within(first)
    expect(item.getByText(new Date(NOW - 5_000).toLocaleTimeString())).toBeTruthy()
    expect(item.getByText('wlan0')).toBeTruthy()
    expect(item.getByText('from 192.168.1.50:5353')).toBeTruthy()
    expect(item.getByText('20 bytes')).toBeTruthy()
    expect(item.getByLabelText('Decoded records').textContent).toBe(packet.lines.join('\n'))
    expect(item.getByLabelText('Hex dump').textContent).toBe(
      '0000  00 00 84 00 00 00 00 01  00 00 00 00 05 41 42 43  |.............ABC|\n' +
      '0010  44 45 00 00                                       |DE..|',
    )
  })

  it('says when no packets are kept, and shows the host’s error when loading fails', async () => {
    const { bridge, detail } = await openLamp({ 'discovery:packets': ok([]) })
    fireEvent.click(within(detail).getByRole('button', { name: 'Show raw packets' }))
    await act(async () => undefined)
    expect(screen.getByText(/No packets are kept for this device yet/)).toBeTruthy()
    bridge.replies['discovery:packets'] = fail({ code: 'unavailable', message: 'Discovery is not running.' })
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }))
    await act(async () => undefined)
    expect(screen.getByRole('alert').textContent).toBe('Could not load packets: Discovery is not running.')
  })
})
