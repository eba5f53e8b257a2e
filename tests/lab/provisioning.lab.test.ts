/**
 * The lab end to end: a home LAN with three simulated accessories (security 0, 1 and 2) and the avahi and
 * python-zeroconf peers. The app host joins each accessory's AP through the lab Wi-Fi adapter, the spec
 * client provisions it, and the accessory then shows up on the home LAN for both reference peers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLabAccessory, runSpecClient, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason({ avahi: true, zeroconf: true })
if (skip) process.stderr.write(`lab provisioning tests skipped: ${skip}\n`)

describe.skipIf(skip !== undefined)(`lab: provisioning three accessories${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const accessories: LabAccessory[] = []

  beforeAll(async () => {
    lab = await createLab({
      accessories: [{ id: 'a0' }, { id: 'a1', apPassphrase: 'ap-passphrase-1' }, { id: 'a2', signal: 40 }],
      peers: { avahi: true, zeroconf: true },
      wifi: { wrongPassphraseDelayMs: 200 },
    })
    const securities = [{ security: 0 as const, pop: undefined }, { security: 1 as const }, { security: 2 as const, secPatchVersion: 1 as const }]
    for (const [i, node] of lab.accessories.entries()) accessories.push(await startLabAccessory(lab, node, i, securities[i]))
  }, 60_000)

  afterAll(async () => {
    for (const a of accessories) await a.stop()
    await lab?.dispose()
    const left = (await import('node:child_process')).execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    expect(left).not.toContain(lab.prefix)
  }, 30_000)

  it('the app host sees the home network and every accessory AP, with signal and security', async () => {
    const scan = await lab.wifi.scan()
    expect(scan.ok).toBe(true)
    if (!scan.ok) return
    const bySsid = new Map(scan.value.map((n) => [n.ssid, n]))
    expect(bySsid.get(lab.home.ssid)?.security).toBe('wpa2-psk')
    expect(bySsid.get('PROV_A0')?.security).toBe('open')
    expect(bySsid.get('PROV_A1')?.security).toBe('wpa2-psk')
    expect(bySsid.get('PROV_A2')?.signal).toBe(40)
  })

  it.each([0, 1, 2])('accessory %i: join its AP, provision over its security, see it appear on the home LAN', async (i) => {
    const acc = accessories[i] as LabAccessory
    const ap = acc.node.ap
    if (!ap) throw new Error('accessory without AP')
    const joined = await lab.wifi.join(ap.ssid, ap.passphrase)
    expect(joined).toMatchObject({ ok: true, value: { ssid: ap.ssid } })
    const steps = await runSpecClient(lab, `http://${ap.address4}`, [
      { op: 'open', ...(acc.config.pop && { pop: acc.config.pop }) },
      { op: 'scan' },
      { op: 'send', ssid: lab.home.ssid, passphrase: lab.home.passphrase },
      { op: 'wait', pollMs: 100 },
    ])
    expect(steps.map((s) => [s.op, s.ok, s.error])).toEqual([['open', true, undefined], ['scan', true, undefined], ['send', true, undefined], ['wait', true, undefined]])
    expect((steps[0]?.result as { secVer: number }).secVer).toBe(acc.config.security)
    expect((steps[1]?.result as { ssid: string }[]).map((n) => n.ssid)).toContain(lab.home.ssid)
    expect(steps[3]?.result).toMatchObject({ staState: 0, connected: { ip4Addr: acc.node.sta.homeAddress4 } })
    await acc.waitFor((e) => e.event === 'ap-down')
    const scan = await lab.wifi.scan()
    expect(scan.ok && scan.value.map((n) => n.ssid)).not.toContain(ap.ssid)
    expect(await lab.wifi.join(lab.home.ssid, lab.home.passphrase)).toMatchObject({ ok: true })
    const found = await lab.peers.avahi?.browse('_esp_local_ctrl._tcp', 4000)
    const record = found?.find((r) => r.name === acc.config.name && r.address === acc.node.sta.homeAddress4)
    expect(record?.txt).toContain(`id=${acc.config.deviceId}`)
    const zc = await lab.peers.zeroconf?.browse('_esp_local_ctrl._tcp', 4000, acc.config.name)
    const service = zc?.find((s) => s.name === acc.config.name)
    expect(service?.addresses4).toEqual([acc.node.sta.homeAddress4])
    expect(service?.txt).toContain(`id=${acc.config.deviceId}`)
    // The advertised service answers: esp_local_ctrl at the resolved address and port, same security.
    const local = await runSpecClient(lab, `http://${record?.address}:${record?.port}`, [
      { op: 'localCtrl', ...(acc.config.pop && { pop: acc.config.pop }) }, { op: 'properties' },
    ])
    expect(local.map((s) => [s.op, s.ok, s.error])).toEqual([['localCtrl', true, undefined], ['properties', true, undefined]])
    const status = (local[1]?.result as { name: string; value: string }[]).find((p) => p.name === 'status')
    expect(JSON.parse(status?.value ?? '{}')).toMatchObject({ id: acc.config.deviceId, ssid: lab.home.ssid, ip4: acc.node.sta.homeAddress4 })
  }, 40_000)
})
