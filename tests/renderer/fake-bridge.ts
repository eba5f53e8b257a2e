/**
 * A Bridge for renderer tests: answers `invoke` from a reply table the test can change, records every call,
 * and lets the test emit host events to whoever subscribed with `on`.
 */
import { fail, type AppInfo, type Bridge, type Channel, type EventName, type Events, type Responses, type Result } from '../../shared/ipc'
import type { NetInterface } from '../../shared/net/interfaces'

/** Replies by channel; a channel without one answers `not-supported`. */
export type Replies = { [C in Channel]?: Result<Responses[C]> }

/** The fake plus its test controls. */
export interface FakeBridge extends Bridge {
  /** Channels invoked, in order. */
  readonly calls: Channel[]
  /** Payloads of the calls, in the same order (undefined for channels without one). */
  readonly payloads: unknown[]
  replies: Replies
  emit<E extends EventName>(event: E, payload: Events[E]): void
  listenerCount(event: EventName): number
}

/** Builds a fake bridge answering from `replies`. */
export function createFakeBridge(replies: Replies = {}): FakeBridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const calls: Channel[] = []
  const payloads: unknown[] = []
  const fake: FakeBridge = {
    calls,
    payloads,
    replies,
    invoke: ((channel: Channel, payload?: unknown) => {
      calls.push(channel)
      payloads.push(payload)
      return Promise.resolve(fake.replies[channel] ?? fail({ code: 'not-supported', message: `no reply for ${channel}` }))
    }) as Bridge['invoke'],
    on: ((event: EventName, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => void set.delete(listener)
    }) as Bridge['on'],
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  }
  return fake
}

/** An interface with sensible defaults: up, external, no addresses. */
export function makeInterface(overrides: Partial<NetInterface> & Pick<NetInterface, 'name'>): NetInterface {
  return { kind: 'unknown', kindReason: 'no hint', isUp: true, isInternal: false, addresses: [], ...overrides }
}

/** A Wi-Fi interface with an IPv4 address and an IPv6 link-local address on zone 3. */
export const WLAN0 = makeInterface({
  name: 'wlan0',
  kind: 'wifi',
  kindReason: 'sysfs: wireless',
  mac: 'aa:bb:cc:dd:ee:ff',
  isRunning: true,
  addresses: [
    { address: '192.168.1.23', family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'site' },
    { address: 'fe80::a8bb:ccff:fedd:eeff', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', prefixLength: 64, scope: 'link', scopeId: 3 },
  ],
})

/** The loopback interface. */
export const LO = makeInterface({
  name: 'lo',
  kind: 'loopback',
  kindReason: 'loopback flag',
  isInternal: true,
  addresses: [{ address: '127.0.0.1', family: 'IPv4', netmask: '255.0.0.0', prefixLength: 8, scope: 'host' }],
})

/** A wired interface that is down. */
export const ETH0 = makeInterface({ name: 'eth0', kind: 'ethernet', kindReason: 'sysfs: type 1', isUp: false })

/** A VPN tunnel that appears later. */
export const TUN0 = makeInterface({
  name: 'tun0',
  kind: 'tunnel',
  kindReason: 'link kind: tun',
  addresses: [{ address: '10.8.0.2', family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'site' }],
})

/** What `app:info` answers under the web host. */
export const APP_INFO: AppInfo = {
  name: 'Porchlight',
  version: '0.1.0',
  platform: 'linux',
  arch: 'x64',
  hostKind: 'web',
  runtime: { node: '20.19.0' },
}
