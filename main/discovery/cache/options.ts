/**
 * The cache's limits and timings, defaulted and checked once. A wrong option is a programmer error and throws.
 */
import type { RecordCacheDeps } from './types'

/** Default entry cap: python-zeroconf's, enough for a few hundred devices with all their records on several interfaces. */
export const DEFAULT_MAX_ENTRIES = 10_000
/**
 * Default rdata cap: three times RFC 6763 §6.2's 1,300-byte TXT ceiling. Measured (Node 20): 10,000 entries of
 * 4 KB TXT hold ~137 MB, ~126 MB of it the decoded records themselves; of ~200-byte TXT, ~47 MB.
 */
export const DEFAULT_MAX_RDATA_BYTES = 4096
/** RFC 6762 §10.4 and §10.5: no answer within ten seconds and the record goes. */
export const DEFAULT_RECONFIRM_WINDOW_MS = 10_000
/** §10.4 asks for "two or more queries"; three, spaced 1 s then 2 s like §5.2's retransmissions, survive a lost packet. */
export const DEFAULT_RECONFIRM_QUERY_DELAYS_MS: readonly number[] = [0, 1000, 3000]

/** Options with defaults applied. */
export interface CacheOptions {
  maxEntries: number
  maxRdataBytes: number
  reconfirmWindowMs: number
  /** Ascending, each inside the window. */
  reconfirmQueryDelaysMs: readonly number[]
  random: () => number
}

/** Applies defaults and checks the options. */
export function resolveOptions(deps: RecordCacheDeps): CacheOptions {
  const reconfirmWindowMs = positive('reconfirmWindowMs', deps.reconfirmWindowMs, DEFAULT_RECONFIRM_WINDOW_MS)
  const delays = deps.reconfirmQueryDelaysMs ?? DEFAULT_RECONFIRM_QUERY_DELAYS_MS
  if (!delays.every((delay) => delay >= 0 && delay < reconfirmWindowMs)) {
    throw new RangeError(`RecordCache reconfirmQueryDelaysMs must lie in [0, ${reconfirmWindowMs}), got ${delays.join(', ')}`)
  }
  return {
    maxEntries: positive('maxEntries', deps.maxEntries, DEFAULT_MAX_ENTRIES),
    maxRdataBytes: positive('maxRdataBytes', deps.maxRdataBytes, DEFAULT_MAX_RDATA_BYTES),
    reconfirmWindowMs,
    reconfirmQueryDelaysMs: [...delays].sort((a, b) => a - b),
    random: deps.random ?? Math.random,
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`RecordCache option ${name} must be a positive number, got ${value}`)
  return value
}
