/**
 * What the renderer (and the web host's socket) sees of discovery: devices with their services, addresses,
 * TTLs and history; the engine's status (interfaces tried, types browsed, counters); raw packets for one
 * device. Plain JSON validated with zod on both sides, because names and TXT come from the network and are
 * untrusted: they travel as strings and bytes-as-hex, never as markup.
 */
import { z } from 'zod'

/** One address of a service, as seen on one interface; `expiresAt` is wall-clock ms (Date.now scale). */
export const DiscoveredAddress = z.object({
  /** What to connect to: link-local IPv6 carries its zone (`fe80::1%wlan0`). */
  address: z.string(),
  family: z.enum(['IPv4', 'IPv6']),
  interface: z.string(),
  expiresAt: z.number().optional(),
})
/** One address of a service on one interface. */
export type DiscoveredAddress = z.infer<typeof DiscoveredAddress>

/** One TXT key/value (RFC 6763 §6): `value` is UTF-8 text when valid, null for a boolean key; `hex` is the raw value. */
export const TxtEntry = z.object({
  key: z.string(),
  value: z.string().nullable(),
  hex: z.string().nullable(),
  /** False when the value bytes are not valid UTF-8 (show the hex). */
  isText: z.boolean(),
})
/** One TXT key/value. */
export type TxtEntry = z.infer<typeof TxtEntry>

/** One service instance of a device. */
export const DiscoveredService = z.object({
  instance: z.string(),
  type: z.string(),
  domain: z.string(),
  subtypes: z.array(z.string()),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  txt: z.array(TxtEntry),
  /** Every TXT string exactly as received, hex. */
  txtRaw: z.array(z.string()),
  addresses: z.array(DiscoveredAddress),
  interfaces: z.array(z.string()),
  resolved: z.boolean(),
  /** Wall-clock ms when the SRV record expires unless refreshed, if known. */
  srvExpiresAt: z.number().optional(),
})
/** One service instance of a device. */
export type DiscoveredService = z.infer<typeof DiscoveredService>

/** One entry of a device's up/down history. */
export const DeviceHistoryEntry = z.object({
  at: z.number(),
  event: z.enum(['up', 'changed', 'down']),
  /** Plain-language detail, e.g. "goodbye received on wlan0" or "records expired". */
  detail: z.string(),
})
/** One entry of a device's history. */
export type DeviceHistoryEntry = z.infer<typeof DeviceHistoryEntry>

/** A device: every service instance that belongs to one physical thing. */
export const DiscoveredDevice = z.object({
  id: z.string(),
  /** Untrusted text from the network: render as text. */
  name: z.string(),
  groupedBy: z.enum(['id', 'mac', 'host']),
  /** From TXT (vendor/manufacturer/mf…) when the device says; undefined otherwise. */
  vendor: z.string().optional(),
  model: z.string().optional(),
  types: z.array(z.string()),
  interfaces: z.array(z.string()),
  services: z.array(DiscoveredService),
  addresses: z.array(DiscoveredAddress),
  status: z.enum(['up', 'down']),
  firstSeenAt: z.number(),
  lastChangeAt: z.number(),
  history: z.array(DeviceHistoryEntry),
})
/** A device. */
export type DiscoveredDevice = z.infer<typeof DiscoveredDevice>

/** How discovery treats one interface of the machine. */
export const DiscoveryInterface = z.object({
  name: z.string(),
  kind: z.string(),
  families: z.array(z.enum(['IPv4', 'IPv6'])),
  state: z.enum(['active', 'skipped', 'error']),
  /** Why skipped or what failed, in plain language; empty when active. */
  reason: z.string(),
})
/** How discovery treats one interface. */
export type DiscoveryInterface = z.infer<typeof DiscoveryInterface>

/** User-facing options. Tunnels and peer-to-peer links are skipped by default (VPNs rarely carry multicast). */
export const DiscoveryOptions = z.object({
  includeTunnels: z.boolean(),
  includePeerToPeer: z.boolean(),
})
/** User-facing options. */
export type DiscoveryOptions = z.infer<typeof DiscoveryOptions>

/** What the engine is doing: the empty state shows this as "what was tried". */
export const DiscoveryStatus = z.object({
  running: z.boolean(),
  startedAt: z.number().nullable(),
  options: DiscoveryOptions,
  interfaces: z.array(DiscoveryInterface),
  /** Service types being browsed, including ones learnt from `_services._dns-sd._udp`. */
  types: z.array(z.string()),
  queriesSent: z.number().int(),
  packetsReceived: z.number().int(),
  /** Packets dropped before decoding (wrong port, unattributable source), by reason. */
  packetsIgnored: z.number().int(),
  /** False when another mDNS responder shares port 5353, so unicast (QU) answers may go to it instead. */
  ownsPort: z.boolean(),
  /** Problems that are not per-interface (e.g. port 5353 unusable), plain language. */
  problems: z.array(z.string()),
})
/** What the engine is doing. */
export type DiscoveryStatus = z.infer<typeof DiscoveryStatus>

/** The whole picture, for a screen that just opened. */
export const DiscoverySnapshot = z.object({
  status: DiscoveryStatus,
  devices: z.array(DiscoveredDevice),
})
/** The whole picture. */
export type DiscoverySnapshot = z.infer<typeof DiscoverySnapshot>

/** Payload of `discovery:changed`: devices that changed (whole, replacing the old copy) and the status. */
export const DiscoveryChange = z.object({
  devices: z.array(DiscoveredDevice),
  /** Ids forgotten entirely (down devices age out of the list after a while). */
  removed: z.array(z.string()),
  status: DiscoveryStatus,
})
/** Payload of `discovery:changed`. */
export type DiscoveryChange = z.infer<typeof DiscoveryChange>

/** One received packet that carried records of a device. */
export const RawPacket = z.object({
  at: z.number(),
  interface: z.string(),
  from: z.string(),
  /** The datagram, hex. */
  hex: z.string(),
  /** A dig-like rendering of the decoded records, one line each; errors of dropped records included. */
  lines: z.array(z.string()),
})
/** One received packet of a device. */
export type RawPacket = z.infer<typeof RawPacket>
