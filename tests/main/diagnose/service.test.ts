/**
 * The Diagnose service's sequencing: progress for every step, a failing step becomes a skip instead of
 * ending the run, an unknown device is an error value, and a watched device's heartbeats are analysed
 * instead of a fresh probe. OS tools are replayed as missing and there are no interfaces, so nothing is sent.
 */
import { describe, expect, it } from 'vitest'
import { recordRecentEvents } from '../../../main/diagnose/recent-events'
import { createDiagnoseService } from '../../../main/diagnose/service'
import { createEventHub } from '../../../main/events'
import type { SessionManager } from '../../../main/session/manager'
import { systemClock } from '../../../main/util/clock'
import type { DiagnoseProgress } from '../../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import type { SessionView } from '../../../shared/session/view'
import { quietDiscovery } from '../../helpers/quiet-discovery'

const lamp = { id: 'id-lamp', name: 'Lamp', groupedBy: 'id', types: [], interfaces: [], services: [], addresses: [], status: 'up', firstSeenAt: 0, lastChangeAt: 0, history: [] } as DiscoveredDevice
const samples = Array.from({ length: 60 }, (_, i) => ({ at: 1_000_000 + i * 1000, rttMs: i === 30 ? null : 3 }))

function service(progress: DiagnoseProgress[]) {
  const discovery = { ...quietDiscovery(), device: async (id: string) => (id === lamp.id ? lamp : undefined) }
  const sessions = { list: () => [{ id: 'device:id-lamp', protocol: 'lab-control', intervalMs: 1000, samples } as unknown as SessionView] } as unknown as SessionManager
  return createDiagnoseService({
    host: { kind: 'cli', name: 'Porchlight', version: '1.2.3' },
    platform: 'linux',
    clock: systemClock,
    run: async () => ({ stdout: '', stderr: 'missing', exitCode: 127 }),
    readInterfaces: async () => [],
    discovery,
    sessions,
    recent: recordRecentEvents(createEventHub()),
    progress: (p) => void progress.push(p),
    extraSteps: () => [{ name: 'Exploding step', run: async () => { throw new Error('boom') } }],
  })
}

describe('diagnose service', () => {
  it('runs every step with progress, turns a crash into a skip, and reports the device from its heartbeats', async () => {
    const progress: DiagnoseProgress[] = []
    const report = await service(progress).run({ deviceId: 'id-lamp', linkProbeMs: 0 })
    if ('error' in report) throw new Error(report.error.message)
    expect(progress.at(-1)).toMatchObject({ step: 'Done' })
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b))
    expect(report.checks.find((c) => c.title === 'Exploding step')).toMatchObject({ status: 'skip', summary: expect.stringContaining('boom') })
    expect(report.host).toMatchObject({ app: 'Porchlight', version: '1.2.3', platform: 'linux' })
    const device = report.devices[0]
    expect(device?.link?.method).toMatch(/Heartbeats of the watched session/)
    expect(device?.link?.samples).toHaveLength(60)
    expect(device?.link?.lossPct).toBeCloseTo(100 / 60, 1)
    expect(device?.checks.map((c) => c.id)).toEqual(['reach', 'link-quality'])
  })

  it('an unknown device is an error value, not a throw', async () => {
    expect(await service([]).run({ deviceId: 'nope' })).toMatchObject({ error: { code: 'unknown-device' } })
  })
})
