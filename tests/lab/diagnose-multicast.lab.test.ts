/**
 * Diagnose's multicast/broadcast self-test against a real network (issue #6 items 2 and 9): in the lab the
 * app host passes both; then the switch stops flooding multicast to the app's and the accessory's ports
 * (`bridge link set … mcast_flood off`, what an access point with a multicast filter does) while unicast and
 * broadcast still flow, and the self-test must say that multicast, not the device, is the problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import { bundleEntry, labPath } from './bundle'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, probeScript, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab diagnose-multicast tests skipped: ${skip}\n`)

describe.skipIf(skip !== undefined)(`lab: diagnose multicast self-test${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let acc: LabAccessory

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'x0', hasAp: false, startOnHome: true }] })
    const node = lab.accessories[0]
    if (!node) throw new Error('the lab has no accessory')
    acc = await startLabAccessory(lab, node, 1)
    await acc.waitFor((e) => e.event === 'mdns' && e.type === 'announced', 10_000)
  }, 60_000)

  afterAll(async () => {
    await acc?.stop()
    await lab?.dispose()
  }, 30_000)

  const home4 = () => acc.node.sta.homeAddress4 ?? ''
  const selfTest = async (): Promise<Map<string, DiagnoseCheck>> => {
    const entry = await bundleEntry(labPath('probes', 'multicast-test-main.ts'))
    const knownResponders = [
      { interface: lab.app.ifname, address: home4(), name: 'plx-x0.local' },
      { interface: lab.app.ifname, address: acc.node.sta.homeAddress6, name: 'plx-x0.local' },
    ]
    const result = await lab.exec(lab.app.ns, process.execPath, [entry, JSON.stringify({ knownResponders, timeoutMs: 2500 })], { timeoutMs: 15_000 })
    expect(result.code, result.stderr).toBe(0)
    const { checks } = JSON.parse(result.stdout) as { checks: DiagnoseCheck[] }
    return new Map(checks.map((c) => [c.id, c]))
  }
  /** Turns flooding of multicast or broadcast frames to the app's and the accessory's bridge ports off or on (switch namespace only). */
  const flood = async (what: 'mcast_flood' | 'bcast_flood', on: boolean, ports = ['p-app', `p-${acc.node.id}-sta`]) => {
    for (const port of ports) {
      const r = await lab.exec(lab.switchNs, 'bridge', ['link', 'set', 'dev', port, what, on ? 'on' : 'off'])
      if (r.code !== 0) throw new Error(`bridge link set dev ${port} ${what}: ${r.stderr}`)
    }
  }

  it('passes multicast (both ways, IPv4 and IPv6) and broadcast when the network carries both', async () => {
    const checks = await selfTest()
    const m4 = checks.get('multicast-wlan0')
    expect(m4, JSON.stringify([...checks.values()], null, 1)).toMatchObject({ status: 'pass', group: 'multicast' })
    expect(m4?.summary).toMatch(/both ways/)
    expect(m4?.facts).toMatchObject({ selfLoop: true, known: [{ name: 'plx-x0.local', answeredQuery: true, multicastAnswerArrived: true }] })
    expect(checks.get('broadcast-wlan0')).toMatchObject({ status: 'pass', facts: { directedSelfReceive: true, limitedSelfReceive: true } })
    expect(checks.get('broadcast-wlan0')?.summary).toMatch(/Broadcast works on wlan0: plx-x0\.local answered/)
    expect(checks.get('multicast-ipv6-wlan0')).toMatchObject({ status: 'pass' })
  }, 30_000)

  it('multicast dropped by the network while unicast works: multicast fails, broadcast passes, TCP connects', async () => {
    try {
      await flood('mcast_flood', false)
      const checks = await selfTest()
      const m4 = checks.get('multicast-wlan0')
      expect(m4, JSON.stringify([...checks.values()], null, 1)).toMatchObject({ status: 'fail', facts: { selfLoop: true } })
      expect(m4?.summary).toMatch(/Multicast fails on wlan0 but broadcast works/)
      expect(m4?.summary).toMatch(/drops multicast/)
      expect(m4?.advice).toMatch(/IGMP snooping/)
      expect(checks.get('broadcast-wlan0')).toMatchObject({ status: 'pass' })
      expect(checks.get('broadcast-wlan0')?.summary).toMatch(/Multicast does not/)
      expect(checks.get('multicast-ipv6-wlan0')).toMatchObject({ status: 'fail' })
      const get = await lab.exec(lab.app.ns, process.execPath, [probeScript, 'http-get', `http://${home4()}/`, '3000'])
      const http = JSON.parse(get.stdout) as { status?: number; error?: string }
      expect(http.error, 'a unicast TCP connection to the accessory still works').toBeUndefined()
      expect(http.status).toBeGreaterThan(0)
    } finally {
      await flood('mcast_flood', true)
    }
  }, 30_000)

  it('broadcast dropped by the network while multicast works: multicast passes, broadcast warns with the contrast', async () => {
    try {
      await flood('bcast_flood', false)
      const checks = await selfTest()
      expect(checks.get('multicast-wlan0'), JSON.stringify([...checks.values()], null, 1)).toMatchObject({ status: 'pass' })
      const b4 = checks.get('broadcast-wlan0')
      expect(b4).toMatchObject({ status: 'warn', facts: { directedSelfReceive: true, known: [{ answeredQuery: false }] } })
      expect(b4?.summary).toMatch(/Broadcast fails on wlan0 but multicast works/)
    } finally {
      await flood('bcast_flood', true)
    }
  }, 30_000)

  it('multicast not delivered to the app only: the query reaches the device, its multicast answer does not arrive', async () => {
    try {
      await flood('mcast_flood', false, ['p-app'])
      const checks = await selfTest()
      const m4 = checks.get('multicast-wlan0')
      expect(m4, JSON.stringify([...checks.values()], null, 1)).toMatchObject({
        status: 'fail',
        facts: { known: [{ answeredQuery: true, multicastAnswerArrived: false }] },
      })
      expect(m4?.summary).toMatch(/reaches plx-x0\.local on wlan0 .*no multicast answer arrived/)
    } finally {
      await flood('mcast_flood', true, ['p-app'])
    }
  }, 30_000)
})
