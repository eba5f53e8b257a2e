/**
 * A fake kernel for the lab host-Wi-Fi adapter: a RunCommand that keeps link state the way `ip` reports it
 * (shapes recorded from iproute2 6.x), with the lab networks and a manual clock, shared by the lab tests.
 */
import type { CommandOutput, RunCommand } from '../../../main/util/exec'
import { createLabWifi, type LabWifiNetwork, type LabWifiOptions } from '../../../main/wifi/lab-adapter'
import { createFakeClock, type FakeClock } from '../../helpers/fake-clock'

export const HOME_PASS = 'home-secret-1'
export const AP_PASS = 'ap-secret-22'
export const networks: LabWifiNetwork[] = [
  { ssid: 'Home', passphrase: HOME_PASS, bridge: 'br-home', signal: 80, address4: '198.18.0.2/24', address6: 'fd00:706c:78::2/64',
    bssid: '02:70:6c:78:00:00', channel: 6 },
  { ssid: 'PROV_A1', passphrase: AP_PASS, bridge: 'br-ap-a1', signal: 70, address4: '198.19.1.2/24', beaconLink: 'p-a1-ap' },
  { ssid: 'PROV_A2', bridge: 'br-ap-a2', signal: 40, address4: '198.19.2.2/24', beaconLink: 'p-a2-ap' },
]

/** Just enough of the kernel: masters, carriers, wlan0's addresses and a DAD that ends `dadMs` after link-up. */
export function fakeKernel(clock: FakeClock, dadMs = 120) {
  const state = {
    master: 'br-home' as string | undefined,
    beacons: new Map([['p-a1-ap', true], ['p-a2-ap', true]]),
    isWlanUp: true,
    dadEndsAt: 0,
    addrs: ['198.18.0.2/24'],
    failOn: '',
  }
  const calls: string[][] = []
  const out = (stdout: string, exitCode = 0, stderr = ''): CommandOutput => ({ stdout, stderr, exitCode })
  const flags = (isUp: boolean) => (isUp ? ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] : ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'])
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args])
    const [, ns, ...rest] = args
    const cmd = rest.join(' ')
    if (state.failOn && cmd.includes(state.failOn)) return out('', 2, 'RTNETLINK answers: Operation not permitted')
    if (ns === 'sw' && cmd === '-j link show') {
      return out(JSON.stringify([
        { ifindex: 2, ifname: 'br-home', flags: flags(true), operstate: 'UP' },
        { ifindex: 5, ifname: 'p-app', flags: flags(state.isWlanUp), operstate: state.isWlanUp ? 'UP' : 'DOWN', ...(state.master ? { master: state.master } : {}) },
        ...[...state.beacons].map(([ifname, isUp], i) => ({ ifindex: 6 + i, ifname, flags: flags(isUp), master: `br-ap-a${i + 1}` })),
      ]))
    }
    if (ns === 'app' && cmd === '-j link show dev wlan0') return out(JSON.stringify([{ ifindex: 2, ifname: 'wlan0', flags: flags(state.isWlanUp), link_netnsid: 0 }]))
    if (ns === 'app' && cmd === '-j -6 addr show dev wlan0') {
      const isTentative = clock.now() < state.dadEndsAt
      const linkLocal = { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link', ...(isTentative ? { tentative: true } : {}) }
      return out(JSON.stringify([{ ifname: 'wlan0', addr_info: [linkLocal] }]))
    }
    if (ns === 'sw' && rest[0] === 'link' && rest[3] === 'master') return (state.master = rest[4]), out('')
    if (ns === 'app' && cmd === 'link set wlan0 down') return (state.isWlanUp = false), out('')
    if (ns === 'app' && cmd === 'link set wlan0 up') return (state.isWlanUp = true), (state.dadEndsAt = clock.now() + dadMs), out('')
    if (ns === 'app' && cmd === 'addr flush dev wlan0') return (state.addrs = []), out('')
    if (ns === 'app' && rest[0] === 'addr' && rest[1] === 'add') return state.addrs.push(rest[2] ?? ''), out('')
    if (ns === 'app' && cmd === 'route replace 224.0.0.0/4 dev wlan0') return out('')
    return out('', 1, `fake kernel: unexpected ip ${args.join(' ')}`)
  }
  return { state, calls, run }
}

export function setup(opts: { dadMs?: number; port?: () => string; extra?: Partial<LabWifiOptions> } = {}) {
  const clock = createFakeClock()
  const kernel = fakeKernel(clock, opts.dadMs)
  const wifi = createLabWifi({ run: kernel.run, clock, switchNs: 'sw', appNs: 'app', ifname: 'wlan0', switchPort: opts.port ?? 'p-app', networks, joinTimeoutMs: 2000, ...opts.extra })
  return { clock, kernel, wifi }
}

/** Resolves `promise` while advancing the fake clock in steps, up to `maxMs`. */
export async function settle<T>(clock: FakeClock, promise: Promise<T>, maxMs = 10_000): Promise<T> {
  let done = false
  void promise.then(() => (done = true), () => (done = true))
  for (let t = 0; t < maxMs && !done; t += 10) await clock.advance(10)
  return promise
}
