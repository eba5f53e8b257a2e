/**
 * The manual-join waiter on a fake clock: it notices the SSID when the OS shows it, falls back to the
 * caller's check when the OS hides it or there is no adapter, never overlaps or spins, and stops on abort.
 */
import { describe, expect, it } from 'vitest'
import { waitForManualJoin } from '../../../main/wifi/manual-join'
import type { CurrentWifi, WifiResult } from '../../../main/wifi/port'
import { createFakeClock } from '../../helpers/fake-clock'

const AP = 'PROV_A1B2C3'
const flush = () => new Promise((resolve) => setImmediate(resolve))

function wifiShowing(seq: (() => WifiResult<CurrentWifi | null>)[]) {
  let calls = 0
  return { current: async () => seq[Math.min(calls++, seq.length - 1)]?.() ?? { ok: true as const, value: null }, calls: () => calls }
}
const on = (ssid: string) => () => ({ ok: true as const, value: { ssid, interfaceName: 'wlan0' } })
const hidden = () => ({ ok: false as const, error: { code: 'not-permitted' as const, message: 'hidden' } })

describe('waitForManualJoin', () => {
  it('resolves when the OS reports the SSID, polling once per interval', async () => {
    const clock = createFakeClock()
    const wifi = wifiShowing([on('Home'), on('Home'), on(AP)])
    let result: unknown
    void waitForManualJoin({ ssid: AP, wifi, clock, pollMs: 1000 }).then((r) => (result = r))
    await flush()
    expect(wifi.calls()).toBe(1)
    await clock.advance(999)
    expect(wifi.calls()).toBe(1) // no busy loop between looks
    await clock.advance(1)
    await clock.advance(1000)
    expect(result).toEqual({ ok: true, value: { via: 'ssid', current: { ssid: AP, interfaceName: 'wlan0' } } })
    expect(wifi.calls()).toBe(3)
    expect(clock.pendingTimers()).toBe(0)
  })

  it('does not consult the fallback while the OS names another network', async () => {
    const clock = createFakeClock()
    let checks = 0
    const isOnAccessoryNetwork = async () => (checks++, true)
    let result: unknown
    void waitForManualJoin({ ssid: AP, wifi: wifiShowing([on('Home')]), isOnAccessoryNetwork, clock, pollMs: 500, timeoutMs: 2000 }).then((r) => (result = r))
    for (let i = 0; i < 10; i++) await clock.advance(500)
    expect(checks).toBe(0)
    expect(result).toMatchObject({ ok: false, error: { code: 'manual-join-timeout', afterMs: 2000, message: expect.stringContaining(AP) } })
  })

  it('uses the caller check when the OS hides the SSID, and when there is no adapter at all', async () => {
    const clock = createFakeClock()
    let answer = false
    const isOnAccessoryNetwork = async () => answer
    let result: unknown
    void waitForManualJoin({ ssid: AP, wifi: wifiShowing([hidden]), isOnAccessoryNetwork, clock, pollMs: 500 }).then((r) => (result = r))
    await clock.advance(1500)
    expect(result).toBeUndefined()
    answer = true
    await clock.advance(500)
    expect(result).toEqual({ ok: true, value: { via: 'check' } })
    const bare = await waitForManualJoin({ ssid: AP, isOnAccessoryNetwork: async () => true, clock })
    expect(bare).toEqual({ ok: true, value: { via: 'check' } })
  })

  it('treats throwing probes as "not yet"', async () => {
    const clock = createFakeClock()
    let n = 0
    const wifi = { current: async (): Promise<WifiResult<CurrentWifi | null>> => { if (n++ < 1) throw new Error('boom'); return on(AP)() } }
    let result: unknown
    void waitForManualJoin({ ssid: AP, wifi, isOnAccessoryNetwork: () => Promise.reject(new Error('no')), clock, pollMs: 100 }).then((r) => (result = r))
    for (let i = 0; i < 5 && clock.pendingTimers() === 0; i++) await flush()
    await clock.advance(100)
    expect(result).toMatchObject({ ok: true, value: { via: 'ssid' } })
  })

  it('stops at once on abort, clearing its timer', async () => {
    const clock = createFakeClock()
    const controller = new AbortController()
    let result: unknown
    void waitForManualJoin({ ssid: AP, wifi: wifiShowing([on('Home')]), clock, signal: controller.signal, pollMs: 60_000 }).then((r) => (result = r))
    await flush()
    expect(clock.pendingTimers()).toBe(1)
    controller.abort()
    await flush()
    expect(result).toMatchObject({ ok: false, error: { code: 'aborted' } })
    expect(clock.pendingTimers()).toBe(0)
    const already = await waitForManualJoin({ ssid: AP, clock, signal: AbortSignal.abort() })
    expect(already).toMatchObject({ ok: false, error: { code: 'aborted' } })
  })
})
