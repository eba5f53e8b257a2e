/**
 * The crowd's simulated devices as data: options (validated, with defaults) and, for each k in 1..count,
 * the instance name, host name, service type, port and TXT that device k advertises. Pure, so the test
 * side computes exactly the names the crowd process answers for.
 */
import { z } from 'zod'

/** The instance-name prefix `hostileNames: true` uses: markup that must never run in the app. */
export const HOSTILE_PREFIX = '<img src=x onerror=alert(1)> '

/** The default service type (ESP local control). */
export const DEFAULT_TYPE = '_esp_local_ctrl._tcp'

const serviceType = z.string().regex(/^_[A-Za-z0-9_-]{1,30}\._(tcp|udp)$/, 'a service type like _http._tcp (RFC 6763 §7; ESP types hold underscores)')

/** What a crowd simulates; every field but `count` has a default. */
export const CrowdOptionsSchema = z.object({
  /** Number of devices, 1–5,000 (1,000 is the documented target). */
  count: z.number().int().min(1).max(5000),
  /** Instance name of device k is `namePrefix + k` (default `Crowd Device `). */
  namePrefix: z.string().optional(),
  /** Use HOSTILE_PREFIX as the name prefix (ignored when namePrefix is set). */
  hostileNames: z.boolean().default(false),
  /** Host name of device k is `<hostPrefix><k>.local` (default `crowd-`). */
  hostPrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/).default('crowd-'),
  /** Service types; device k gets `types[(k - 1) % types.length]`, so several types mix. */
  types: z.array(serviceType).min(1).default([DEFAULT_TYPE]),
  /** Port of device k is `port + (k - 1) % portSpread` (default 8080, spread 1). */
  port: z.number().int().min(1).max(65535).default(8080),
  portSpread: z.number().int().min(1).max(1000).default(1),
  /** TXT `id=` of device k: `idPrefix` + k as 6 hex digits (default `02c0de`, so ids look like MACs). */
  idPrefix: z.string().regex(/^[0-9a-z]{0,20}$/).default('02c0de'),
  vendor: z.string().max(60).default('Espressif'),
  model: z.string().max(60).default('ESP32-C3-Crowd'),
  /** Advertise the interface's IPv6 link-local address as AAAA too (and answer on IPv6). */
  ipv6: z.boolean().default(false),
  /** TTLs (RFC 6762 §10): host records (SRV, A, AAAA) 120 s, others (PTR, TXT) 4,500 s. */
  hostTtl: z.number().int().min(1).max(86_400).default(120),
  otherTtl: z.number().int().min(1).max(86_400).default(4500),
  /** Announce every device at start (twice, 1 s apart, RFC 6762 §8.3); false = silent until asked. */
  announce: z.boolean().default(true),
  /** Largest DNS payload of one packet (RFC 6762 §17: no IP fragmentation); default 1,400 bytes. */
  maxPacketBytes: z.number().int().min(512).max(9000).default(1400),
  /** Pause between the packets of one multi-packet response, so receivers' socket buffers keep up. */
  packetGapMs: z.number().min(0).max(100).default(1),
})

/** Crowd options as a caller writes them. */
export type CrowdOptions = z.input<typeof CrowdOptionsSchema>
/** Crowd options with defaults applied. */
export type ResolvedCrowdOptions = z.output<typeof CrowdOptionsSchema>

/** One simulated device. */
export interface CrowdDevice {
  k: number
  instanceName: string
  /** Service type without `.local`, e.g. `_esp_local_ctrl._tcp`. */
  type: string
  /** Host name with `.local`. */
  hostName: string
  port: number
  id: string
  /** TXT strings in wire order. */
  txt: string[]
}

/** Validates options and applies defaults; throws a readable error for a bad option. */
export function resolveCrowdOptions(options: CrowdOptions): ResolvedCrowdOptions {
  const parsed = CrowdOptionsSchema.safeParse(options)
  if (!parsed.success) throw new TypeError(`crowd options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return parsed.data
}

/** The instance-name prefix in effect. */
export function namePrefixOf(o: ResolvedCrowdOptions): string {
  return o.namePrefix ?? (o.hostileNames ? HOSTILE_PREFIX : 'Crowd Device ')
}

/** Device k (1-based) of a crowd. */
export function crowdDevice(o: ResolvedCrowdOptions, k: number): CrowdDevice {
  const instanceName = `${namePrefixOf(o)}${k}`
  if (Buffer.byteLength(instanceName) > 63) throw new RangeError(`instance name "${instanceName}" exceeds 63 bytes (RFC 6763 §4.1.1)`)
  const id = `${o.idPrefix}${k.toString(16).padStart(6, '0')}`
  return {
    k,
    instanceName,
    type: o.types[(k - 1) % o.types.length] ?? DEFAULT_TYPE,
    hostName: `${o.hostPrefix}${k}.local`,
    port: o.port + ((k - 1) % o.portSpread),
    id,
    txt: [`id=${id}`, `vendor=${o.vendor}`, `md=${o.model}`],
  }
}

/** Every device of a crowd, k = 1..count. */
export function crowdDevices(options: CrowdOptions | ResolvedCrowdOptions): CrowdDevice[] {
  const o = resolveCrowdOptions(options)
  return Array.from({ length: o.count }, (_, i) => crowdDevice(o, i + 1))
}
