/**
 * Reference publishers nobody here wrote, on a real br-home: @homebridge/ciao and hap-nodejs (Bridge and
 * Accessory) in a namespace of their own, resolved by avahi-browse and python-zeroconf, with goodbyes
 * on stop; and avahi's own publishing of an address record that a static service file points at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCiaoPublisher } from './peers/ciao'
import { startHapPublisher } from './peers/hap'
import type { AvahiRecord } from './peers/avahi'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skipReason = labUnavailableReason({ avahi: true, zeroconf: true })
const PUBLISHER_ADDRESS = '198.18.0.11'

describe.skipIf(skipReason !== undefined)(`reference publishers on br-home${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let lab: Lab
  const peers = () => {
    const { avahi, zeroconf } = lab.peers
    if (!avahi || !zeroconf) throw new Error('peers missing')
    return { avahi, zeroconf }
  }
  /** avahi-browse until `name` resolves over IPv4 (bounded: a fresh publisher may still be announcing). */
  const avahiResolves = async (type: string, name: string): Promise<AvahiRecord | undefined> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const hit = (await peers().avahi.browse(type)).find((r) => r.name === name && r.protocol === 'IPv4')
      if (hit) return hit
    }
    return undefined
  }
  /** The HTTP status the app namespace gets from the publisher's TCP port. */
  const httpStatus = async (port: number) => {
    const script = `fetch('http://${PUBLISHER_ADDRESS}:${port}/accessories').then((r) => console.log(r.status), (e) => console.log('error', e.message))`
    return (await lab.exec(lab.app.ns, process.execPath, ['-e', script], { timeoutMs: 8000 })).stdout.trim()
  }

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'pub', hasAp: false, startOnHome: true }], peers: { avahi: true, zeroconf: true } })
  }, 30_000)

  afterAll(async () => {
    await lab?.dispose()
  }, 30_000)

  it('resolves a @homebridge/ciao service with avahi-browse and python-zeroconf, and drops it after ciao says goodbye', async () => {
    const ciao = await startCiaoPublisher(lab, { name: 'Ciao Lamp', type: '_http._tcp', port: 8081, txt: { id: 'c1a0c1a0c1a0', vendor: 'ciao' } })
    try {
      expect(ciao.name).toBe('Ciao Lamp')
      expect(await avahiResolves('_http._tcp', 'Ciao Lamp')).toMatchObject({ host: ciao.hostName, address: PUBLISHER_ADDRESS, port: 8081, txt: ['id=c1a0c1a0c1a0', 'vendor=ciao'] })
      const found = (await peers().zeroconf.browse('_http._tcp', 5000, 'Ciao Lamp')).find((s) => s.name === 'Ciao Lamp')
      expect(found).toMatchObject({ server: `${ciao.hostName}.`, port: 8081, addresses4: [PUBLISHER_ADDRESS], txt: ['id=c1a0c1a0c1a0', 'vendor=ciao'] })
      const watch = peers().avahi.watch('_http._tcp')
      try {
        await watch.until(() => watch.names().has('Ciao Lamp'), 5000)
        await ciao.stop()
        // ciao's shutdown sends goodbyes (RFC 6762 §10.1): avahi drops the service about a second later.
        await watch.until(() => !watch.names().has('Ciao Lamp'), 6000)
      } finally {
        await watch.stop()
      }
    } finally {
      await ciao.stop()
    }
  }, 40_000)

  it('resolves a hap-nodejs Bridge and Accessory (_hap._tcp) whose advertised port serves HAP', async () => {
    const bridge = await startHapPublisher(lab, { name: 'Porch Bridge', kind: 'bridge', username: '0E:70:6C:78:48:01' })
    const light = await startHapPublisher(lab, { name: 'Porch Light', kind: 'accessory', username: '0E:70:6C:78:48:02', pincode: '123-45-678' }).catch(async (error: unknown) => {
      await bridge.stop()
      throw error
    })
    try {
      const seen = await avahiResolves('_hap._tcp', 'Porch Bridge')
      expect(seen).toMatchObject({ address: PUBLISHER_ADDRESS, port: bridge.port })
      // HAP TXT (HAP spec §6.4): device id, category (2 bridge, 5 lightbulb), status flag 1 = not paired.
      expect(seen?.txt).toEqual(expect.arrayContaining(['id=0E:70:6C:78:48:01', 'ci=2', 'sf=1', 'pv=1.1']))
      const zc = await peers().zeroconf.browse('_hap._tcp', 5000, 'Porch Light')
      expect(zc.find((s) => s.name === 'Porch Light')).toMatchObject({ port: light.port, addresses4: [PUBLISHER_ADDRESS] })
      expect(zc.find((s) => s.name === 'Porch Light')?.txt).toEqual(expect.arrayContaining(['id=0E:70:6C:78:48:02', 'ci=5']))
      // An unpaired controller gets 470 Connection Authorization Required: the SRV port is the live HAP server.
      expect(await httpStatus(bridge.port)).toBe('470')
    } finally {
      await Promise.all([bridge.stop(), light.stop()])
    }
  }, 40_000)

  it('publishes an avahi address record that a static service file points at, for python-zeroconf to resolve', async () => {
    const { avahi, zeroconf } = peers()
    const address = await avahi.publishAddress('plx-static-host.local', '198.18.0.77')
    try {
      const file = await avahi.publishStatic({ name: 'Static Lamp', type: '_plxstatic._tcp', port: 8090, txt: ['id=5a71c0000001'], hostName: 'plx-static-host.local' })
      const found = (await zeroconf.browse('_plxstatic._tcp', 5000, 'Static Lamp')).find((s) => s.name === 'Static Lamp')
      expect(found).toMatchObject({ server: 'plx-static-host.local.', port: 8090, addresses4: ['198.18.0.77'], txt: ['id=5a71c0000001'] })
      await avahi.removeStatic(file)
    } finally {
      await address.stop()
    }
  }, 30_000)
})
