/**
 * The product ESP driver in the lab: it runs inside the app namespace, bound to the app's address on an
 * accessory's AP, and provisions security 1 and security 2 accessories end to end — probe, session, the
 * device's scan, credentials, status to Connected. A third accessory's AP vanishes right after Apply, and
 * the status poll then reports the connection gone (the onboarding flow reads that as "probably joined").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appAddressOn, runDriver } from './esp-driver-runner'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab ESP driver tests skipped: ${skip}\n`)

describe.skipIf(skip !== undefined)(`lab: the ESP driver${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const acc: LabAccessory[] = []

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'e1' }, { id: 'e2', apPassphrase: 'ap-passphrase-2' }, { id: 'ev' }] })
    const options = [{ security: 1 as const }, { security: 2 as const, secPatchVersion: 1 as const }, { security: 2 as const, secPatchVersion: 0 as const, apLingerMs: 200 }]
    for (const [i, node] of lab.accessories.entries()) acc.push(await startLabAccessory(lab, node, 40 + i, options[i]))
  }, 30_000)

  afterAll(async () => {
    for (const a of acc) await a.stop()
    await lab?.dispose()
  }, 20_000)

  it.each([0, 1])('accessory %i: join its AP, then probe, open, scan, send and poll to Connected from the app namespace', async (i) => {
    const a = acc[i] as LabAccessory
    const ap = a.node.ap
    if (!ap) throw new Error('accessory without AP')
    expect(await lab.wifi.join(ap.ssid, ap.passphrase)).toMatchObject({ ok: true })
    const endpoint = { host: ap.address4, port: 80, localAddress: appAddressOn(lab, ap.ssid) }
    const steps = await runDriver(lab, {
      endpoint,
      steps: [{ op: 'probe' }, { op: 'open', pop: 'abcd1234' }, { op: 'scan' }, { op: 'send', ssid: lab.home.ssid, passphrase: lab.home.passphrase }, { op: 'wait', pollMs: 100 }],
    })
    expect(steps.map((s) => [s.op, s.ok, s.error?.code])).toEqual([['probe', true, undefined], ['open', true, undefined], ['scan', true, undefined], ['send', true, undefined], ['wait', true, undefined]])
    expect(steps[0]?.value).toMatchObject({ security: a.config.security, deviceId: a.config.deviceId, canScan: true, needsCode: true })
    expect((steps[2]?.value as { ssid: string }[]).map((n) => n.ssid)).toEqual([lab.home.ssid, 'Neighbour-5G'])
    expect(steps[4]?.value).toMatchObject({ last: { state: 'connected', ip4: a.node.sta.homeAddress4, ssid: lab.home.ssid } })
    // Only one TCP connection reached the accessory, and it was one security session throughout.
    const requests = a.events.filter((e) => e.event === 'request')
    expect(requests.filter((e) => e.isNew === true)).toHaveLength(1)
    expect(new Set(requests.map((e) => e.session)).size).toBe(1)
    await a.waitFor((e) => e.event === 'ap-down')
  }, 30_000)

  it('the AP vanishes right after Apply: Apply succeeds, then the status poll reports the connection gone', async () => {
    const a = acc[2] as LabAccessory
    const ap = a.node.ap
    if (!ap) throw new Error('accessory without AP')
    await a.setFaults({ apVanishesAfterApply: true })
    expect(await lab.wifi.join(ap.ssid, ap.passphrase)).toMatchObject({ ok: true })
    const steps = await runDriver(lab, {
      endpoint: { host: ap.address4, port: 80, localAddress: appAddressOn(lab, ap.ssid) },
      requestTimeoutMs: 1500,
      steps: [{ op: 'open', pop: 'abcd1234' }, { op: 'send', ssid: lab.home.ssid, passphrase: lab.home.passphrase }, { op: 'wait', pollMs: 100, limit: 5 }],
    })
    expect(steps.map((s) => [s.op, s.ok])).toEqual([['open', true], ['send', true], ['wait', false]])
    expect(['connection-lost', 'unreachable']).toContain(steps[2]?.error?.code)
    await a.waitFor((e) => e.event === 'ap-down' && e.why === 'vanish-fault')
    await a.waitFor((e) => e.event === 'joined-home', 5000)
  }, 30_000)
})
