/**
 * What Diagnose reports: checks with pass / warn / fail / skip, a one-line summary, what to do, and the
 * facts behind them (for the drill-down and the support bundle). Plain JSON validated with zod; device
 * names and anything from the network are untrusted text.
 */
import { z } from 'zod'

/** Outcome of one check. `skip`: it could not run here (tool absent, other OS) — the summary says why. */
export const CheckStatus = z.enum(['pass', 'warn', 'fail', 'skip'])
/** Outcome of one check. */
export type CheckStatus = z.infer<typeof CheckStatus>

/** Which part of the report a check belongs to. */
export const CheckGroup = z.enum(['host', 'multicast', 'resolver', 'device', 'dns', 'ports'])
/** Which part of the report a check belongs to. */
export type CheckGroup = z.infer<typeof CheckGroup>

/** JSON-safe facts (strings, numbers, booleans, null, arrays and objects of them). */
export type Facts = { [key: string]: FactValue }
/** A JSON-safe value. */
export type FactValue = string | number | boolean | null | FactValue[] | { [key: string]: FactValue }
const FactValue: z.ZodType<FactValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(FactValue), z.record(z.string(), FactValue)]))

/** One check's result. `id` is stable kebab-case (e.g. `vpn-default-route`, `multicast-wlan0`). */
export const DiagnoseCheck = z.object({
  id: z.string(),
  group: CheckGroup,
  title: z.string(),
  status: CheckStatus,
  /** What was found, one or two plain sentences. */
  summary: z.string(),
  /** What to do next; empty for a pass. */
  advice: z.string(),
  /** Numbered steps when one sentence of advice is not enough (e.g. macOS Local Network permission). */
  steps: z.array(z.string()).optional(),
  /** The evidence: command outputs summarised, addresses, counts, timings. */
  facts: z.record(z.string(), FactValue).optional(),
  /** Milliseconds the check took. */
  tookMs: z.number().nonnegative().optional(),
})
/** One check's result. */
export type DiagnoseCheck = z.infer<typeof DiagnoseCheck>

/** Worst status of a list: fail > warn > pass > skip (all skipped → skip). */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  for (const s of ['fail', 'warn', 'pass'] as const) if (statuses.includes(s)) return s
  return 'skip'
}

/** Measured link quality of one device (TCP-connect probes or heartbeats), for the chart and the bundle. */
export const LinkQualityView = z.object({
  /** How it was measured, e.g. "TCP connect to 198.18.0.11:80 every 250 ms". */
  method: z.string(),
  samples: z.array(z.object({ at: z.number(), rttMs: z.number().nullable() })),
  lossPct: z.number(),
  rtt: z.object({ min: z.number(), p50: z.number(), p95: z.number(), max: z.number() }).nullable(),
  jitterMs: z.number().nullable(),
  longestGapMs: z.number(),
  spikes: z.number().int(),
  periodic: z.object({ periodMs: z.number(), explanation: z.string() }).nullable(),
  status: z.enum(['pass', 'warn', 'fail']),
  summary: z.string(),
  advice: z.string(),
})
/** Measured link quality of one device. */
export type LinkQualityView = z.infer<typeof LinkQualityView>

/** The drill-down of one device: its checks and, when measured, its link quality. */
export const DeviceReport = z.object({
  deviceId: z.string(),
  /** Untrusted text from the network. */
  name: z.string(),
  status: CheckStatus,
  checks: z.array(DiagnoseCheck),
  link: LinkQualityView.nullable(),
})
/** The drill-down of one device. */
export type DeviceReport = z.infer<typeof DeviceReport>

/** A whole Diagnose run. */
export const DiagnoseReport = z.object({
  startedAt: z.number(),
  finishedAt: z.number(),
  host: z.object({ app: z.string(), version: z.string(), hostKind: z.string(), platform: z.string(), release: z.string(), arch: z.string() }),
  status: CheckStatus,
  checks: z.array(DiagnoseCheck),
  devices: z.array(DeviceReport),
})
/** A whole Diagnose run. */
export type DiagnoseReport = z.infer<typeof DiagnoseReport>

/** Payload of `diagnose:run`: the host checks, plus one device's drill-down when `deviceId` is given. */
export const DiagnoseRequest = z.object({ deviceId: z.string().min(1).max(64).optional(), linkProbeMs: z.number().int().min(0).max(60_000).optional() }).strict()
/** Payload of `diagnose:run`. */
export type DiagnoseRequest = z.infer<typeof DiagnoseRequest>

/** Payload of `diagnose:bundle`. */
export const BundleRequest = z.object({ report: DiagnoseReport, redactHardwareIds: z.boolean() }).strict()
/** Payload of `diagnose:bundle`. */
export type BundleRequest = z.infer<typeof BundleRequest>

/** A support bundle: a JSON file and a readable HTML report, both redacted, with suggested file names. */
export const SupportBundle = z.object({ jsonName: z.string(), json: z.string(), htmlName: z.string(), html: z.string() })
/** A support bundle. */
export type SupportBundle = z.infer<typeof SupportBundle>

/** One reading of an error code (errno, Winsock, DNS-SD, ESP provisioning status, HTTP). */
export const DecodedErrorView = z.object({ source: z.string(), code: z.string(), name: z.string(), meaning: z.string(), nextStep: z.string(), steps: z.array(z.string()).optional() })
/** One reading of an error code. */
export type DecodedErrorView = z.infer<typeof DecodedErrorView>

/** Event `diagnose:progressed`: which step of a run is under way. */
export const DiagnoseProgress = z.object({ step: z.string(), done: z.number().int(), total: z.number().int() })
/** Event `diagnose:progressed`. */
export type DiagnoseProgress = z.infer<typeof DiagnoseProgress>
