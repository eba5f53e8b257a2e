/** Percentiles and the printed table of the benchmarks. */

/** One row of a benchmark's `results`. */
export interface ResultRow {
  scenario: string
  tool: string
  runs: number
  found: number
  p50_ms: number | null
  p95_ms: number | null
}

/** Nearest-rank percentile of the values (null when there are none), rounded to 0.1 ms. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return Math.round((sorted[rank - 1] ?? 0) * 10) / 10
}

/** Prints the results as an aligned table on stderr (stdout carries the JSON). */
export function printTable(report: { results: readonly ResultRow[] } & Record<string, unknown>, note?: string): void {
  const rows = [['scenario', 'tool', 'runs', 'found', 'p50 ms', 'p95 ms'], ...report.results.map((r) => [r.scenario, r.tool, String(r.runs), String(r.found), String(r.p50_ms ?? '-'), String(r.p95_ms ?? '-')])]
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? []
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '))
  for (const [key, value] of Object.entries(report)) if (key !== 'results') lines.push(`${key}: ${String(value)}`)
  if (note) lines.push(note)
  process.stderr.write(`${lines.join('\n')}\n`)
}
