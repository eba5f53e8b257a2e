import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildHostChecks, runHostChecks } from '../../../main/diagnose/host-checks'
import { parseIpAddrJson } from '../../../main/net/linux-interfaces'
import type { CommandOutput, RunCommand } from '../../../main/util/exec'
import { DiagnoseCheck } from '../../../shared/diagnose/view'
import type { InterfaceKind, NetInterface } from '../../../shared/net/interfaces'

const fixtures = join(import.meta.dirname, 'fixtures', 'routes')
const read = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8')
const out = (stdout: string, exitCode = 0, stderr = ''): CommandOutput => ({ stdout, stderr, exitCode })
const IDS = ['interfaces', 'default-route-ipv4', 'default-route-ipv6', 'vpn', 'several-active-interfaces', 'no-usable-interface']

function replay(answers: Record<string, CommandOutput>): RunCommand {
  return async (file, args) => answers[[file, ...args].join(' ')] ?? out('', 127, 'unexpected command')
}

/** The recorded links are veths named like laptop hardware; give them the kinds that hardware has (README). */
const STAND_IN: Record<string, InterfaceKind> = { enp0s31f6: 'ethernet', wlp2s0: 'wifi' }

async function linuxChecks(scenario: string) {
  const file = (name: string) => read('linux', scenario, name)
  const run = replay({
    'ip -json -4 route show table all': out(file('route-4.json')),
    'ip -json -6 route show table all': out(file('route-6.json')),
    'ip -json -4 rule show': out(file('rule-4.json')),
    'ip -json -6 rule show': out(file('rule-6.json')),
  })
  const readInterfaces = async () => parseIpAddrJson(file('ip-addr.json'), new Map()).map((i) => ({ ...i, kind: STAND_IN[i.name] ?? i.kind }))
  return byId(await runHostChecks({ run, platform: 'linux', readInterfaces }))
}

function byId(checks: DiagnoseCheck[]) {
  expect(checks.map((c) => c.id)).toEqual(IDS)
  for (const c of checks) {
    expect(DiagnoseCheck.safeParse(c).success, c.id).toBe(true)
    expect(c.group).toBe('host')
    expect(c.advice === '', `${c.id}: advice only when something is to be done`).toBe(c.status === 'pass' || c.status === 'skip')
  }
  return Object.fromEntries(checks.map((c) => [c.id, c])) as Record<string, DiagnoseCheck>
}

function iface(name: string, kind: InterfaceKind, addresses: string[], state: Partial<NetInterface> = {}): NetInterface {
  return {
    name, kind, kindReason: 'test', isUp: true, isRunning: true, isInternal: kind === 'loopback',
    addresses: addresses.map((a) => {
      const [address = '', length = '24'] = a.split('/')
      const family = address.includes(':') ? 'IPv6' : 'IPv4'
      return { address, family, netmask: family === 'IPv4' ? '255.255.255.0' : 'ffff:ffff:ffff:ffff::', prefixLength: Number(length), scope: address.startsWith('fe80') ? 'link' : 'global' }
    }),
    ...state,
  }
}

describe('runHostChecks on recorded Linux machines', () => {
  it('laptop with Ethernet and Wi-Fi: Ethernet owns both default routes, and two connections are active', async () => {
    const c = await linuxChecks('laptop')
    expect(c.interfaces).toMatchObject({ status: 'pass', summary: '3 network interfaces found; usable for local devices: enp0s31f6 (Ethernet) and wlp2s0 (Wi-Fi).' })
    expect(c.interfaces?.facts?.interfaces).toContainEqual({ name: 'wlp2s0', kind: 'wifi', kindReason: 'link kind veth', up: true, running: true, addresses: ['198.18.1.23/24', 'fd00:1::23/64', expect.stringMatching(/^fe80::.*%3\/64$/)] })
    expect(c['default-route-ipv4']).toMatchObject({ status: 'pass', summary: 'IPv4 traffic to other networks and the Internet leaves through enp0s31f6 (Ethernet), gateway 198.18.4.1.' })
    expect(c['default-route-ipv4']?.facts?.unusedDefaultRoutes).toEqual(['0.0.0.0/0 via 198.18.1.1 dev wlp2s0 metric 600'])
    expect(c['default-route-ipv6']).toMatchObject({ status: 'pass', summary: expect.stringContaining('enp0s31f6 (Ethernet), gateway fe80::1') })
    expect(c.vpn).toMatchObject({ status: 'pass', summary: 'No VPN or tunnel is active.' })
    expect(c['several-active-interfaces']).toMatchObject({ status: 'warn', summary: '2 network connections are active, on different networks: enp0s31f6 (Ethernet) 198.18.4.23/24 and wlp2s0 (Wi-Fi) 198.18.1.23/24 fd00:1::23/64. enp0s31f6 carries the default route (traffic to the Internet).' })
    expect(c['several-active-interfaces']?.advice).toMatch(/^The accessory must be on the same network as one of them/)
    expect(c['no-usable-interface']?.status).toBe('pass')
  })

  it('OpenVPN def1: the VPN captures the default traffic through /1 routes, in both families', async () => {
    const c = await linuxChecks('openvpn-def1')
    expect(c.vpn).toMatchObject({
      status: 'warn',
      summary: 'A VPN or tunnel is active: tun0 captures the IPv4 and IPv6 default traffic through the routes 0.0.0.0/1, 128.0.0.0/1, 2000::/4 and 3000::/4 without replacing the default routes. Local discovery and connections to accessories may fail or go through the VPN.',
      advice: expect.stringContaining('"allow local network access"'),
    })
    expect(c['default-route-ipv4']).toMatchObject({
      status: 'warn',
      summary: 'IPv4 traffic to other networks and the Internet leaves through tun0 (VPN/tunnel), gateway 198.18.9.1: the routes 0.0.0.0/1 and 128.0.0.0/1 take precedence over the default route via wlp2s0. Because that is a VPN or tunnel, local discovery and connections to accessories may fail or go through the VPN.',
    })
    expect(c['several-active-interfaces']).toMatchObject({ status: 'pass', summary: 'Only one network connection is active: wlp2s0 (Wi-Fi).' })
  })

  it('wg-quick: names wg0 as owning both default routes through its policy rule', async () => {
    const c = await linuxChecks('wg-quick')
    expect(c.vpn?.summary).toBe('A VPN or tunnel is active: wg0 owns the IPv4 and IPv6 default routes. Local discovery and connections to accessories may fail or go through the VPN.')
    expect(c.vpn?.facts?.owners).toEqual([
      { family: 'IPv4', interfaces: ['wg0'], how: 'default-route', rule: '32765: not from all fwmark 0xca6c lookup 51820' },
      { family: 'IPv6', interfaces: ['wg0'], how: 'default-route', rule: '32765: not from all fwmark 0xca6c lookup 51820' },
    ])
    expect(c['default-route-ipv4']?.summary).toContain('wg0 (VPN/tunnel), chosen by the policy rule "32765: not from all fwmark 0xca6c lookup 51820".')
  })

  it('Tailscale exit node: tailscale0 owns both default routes through table 52', async () => {
    const c = await linuxChecks('tailscale-exit-node')
    expect(c.vpn?.summary).toContain('tailscale0 owns the IPv4 and IPv6 default routes')
    expect(c['no-usable-interface']?.status).toBe('pass')
  })

  it('a tunnel that replaced the IPv4 default route; no IPv6 default route is a skip, not a problem', async () => {
    const c = await linuxChecks('tun-default')
    expect(c.vpn).toMatchObject({ status: 'warn', facts: { tunnels: ['tun0'], owners: [{ family: 'IPv4', interfaces: ['tun0'], how: 'default-route' }] } })
    expect(c['default-route-ipv6']).toMatchObject({ status: 'skip', summary: expect.stringContaining('normal on networks without IPv6') })
  })

  it('multipath: the default route is shared between Ethernet and Wi-Fi', async () => {
    const c = await linuxChecks('multipath')
    expect(c['default-route-ipv4']?.summary).toBe('IPv4 traffic to other networks and the Internet leaves through enp0s31f6 (Ethernet) and wlp2s0 (Wi-Fi), shared between them, gateway 198.18.4.1 and 198.18.1.1.')
  })

  it('rules-edge: a /1 route through the Wi-Fi link is not taken for a VPN', async () => {
    const c = await linuxChecks('rules-edge')
    expect(c.vpn?.status).toBe('pass')
    expect(c['default-route-ipv4']).toMatchObject({ status: 'pass', summary: expect.stringContaining(': the route 0.0.0.0/1 takes precedence over the default route') })
  })

  it('a network without a router: no IPv4 default route is a warning with what to check', async () => {
    const c = await linuxChecks('no-default')
    expect(c['default-route-ipv4']).toMatchObject({ status: 'warn', summary: expect.stringContaining('no IPv4 Internet access') })
    expect(c['several-active-interfaces']?.status).toBe('pass')
    expect(c.vpn?.status).toBe('pass')
  })
})

describe('runHostChecks on reconstructed macOS and Windows output', () => {
  it('macOS with wg-quick: utun3 captures both families; AWDL is not a connection of its own', async () => {
    const run = replay({
      '/sbin/route -n get default': out(read('darwin', 'route-get-default-en0.txt')),
      '/sbin/route -n get -inet6 default': out(read('darwin', 'route-get-inet6-default-en0.txt')),
      '/usr/sbin/netstat -rn': out(read('darwin', 'netstat-rn-wg-quick.txt')),
    })
    const interfaces = [iface('lo0', 'loopback', ['127.0.0.1/8']), iface('en0', 'wifi', ['198.18.1.23/24', 'fe80::1c2b:3d4e:5f60:7182/64']),
      iface('awdl0', 'peer-to-peer', ['fe80::a0b1:c2ff:fed3:e4f5/64']), iface('utun3', 'tunnel', ['198.18.8.2/32'])]
    const c = byId(await runHostChecks({ run, platform: 'darwin', readInterfaces: async () => interfaces }))
    expect(c.vpn?.facts?.owners).toEqual([
      { family: 'IPv4', interfaces: ['utun3'], how: 'split-routes', rule: null },
      { family: 'IPv6', interfaces: ['utun3'], how: 'split-routes', rule: null },
    ])
    expect(c['several-active-interfaces']?.status).toBe('pass')
  })

  it('Windows with WireGuard: the tunnel owns both defaults by metric; Wi-Fi and Ethernet on one network', async () => {
    const script = 'powershell.exe'
    const run: RunCommand = async (file) => (file === script ? out(read('windows', 'get-netroute-wireguard.json')) : out('', 1))
    const interfaces = [iface('Wi-Fi', 'wifi', ['198.18.4.21/24']), iface('Ethernet 3', 'ethernet', ['198.18.4.23/24']),
      iface('wg-office', 'tunnel', ['198.18.8.3/32']), iface('vEthernet (Default Switch)', 'virtual', ['198.18.16.1/20'])]
    const c = byId(await runHostChecks({ run, platform: 'win32', readInterfaces: async () => interfaces }))
    expect(c.vpn?.summary).toContain('wg-office owns the IPv4 and IPv6 default routes')
    expect(c['several-active-interfaces']?.summary).toMatch(/^2 network connections are active on the same network \(198\.18\.4\.0\/24\): Wi-Fi \(Wi-Fi\)/)
    expect(c['several-active-interfaces']?.summary).toContain('None of them carries the default route.')
  })
})

describe('buildHostChecks', () => {
  const ipv4 = (dest: string, dev: string) => ({ ok: true as const, value: { family: 'IPv4' as const, notes: [], routes: [
    { family: 'IPv4' as const, destination: dest, prefixLength: 0, type: 'unicast' as const, nexthops: [{ interface: dev }], metric: 0, table: 'main' }] } })
  const noV6 = { ok: true as const, value: { family: 'IPv6' as const, routes: [], notes: [] } }

  it('fails "no usable interface" when only a VPN has an address, with steps', () => {
    const interfaces = [iface('lo', 'loopback', ['127.0.0.1/8']), iface('wlan0', 'wifi', [], { isRunning: false }), iface('tun0', 'tunnel', ['198.18.9.6/24'])]
    const c = byId(buildHostChecks({ interfaces: { ok: true, value: interfaces }, routes: { IPv4: ipv4('0.0.0.0/0', 'tun0'), IPv6: noV6 } }))
    expect(c['no-usable-interface']).toMatchObject({ status: 'fail', summary: expect.stringContaining('Only the VPN/tunnel tun0 has one') })
    expect(c['no-usable-interface']?.steps).toHaveLength(3)
    expect(c.interfaces?.status).toBe('warn')
    expect(c['several-active-interfaces']?.status).toBe('skip')
  })

  it('counts a bridge or virtual adapter only when it owns a default route (Hyper-V external switch, br0)', () => {
    const interfaces = [iface('vEthernet (External)', 'virtual', ['198.18.4.30/24']), iface('docker0', 'bridge', ['198.18.17.1/24']), iface('virbr0', 'bridge', ['198.18.122.1/24'])]
    const c = byId(buildHostChecks({ interfaces: { ok: true, value: interfaces }, routes: { IPv4: ipv4('0.0.0.0/0', 'vEthernet (External)'), IPv6: noV6 } }))
    expect(c['no-usable-interface']?.facts).toEqual({ usable: ['vEthernet (External)'] })
    expect(c['several-active-interfaces']?.status).toBe('pass')
  })

  it('warns instead of failing when only virtual adapters are connected (a VM, a container, the lab)', () => {
    const interfaces = [iface('docker0', 'bridge', ['198.18.17.1/24']), iface('wlan0', 'wifi', [], { isUp: false, isRunning: false })]
    const c = byId(buildHostChecks({ interfaces: { ok: true, value: interfaces }, routes: { IPv4: { ok: true, value: { family: 'IPv4', routes: [], notes: [] } }, IPv6: noV6 } }))
    expect(c['no-usable-interface']).toMatchObject({ status: 'warn', summary: expect.stringContaining('Only virtual or bridge adapters are connected: docker0 (bridge).') })
  })

  it('warns more mildly about a tunnel that is up but carries no default route', () => {
    const interfaces = [iface('wlan0', 'wifi', ['198.18.0.2/24']), iface('tailscale0', 'tunnel', ['198.18.7.5/32'])]
    const c = byId(buildHostChecks({ interfaces: { ok: true, value: interfaces }, routes: { IPv4: ipv4('0.0.0.0/0', 'wlan0'), IPv6: noV6 } }))
    expect(c.vpn).toMatchObject({ status: 'warn', summary: expect.stringContaining('is up (tailscale0) but does not carry the default route') })
  })

  it('skips what could not be read, saying why, and never throws', () => {
    const error = { code: 'tool-missing' as const, message: 'ip is not installed' }
    const c = byId(buildHostChecks({ interfaces: { ok: false, error: { code: 'interfaces-unreadable', message: 'boom' } }, routes: { IPv4: { ok: false, error }, IPv6: { ok: false, error } } }))
    for (const id of IDS) expect(c[id]?.status, id).toBe('skip')
    expect(c['default-route-ipv4']?.summary).toBe('Could not read the IPv4 routes: ip is not installed.')
    expect(c.interfaces?.summary).toBe('Could not list the network interfaces: boom.')
  })

  it('runHostChecks turns a rejecting interface reader into a skip and times both reads with the injected clock', async () => {
    let t = 0
    const checks = await runHostChecks({ run: replay({}), platform: 'linux', readInterfaces: () => Promise.reject(new Error('no table')), now: () => (t += 5) })
    expect(checks[0]).toMatchObject({ id: 'interfaces', status: 'skip', summary: 'Could not list the network interfaces: no table.' })
    for (const c of checks) expect(c.tookMs).toBeGreaterThan(0)
  })
})
