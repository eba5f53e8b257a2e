/**
 * The network-interface model shared by main (which reads the machine) and the renderer (which shows it).
 */
import { z } from 'zod'

/** What kind of link an interface is, as far as the operating system lets us tell. */
export const InterfaceKind = z.enum([
  'wifi',
  'ethernet',
  'loopback',
  'tunnel',
  'bridge',
  'virtual',
  'peer-to-peer',
  'cellular',
  'unknown',
])
/** What kind of link an interface is, as far as the operating system lets us tell. */
export type InterfaceKind = z.infer<typeof InterfaceKind>

/** Where an address is valid (RFC 4291 scopes for IPv6; IPv4 169.254/16 is link, 127/8 host). */
export const AddressScope = z.enum(['host', 'link', 'site', 'global'])
/** Where an address is valid. */
export type AddressScope = z.infer<typeof AddressScope>

/** One address configured on an interface. */
export const InterfaceAddress = z.object({
  address: z.string(),
  family: z.enum(['IPv4', 'IPv6']),
  netmask: z.string(),
  prefixLength: z.number().int().min(0).max(128),
  scope: AddressScope,
  /** IPv6 zone index (scope id); a link-local address is unusable without it. */
  scopeId: z.number().int().min(0).optional(),
})
/** One address configured on an interface. */
export type InterfaceAddress = z.infer<typeof InterfaceAddress>

/** One interface of this machine, with or without addresses. */
export const NetInterface = z.object({
  name: z.string(),
  kind: InterfaceKind,
  /** Why the kind was chosen (e.g. "sysfs: wireless", "link kind: veth"): support staff ask. */
  kindReason: z.string(),
  mac: z.string().optional(),
  mtu: z.number().int().optional(),
  isUp: z.boolean(),
  /** Carrier present / link running; `undefined` where the OS does not say. */
  isRunning: z.boolean().optional(),
  isInternal: z.boolean(),
  canMulticast: z.boolean().optional(),
  addresses: z.array(InterfaceAddress),
})
/** One interface of this machine, with or without addresses. */
export type NetInterface = z.infer<typeof NetInterface>

/** Payload of `net:interfacesChanged`: the full new list plus what changed, by interface name. */
export const InterfacesChange = z.object({
  interfaces: z.array(NetInterface),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
})
/** Payload of `net:interfacesChanged`. */
export type InterfacesChange = z.infer<typeof InterfacesChange>
