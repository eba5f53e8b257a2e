/**
 * The system-resolver cross-check in the lab: avahi-daemon runs in the app namespace as "the OS" (with its
 * private bus, tests/lab/peers/avahi.ts), a lab accessory advertises `_esp_local_ctrl._tcp` on br-home, and
 * the check runs in the app namespace with the real avahi-browse. Porchlight's view is given to it: empty
 * (the OS sees the accessory, Porchlight does not → warning) or containing the accessory (→ pass). With no
 * reachable bus, avahi-browse's own reason becomes the skip.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DiagnoseCheck } from '../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import { bundleEntry, labPath } from './bundle'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { startAvahiPeer, type AvahiPeer } from './peers/avahi'
import { createLab, labUnavailableReason, type Lab } from './topology'
import { stopPid } from './topology/shell'

const skip = labUnavailableReason({ avahi: true })
if (skip) process.stderr.write(`lab system-resolver tests skipped: ${skip}\n`)
const TYPE = '_esp_local_ctrl._tcp'

describe.skipIf(skip !== undefined)(`lab: what the OS sees${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let entry: string
  let accessory: LabAccessory | undefined
  let avahi: AvahiPeer | undefined
  let workDir: string | undefined

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'r0', hasAp: false, startOnHome: true }] })
    const node = lab.accessories[0]
    if (!node) throw new Error('no accessory')
    accessory = await startLabAccessory(lab, node, 20)
    workDir = await mkdtemp(join(tmpdir(), `plx-${process.pid}-resolver-`))
    avahi = await startAvahiPeer({ exec: lab.exec, spawn: lab.spawn, stop: async (c) => { if (c.pid !== undefined) await stopPid(c.pid) } }, {
      ns: lab.app.ns, ifname: lab.app.ifname, address4: lab.app.address4, address6: lab.app.address6, hostName: `plx-os-${process.pid}`, workDir,
    })
    entry = await bundleEntry(labPath('probes', 'system-resolver-main.ts'))
    await accessory.waitFor((e) => e.event === 'mdns' && e.type === 'announced', 10_000)
  }, 60_000)

  afterAll(async () => {
    await avahi?.stop()
    await accessory?.stop()
    await lab?.dispose()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  }, 30_000)

  async function check(ours: DiscoveredDevice[], env = avahi?.env ?? {}): Promise<DiagnoseCheck[]> {
    const r = await lab.exec(lab.app.ns, process.execPath, [entry, JSON.stringify({ types: [TYPE], ours, timeoutMs: 5000 })], { timeoutMs: 20_000, env })
    if (r.code !== 0) throw new Error(`system-resolver probe exited ${r.code}: ${r.stderr.slice(-400)}`)
    return z.array(DiagnoseCheck).parse(JSON.parse(r.stdout))
  }

  function seen(instance: string): DiscoveredDevice {
    return {
      id: 'r0', name: instance, groupedBy: 'host', types: [TYPE], interfaces: [lab.app.ifname], addresses: [], status: 'up', firstSeenAt: 0, lastChangeAt: 0, history: [],
      services: [{
        instance, type: TYPE, domain: 'local', subtypes: [], host: 'plx-r0.local', port: 80, txt: [], txtRaw: [], addresses: [], interfaces: [lab.app.ifname], resolved: true,
      }],
    }
  }

  it('the OS sees the accessory and Porchlight (given nothing) does not: a warning naming it', async () => {
    const name = accessory?.config.name ?? ''
    const [c] = await check([])
    expect(c).toMatchObject({ id: 'resolver-esp-local-ctrl-tcp', group: 'resolver', status: 'warn', facts: { tool: 'avahi-browse', osOnly: [name], porchlight: [] } })
    expect(c?.summary).toBe(`The OS (avahi-browse) sees 1 ${TYPE} service that Porchlight does not: "${name}".`)
    expect(c?.facts?.osSightings).toEqual(expect.arrayContaining([expect.objectContaining({ name, interface: lab.app.ifname, protocol: 'IPv4' })]))
  }, 30_000)

  it('Porchlight sees the same accessory: pass', async () => {
    const name = accessory?.config.name ?? ''
    const [c] = await check([seen(name)])
    expect(c).toMatchObject({ status: 'pass', advice: '', summary: `Porchlight and the OS (avahi-browse) see the same 1 ${TYPE} service: "${name}".` })
  }, 30_000)

  it('without a reachable avahi-daemon the check is skipped with avahi-browse’s reason', async () => {
    const checks = await check([], { DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${workDir ?? '/nonexistent'}/no-such-bus.sock` })
    expect(checks).toEqual([expect.objectContaining({ id: 'resolver-system', status: 'skip', summary: expect.stringContaining('avahi-daemon is not running (avahi-browse: Failed to create client object: Daemon not running)') as unknown })])
  }, 30_000)
})
