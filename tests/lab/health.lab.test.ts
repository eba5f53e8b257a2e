/**
 * Connection health in the lab (issue #7 point 5): `porchlight monitor --device` in the app namespace
 * keeps a session to a simulated accessory through a silent stall, an accessory reboot, an address
 * change, the app host's own address change and its link going down and up — each reaches the right
 * state and recovers with no user action.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { deviceIdByTxt, startMonitor, type Monitor } from './health/monitor'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab connection-health tests skipped: ${skip}\n`)
const INTERVAL_MS = 500

describe.skipIf(skip !== undefined)(`lab: connection health${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let acc: LabAccessory
  let monitor: Monitor
  const connected = (l: Record<string, unknown>) => l.state === 'connected'
  const remoteOf = (l: Record<string, unknown>) => (l.remote as { address?: string; localAddress?: string } | null) ?? {}
  const appNs = (...args: string[]) => lab.exec(lab.app.ns, 'ip', args)

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'm0', hasAp: false, startOnHome: true }] })
    const node = lab.accessories[0]
    if (!node) throw new Error('lab without its accessory')
    acc = await startLabAccessory(lab, node, 20, { security: 1, pop: 'abcd1234' })
    const deviceId = await deviceIdByTxt(lab, acc.config.deviceId)
    monitor = await startMonitor(lab, ['--device', deviceId, '--interval', String(INTERVAL_MS)])
    await monitor.state(connected, 10_000, 'first connect')
  }, 90_000)

  // A failure is explained by what the monitor said: its last lines go to stderr.
  afterEach((context) => {
    if (context.task.result?.state === 'fail') process.stderr.write(`monitor said:\n${monitor?.child.lines.filter((l) => l.event !== 'sample').slice(-12).map((l) => JSON.stringify(l)).join('\n')}\n`)
  })

  afterAll(async () => {
    await monitor?.stop()
    await acc?.stop()
    await lab?.dispose()
  }, 30_000)

  it('connects to the control port the device advertises and checks its HELLO id', async () => {
    const first = monitor.states().find(connected) as Record<string, unknown>
    expect(first).toMatchObject({ protocol: 'lab-control', remote: { address: acc.node.sta.homeAddress4, port: acc.config.lab?.controlPort ?? 7300, family: 4 } })
    await monitor.child.waitFor((l) => l.event === 'sample' && typeof l.rttMs === 'number', 3000, 'an RTT sample')
  })

  it('a silent stall (no FIN, no RST) is declared within 3 heartbeat intervals, then recovers by itself', async () => {
    const from = monitor.mark()
    const frozeAt = Date.now()
    await acc.setFaults({ stallControl: true })
    const stalled = await monitor.state((l) => l.state === 'stalled', 3 * INTERVAL_MS + 1500, 'stalled', from)
    // `since` is the monitor's wall clock when it declared the stall (same machine clock as ours).
    expect(Number(stalled.since) - frozeAt).toBeLessThanOrEqual(3 * INTERVAL_MS)
    expect(String(stalled.cause)).toMatch(/although sends succeed/)
    await acc.setFaults({ stallControl: false })
    const back = await monitor.state(connected, 5000, 'connected after the stall', from)
    expect(Number(back.since)).toBeGreaterThan(Number(stalled.since))
  }, 20_000)

  it('an accessory reboot: reconnecting (or offline), then connected again to the same device', async () => {
    const from = monitor.mark()
    await acc.command({ cmd: 'reboot', downMs: 1500 })
    await monitor.state((l) => l.state === 'reconnecting' || l.state === 'stalled' || l.state === 'offline', 5000, 'the drop', from)
    const back = await monitor.state(connected, 15_000, 'connected after the reboot', from)
    expect(remoteOf(back).address).toBe(acc.node.sta.homeAddress4)
    expect((back.stats as { reconnects: number }).reconnects).toBeGreaterThanOrEqual(1)
  }, 30_000)

  it('the accessory changes its address: the session follows it there without user action', async () => {
    const from = monitor.mark()
    const to = '198.18.0.150'
    await acc.readdress(to)
    const moved = await monitor.state((l) => connected(l) && remoteOf(l).address === to, 15_000, `connected at ${to}`, from)
    expect(moved.protocol).toBe('lab-control')
    await monitor.timeline('address-changed', 1000, from).catch(() => monitor.timeline('stalled', 1000, from))
  }, 30_000)

  it("this computer's address changes: the session notices, reconnects from the new address", async () => {
    const from = monitor.mark()
    const old = lab.app.address4
    // Like a DHCP renumbering: the old lease goes, a new one comes (deleting a primary address would also
    // delete secondaries, so not add-then-delete).
    await appNs('addr', 'del', `${old}/24`, 'dev', 'wlan0')
    await appNs('addr', 'add', '198.18.0.3/24', 'dev', 'wlan0')
    await appNs('route', 'replace', '224.0.0.0/4', 'dev', 'wlan0')
    try {
      const moved = await monitor.state((l) => connected(l) && remoteOf(l).localAddress === '198.18.0.3', 15_000, 'connected from 198.18.0.3', from)
      expect(moved.state).toBe('connected')
      await monitor.timeline('network-changed', 1000, from)
    } finally {
      await appNs('addr', 'del', '198.18.0.3/24', 'dev', 'wlan0')
      await appNs('addr', 'add', `${old}/24`, 'dev', 'wlan0')
      await appNs('route', 'replace', '224.0.0.0/4', 'dev', 'wlan0')
    }
    await monitor.state((l) => connected(l) && remoteOf(l).localAddress === old, 15_000, `connected from ${old} again`, from)
  }, 40_000)

  it("this computer's link goes down, then up: stalled or reconnecting, then connected within seconds of link-up", async () => {
    const from = monitor.mark()
    await appNs('link', 'set', 'wlan0', 'down')
    try {
      await monitor.state((l) => l.state !== 'connected', 3 * INTERVAL_MS + 2000, 'not connected while the link is down', from)
    } finally {
      await appNs('link', 'set', 'wlan0', 'up')
      await appNs('route', 'replace', '224.0.0.0/4', 'dev', 'wlan0')
    }
    const upAt = Date.now()
    const back = await monitor.state(connected, 10_000, 'connected after link-up', from)
    expect(Number(back.since) - upAt).toBeLessThan(3000)
  }, 30_000)
})
