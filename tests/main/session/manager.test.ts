/** The manager's one-session-per-accessory rule and the hints it passes on. */
import { describe, expect, it } from 'vitest'
import { createSessionManager } from '../../../main/session/manager'
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import { createFakeClock } from '../../helpers/fake-clock'

const lamp = {
  id: 'id-lamp', name: 'Lamp', groupedBy: 'id', types: ['_esp_local_ctrl._tcp'], interfaces: ['wlan0', 'eth0'], status: 'up',
  firstSeenAt: 0, lastChangeAt: 0, history: [], services: [],
  addresses: [
    { address: '198.18.0.11', family: 'IPv4', interface: 'wlan0' },
    { address: 'fe80::11%eth0', family: 'IPv6', interface: 'eth0' },
  ],
} as DiscoveredDevice

function manager() {
  const dialled: string[][] = []
  const m = createSessionManager({
    clock: createFakeClock(),
    discovery: { device: async () => lamp, devices: async () => [lamp], reconfirm: () => undefined },
    readInterfaces: async () => [],
    emit: () => undefined,
    dial: async (plan) => {
      dialled.push(plan.targets.map(String))
      return { ok: false, error: { code: 'aborted', message: 'test', attempts: [], skipped: [], elapsedMs: 0 } }
    },
  })
  return { m, dialled }
}

describe('session manager', () => {
  it('one session per accessory: by device, and by any of its addresses on any interface', async () => {
    const { m } = manager()
    const byDevice = await m.watch({ target: { kind: 'device', deviceId: 'id-lamp' } })
    const byV4 = await m.watch({ target: { kind: 'address', host: '198.18.0.11', port: 7300 } })
    const byV6 = await m.watch({ target: { kind: 'address', host: 'FE80::11%eth0', port: 7300 } })
    expect(new Set([byDevice.id, byV4.id, byV6.id])).toEqual(new Set(['device:id-lamp']))
    const other = await m.watch({ target: { kind: 'address', host: '198.18.0.99', port: 7300 } })
    expect(other.id).toBe('address:198.18.0.99:7300')
    expect(m.list()).toHaveLength(2)
    expect(m.check('nope')).toBeUndefined()
    m.dispose()
  })

  it('a device without a heartbeat service says so instead of guessing', async () => {
    const { m } = manager()
    await m.watch({ target: { kind: 'device', deviceId: 'id-lamp' } })
    await new Promise((r) => setTimeout(r, 10))
    expect(m.list()[0]?.cause).toMatch(/advertises no service Porchlight can heartbeat/)
    m.dispose()
  })
})
