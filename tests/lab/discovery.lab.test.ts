/**
 * Discovery end to end in the lab: `porchlight discover` runs inside the app host's namespace and must find
 * what real peers publish there — our lab accessories (IPv4 and IPv6-only), avahi (static file and
 * avahi-publish) and python-zeroconf — grouped into devices, with each address carrying the interface it
 * was seen on (link-local IPv6 with its zone). The other way round, avahi-browse and python-zeroconf find
 * our accessories (issue #4 point 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiscoverJsonDevice } from '../../main/discovery/model'
import { bundleEntry, labPath } from './bundle'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { spawnJsonEntry } from './crowd/node-process'
import { startCiaoPublisher } from './peers/ciao'
import { startHapPublisher } from './peers/hap'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab discovery tests skipped: ${skip}\n`)
const TYPE = '_esp_local_ctrl._tcp'

/** Runs the CLI in the app namespace and returns its stdout, stderr and exit code. */
async function cli(lab: Lab, args: string[], timeoutMs = 20_000) {
  const entry = await bundleEntry(labPath('..', '..', 'app', 'cli', 'main.ts'))
  return lab.exec(lab.app.ns, process.execPath, [entry, ...args], { timeoutMs })
}

async function discover(lab: Lab, args: string[]): Promise<DiscoverJsonDevice[]> {
  const run = await cli(lab, ['discover', '--json', ...args])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as DiscoverJsonDevice[]
}

describe.skipIf(skip !== undefined)(`lab: discovery${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const acc: LabAccessory[] = []

  beforeAll(async () => {
    lab = await createLab({
      accessories: [
        { id: 'd0', hasAp: false, startOnHome: true },
        { id: 'd6', hasAp: false, startOnHome: true, ipv6Only: true },
        // Plain hosts on the LAN for the reference publishers (no simulated accessory runs there).
        { id: 'p1', hasAp: false, startOnHome: true },
        { id: 'p2', hasAp: false, startOnHome: true },
      ],
      peers: { avahi: true, zeroconf: true },
    })
    for (const [i, node] of lab.accessories.entries())
      if (node.id.startsWith('d')) acc.push(await startLabAccessory(lab, node, 10 + i, { security: 1, pop: 'abcd1234' }))
  }, 60_000)

  afterAll(async () => {
    for (const a of acc) await a.stop()
    await lab?.dispose()
  }, 30_000)

  it('finds the lab accessories, IPv4 and IPv6-only, with zones on link-local addresses', async () => {
    const devices = await discover(lab, ['--type', TYPE, '--timeout', '2'])
    const d0 = devices.find((d) => d.name === 'PROV_D0')
    const d6 = devices.find((d) => d.name === 'PROV_D6')
    expect(d0?.services).toHaveLength(1)
    expect(d0?.services[0]).toMatchObject({ instance: 'PROV_D0', type: TYPE, port: 80, host: 'plx-d0.local', txt: { mac: '02:70:6c:78:00:0a' } })
    expect(d0?.services[0]?.addresses).toContainEqual({ address: lab.accessories[0]?.sta.homeAddress4, family: 'IPv4', interface: 'wlan0' })
    expect(d6?.services[0]?.addresses.every((a) => a.family === 'IPv6')).toBe(true)
    const linkLocal = d6?.services[0]?.addresses.find((a) => a.address.startsWith('fe80:'))
    expect(linkLocal?.address).toMatch(/%wlan0$/)
    expect(devices.every((d) => d.services.every((s) => s.type === TYPE))).toBe(true)
    // Reachable: race every discovered address of the IPv6-only device (link-local with its zone) from the app host.
    const targets = d6?.services[0]?.addresses.map((a) => a.address) ?? []
    const probe = await lab.exec(lab.app.ns, process.execPath, [await bundleEntry(labPath('probes', 'connect-race-main.ts')), 'race', JSON.stringify({ targets, port: d6?.services[0]?.port, timeoutMs: 5000 })], { timeoutMs: 15_000 })
    const raced = JSON.parse(probe.stdout.trim().split('\n').at(-1) ?? '{}') as { result: { ok: boolean; value?: { winner: { family: number } } } }
    expect(raced.result).toMatchObject({ ok: true, value: { winner: { family: 6 } } })
  }, 30_000)

  it('finds what avahi (static file and avahi-publish) and python-zeroconf publish', async () => {
    const avahi = lab.peers.avahi
    const zeroconf = lab.peers.zeroconf
    if (!avahi || !zeroconf) throw new Error('the lab was built without its peers')
    await avahi.publishStatic({ name: 'Avahi Static Lamp', type: '_http._tcp', port: 8080, txt: ['id=avahi-static'] })
    const published = await avahi.publish('Avahi Publish Plug', '_http._tcp', 8081, ['id=avahi-publish'])
    await zeroconf.publish('Zeroconf Sensor', '_http._tcp', 8082, ['id=zeroconf'])
    try {
      const devices = await discover(lab, ['--type', '_http._tcp', '--timeout', '3'])
      const byId = (id: string) => devices.find((d) => d.services.some((s) => s.txt.id === id))
      expect(byId('avahi-static')?.services[0]).toMatchObject({ instance: 'Avahi Static Lamp', port: 8080 })
      expect(byId('avahi-publish')?.services[0]).toMatchObject({ instance: 'Avahi Publish Plug', port: 8081 })
      expect(byId('zeroconf')?.services[0]).toMatchObject({ instance: 'Zeroconf Sensor', port: 8082 })
      expect(byId('zeroconf')?.services[0]?.addresses.some((a) => a.interface === 'wlan0')).toBe(true)
    } finally {
      await published.stop()
      await zeroconf.unpublish('Zeroconf Sensor', '_http._tcp')
    }
  }, 40_000)

  it('without --type, enumerates service types (_services._dns-sd._udp) and browses them', async () => {
    const run = await cli(lab, ['discover', '--json', '--timeout', '3'])
    expect(run.code, run.stderr).toBe(0)
    const devices = JSON.parse(run.stdout) as DiscoverJsonDevice[]
    const types = new Set(devices.flatMap((d) => d.services.map((s) => s.type)))
    expect(types.has(TYPE)).toBe(true)
  }, 30_000)

  it('avahi-browse and python-zeroconf find our accessories', async () => {
    const records = (await lab.peers.avahi?.browse(TYPE, 4000)) ?? []
    expect(records.some((r) => r.address === lab.accessories[0]?.sta.homeAddress4)).toBe(true)
    const found = (await lab.peers.zeroconf?.browse(TYPE, 4000)) ?? []
    expect(found.length).toBeGreaterThanOrEqual(2)
  }, 30_000)

  it('finds what @homebridge/ciao and hap-nodejs publish', async () => {
    const ciao = await startCiaoPublisher(lab, { node: 'p1', name: 'Ciao Lamp', type: '_http._tcp', port: 8090, txt: { id: 'ciao-lamp' } })
    const hap = await startHapPublisher(lab, { node: 'p2', name: 'Porch Bridge', kind: 'bridge' })
    try {
      const web = await discover(lab, ['--type', '_http._tcp', '--timeout', '3'])
      expect(web.find((d) => d.services.some((s) => s.txt.id === 'ciao-lamp'))?.services[0]).toMatchObject({ instance: ciao.name, port: 8090 })
      const homekit = await discover(lab, ['--type', '_hap._tcp', '--timeout', '3'])
      const bridge = homekit.find((d) => d.services.some((s) => s.instance === hap.name))
      expect(bridge?.services[0]).toMatchObject({ type: '_hap._tcp', port: hap.port })
      // HAP's TXT: `id` is the accessory's username (its MAC-like device id), which groups it as a device.
      expect(bridge?.services[0]?.txt.id?.toString().toUpperCase()).toBe(hap.username.toUpperCase())
    } finally {
      await ciao.stop()
      await hap.stop()
    }
  }, 60_000)

  it('case 25: a failed connect reconfirms the records, so a silently unplugged device goes down in seconds, not at TTL expiry', async () => {
    const watcher = await spawnJsonEntry(lab, lab.app.ns, labPath('probes', 'discovery-connect-main.ts'), [TYPE])
    try {
      await watcher.waitFor((l) => l.ev === 'up' && l.name === 'PROV_D0', 10_000, 'PROV_D0 listed')
      await acc[0]?.command({ cmd: 'unplug', how: 'silent' })
      const from = watcher.lines.length
      const failed = await watcher.call({ cmd: 'connect', name: 'PROV_D0' }, 10_000)
      expect(failed).toMatchObject({ connected: false })
      const down = await watcher.waitFor((l) => l.ev === 'down' && l.name === 'PROV_D0', 20_000, 'PROV_D0 down', from)
      // RFC 6762 §10.4: queries at 0, 1 and 3 s, removal 10 s after the failure; the SRV/A TTL is 120 s.
      expect(Number(down.t) - Number(failed.t)).toBeLessThan(15_000)
    } finally {
      await watcher.stop(1000)
    }
  }, 60_000)
})
