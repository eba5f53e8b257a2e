/**
 * Discovery data for renderer tests: devices, services, statuses and packets with sensible defaults, a
 * store wired to a fake bridge, and a render helper for the Discover screen.
 */
import { render } from '@testing-library/react'
import type { DiscoveredDevice, DiscoveredService, DiscoveryStatus, RawPacket } from '../../../shared/discovery/view'
import { ok } from '../../../shared/ipc'
import { DiscoverScreen } from '../../../renderer/features/discover/discover-screen'
import { createAppStore, StoreContext, subscribeToHost } from '../../../renderer/store'
import { createFakeBridge, type FakeBridge, type Replies } from '../fake-bridge'

/** A fixed wall-clock for tests that pin Date.now. */
export const NOW = 1_700_000_000_000

/** A resolved service with one TXT key and one address on wlan0. */
export function makeService(overrides: Partial<DiscoveredService> = {}): DiscoveredService {
  return {
    instance: 'Lamp',
    type: '_hap._tcp',
    domain: 'local',
    subtypes: [],
    host: 'lamp.local',
    port: 8080,
    txt: [{ key: 'md', value: 'Lamp 2', hex: '4c616d702032', isText: true }],
    txtRaw: ['6d643d4c616d702032'],
    addresses: [{ address: '192.168.1.50', family: 'IPv4', interface: 'wlan0' }],
    interfaces: ['wlan0'],
    resolved: true,
    ...overrides,
  }
}

/** A device that is up on wlan0 with one `_hap._tcp` service. */
export function makeDevice(overrides: Partial<DiscoveredDevice> & Pick<DiscoveredDevice, 'id'>): DiscoveredDevice {
  const name = overrides.name ?? `Device ${overrides.id}`
  return {
    name,
    groupedBy: 'id',
    types: ['_hap._tcp'],
    interfaces: ['wlan0'],
    services: [makeService({ instance: name })],
    addresses: [{ address: '192.168.1.50', family: 'IPv4', interface: 'wlan0' }],
    status: 'up',
    firstSeenAt: NOW - 60_000,
    lastChangeAt: NOW - 60_000,
    history: [{ at: NOW - 60_000, event: 'up', detail: 'answered on wlan0' }],
    ...overrides,
  }
}

/** `count` devices named "Device 0000" … in order. */
export function manyDevices(count: number): DiscoveredDevice[] {
  return Array.from({ length: count }, (_, i) => {
    const id = String(i).padStart(4, '0')
    return makeDevice({ id, name: `Device ${id}` })
  })
}

/** A running engine on wlan0 (active) with a skipped tunnel, started `startedAgoMs` before Date.now(). */
export function makeStatus(overrides: Partial<DiscoveryStatus> = {}, startedAgoMs = 60_000): DiscoveryStatus {
  return {
    running: true,
    startedAt: Date.now() - startedAgoMs,
    options: { includeTunnels: false, includePeerToPeer: false },
    interfaces: [
      { name: 'wlan0', kind: 'wifi', families: ['IPv4', 'IPv6'], state: 'active', reason: '' },
      { name: 'utun3', kind: 'tunnel', families: ['IPv4'], state: 'skipped', reason: 'VPN tunnel: rarely carries multicast' },
    ],
    types: ['_hap._tcp', '_matter._tcp'],
    queriesSent: 12,
    packetsReceived: 3,
    packetsIgnored: 0,
    ownsPort: true,
    problems: [],
    ...overrides,
  }
}

/** A packet from the lamp on wlan0. */
export function makePacket(overrides: Partial<RawPacket> = {}): RawPacket {
  return {
    at: NOW - 5_000,
    interface: 'wlan0',
    from: '192.168.1.50:5353',
    hex: '000084000000000100000000',
    lines: ['Lamp._hap._tcp.local. 4500 IN TXT "md=Lamp 2"'],
    ...overrides,
  }
}

/** Renders the Discover screen against a fake bridge answering `discovery:snapshot` with these devices. */
export function renderDiscover(devices: readonly DiscoveredDevice[], status: DiscoveryStatus = makeStatus(), replies: Replies = {}) {
  const bridge: FakeBridge = createFakeBridge({ 'discovery:snapshot': ok({ status, devices: [...devices] }), ...replies })
  const store = createAppStore(bridge)
  subscribeToHost(store, bridge)
  const view = render(<StoreContext.Provider value={store}><DiscoverScreen /></StoreContext.Provider>)
  return { bridge, store, ...view }
}

/**
 * jsdom has no layout: give the device listbox a viewport of `viewportHeight` px and a content height from
 * its sizer (what @tanstack/react-virtual reads as `clientHeight` and `scrollHeight`), and an
 * `Element.scrollTo` that moves `scrollTop` and fires `scroll`, as a browser would. Returns the undo.
 */
export function stubListLayout(viewportHeight = 640): () => void {
  const isList = (el: Element) => el.classList.contains('device-list')
  const contentHeight = (el: Element) => parseFloat((el.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0
  const stubs: [object, string, PropertyDescriptor][] = [
    [HTMLElement.prototype, 'clientHeight', { get(this: HTMLElement) { return isList(this) ? viewportHeight : 0 } }],
    [HTMLElement.prototype, 'scrollHeight', { get(this: HTMLElement) { return isList(this) ? Math.max(viewportHeight, contentHeight(this)) : 0 } }],
    [Element.prototype, 'scrollTo', {
      value(this: Element, options: ScrollToOptions) {
        if (options.top !== undefined) this.scrollTop = Math.max(0, Math.min(options.top, this.scrollHeight - this.clientHeight))
        this.dispatchEvent(new Event('scroll'))
      },
    }],
  ]
  const saved = stubs.map(([target, key]) => [target, key, Object.getOwnPropertyDescriptor(target, key)] as const)
  for (const [target, key, descriptor] of stubs) Object.defineProperty(target, key, { configurable: true, ...descriptor })
  return () => {
    for (const [target, key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(target, key, descriptor)
      else Reflect.deleteProperty(target, key)
    }
  }
}
