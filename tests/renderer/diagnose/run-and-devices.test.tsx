/**
 * Running the checks: the progress of a run in flight (bar and live region, from `diagnose:progressed`), how a
 * run ends or fails, and the device drill-down: picking a discovered device, the request it sends, the
 * device's checks, link figures and chart; and opening Diagnose for a device from Discover.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { makeDevice, makeStatus, renderDiscover, stubListLayout } from '../discover/fixtures'
import { holdChannel, makeDeviceReport, makeLink, makeReport, renderDiagnose } from './fixtures'

afterEach(cleanup)

const LAMP = makeDevice({ id: 'lamp', name: 'Porch Lamp' })
const PLUG = makeDevice({ id: 'plug', name: 'Attic Plug', status: 'down' })

const liveText = () => document.querySelector('.diagnose-progress-text') as HTMLElement
const runButton = () => screen.getByRole('button', { name: /^Run checks/ })

describe('a run in flight', () => {
  it('shows each step from diagnose:progressed in a polite live region and a progress bar, then how it ended', async () => {
    const { bridge } = renderDiagnose()
    const answer = holdChannel(bridge, 'diagnose:run')
    expect(liveText().getAttribute('aria-live')).toBe('polite')
    expect(liveText().textContent).toBe('')
    fireEvent.click(runButton())
    expect(bridge.calls.at(-1)).toBe('diagnose:run')
    expect(bridge.payloads.at(-1)).toEqual({})
    expect(runButton()).toHaveProperty('disabled', true)
    expect(liveText().textContent).toBe('Starting the checks…')

    act(() => bridge.emit('diagnose:progressed', { step: 'Multicast and broadcast on each interface', done: 2, total: 7 }))
    expect(liveText().textContent).toBe('Multicast and broadcast on each interface… step 3 of 7')
    const bar = screen.getByRole('progressbar', { name: 'Checks done' })
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['2', '7'])
    act(() => bridge.emit('diagnose:progressed', { step: 'Done', done: 7, total: 7 }))
    expect(liveText().textContent).toBe('Finishing the report…')

    await act(async () => answer(ok(makeReport())))
    expect(screen.queryByRole('progressbar')).toBeNull()
    expect(liveText().textContent).toBe('Checks finished. Fail: 1 failed, 1 warning, 3 passed, 1 skipped.')
    expect(runButton().textContent).toBe('Run checks again')
    expect(runButton()).toHaveProperty('disabled', false)
  })

  it('ignores progress when no run of this window is in flight', async () => {
    const { bridge, store } = renderDiagnose()
    act(() => bridge.emit('diagnose:progressed', { step: 'Stray', done: 1, total: 3 }))
    expect(store.getState().diagnoseProgress).toBeNull()
    expect(liveText().textContent).toBe('')
  })

  it('says why a run failed, keeps the previous report, and can run again', async () => {
    const { bridge } = renderDiagnose({ 'diagnose:run': ok(makeReport()) })
    fireEvent.click(runButton())
    await act(async () => undefined)
    const message = 'Device plug is not known to discovery (yet); open Discover, wait for it to appear, then try again.'
    bridge.replies['diagnose:run'] = fail({ code: 'not-found', message })
    fireEvent.click(runButton())
    await act(async () => undefined)
    expect(screen.getByRole('alert').textContent).toBe(`Could not run the checks: ${message}`)
    expect(screen.getByRole('region', { name: 'Something needs fixing' })).toBeTruthy()
    expect(runButton()).toHaveProperty('disabled', false)
  })
})

describe('the device drill-down', () => {
  it('lists discovered devices by name as text, and runs with the chosen device id', async () => {
    const { bridge } = renderDiagnose({ 'diagnose:run': ok(makeReport({ devices: [makeDeviceReport()] })) }, [LAMP, PLUG])
    const picker = screen.getByRole('combobox', { name: 'Device to check' })
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['None: this computer only', 'Attic Plug (down)', 'Porch Lamp'])
    fireEvent.change(picker, { target: { value: 'lamp' } })
    fireEvent.click(runButton())
    await act(async () => undefined)
    expect(bridge.calls.filter((c) => c === 'diagnose:run')).toHaveLength(1)
    expect(bridge.payloads[bridge.calls.indexOf('diagnose:run')]).toEqual({ deviceId: 'lamp' })

    const device = within(screen.getByRole('region', { name: 'Porch Lamp' }))
    expect(device.getByText('Warning', { selector: '.panel-header .check-status' }).textContent).toBe('! Warning')
    expect(device.getByRole('heading', { level: 4, name: 'Pass Reachable' })).toBeTruthy()
    expect(device.getAllByText('Move the device closer to the access point.')).toHaveLength(1)
    // Back to this computer only: no device id in the request.
    fireEvent.change(picker, { target: { value: '' } })
    fireEvent.click(runButton())
    await act(async () => undefined)
    expect(bridge.payloads.at(-1)).toEqual({})
  })

  it('shows the link figures and, where jsdom has no canvas, the chart as words', async () => {
    renderDiagnose({ 'diagnose:run': ok(makeReport({ devices: [makeDeviceReport()] })) }, [LAMP])
    fireEvent.click(runButton())
    await act(async () => undefined)
    const link = within(screen.getByRole('region', { name: 'Link quality' }))
    expect(link.getByText('20 % of probes got no answer.')).toBeTruthy()
    const chart = link.getByRole('img')
    expect(chart.getAttribute('aria-label')).toBe('Round-trip time over 2.3 s: median 4 ms, 95th percentile 42 ms, max 42 ms, 20 % (2 of 10 probes) lost')
    expect(chart.querySelector('.link-chart-text')?.textContent).toBe(chart.getAttribute('aria-label'))
    const figures = Object.fromEntries([...(document.querySelector('.link-figures') as HTMLElement).querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]))
    expect(figures).toEqual({
      'Measured by': 'TCP connect to 192.168.1.50:8080 every 250 ms',
      Lost: '20 % (2 of 10 probes)',
      'Round trip, median': '4 ms',
      'Round trip, 95th percentile': '42 ms',
      'Fastest and slowest': '3 ms to 42 ms',
      Jitter: '6.5 ms',
      'Longest gap': '0.8 s',
      Spikes: '1',
      'Repeating pattern': 'About every 1 min 42 s: Looks like the Wi-Fi scanning for other networks every 102 s.',
    })
  })

  it('says when the link was not measured, and when nothing answered', async () => {
    const silent = makeDeviceReport({ deviceId: 'plug', name: 'Attic Plug', status: 'fail', link: null })
    const deaf = makeDeviceReport({ link: makeLink({ samples: [{ at: 0, rttMs: null }, { at: 1000, rttMs: null }], rtt: null, jitterMs: null, lossPct: 100, periodic: null }) })
    renderDiagnose({ 'diagnose:run': ok(makeReport({ devices: [silent, deaf] })) })
    fireEvent.click(runButton())
    await act(async () => undefined)
    expect(within(screen.getByRole('region', { name: 'Attic Plug' })).getByText(/Link quality was not measured in this run/)).toBeTruthy()
    const lamp = within(screen.getByRole('region', { name: 'Porch Lamp' }))
    expect(lamp.getByRole('img').getAttribute('aria-label')).toBe('Round-trip time over 1 s: no replies, 100 % (2 of 2 probes) lost')
    expect(lamp.getAllByText('No replies')).toHaveLength(3)
    expect(lamp.getByText('None found')).toBeTruthy()
  })

  it('offers to look for devices when discovery has not run, and keeps a chosen device Discover no longer lists', async () => {
    const { bridge, store } = renderDiagnose({ 'discovery:snapshot': ok({ status: makeStatus(), devices: [LAMP] }) })
    fireEvent.click(screen.getByRole('button', { name: 'Look for devices' }))
    await act(async () => undefined)
    expect(bridge.calls).toContain('discovery:snapshot')
    expect(within(screen.getByRole('combobox', { name: 'Device to check' })).getByRole('option', { name: 'Porch Lamp' })).toBeTruthy()
    act(() => store.getState().setDiagnoseDevice('gone'))
    expect((screen.getByRole('combobox', { name: 'Device to check' }) as HTMLSelectElement).value).toBe('gone')
    expect(screen.getByRole('option', { name: 'gone (not listed by Discover now)' })).toBeTruthy()
  })
})

describe('opening Diagnose for a device from elsewhere', () => {
  let unstub: () => void = () => undefined
  beforeEach(() => {
    unstub = stubListLayout(640)
    window.location.hash = '#/discover'
  })
  afterEach(() => unstub())

  it('the Diagnose button in the device detail chooses the device, opens Diagnose and runs its checks', async () => {
    const { bridge, store } = renderDiscover([LAMP], undefined, { 'diagnose:run': ok(makeReport({ devices: [makeDeviceReport()] })) })
    await act(async () => undefined)
    fireEvent.click(within(screen.getByRole('listbox')).getByText('Porch Lamp'))
    const detail = screen.getByRole('region', { name: 'Porch Lamp' })
    const button = within(detail).getByRole('button', { name: 'Diagnose' })
    expect(button.getAttribute('aria-describedby')).toBe('device-detail-title')
    expect(within(detail).getByRole('button', { name: 'Monitor connection' })).toBeTruthy()
    fireEvent.click(button)
    await act(async () => undefined)
    expect(bridge.calls.at(-1)).toBe('diagnose:run')
    expect(bridge.payloads.at(-1)).toEqual({ deviceId: 'lamp' })
    expect(store.getState().screen).toBe('diagnose')
    expect(window.location.hash).toBe('#/diagnose')
    expect(store.getState().diagnoseDeviceId).toBe('lamp')
    expect(store.getState().diagnoseReport?.devices[0]?.name).toBe('Porch Lamp')
  })

  it('the store action diagnoseDevice(id) does the same for any screen', async () => {
    const { bridge, store } = renderDiagnose({ 'diagnose:run': ok(makeReport()) })
    store.getState().navigate('monitor')
    await act(() => store.getState().diagnoseDevice('plug'))
    expect(store.getState().screen).toBe('diagnose')
    expect(bridge.payloads.at(-1)).toEqual({ deviceId: 'plug' })
  })
})
