/**
 * The DNS-SD model's public shapes: service instances with one sighting per interface (RFC 6763, reference
 * case 23), devices that group them, and what is still missing. Plain data, so snapshots can be logged,
 * diffed and sent to the renderer as they are.
 */
import type { InterfaceId } from '../cache/types'
import type { DnsName, TxtRecord } from '../wire'

/** Address family as Node's `os.networkInterfaces()` spells it. */
export type AddressFamily = 'IPv4' | 'IPv6'

/** One address of a host, as seen on one interface. */
export interface AddressSighting {
  /** The address as the A/AAAA record carried it (no zone). */
  address: string
  family: AddressFamily
  interfaceId: InterfaceId
  /** The OS interface name; Linux needs it (not an index) as the zone of a link-local address. */
  interfaceName: string
  /** The zone for IPv6 link-local addresses (fe80::/10), which are ambiguous without it; otherwise undefined. */
  zone: string | undefined
  /** What to hand to `net.connect`: `fe80::1%wlan0` for link-local, the address otherwise. */
  connectAddress: string
}

/** An instance as resolved on one interface (its records there have their own TTLs, case 23). */
export interface ServiceSighting {
  interfaceId: InterfaceId
  /** SRV target; undefined until an SRV arrives. */
  host: DnsName | undefined
  port: number | undefined
  /** Parsed TXT (RFC 6763 §6); undefined until a TXT arrives. */
  txt: TxtRecord | undefined
  /** The TXT strings exactly as received, for the raw view. */
  txtStrings: Uint8Array[] | undefined
  /** Addresses of `host` on this interface. */
  addresses: AddressSighting[]
  /** SRV and at least one address: enough to connect. */
  isResolved: boolean
}

/** One service instance (`<instance>.<type>.<domain>`) over every interface it was seen on. */
export interface ServiceInstance {
  /** Case-folded full name: the map key. */
  key: string
  /** The full instance name as received. */
  name: DnsName
  /** The instance label as UTF-8 text, exactly as sent: dots, spaces and markup included (RFC 6763 §4.3). */
  instance: string
  /** The base service type, e.g. `_hap._tcp` (subtype PTRs map here, RFC 6763 §7.1). */
  type: string
  /** The domain, e.g. `local`. */
  domain: string
  /** Subtype labels seen in `_x._sub._type` PTRs, e.g. `_printer`. */
  subtypes: string[]
  /** One per interface, sorted by interface id. */
  sightings: ServiceSighting[]
  isResolved: boolean
}

/** Which key grouped a device, strongest first. */
export type DeviceKeyKind = 'id' | 'mac' | 'host'

/** A device: every instance that belongs to one physical thing, seen on any interface. */
export interface Device {
  /** Stable across restarts: a hash of the grouping key (TXT id, TXT mac, or host name). */
  id: string
  keyKind: DeviceKeyKind
  /** TXT `name`/`fn` when present, else the first instance name. Untrusted text: render as text. */
  name: string
  /** Sorted by instance name, then type. */
  services: ServiceInstance[]
  /** Every address of every service, once per (address, interface). */
  addresses: AddressSighting[]
  /** Interfaces the device was seen on, sorted. */
  interfaceIds: InterfaceId[]
}

/** A change to the device list, with the device as it now is (or was, for `down`). */
export interface DeviceChange {
  type: 'up' | 'changed' | 'down'
  device: Device
}

/** A question the engine should ask because an answer arrived without its additionals (case 12). */
export interface PendingQuery {
  name: DnsName
  /** RR_TYPE.SRV, TXT, A or AAAA. */
  type: number
  interfaceId: InterfaceId
}

/** A service type announced under `_services._dns-sd._udp` (RFC 6763 §9), with where it was seen. */
export interface ServiceTypeSighting {
  /** The type's full name, e.g. `_hap._tcp.local`, ready to browse. */
  name: DnsName
  interfaceIds: InterfaceId[]
}
