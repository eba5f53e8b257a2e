/**
 * The `porchlight discover --json` shape (issue #4 point 6): `{id, name, services:[{instance, type, port,
 * host, txt, addresses:[{address, family, interface}]}]}`. Pure, so the CLI and its tests share it.
 */
import type { AddressFamily, Device, ServiceInstance } from './types'

/** One address: link-local IPv6 carries its zone (`fe80::1%wlan0`) so it can be pasted into ping or ssh. */
export interface DiscoverJsonAddress {
  address: string
  family: AddressFamily
  /** The OS interface name the address was seen on. */
  interface: string
}

/** One service of a device. */
export interface DiscoverJsonService {
  instance: string
  type: string
  port: number | null
  host: string | null
  /** First value per key (RFC 6763 §6.4) as UTF-8 text; a key sent without `=` is `true`. */
  txt: Record<string, string | true>
  addresses: DiscoverJsonAddress[]
}

/** One device. */
export interface DiscoverJsonDevice {
  id: string
  name: string
  services: DiscoverJsonService[]
}

function serviceJson(service: ServiceInstance): DiscoverJsonService {
  // Port, host and TXT from the first resolved interface; addresses from all of them, each with its interface.
  const main = service.sightings.find((s) => s.isResolved) ?? service.sightings.find((s) => s.host) ?? service.sightings[0]
  // fromEntries defines own properties, so a hostile `__proto__` key stays a key instead of a prototype.
  const txt = Object.fromEntries((main?.txt?.entries ?? []).map((e): [string, string | true] => [e.displayKey, e.text ?? true]))
  const seen = new Set<string>()
  const addresses = service.sightings.flatMap((s) => s.addresses).flatMap(({ connectAddress, family, interfaceName }) => {
    const key = `${interfaceName}|${connectAddress}`
    if (seen.has(key)) return []
    seen.add(key)
    return [{ address: connectAddress, family, interface: interfaceName }]
  })
  return { instance: service.instance, type: service.type, port: main?.port ?? null, host: main?.host?.text ?? null, txt, addresses }
}

/** Devices as the CLI prints them with `--json`. */
export function toDiscoverJson(devices: readonly Device[]): DiscoverJsonDevice[] {
  return devices.map((device) => ({ id: device.id, name: device.name, services: device.services.map(serviceJson) }))
}
