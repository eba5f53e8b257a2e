/**
 * Diagnose data for renderer tests: checks, link quality, device drill-downs and whole reports with sensible
 * defaults; a render helper for the Diagnose screen over a fake bridge; and a way to hold a channel's answer
 * so a test can look at the screen while a run is in flight.
 */
import { render } from '@testing-library/react'
import type { DiagnoseCheck, DeviceReport, DiagnoseReport, LinkQualityView } from '../../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import { ok, type Channel, type Responses, type Result } from '../../../shared/ipc'
import { DiagnoseScreen } from '../../../renderer/features/diagnose/diagnose-screen'
import { createAppStore, StoreContext, subscribeToHost } from '../../../renderer/store'
import { makeStatus } from '../discover/fixtures'
import { createFakeBridge, WLAN0, type FakeBridge, type Replies } from '../fake-bridge'

/** A fixed wall-clock for reports. */
export const NOW = 1_700_000_000_000

/** A passing host check. */
export function makeCheck(overrides: Partial<DiagnoseCheck> & Pick<DiagnoseCheck, 'id'>): DiagnoseCheck {
  return { group: 'host', title: `Check ${overrides.id}`, status: 'pass', summary: `Summary of ${overrides.id}.`, advice: '', ...overrides }
}

/** The host checks of a run with one of each status, in groups out of display order. */
export const HOST_CHECKS: DiagnoseCheck[] = [
  makeCheck({ id: 'port-5353', group: 'ports', title: 'mDNS port 5353', summary: 'Port 5353 is shared with avahi-daemon (pid 612).', facts: { port: 5353, owner: { process: 'avahi-daemon', pid: 612 } } }),
  makeCheck({ id: 'default-route', group: 'host', title: 'Default route', summary: 'The default route goes through wlan0.', facts: { defaultRouteV4: 'wlan0', viaVpn: false, gateways: ['192.168.1.1', 'fe80::1%wlan0'] } }),
  makeCheck({
    id: 'multicast-wlan0',
    group: 'multicast',
    title: 'Multicast on wlan0',
    status: 'fail',
    summary: 'Our own multicast probe did not come back on wlan0; broadcast did.',
    advice: 'Allow Porchlight under Local Network.',
    steps: ['Open System Settings › Privacy & Security › Local Network.', 'Turn Porchlight on.', 'Quit and reopen Porchlight.'],
    facts: { interface: 'wlan0', multicast: { sent: 3, received: 0 }, broadcast: { sent: 3, received: 3 }, error: null },
  }),
  makeCheck({ id: 'vpn', group: 'host', title: 'VPN or tunnel', status: 'warn', summary: 'utun3 is up but does not own the default route.', advice: 'If devices go missing, disconnect the VPN and try again.' }),
  makeCheck({ id: 'resolver-cross-check', group: 'resolver', title: 'System resolver', status: 'skip', summary: 'dns-sd is not installed on this computer.', advice: '' }),
  makeCheck({ id: 'dns-udp-tcp', group: 'dns', title: 'DNS over UDP and TCP', summary: 'Both answered the same.' }),
]

/** Five seconds of probes every 250 ms with two losses in the middle and one spike. */
export function makeLink(overrides: Partial<LinkQualityView> = {}): LinkQualityView {
  const rtts = [3, 4, 3, null, null, 5, 4, 42, 3, 4]
  return {
    method: 'TCP connect to 192.168.1.50:8080 every 250 ms',
    samples: rtts.map((rttMs, i) => ({ at: 10_000 + i * 250, rttMs })),
    lossPct: 20,
    rtt: { min: 3, p50: 4, p95: 42, max: 42 },
    jitterMs: 6.5,
    longestGapMs: 750,
    spikes: 1,
    periodic: { periodMs: 102_400, explanation: 'Looks like the Wi-Fi scanning for other networks every 102 s.' },
    status: 'warn',
    summary: '20 % of probes got no answer.',
    advice: 'Move the device closer to the access point.',
    ...overrides,
  }
}

/** The drill-down of the lamp: reachable, with a link measured. */
export function makeDeviceReport(overrides: Partial<DeviceReport> = {}): DeviceReport {
  return {
    deviceId: 'lamp',
    name: 'Porch Lamp',
    status: 'warn',
    checks: [
      makeCheck({ id: 'advert-additionals', group: 'device', title: 'Announcement', summary: 'SRV, TXT and A records arrive together.' }),
      makeCheck({ id: 'reach-lamp', group: 'device', title: 'Reachable', summary: 'Answered on 192.168.1.50:8080 in 3 ms.', facts: { winner: '192.168.1.50:8080', tried: [{ address: 'fe80::1%wlan0', result: 'timeout' }] } }),
      makeCheck({ id: 'link-lamp', group: 'device', title: 'Link quality', status: 'warn', summary: '20 % of probes got no answer.', advice: 'Move the device closer to the access point.' }),
    ],
    link: makeLink(),
    ...overrides,
  }
}

/** A finished run: the host checks above (worst: fail) and the given device drill-downs. */
export function makeReport(overrides: Partial<DiagnoseReport> = {}): DiagnoseReport {
  return {
    startedAt: NOW,
    finishedAt: NOW + 4200,
    host: { app: 'Porchlight', version: '0.1.0', hostKind: 'web', platform: 'linux', release: '6.8.0', arch: 'x64' },
    status: 'fail',
    checks: HOST_CHECKS,
    devices: [],
    ...overrides,
  }
}

/** Renders the Diagnose screen over a fake bridge; `devices` are already known to the discover slice. */
export function renderDiagnose(replies: Replies = {}, devices: readonly DiscoveredDevice[] = []) {
  const bridge: FakeBridge = createFakeBridge({ 'net:interfaces': ok([WLAN0]), ...replies })
  const store = createAppStore(bridge, { screen: 'diagnose' })
  subscribeToHost(store, bridge)
  if (devices.length > 0) {
    store.getState().applyDiscoveryChange({ devices: [...devices], removed: [], status: makeStatus() })
    store.setState({ discoveryLoad: 'ready' })
  }
  const view = render(<StoreContext.Provider value={store}><DiagnoseScreen /></StoreContext.Provider>)
  return { bridge, store, ...view }
}

/** Makes `channel` wait: its calls resolve only when the returned `answer` is called with a result. */
export function holdChannel<C extends Channel>(bridge: FakeBridge, channel: C): (result: Result<Responses[C]>) => void {
  const waiting: ((result: Result<Responses[C]>) => void)[] = []
  const invoke = bridge.invoke.bind(bridge)
  bridge.invoke = ((name: Channel, ...args: unknown[]) => {
    if (name !== channel) return (invoke as (name: Channel, ...rest: unknown[]) => Promise<unknown>)(name, ...args)
    bridge.calls.push(name)
    bridge.payloads.push(args[0])
    return new Promise((resolve) => waiting.push(resolve as (result: Result<Responses[C]>) => void))
  }) as FakeBridge['invoke']
  return (result) => waiting.shift()?.(result)
}

/** Elements that would mean untrusted text became markup or ran. */
export const HOSTILE_IMG = '<img src=x onerror=window.__xss=1>'
/** A script tag that would set a marker if it ran. */
export const HOSTILE_SCRIPT = '<script>window.__xss=2</script>'
