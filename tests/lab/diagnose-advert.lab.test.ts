/**
 * The advertisement audit (issue #6 items 4 and 9) against real packets in the lab: discovery in the app
 * namespace keeps each accessory's responses, and the audit judges them. A conforming accessory passes; one
 * whose responder answers without additionals, with host records at TTL 4500 s and with odd TXT strings
 * (the accessory's mDNS fault switches) gets the matching warnings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import { Faults } from './accessory/config'
import { bundleEntry, labPath } from './bundle'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab advertisement audit tests skipped: ${skip}\n`)
const TYPE = '_esp_local_ctrl._tcp'

interface AuditedDevice {
  txtId: string
  deviceId: string
  name: string
  packets: number
  checks: DiagnoseCheck[]
  /** The kept packets, dig-like, for failure messages. */
  lines: string[][]
}

describe.skipIf(skip !== undefined)(`lab: advertisement audit${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const acc: LabAccessory[] = []

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'ok0', hasAp: false, startOnHome: true }, { id: 'bad0', hasAp: false, startOnHome: true }] })
    const [good, bad] = lab.accessories
    if (!good || !bad) throw new Error('the lab has no accessories')
    acc.push(await startLabAccessory(lab, good, 70, { security: 1, pop: 'abcd1234' }))
    const faults = Faults.parse({ mdnsNoAdditionals: true, mdnsHostTtl4500: true, mdnsTxtOddities: true })
    acc.push(await startLabAccessory(lab, bad, 71, { security: 1, pop: 'abcd1234', faults }))
    await Promise.all(acc.map((a) => a.waitFor((e) => e.event === 'mdns' && e.type === 'announced', 10_000)))
  }, 60_000)

  afterAll(async () => {
    for (const a of acc) await a.stop()
    await lab?.dispose()
  }, 30_000)

  it('a conforming accessory passes; one without additionals, with TTL 4500 s host records and odd TXT warns with the right ids', async () => {
    const [good, bad] = acc as [LabAccessory, LabAccessory]
    const entry = await bundleEntry(labPath('probes', 'advert-audit-main.ts'))
    const run = await lab.exec(lab.app.ns, process.execPath, [entry, TYPE, '15000', lab.app.address4, good.config.deviceId, bad.config.deviceId], { timeoutMs: 30_000 })
    const result = JSON.parse(run.stdout || '{}') as { devices?: AuditedDevice[]; error?: string }
    expect(result.error, run.stderr).toBeUndefined()
    const [ok, broken] = result.devices ?? []
    const byId = (d: AuditedDevice | undefined) => new Map((d?.checks ?? []).map((c) => [c.id, c]))
    const show = (d: AuditedDevice | undefined) => JSON.stringify({ checks: d?.checks.map((c) => [c.id, c.status, c.summary]), packets: d?.lines }, null, 1)

    // The healthy one: every rule that could be judged passes.
    expect(ok?.packets).toBeGreaterThan(0)
    expect(ok?.checks.filter((c) => c.status === 'warn' || c.status === 'fail').map((c) => c.id), show(ok)).toEqual([])
    const okChecks = byId(ok)
    for (const id of ['advert-packets', 'advert-additionals', 'advert-ttl', 'advert-cache-flush', 'advert-srv-target', 'advert-txt', 'advert-addresses']) {
      expect(okChecks.get(id)?.status, `${id}: ${show(ok)}`).toBe('pass')
    }

    // The broken one: the fault switches show up as findings, each naming its case.
    const bad0 = byId(broken)
    expect(bad0.get('advert-additionals'), show(broken)).toMatchObject({ status: 'warn', facts: { cases: [39] } })
    expect(bad0.get('advert-additionals')?.facts?.findings).toContainEqual(expect.stringMatching(/^SRV answer .* without A\/AAAA of plx-bad0\.local/))
    expect(bad0.get('advert-ttl'), show(broken)).toMatchObject({ status: 'warn', facts: { cases: [40], ttls: { A: [4500] } } })
    expect(bad0.get('advert-ttl')?.summary).toMatch(/up to 75 minutes/)
    expect(bad0.get('advert-txt'), show(broken)).toMatchObject({ status: 'warn' })
    expect(bad0.get('advert-txt')?.facts?.findings).toContainEqual(expect.stringMatching(/"=no-key" has no key/))
    // Still resolvable: the SRV target has an address, so nothing fails outright.
    expect(bad0.get('advert-srv-target')?.status).toBe('pass')
    expect([...bad0.values()].some((c) => c.status === 'fail'), show(broken)).toBe(false)
  }, 60_000)
})
