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
