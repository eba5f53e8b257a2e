/**
 * `porchlight diagnose` in the lab's app namespace (issue #6 points 4, 7, 8, 9): the whole report as JSON
 * with a device drill-down (every address, the race, a measured link), the support bundle files, and a
 * device reachable only over IPv6 link-local (this host has no route to its ULA) found reachable through
 * its zoned link-local address while the ULA fails with the reason.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiagnoseReport } from '../../shared/diagnose/view'
import { bundleEntry } from './bundle'
import { cliEntry, deviceIdByTxt } from './health/monitor'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab diagnose CLI tests skipped: ${skip}\n`)

describe.skipIf(skip !== undefined)(`lab: porchlight diagnose${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const acc: LabAccessory[] = []
  const diagnose = async (args: string[]) => {
    const run = await lab.exec(lab.app.ns, process.execPath, [await bundleEntry(cliEntry()), 'diagnose', ...args], { timeoutMs: 60_000 })
    return { ...run, report: run.stdout.startsWith('{') ? (JSON.parse(run.stdout) as DiagnoseReport) : undefined }
  }

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'g0', hasAp: false, startOnHome: true }, { id: 'g6', hasAp: false, startOnHome: true, ipv6Only: true }] })
    for (const [i, node] of lab.accessories.entries()) acc.push(await startLabAccessory(lab, node, 50 + i, { security: 1, pop: 'abcd1234' }))
  }, 60_000)

  afterAll(async () => {
    for (const a of acc) await a.stop()
    await lab?.dispose()
  }, 30_000)

  it('--json --device --bundle: host checks, the device drill-down with a measured link, and the bundle files', async () => {
    const a = acc[0] as LabAccessory
    const id = await deviceIdByTxt(lab, a.config.deviceId)
    const dir = mkdtempSync(join(tmpdir(), 'plx-diag-'))
    const file = join(dir, 'support.json')
    const { code, stderr, report } = await diagnose(['--json', '--device', id, '--bundle', file, '--redact-hardware-ids'])
    expect(report, stderr).toBeDefined()
    const r = report as DiagnoseReport
    const byId = new Map(r.checks.map((c) => [c.id, c]))
    expect(byId.get('vpn')?.status).toBe('pass')
    expect(byId.get('port-udp-5353')?.status).toBe('pass')
    expect(byId.get('multicast-wlan0')?.status, JSON.stringify(byId.get('multicast-wlan0'))).toBe('pass')
    expect(code, `exit 0 exactly when no check failed: ${r.status}`).toBe(r.status === 'fail' ? 1 : 0)
    const device = r.devices[0]
    expect(device?.deviceId).toBe(id)
    const reach = device?.checks.find((c) => c.id === 'reach')
    expect(reach?.status).toBe('pass')
    // RFC 8305: IPv6 goes first, so the winner may be the ULA; it must be one of the device's own addresses.
    expect(reach?.facts?.addresses).toContain(reach?.facts?.winner)
    expect(reach?.facts?.addresses).toContain(a.node.sta.homeAddress4)
    expect(device?.link?.samples.length).toBeGreaterThanOrEqual(10)
    expect(device?.link?.lossPct).toBe(0)
    expect(device?.checks.find((c) => c.id === 'link-quality')?.status).toBe('pass')
    // The bundle: JSON and HTML, private to the user, no MAC or device id when asked.
    expect(existsSync(file) && existsSync(join(dir, 'support.html'))).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const json = readFileSync(file, 'utf8')
    expect(JSON.parse(json)).toMatchObject({ format: 'porchlight-support-bundle', hardwareIdsRedacted: true })
    expect(json).not.toContain(id)
    expect(json).not.toContain(a.config.deviceId)
    expect(json).not.toContain('abcd1234')
    expect(readFileSync(join(dir, 'support.html'), 'utf8')).toMatch(/<h1>Porchlight support report<\/h1>/)
  }, 90_000)

  it('a device reachable only over IPv6 link-local: reachable through fe80::…%wlan0, the ULA fails with the reason', async () => {
    const a = acc[1] as LabAccessory
    const id = await deviceIdByTxt(lab, a.config.deviceId)
    // This host loses its ULA: the device's fd00:: address has no route from here, only link-local works.
    const ula = lab.app.address6
    await lab.exec(lab.app.ns, 'ip', ['-6', 'addr', 'del', `${ula}/64`, 'dev', 'wlan0'])
    try {
      const { report, stderr } = await diagnose(['--json', '--device', id])
      const device = report?.devices[0]
      expect(device, stderr).toBeDefined()
      const reach = device?.checks.find((c) => c.id === 'reach')
      expect(reach?.status).toBe('warn')
      expect(String(reach?.facts?.winner)).toMatch(/^fe80:/)
      const perAddress = device?.checks.filter((c) => c.id.startsWith('reach-')) ?? []
      expect(perAddress.find((c) => c.id.startsWith('reach-fe80'))?.status).toBe('pass')
      expect(perAddress.find((c) => c.id.startsWith('reach-fd'))).toMatchObject({ status: 'fail', facts: { error: 'ENETUNREACH' } })
      expect(device?.link?.method).toMatch(/fe80:/)
    } finally {
      await lab.exec(lab.app.ns, 'ip', ['-6', 'addr', 'add', `${ula}/64`, 'dev', 'wlan0', 'nodad'])
    }
  }, 90_000)
})
