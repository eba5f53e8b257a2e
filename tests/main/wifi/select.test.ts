/**
 * Choosing the adapter per OS, and the inert adapter that carries the reason when none can work.
 */
import { describe, expect, it } from 'vitest'
import { createHostWifi, probeHostWifi, unavailableWifi } from '../../../main/wifi/select'
import { createFakeClock } from '../../helpers/fake-clock'
import { fakeRun, fixture, out } from './replay'

describe('createHostWifi', () => {
  it('picks nmcli on Linux when NetworkManager is usable, and the adapter works', async () => {
    const { run, calls } = fakeRun((args) => {
      const cmd = args.slice(2).join(' ')
      if (cmd === '-t -f RUNNING,STATE,WIFI-HW,WIFI general status') return out(fixture('linux/general-status.txt'))
      if (cmd === '-t general permissions') return out(fixture('linux/general-permissions.real.txt'))
      return out(fixture('linux/wifi-list.txt'))
    })
    const { wifi, availability } = await createHostWifi({ platform: 'linux', run, clock: createFakeClock() })
    expect(availability).toEqual({ available: true })
    expect(await wifi.current()).toMatchObject({ ok: true, value: { ssid: 'Home Net' } })
    expect(calls[0]?.slice(0, 3)).toEqual(['env', 'LC_ALL=C.UTF-8', 'nmcli'])
  })

  it('returns an inert adapter with the reason when NetworkManager is not running', async () => {
    const { run } = fakeRun(() => out('', 8, fixture('linux/not-running.stderr.txt')))
    const { wifi, availability } = await createHostWifi({ platform: 'linux', run, clock: createFakeClock() })
    expect(availability).toMatchObject({ available: false, code: 'no-wifi-adapter' })
    for (const result of [await wifi.scan(), await wifi.join('X', undefined), await wifi.rejoin('X'), await wifi.forgetTemporary('X')]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'no-wifi-adapter', message: availability.reason } })
    }
  })

  it('passes a permission refusal through as not-permitted (Windows Location)', async () => {
    const { run } = fakeRun(() => out(fixture('windows/interfaces-location-denied.txt'), 1))
    const { wifi, availability } = await createHostWifi({ platform: 'win32', run, clock: createFakeClock() })
    expect(availability).toMatchObject({ available: false, code: 'not-permitted' })
    expect(await wifi.current()).toMatchObject({ ok: false, error: { code: 'not-permitted' } })
  })

  it('says plainly that other OSes are not supported, without running anything', async () => {
    const { run, calls } = fakeRun(() => out(''))
    expect(await probeHostWifi({ platform: 'freebsd', run, clock: createFakeClock() })).toMatchObject({ available: false, code: 'no-wifi-adapter', reason: expect.stringContaining('freebsd') })
    expect(calls).toEqual([])
  })

  it('never throws from a probe', async () => {
    const run = () => { throw new TypeError('bug') }
    expect(await probeHostWifi({ platform: 'darwin', run, clock: createFakeClock() })).toMatchObject({ available: false })
    expect(await unavailableWifi({ code: 'not-permitted', message: 'm' }).current()).toEqual({ ok: false, error: { code: 'not-permitted', message: 'm' } })
  })
})
