/**
 * "DHCP renumbering" of the simulated accessory without namespaces: which addresses it accepts, the `ip`
 * commands it runs, and the order the device moves its services in (on loopback, effects recorded).
 * The renumbering seen from the network is tests/lab/readdress.lab.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../main/util/clock'
import { AccessoryConfig } from './config'
import { startAccessory, type DeviceEvent, type SimulatedAccessory } from './device'
import { checkReaddress, readdressCommands } from './readdress'

const JOIN_HOME = [
  ['link', 'set', 'sta0', 'up'],
  ['addr', 'replace', '198.18.0.11/24', 'dev', 'sta0'],
  ['addr', 'replace', 'fd00:706c:78::b/64', 'dev', 'sta0', 'nodad'],
  ['route', 'replace', '224.0.0.0/4', 'dev', 'sta0', 'metric', '10'],
]

describe('checkReaddress', () => {
  it('accepts a pool address other than the current one', () => {
    expect(checkReaddress('198.18.0.11', '198.18.0.100')).toEqual({ ok: true })
    expect(checkReaddress('198.18.0.100', '198.18.0.254')).toEqual({ ok: true })
  })

  it.each([
    [undefined, '198.18.0.120', 'no-home-ipv4'],
    ['0.0.0.0', '198.18.0.120', 'no-home-ipv4'],
    ['198.18.0.11', '198.18.0.1200', 'bad-address'],
    ['198.18.0.11', '198.18.0.012', 'bad-address'],
    ['198.18.0.11', 'fd00::1', 'bad-address'],
    ['198.18.0.11', '10.0.0.120', 'outside-home-subnet'],
    ['198.18.0.11', '198.19.0.120', 'outside-home-subnet'],
    ['198.18.0.11', '198.18.0.2', 'outside-renumber-pool'],
    ['198.18.0.11', '198.18.0.42', 'outside-renumber-pool'],
    ['198.18.0.11', '198.18.0.255', 'outside-renumber-pool'],
    ['198.18.0.120', '198.18.0.120', 'same-address'],
  ])('refuses %s → %s (%s)', (current, to, code) => {
    expect(checkReaddress(current, to)).toMatchObject({ ok: false, code })
  })
})

describe('readdressCommands', () => {
  it('removes the old address before adding the new one, keeps IPv6, and restores the multicast route', () => {
    expect(readdressCommands('sta0', '198.18.0.11', '198.18.0.120', JOIN_HOME)).toEqual([
      ['addr', 'del', '198.18.0.11/24', 'dev', 'sta0'],
      ['addr', 'add', '198.18.0.120/24', 'dev', 'sta0'],
      ['route', 'replace', '224.0.0.0/4', 'dev', 'sta0', 'metric', '10'],
    ])
  })
})

describe('device.readdress', () => {
  const running: SimulatedAccessory[] = []
  afterEach(async () => {
    for (const device of running.splice(0)) await device.stop()
  })

  async function start(renumber: boolean) {
    const calls: string[] = []
    const events: DeviceEvent[] = []
    const config = AccessoryConfig.parse({
      id: 'r1', deviceId: '02706c780001', name: 'PROV_R1', security: 0, http: { host: '127.0.0.1', port: 0 },
      lab: { staIfname: 'sta0', homeSsid: 'PorchlightHome', homeAddress4: '198.18.0.11', startOnHome: true },
    })
    const device = await startAccessory(config, {
      clock: systemClock,
      emit: (e) => events.push(e),
      effects: {
        joinHome: async () => '198.18.0.11',
        leaveAp: async () => undefined,
        restoreAp: async () => undefined,
        homeHosts: async () => (calls.push('homeHosts'), ['127.0.0.1']),
        startHomeServices: async () => undefined,
        stopHomeServices: async () => undefined,
        applyServiceFaults: () => undefined,
        ...(renumber && {
          renumberHome: async (from: string, to: string) => void calls.push(`renumber ${from} ${to}`),
          readdressHomeServices: async () => void calls.push('services'),
        }),
      },
    })
    running.push(device)
    calls.length = 0
    return { device, calls, events }
  }

  it('renumbers first, then moves HTTP, then the home services, then reports', async () => {
    const { device, calls, events } = await start(true)
    expect(await device.readdress('198.18.0.120')).toEqual({ ok: true })
    expect(calls).toEqual(['renumber 198.18.0.11 198.18.0.120', 'homeHosts', 'services'])
    expect(events.at(-1)).toEqual({ event: 'readdressed', from: '198.18.0.11', to: '198.18.0.120' })
    // The next move starts from the new address.
    expect(await device.readdress('198.18.0.120')).toMatchObject({ ok: false, code: 'same-address' })
    expect(await device.readdress('198.18.0.121')).toEqual({ ok: true })
    expect(calls.at(-3)).toBe('renumber 198.18.0.120 198.18.0.121')
  })

  it('refuses without touching anything when the address is bad or the device changes no network', async () => {
    const { device, calls, events } = await start(true)
    expect(await device.readdress('198.18.0.12')).toMatchObject({ ok: false, code: 'outside-renumber-pool' })
    expect(calls).toEqual([])
    const sim = await start(false)
    expect(await sim.device.readdress('198.18.0.120')).toMatchObject({ ok: false, code: 'no-home-ipv4' })
    expect(events.some((e) => e.event === 'readdressed') || sim.events.some((e) => e.event === 'readdressed')).toBe(false)
  })
})
