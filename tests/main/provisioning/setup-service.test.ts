import { describe, expect, it } from 'vitest'
import type { SetupView } from '../../../shared/provisioning/view'
import { createSetupService } from '../../../main/provisioning/setup-service'
import { AP, createRig, type FakeWifi, HOME, POP, until } from './flow-fakes'

function service(patch: { wifi?: FakeWifi | undefined } = {}) {
  const rig = createRig()
  const emitted: (SetupView | null)[] = []
  const wifi = 'wifi' in patch ? patch.wifi : rig.wifi
  const setup = createSetupService({
    wifi: async () => ({ wifi }), driver: rig.deps.driver, readInterfaces: rig.deps.readInterfaces, devices: async () => [rig.accessory.device()],
    confirm: rig.deps.confirm, journal: rig.journal, clock: rig.clock, emit: (v) => void emitted.push(v),
  })
  return { rig, setup, emitted }
}

describe('Set up service', () => {
  it('offers accessory setup networks in range (not every network) and says whether it can join them', async () => {
    const { setup } = service()
    const found = await setup.candidates()
    expect(found.wifi).toEqual({ available: true, current: HOME })
    expect(found.candidates).toEqual([{ key: `ap:${AP}`, name: AP, target: { kind: 'softap', ssid: AP }, signal: 60, apSecured: false }])
    const manual = await service({ wifi: undefined }).setup.candidates()
    expect(manual.wifi.available).toBe(false)
    expect(manual.wifi.reason).toMatch(/Wi-Fi menu/)
  })

  it('runs one flow at a time, routes input to it, and refuses input it is not waiting for', async () => {
    const { rig, setup, emitted } = service()
    const view = await setup.start({ target: { kind: 'softap', ssid: AP }, code: { pop: POP } })
    expect('step' in view).toBe(true)
    expect(await setup.start({ target: { kind: 'softap', ssid: AP }, code: { pop: POP } })).toMatchObject({ code: 'unavailable', message: /already running/ })
    expect(setup.give({ kind: 'joined' })).toMatchObject({ code: 'unavailable', message: /not waiting for that/ })
    await until(rig, () => setup.flow()?.awaiting.includes('credentials') === true)
    const scans = () => emitted.filter((v) => v?.step === 'scan').length
    const scansBefore = scans()
    expect(setup.give({ kind: 'rescan' })).toMatchObject({ phase: 'running' })
    await until(rig, () => scans() > scansBefore && setup.flow()?.awaiting.includes('credentials') === true)
    expect(setup.cancel()).toMatchObject({ id: expect.any(String) })
    await setup.flow()?.finished
    expect(setup.current()).toMatchObject({ outcome: 'cancelled' })
    expect(setup.dismiss()).toBe(true)
    expect(setup.current()).toBeNull()
    expect(emitted.at(-1)).toBeNull()
    expect(setup.cancel()).toMatchObject({ code: 'not-found' })
  })

  it('recovers an interrupted flow at launch and refuses to start another until it has', async () => {
    const { rig, setup, emitted } = service()
    rig.wifi.current_ = AP
    await rig.journal.write({ version: 1, id: 'old', pid: 1, category: 'bound', accessoryName: AP, accessorySsid: AP, originalSsid: HOME, temporaryProfile: true, onAccessoryNetwork: true, step: 'scan', startedAt: 1, updatedAt: 2 })
    const restoring = setup.restore()
    expect(await setup.start({ target: { kind: 'softap', ssid: AP }, code: { pop: POP } })).toMatchObject({ code: 'unavailable', message: /restoring your network/ })
    const view = await restoring
    expect(view).toMatchObject({ id: 'old', outcome: 'failed', error: { code: 'interrupted' } })
    expect(emitted.at(-1)).toMatchObject({ id: 'old' })
    expect(rig.wifi.current_).toBe(HOME)
    expect(setup.current()).toMatchObject({ id: 'old' })
    expect(rig.journal.current).toBeUndefined()
  })
})
