/**
 * `porchlight discover`: its argument parsing, its usage errors (exit 2, one line, no core built), and its
 * output on a fake core whose engine returns real model devices: the --json array, the table, the
 * "what was tried" message, and --watch's JSON lines.
 */
import { describe, expect, it } from 'vitest'
import { runCli, type CliDeps } from '../../../app/cli/cli'
import { DEFAULT_DISCOVER_TIMEOUT_MS, parseServiceType, parseTimeout } from '../../../app/cli/discover'
import type { Core } from '../../../main/core'
import type { DiscoveryEngine } from '../../../main/discovery/engine'
import type { Device, DeviceChange } from '../../../main/discovery/model'
import type { DiscoveryService } from '../../../main/discovery/service'
import type { DiscoveryStatus } from '../../../shared/discovery/view'
import { aaaa, announce, setup as setupModel } from '../../main/discovery/model/harness'

describe('parseServiceType', () => {
  it.each([
    ['_hap._tcp', '_hap._tcp'],
    ['_hap._tcp.local', '_hap._tcp'],
    ['_hap._tcp.local.', '_hap._tcp'],
    ['_matterc._udp', '_matterc._udp'],
    ['_printer._sub._http._tcp', '_printer._sub._http._tcp'],
    ['_esp_local_ctrl._tcp', '_esp_local_ctrl._tcp'],
  ])('accepts %j as %j', (input, type) => expect(parseServiceType(input)).toBe(type))

  it('is case-insensitive like every DNS name (RFC 6762 §16): `.LOCAL` is stripped, so `_TCP` must pass too', () => {
    expect(parseServiceType('_HAP._TCP.LOCAL')).toBe('_HAP._TCP')
    expect(parseServiceType('_hap._Udp')).toBe('_hap._Udp')
  })

  it.each(['', 'hap._tcp', '_hap', '_hap._xyz', '_hap._tcp.example.com', '_hap._tcp;rm -rf /', '_h ap._tcp', '._tcp', `_${'a'.repeat(63)}._tcp`, '_x._sub._tcp'])(
    'rejects %j', (input) => expect(parseServiceType(input)).toBeUndefined())
})

describe('parseTimeout', () => {
  it.each([['5', 5000], ['0.5', 500], ['2.25', 2250], ['86400', 86_400_000]])('accepts %j seconds as %d ms', (input, ms) => expect(parseTimeout(input)).toBe(ms))
  it.each(['', '0', '-1', 'soon', 'NaN', 'Infinity', '86401', '1e9'])('rejects %j', (input) => expect(parseTimeout(input)).toBeUndefined())
})

const STATUS: DiscoveryStatus = {
  running: true, startedAt: 0, options: { includeTunnels: false, includePeerToPeer: false },
  interfaces: [
    { name: 'eth0', kind: 'ethernet', families: ['IPv4', 'IPv6'], state: 'active', reason: '' },
    { name: 'tun0', kind: 'tunnel', families: ['IPv4'], state: 'skipped', reason: 'VPN or tunnel: skipped by default' },
  ],
  types: ['_hap._tcp'], queriesSent: 3, packetsReceived: 0, packetsIgnored: 0, ownsPort: true, problems: [],
}

/** Two real model devices: a lamp with IPv4 and link-local IPv6, and a plug. */
function modelDevices(): Device[] {
  const m = setupModel()
  m.receive('eth0', ...announce('Porch Lamp', 'porch-lamp.local', '198.18.0.40', ['id=lamp', 'md=Lamp', 'flag']), aaaa('porch-lamp.local', 'fe80::1'))
  m.receive('eth0', ...announce('Plug', 'plug.local', '198.18.0.41', ['id=plug']))
  return m.model.devices()
}

interface FakeRun {
  status?: DiscoveryStatus
  devices?: Device[]
  /** Device changes the engine reports while --watch runs. */
  watch?: DeviceChange[]
}

async function run(argv: string[], fake: FakeRun = {}) {
  const out: string[] = []
  const err: string[] = []
  const made: Parameters<CliDeps['makeCore']>[0][] = []
  const slept: number[] = []
  let disposed = 0
  let listener: ((change: DeviceChange) => void) | undefined
  const engine = {
    snapshot: () => ({ status: fake.status ?? STATUS, devices: [] }),
    devices: () => fake.devices ?? [],
    subscribeDevices: (l: (change: DeviceChange) => void) => {
      listener = l
      return () => void (listener = undefined)
    },
  } as unknown as DiscoveryEngine
  const discovery = { ensureStarted: async () => engine } as unknown as DiscoveryService
  const code = await runCli(argv, {
    makeCore: (options) => {
      made.push(options)
      return { handlers: {} as Core['handlers'], events: {} as Core['events'], discovery, setup: {} as Core['setup'], setupRestored: Promise.resolve(), dispose: () => void disposed++ }
    },
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    stopSignal: new Promise(() => undefined), // never: the timeout ends every run here
    sleep: async (ms) => {
      slept.push(ms)
      await new Promise((resolve) => setImmediate(resolve)) // the command subscribes after starting the timer
      for (const change of fake.watch ?? []) listener?.(change)
    },
  })
  return { code, out, err, made, slept, disposed }
}

describe('runCli discover: usage errors', () => {
  it.each([
    [['discover', '--type', 'bad'], "porchlight: --type 'bad' is not a service type like _http._tcp (see porchlight --help)"],
    [['discover', '--type', '_hap._xyz'], "porchlight: --type '_hap._xyz' is not a service type like _http._tcp (see porchlight --help)"],
    [['discover', '--timeout', 'soon'], "porchlight: --timeout 'soon' is not a number of seconds (see porchlight --help)"],
    [['discover', '--timeout', '0'], "porchlight: --timeout '0' is not a number of seconds (see porchlight --help)"],
    [['interfaces', '--type', '_hap._tcp'], "porchlight: --type is only for 'discover' (see porchlight --help)"],
    [['info', '--timeout', '5'], "porchlight: --timeout is only for 'discover' and 'monitor' (see porchlight --help)"],
    [['discover', 'extra'], "porchlight: unexpected argument 'extra' (see porchlight --help)"],
  ])('%j → exit 2, one line, and no core is built', async (argv, message) => {
    const result = await run(argv)
    expect(result).toMatchObject({ code: 2, out: [], err: [message], made: [] })
  })

  it('a missing option value is a usage error too', async () => {
    const result = await run(['discover', '--type'])
    expect(result.code).toBe(2)
    expect(result.err).toHaveLength(1)
    expect(result.err[0]).toMatch(/^porchlight: .*--type.* \(see porchlight --help\)$/)
  })
})

describe('runCli discover: output', () => {
  it('--type narrows the engine to that type without enumeration; --timeout is honoured', async () => {
    const result = await run(['discover', '--type', '_hap._tcp.local', '--timeout', '2', '--json'], { devices: modelDevices() })
    expect(result.made).toEqual([{ watch: false, discovery: { types: ['_hap._tcp'], enumerate: false } }])
    expect(result.slept).toEqual([2000])
    expect(result.disposed).toBe(1)
  })

  it('--json prints one array of {id, name, services:[{instance, type, port, host, txt, addresses}]}', async () => {
    const result = await run(['discover', '--json'], { devices: modelDevices() })
    expect(result.code).toBe(0)
    expect(result.slept).toEqual([DEFAULT_DISCOVER_TIMEOUT_MS])
    expect(result.out).toHaveLength(1)
    const json = JSON.parse(result.out[0] ?? '') as unknown[]
    expect(json).toHaveLength(2)
    const lamp = (json as { name: string }[]).find((d) => d.name === 'Porch Lamp')
    expect(lamp).toEqual({
      id: expect.stringMatching(/^id-[0-9a-f]{16}$/),
      name: 'Porch Lamp',
      services: [{
        instance: 'Porch Lamp', type: '_hap._tcp', port: 8080, host: 'porch-lamp.local', txt: { id: 'lamp', md: 'Lamp', flag: true },
        addresses: [
          { address: '198.18.0.40', family: 'IPv4', interface: 'eth0' },
          { address: 'fe80::1%eth0', family: 'IPv6', interface: 'eth0' },
        ],
      }],
    })
    expect(result.err).toEqual([])
  })

  it('without --json prints a table with one row per service', async () => {
    const result = await run(['discover'], { devices: modelDevices() })
    const lines = (result.out[0] ?? '').split('\n')
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+HOST:PORT\s+ADDRESSES\s+INTERFACES$/)
    expect(lines.find((l) => l.startsWith('Porch Lamp'))).toMatch(/_hap\._tcp\s+porch-lamp\.local:8080\s+198\.18\.0\.40 fe80::1%eth0\s+eth0$/)
    expect(lines).toHaveLength(3)
  })

  it('finding nothing prints [] and says on stderr what was tried', async () => {
    const result = await run(['discover', '--json'])
    expect(result).toMatchObject({ code: 0, out: ['[]'] })
    expect(result.err.join('\n')).toBe([
      'No devices found. Browsed 1 service types on eth0 (IPv4+IPv6); sent 3 queries, received 0 packets.',
      '  skipped tun0: VPN or tunnel: skipped by default',
      'Run `porchlight interfaces` to check this computer’s networks.',
    ].join('\n'))
  })

  it('exits 1 when discovery cannot listen anywhere', async () => {
    const status: DiscoveryStatus = { ...STATUS, interfaces: [], problems: ['Cannot listen for IPv4 mDNS on port 5353: EACCES'] }
    const result = await run(['discover', '--json'], { status })
    expect(result).toMatchObject({ code: 1, out: [], err: ['porchlight: discovery cannot run: Cannot listen for IPv4 mDNS on port 5353: EACCES'] })
  })

  it('--watch --json streams one {event, device} line per change, without repeating an identical one', async () => {
    const devices = modelDevices()
    const lamp = devices.find((d) => d.name === 'Porch Lamp')
    const plug = devices.find((d) => d.name === 'Plug')
    if (!lamp || !plug) throw new Error('fixture devices missing')
    const watch: DeviceChange[] = [{ type: 'up', device: lamp }, { type: 'up', device: plug }, { type: 'up', device: lamp }, { type: 'down', device: plug }]
    const result = await run(['discover', '--watch', '--json', '--timeout', '3'], { devices: [lamp, plug], watch })
    expect(result.code).toBe(0)
    expect(result.made[0]).toMatchObject({ watch: true })
    expect(result.slept).toEqual([3000])
    const lines = result.out.map((l) => JSON.parse(l) as { event: string; device: { name: string; services: unknown[] } })
    expect(lines.map((l) => `${l.event} ${l.device.name}`)).toEqual(['up Porch Lamp', 'up Plug', 'down Plug'])
    expect(lines[0]?.device.services).toHaveLength(1)
  })

  it('--watch without --json prints +/- lines', async () => {
    const lamp = modelDevices().find((d) => d.name === 'Porch Lamp')
    if (!lamp) throw new Error('fixture device missing')
    const result = await run(['discover', '--watch', '--timeout', '1'], { watch: [{ type: 'up', device: lamp }, { type: 'down', device: lamp }] })
    expect(result.out).toEqual(['+ Porch Lamp (_hap._tcp) 198.18.0.40 fe80::1%eth0', '- Porch Lamp (_hap._tcp) 198.18.0.40 fe80::1%eth0'])
  })
})
