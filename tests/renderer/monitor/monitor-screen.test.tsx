import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import type { SessionState, TimelineEntry } from '../../../shared/session/view'
import { makeSession, makeStats, NOW, renderMonitor } from './fixtures'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: NOW })
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const IMG = '<img src=x onerror=window.__xss=1>'

declare global {
  interface Window {
    __xss?: number
  }
}

async function shown(sessions: Parameters<typeof renderMonitor>[0], replies: Parameters<typeof renderMonitor>[1] = {}) {
  const view = renderMonitor(sessions, replies)
  await act(async () => undefined)
  return view
}

const card = (name: string) => screen.getByRole('region', { name })
const fact = (region: HTMLElement, term: string) => within(region).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent

describe('a watched session', () => {
  it('renders a hostile label, cause and timeline detail as inert text', async () => {
    delete window.__xss
    const hostile = makeSession({
      id: 'evil',
      label: IMG,
      cause: `<b>${IMG}</b>`,
      timeline: [{ at: NOW - 5000, kind: 'stalled', detail: IMG }],
    })
    const { container } = await shown([hostile])
    const region = card(IMG)
    expect(within(region).getByRole('heading', { level: 2 }).textContent).toBe(IMG)
    expect(within(region).getByText(`<b>${IMG}</b>`).className).toBe('session-cause')
    expect(container.querySelector('img, b, script, [onerror]')).toBeNull()
    expect(window.__xss).toBeUndefined()
    expect(container.innerHTML).toContain('&lt;img src=x onerror=window.__xss=1&gt;')
  })

  it.each([
    ['connecting', 'Connecting'],
    ['connected', 'Connected'],
    ['stalled', 'Stalled'],
    ['reconnecting', 'Reconnecting'],
    ['offline', 'Offline'],
  ] as const)('shows state %s as a badge that says %s', async (state: SessionState, text) => {
    await shown([makeSession({ id: 'a', label: 'Porch Lamp', state })])
    const badge = card('Porch Lamp').querySelector('.session-state')
    expect(badge?.textContent).toBe(text)
    expect(badge?.classList.contains(`session-${state}`)).toBe(true)
  })

  it('shows protocol, address with interface, last RTT, loss, stalls, reconnects, longest gap and time in state', async () => {
    await shown([makeSession({ id: 'a', label: 'Porch Lamp', stats: makeStats({ heartbeatsSent: 200, missed: 3, stalls: 1, reconnects: 2, longestGapMs: 2400 }) })])
    const region = card('Porch Lamp')
    expect(within(region).getByText('Heartbeats are answered.')).toBeTruthy()
    expect(fact(region, 'Protocol')).toBe('Lab control heartbeat, every 1 s')
    expect(fact(region, 'Address')).toBe('192.168.1.50:7000 on wlan0')
    expect(fact(region, 'Last RTT')).toBe('3 ms')
    expect(fact(region, 'Lost heartbeats')).toBe('1.5 % (3 of 200)')
    expect(fact(region, 'Stalls')).toBe('1')
    expect(fact(region, 'Reconnects')).toBe('2')
    expect(fact(region, 'Longest gap')).toBe('2.4 s')
    expect(fact(region, 'In this state')).toBe('For 1 min 30 s')
    act(() => {
      vi.advanceTimersByTime(5000)
    })
    expect(fact(region, 'In this state')).toBe('For 1 min 35 s')
  })

  it('brackets IPv6, says when it is not connected, and when the next attempt is due', async () => {
    await shown([
      makeSession({ id: 'a', label: 'Six', remote: { address: 'fe80::1%en0', port: 80, family: 6 } }),
      makeSession({ id: 'b', label: 'Gone', state: 'offline', remote: null, lastRttMs: null, nextAttemptAt: NOW + 4000, stats: makeStats({ heartbeatsSent: 0, missed: 0 }) }),
    ])
    expect(fact(card('Six'), 'Address')).toBe('[fe80::1%en0]:80')
    const gone = card('Gone')
    expect(fact(gone, 'Address')).toBe('Not connected')
    expect(fact(gone, 'Last RTT')).toBe('No reply yet')
    expect(fact(gone, 'Lost heartbeats')).toBe('No heartbeats sent yet')
    expect(fact(gone, 'Next attempt')).toBe('In 4 s')
    expect(within(card('Six')).queryByText('Next attempt')).toBeNull()
  })

  it('names its RTT sparkline with a summary: median, max and missed over the window', async () => {
    const samples = Array.from({ length: 300 }, (_, i) => ({ at: NOW - (300 - i) * 1000, rttMs: i === 10 || i === 20 ? null : i === 50 ? 40 : 3 }))
    const { bridge } = await shown([makeSession({ id: 'a', label: 'Porch Lamp', samples })])
    expect(within(card('Porch Lamp')).getByRole('img').getAttribute('aria-label')).toBe('RTT last 5 min: median 3 ms, max 40 ms, 2 missed')
    act(() => bridge.emit('session:changed', { kind: 'sample', id: 'a', sample: { at: NOW, rttMs: 55 }, stats: makeStats() }))
    expect(within(card('Porch Lamp')).getByRole('img').getAttribute('aria-label')).toBe('RTT last 5 min: median 3 ms, max 55 ms, 2 missed')
    expect(fact(card('Porch Lamp'), 'Last RTT')).toBe('55 ms')
  })

  it('follows session:changed: a new state shows at once, a removed session disappears', async () => {
    const { bridge } = await shown([makeSession({ id: 'a', label: 'Porch Lamp' })])
    act(() => bridge.emit('session:changed', { kind: 'updated', session: makeSession({ id: 'a', label: 'Porch Lamp', state: 'reconnecting', cause: 'Connection reset by the accessory.' }) }))
    expect(card('Porch Lamp').querySelector('.session-state')?.textContent).toBe('Reconnecting')
    expect(within(card('Porch Lamp')).getByText('Connection reset by the accessory.')).toBeTruthy()
    act(() => bridge.emit('session:changed', { kind: 'removed', id: 'a' }))
    expect(screen.queryByRole('region', { name: 'Porch Lamp' })).toBeNull()
    expect(screen.getByRole('region', { name: 'No connections watched yet' })).toBeTruthy()
  })
})

describe('the timeline', () => {
  const timeline: TimelineEntry[] = [
    { at: NOW - 60_000, kind: 'connected', detail: 'Connected to 192.168.1.50:7000' },
    { at: NOW - 30_000, kind: 'stalled', detail: 'No reply to 3 heartbeats' },
    { at: NOW - 27_600, kind: 'recovered', detail: 'Replies resumed', gapMs: 2400 },
    { at: NOW - 10_000, kind: 'offline', detail: 'Host unreachable' },
    { at: NOW - 1_000, kind: 'connected', detail: 'Reconnected', gapMs: 14_200 },
  ]

  it('lists entries newest first, with kind, detail and the gap in words', async () => {
    await shown([makeSession({ id: 'a', label: 'Porch Lamp', timeline })])
    const list = within(card('Porch Lamp')).getByRole('list', { name: 'Gaps and reconnects' })
    const items = within(list).getAllByRole('listitem')
    expect(items.map((li) => li.querySelector('.badge')?.textContent)).toEqual(['Connected', 'Offline', 'Recovered', 'Stalled', 'Connected'])
    expect(items[2]?.querySelector('.timeline-gap')?.textContent).toBe(' stalled for 2.4 s')
    expect(items[2]?.textContent).toMatch(/Recovered stalled for 2\.4 s — Replies resumed$/)
    expect(items[0]?.querySelector('.timeline-gap')?.textContent).toBe(' unreachable for 14 s')
    expect(items[1]?.querySelector('.timeline-gap')).toBeNull()
    expect(items[4]?.querySelector('time')?.getAttribute('dateTime')).toBe(new Date(NOW - 60_000).toISOString())
  })

  it('says so when there is nothing yet', async () => {
    await shown([makeSession({ id: 'a', label: 'Porch Lamp' })])
    expect(within(card('Porch Lamp')).getByText('No gaps or reconnects yet.')).toBeTruthy()
  })
})

describe('Check now and Stop watching', () => {
  it('Check now asks session:check for that session and shows the fresh view', async () => {
    const a = makeSession({ id: 'a', label: 'Porch Lamp' })
    const { bridge } = await shown([a, makeSession({ id: 'b', label: 'Garage' })], { 'session:check': ok({ ...a, lastRttMs: 17 }) })
    fireEvent.click(within(card('Porch Lamp')).getByRole('button', { name: 'Check now' }))
    await act(async () => undefined)
    expect(bridge.calls.at(-1)).toBe('session:check')
    expect(bridge.payloads.at(-1)).toEqual({ id: 'a' })
    expect(fact(card('Porch Lamp'), 'Last RTT')).toBe('17 ms')
  })

  it('Stop watching asks session:unwatch and removes the card; a failure is shown on the card', async () => {
    const { bridge } = await shown(
      [makeSession({ id: 'a', label: 'Porch Lamp' }), makeSession({ id: 'b', label: 'Garage' })],
      { 'session:unwatch': ok({ removed: true }) },
    )
    fireEvent.click(within(card('Porch Lamp')).getByRole('button', { name: 'Stop watching' }))
    await act(async () => undefined)
    expect(bridge.calls.at(-1)).toBe('session:unwatch')
    expect(bridge.payloads.at(-1)).toEqual({ id: 'a' })
    expect(screen.queryByRole('region', { name: 'Porch Lamp' })).toBeNull()
    bridge.replies['session:unwatch'] = fail({ code: 'internal', message: 'Could not close the connection. Try again.' })
    fireEvent.click(within(card('Garage')).getByRole('button', { name: 'Stop watching' }))
    await act(async () => undefined)
    expect(within(card('Garage')).getByRole('alert').textContent).toBe('Could not close the connection. Try again.')
  })

  it('the buttons are described by the session name, so a list of them can be told apart', async () => {
    await shown([makeSession({ id: 'a', label: 'Porch Lamp' })])
    const button = within(card('Porch Lamp')).getByRole('button', { name: 'Check now' })
    expect(document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Porch Lamp')
  })
})

describe('empty and failed', () => {
  it('with nothing watched, explains monitoring and points to Discover', async () => {
    const { bridge } = await shown([])
    expect(bridge.calls).toEqual(['session:list'])
    const region = screen.getByRole('region', { name: 'No connections watched yet' })
    expect(region.textContent).toMatch(/heartbeat/)
    expect(region.textContent).toMatch(/open it in Discover and choose Monitor connection/)
    expect(within(region).getByRole('link', { name: 'Find an accessory in Discover' }).getAttribute('href')).toBe('#/discover')
    expect(screen.getByRole('form', { name: 'Watch an address' })).toBeTruthy()
  })

  it('shows the host’s message when the list fails, and Try again asks again', async () => {
    const message = 'Monitoring is not available in this host. Restart Porchlight.'
    const { bridge } = await shown([], { 'session:list': fail({ code: 'unavailable', message }) })
    const region = screen.getByRole('region', { name: 'Could not load watched connections' })
    expect(within(region).getByText(message)).toBeTruthy()
    bridge.replies['session:list'] = ok([makeSession({ id: 'a', label: 'Porch Lamp' })])
    fireEvent.click(within(region).getByRole('button', { name: 'Try again' }))
    await act(async () => undefined)
    expect(bridge.calls).toEqual(['session:list', 'session:list'])
    expect(card('Porch Lamp')).toBeTruthy()
  })
})
