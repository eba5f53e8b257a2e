import { describe, expect, it } from 'vitest'
import { announcedId, confirmOnLan, matchAccessory } from '../../../main/provisioning/confirm'
import { createFakeClock } from '../../helpers/fake-clock'
import { AP, DEVICE_ID, FakeAccessory } from './flow-fakes'

const device = () => new FakeAccessory().device()

describe('which discovered device is the accessory', () => {
  it('a known device id decides alone: same id matches, another device at the reported address does not', () => {
    expect(announcedId(device())).toBe(DEVICE_ID)
    expect(matchAccessory(device(), { deviceId: DEVICE_ID.toUpperCase() })).toMatchObject({ by: 'id', deviceId: DEVICE_ID, address: '198.18.0.77', interfaceName: 'wlan0' })
    const impostor = { ...device(), services: device().services.map((s) => ({ ...s, txt: [{ key: 'id', value: 'ffffffffffff', hex: null, isText: true }] })) }
    expect(matchAccessory(impostor, { deviceId: DEVICE_ID, ip4: '198.18.0.77', serviceName: AP })).toBeUndefined()
  })

  it('without an id, the address it reported and its name must both agree', () => {
    expect(matchAccessory(device(), { ip4: '198.18.0.77', serviceName: AP })).toMatchObject({ by: 'address-and-name', deviceId: DEVICE_ID })
    expect(matchAccessory(device(), { ip4: '198.18.0.78', serviceName: AP })).toBeUndefined()
    expect(matchAccessory(device(), { ip4: '198.18.0.77', serviceName: 'PROV_OTHER' })).toBeUndefined()
    expect(matchAccessory(device(), { serviceName: AP })).toBeUndefined()
  })

  it('with neither id nor address (AP gone before "Connected"), only a device of that name that came up after Apply counts', () => {
    const fresh = { ...device(), firstSeenAt: 5000 }
    expect(matchAccessory(fresh, { serviceName: AP, appearedAfter: 4000 })).toMatchObject({ by: 'name-after-apply', address: '198.18.0.77' })
    expect(matchAccessory(fresh, { serviceName: AP, appearedAfter: 6000 })).toBeUndefined()
    expect(matchAccessory({ ...fresh, history: [{ at: 7000, event: 'up', detail: 'back' }] }, { serviceName: AP, appearedAfter: 6000 })).toMatchObject({ by: 'name-after-apply' })
    expect(matchAccessory(fresh, { serviceName: 'PROV_OTHER', appearedAfter: 4000 })).toBeUndefined()
  })

  it('a device that went down is not confirmation', () => {
    expect(matchAccessory({ ...device(), status: 'down' }, { deviceId: DEVICE_ID })).toBeUndefined()
  })
})

describe('confirming on the LAN', () => {
  it('waits for the device to appear and answer; times out with "not found" or "not answering"', async () => {
    const clock = createFakeClock()
    let visible = false
    let answering = false
    const deps = { devices: async () => (visible ? [device()] : []), wake: () => undefined, answers: async () => answering, clock }
    const pending = confirmOnLan(deps, { deviceId: DEVICE_ID }, { timeoutMs: 5000, signal: new AbortController().signal, network: 'Home-Net' })
    await clock.advance(1000)
    visible = true
    answering = true
    await clock.advance(500)
    expect(await pending).toMatchObject({ ok: true, value: { deviceId: DEVICE_ID } })

    answering = false
    const silent = confirmOnLan(deps, { deviceId: DEVICE_ID }, { timeoutMs: 2000, signal: new AbortController().signal })
    await clock.advance(3000)
    expect(await silent).toMatchObject({ ok: false, error: { code: 'not-answering' } })

    visible = false
    const missing = confirmOnLan(deps, { deviceId: DEVICE_ID }, { timeoutMs: 2000, signal: new AbortController().signal, network: 'Home-Net' })
    await clock.advance(3000)
    expect(await missing).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringMatching(/did not appear on “Home-Net” within 2 s/) } })
  })
})
