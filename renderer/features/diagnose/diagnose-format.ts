/**
 * Formatting for the Diagnose screen: status words and icons (colour is never the only signal), group names,
 * counts, the verdict, the progress line, fact keys and values, and the link chart in words. Pure, and text
 * only: summaries, facts and device names are rendered as React text, never as HTML.
 */
import { CheckGroup, type CheckStatus, type DiagnoseCheck, type DiagnoseProgress, type DiagnoseReport, type FactValue, type LinkQualityView } from '../../../shared/diagnose/view'
import { formatMs, formatSeconds } from '../monitor/monitor-format'

/** The word shown for each status. */
export const STATUS_LABELS: Record<CheckStatus, string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skip: 'Skipped' }

/** The icon next to the word (decorative: hidden from assistive technology). */
export const STATUS_ICONS: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✕', skip: '–' }

/** Group headings, in the order the report shows them. */
export const GROUP_LABELS: Record<CheckGroup, string> = {
  host: 'This computer',
  multicast: 'Multicast and broadcast',
  resolver: 'System resolver',
  device: 'Device',
  dns: 'DNS',
  ports: 'Ports',
}

/** One group of checks, in report order. */
export interface CheckGroupView {
  group: CheckGroup
  checks: readonly DiagnoseCheck[]
}

/** The checks by group, groups in the contract's order, empty groups left out, checks in report order. */
export function groupChecks(checks: readonly DiagnoseCheck[]): CheckGroupView[] {
  return CheckGroup.options.flatMap((group) => {
    const inGroup = checks.filter((c) => c.group === group)
    return inGroup.length > 0 ? [{ group, checks: inGroup }] : []
  })
}

/** How many checks have each status. */
export type StatusCounts = Record<CheckStatus, number>

/** Counts the statuses of `checks`. */
export function countStatuses(checks: readonly Pick<DiagnoseCheck, 'status'>[]): StatusCounts {
  const counts: StatusCounts = { fail: 0, warn: 0, pass: 0, skip: 0 }
  for (const c of checks) counts[c.status]++
  return counts
}

/** "2 failed, 1 warning, 10 passed, 1 skipped" (zeros left out), or "No checks ran". */
export function formatCounts(counts: StatusCounts): string {
  const parts = [
    counts.fail > 0 ? `${counts.fail} failed` : '',
    counts.warn > 0 ? `${counts.warn} ${counts.warn === 1 ? 'warning' : 'warnings'}` : '',
    counts.pass > 0 ? `${counts.pass} passed` : '',
    counts.skip > 0 ? `${counts.skip} skipped` : '',
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(', ') : 'No checks ran'
}

/** Every check of a report: the host's, then each device's. */
export function allChecks(report: DiagnoseReport): DiagnoseCheck[] {
  return [...report.checks, ...report.devices.flatMap((d) => d.checks)]
}

/** The verdict's headline for the report's worst status. */
export const VERDICT_TITLES: Record<CheckStatus, string> = {
  fail: 'Something needs fixing',
  warn: 'Working, with warnings',
  pass: 'All checks passed',
  skip: 'Nothing could be checked here',
}

/** The progress line, e.g. "Multicast and broadcast on each interface… step 3 of 7". */
export function progressText(progress: DiagnoseProgress): string {
  if (progress.done >= progress.total) return 'Finishing the report…'
  return `${progress.step}… step ${progress.done + 1} of ${progress.total}`
}

/** What the live region says when a run has answered, e.g. "Checks finished. Fail: 2 failed, 10 passed." */
export function finishedText(report: DiagnoseReport): string {
  return `Checks finished. ${STATUS_LABELS[report.status]}: ${formatCounts(countStatuses(allChecks(report)))}.`
}

/**
 * A fact key as a label: identifiers are spelled out ("defaultRouteV4" → "Default route v4", "rtt_ms" →
 * "Rtt ms"); any other key (a TXT key, an interface name with symbols) is shown exactly as it is.
 */
export function factLabel(key: string): string {
  if (key === '') return '(no name)'
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(key)) return key
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase()
}

/** A scalar fact as text: Yes / No, None for null, "(empty)" for an empty string. */
export function formatScalar(value: Exclude<FactValue, object> | null): string {
  if (value === null) return 'None'
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '—'
  return value === '' ? '(empty)' : value
}

/** Time a run took, "4.2 s". */
export function runDuration(report: Pick<DiagnoseReport, 'startedAt' | 'finishedAt'>): string {
  return formatSeconds(report.finishedAt - report.startedAt)
}

/** Probes lost, "10 % (2 of 20 probes)". */
export function formatLinkLoss(link: Pick<LinkQualityView, 'samples' | 'lossPct'>): string {
  const lost = link.samples.filter((s) => s.rttMs === null).length
  return `${Number(link.lossPct.toFixed(1))} % (${lost} of ${link.samples.length} ${link.samples.length === 1 ? 'probe' : 'probes'})`
}

/** The link chart in words, for its accessible name and where no chart can be drawn. */
export function describeLink(link: LinkQualityView): string {
  const first = link.samples[0]
  const last = link.samples.at(-1)
  if (!first || !last) return 'Round-trip time: no probes were sent'
  const span = `Round-trip time over ${formatSeconds(last.at - first.at)}`
  const loss = `${formatLinkLoss(link)} lost`
  if (!link.rtt) return `${span}: no replies, ${loss}`
  return `${span}: median ${formatMs(link.rtt.p50)}, 95th percentile ${formatMs(link.rtt.p95)}, max ${formatMs(link.rtt.max)}, ${loss}`
}
