/**
 * Public types of the lab accessory's mDNS responder (RFC 6762 / RFC 6763), including the "mDNS oddities"
 * fault switches that make it behave like the real devices in reference/discovery-and-mdns.md.
 */
import type { Clock } from '../../../../main/util/clock'

/** One interface the responder serves, with the addresses it advertises there (RFC 6762 §6.2: only these). */
export interface MdnsInterfaceConfig {
  /** Interface name inside the accessory's namespace, e.g. `eth0`. */
  name: string
  /** IPv4 addresses (A records); the first is also the multicast interface. Omit for an IPv6-only accessory. */
  ipv4?: readonly string[]
  /** IPv6 addresses (AAAA records), typically link-local `fe80::…`, with or without `%name`. */
  ipv6?: readonly string[]
}

/** The lab's "mDNS oddities" fault switches; each can be set on its own, at start or later. */
export interface MdnsOddities {
  /** Answers carry only what was asked (e.g. the PTR): resolvers must query SRV/TXT/A themselves (RFC 6763 §12 is a SHOULD). */
  noAdditionals: boolean
  /** Adds an NSEC whose next-domain name is a compression pointer pointing forward, as real devices send (dns-packet #84). */
  nsecForwardPointer: boolean
  /** Appends duplicate, case-variant, boolean, empty, key-less, binary and 255-byte strings to the TXT record (see `oddTxtStrings`). */
  txtOddities: boolean
  /** Claims the names without probing and ignores conflicts, so two devices answer for one name (RFC 6762 §8 and §9 not followed). */
  skipProbing: boolean
  /** A/AAAA with TTL 4500 like Apple's stack (kHostNameTTL), instead of the RFC 6762 §10 120 s. */
  hostTtl4500: boolean
}

/** How to create a responder. */
export interface MdnsResponderOptions {
  /** Host name for SRV targets and A/AAAA records; `.local` is appended if missing. */
  hostname: string
  /** Service instance name, e.g. `Porch Lamp`; no dots (dns-packet cannot escape them), at most 63 bytes. */
  instanceName: string
  /** Service type without domain, e.g. `_esp_local_ctrl._tcp`. */
  serviceType: string
  /** Subtype labels, e.g. `['_prov']` → `_prov._sub._esp_local_ctrl._tcp.local` (RFC 6763 §7.1). */
  subtypes?: readonly string[]
  port: number
  /** TXT strings in wire order, each at most 255 bytes; duplicates and odd keys are kept as given. Empty → one zero byte (RFC 6763 §6.1). */
  txt?: readonly (string | Uint8Array)[]
  /** Interfaces to serve, each with its own sockets (one per address family). */
  interfaces: readonly MdnsInterfaceConfig[]
  /** TTL of host-name records (SRV, A, AAAA); default 120 (RFC 6762 §10). */
  hostTtl?: number
  /** TTL of the other records (PTR, TXT); default 4500 (RFC 6762 §10). */
  otherTtl?: number
  oddities?: Partial<MdnsOddities>
  onEvent?: (event: MdnsResponderEvent) => void
  clock?: Clock
  /** Uniform [0, 1) source for the RFC's random delays; injectable for tests. */
  random?: () => number
}

/** What the responder reports (for logs and tests). */
export type MdnsResponderEvent =
  | { type: 'probing'; instanceName: string; hostname: string }
  | { type: 'conflict'; name: string; renamedTo: string; from: 'probe' }
  | { type: 'reprobing'; name: string; from: string }
  | { type: 'announced'; instanceName: string; hostname: string }
  | { type: 'sent'; kind: 'probe' | 'announce' | 'answer' | 'goodbye'; interface: string; to: string; bytes: number }
  | { type: 'dropped'; from: string; reason: string }
  | { type: 'error'; message: string }

/** A simulated accessory's mDNS presence. */
export interface MdnsResponder {
  /** Binds, probes (unless `skipProbing`), renames on conflict, and resolves after the first announcement. */
  start(): Promise<void>
  /** Sends every record with TTL 0 (RFC 6762 §10.1) and stops answering; sockets stay open until `stop`. */
  goodbye(): Promise<void>
  /** Closes the sockets; `silent: false` sends the goodbye first, `silent: true` is an unplugged device. */
  stop(options: { silent: boolean }): Promise<void>
  /**
   * The interface's addresses changed (e.g. DHCP renumbering): reopens its sockets on the new addresses and
   * announces the new records, cache-flush set, twice 1 s apart (RFC 6762 §8.4, §10.2); the old address
   * records are never sent again (unique records need no goodbye, §8.4). `iface.name` picks the interface.
   */
  updateInterface(iface: MdnsInterfaceConfig): Promise<void>
  /** Changes oddity switches; a TXT or TTL change is re-announced (RFC 6762 §8.4). */
  setOddities(oddities: Partial<MdnsOddities>): void
  /** The instance name in use now (it changes after a conflict, e.g. `Porch Lamp (2)`). */
  readonly instanceName: string
  /** The host name in use now, with `.local`. */
  readonly hostname: string
}
