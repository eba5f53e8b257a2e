/**
 * The Diagnose steps beyond the built-in host ones, as the core wires them: the system's own DNS-SD next
 * to ours, DNS over UDP and TCP, and per device the advertisement audit.
 */
import type { DiscoveryService } from '../discovery/service'
import type { ReadInterfaces } from '../net/interfaces'
import type { RunCommand } from '../util/exec'
import { auditAdvertisement } from './advert-audit'
import { runDnsHealth } from './dns-health'
import type { DeviceStepFactory, DiagnoseStep } from './service'
import { crossCheckSystemResolver } from './system-resolver'

/** How long the OS browser runs per service type. */
const SYSTEM_BROWSE_MS = 2500
/** Compared types at most (each costs one bounded browse). */
const MAX_COMPARED_TYPES = 4

/** The standard extra host steps and device steps. */
export function standardDiagnoseSteps(deps: { discovery: DiscoveryService; readInterfaces: ReadInterfaces; run: RunCommand }): { extraSteps: () => DiagnoseStep[]; deviceSteps: DeviceStepFactory } {
  const { discovery, readInterfaces, run } = deps
  return {
    extraSteps: () => [
      {
        name: "The system's own DNS-SD, compared",
        run: async () => {
          const { devices, status } = await discovery.snapshot()
          const up = devices.filter((d) => d.status === 'up')
          // The types something answers for first (that is where a difference means something), else what we browse.
          const seen = [...new Set(up.flatMap((d) => d.types))]
          const types = (seen.length > 0 ? seen : status.types).slice(0, MAX_COMPARED_TYPES)
          return crossCheckSystemResolver({ platform: process.platform, run, ours: up, types, timeoutMs: SYSTEM_BROWSE_MS })
        },
      },
      { name: 'DNS over UDP and TCP', run: () => runDnsHealth({ platform: process.platform, run }) },
    ],
    deviceSteps: (device) => [
      { name: `Auditing what ${device.name} advertises`, run: async () => auditAdvertisement(device, await discovery.packets(device.id), { interfaces: await readInterfaces() }) },
    ],
  }
}
