/**
 * Formatting for the Monitor screen: state and protocol names, round-trip times, gaps, loss and the
 * sparkline's spoken summary. Pure, and text only (labels and causes are rendered as React text).
 */
import type { RttSample, SessionRemote, SessionState, SessionStats, TimelineEntry, TimelineKind } from '../../../shared/session/view'
import { formatDuration } from '../discover/discover-format'

/** The words shown in a session's state badge (colour is never the only signal). */
export const STATE_LABELS: Record<SessionState, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  stalled: 'Stalled',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
}

/** The words shown for each kind of timeline entry. */
export const TIMELINE_LABELS: Record<TimelineKind, string> = {
  connected: 'Connected',
  stalled: 'Stalled',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
  recovered: 'Recovered',
  'address-changed': 'Address changed',
  'network-changed': 'Network changed',
  resumed: 'Resumed',
  closed: 'Closed',
}

const PROTOCOL_LABELS: Record<string, string> = {
  'lab-control': 'Lab control heartbeat',
  'tcp-heartbeat': 'TCP heartbeat',
  'http-poll': 'HTTP polling',
  'esp-endpoint': 'ESP endpoint',
}

/** A protocol's readable name; one this build does not know is shown as the host sent it. */
export function protocolLabel(protocol: string): string {
  return Object.hasOwn(PROTOCOL_LABELS, protocol) ? (PROTOCOL_LABELS[protocol] ?? protocol) : protocol
}

/** Milliseconds as "0.4 ms", "3 ms" or "40 ms": one decimal below 10 ms, where it still means something. */
export function formatMs(ms: number): string {
  return `${Number(ms.toFixed(ms < 10 ? 1 : 0))} ms`
}

/** A gap or interval as "0.8 s", "2.4 s", "14 s" or "2 min 5 s". */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`
  return formatDuration(Math.round(seconds))
}

/** Lost heartbeats as a share of those sent: "1.5 % (3 of 200)", or a note when none were sent yet. */
export function formatLoss(stats: Pick<SessionStats, 'missed' | 'heartbeatsSent'>): string {
  if (stats.heartbeatsSent === 0) return 'No heartbeats sent yet'
  const percent = (stats.missed / stats.heartbeatsSent) * 100
  return `${Number(percent.toFixed(1))} % (${stats.missed} of ${stats.heartbeatsSent})`
}

/** "192.168.1.50:8080 on wlan0", "[fe80::1%en0]:80", or a note when there is no live connection. */
export function formatRemote(remote: SessionRemote | null): string {
  if (remote === null) return 'Not connected'
  const host = remote.family === 6 ? `[${remote.address}]` : remote.address
  return remote.interface ? `${host}:${remote.port} on ${remote.interface}` : `${host}:${remote.port}`
}

/** What a timeline entry's gap was: "stalled for 2.4 s" after a recovery, "unreachable for 12 s" after a reconnect. */
export function formatGap(entry: Pick<TimelineEntry, 'kind' | 'gapMs'>): string | null {
  if (entry.gapMs === undefined) return null
  const how = entry.kind === 'recovered' ? 'stalled' : entry.kind === 'connected' ? 'unreachable' : 'silent'
  return `${how} for ${formatSeconds(entry.gapMs)}`
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function spanLabel(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000))
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`
}

/** The sparkline in words, e.g. "RTT last 5 min: median 3 ms, max 40 ms, 2 missed". */
export function summarizeRtt(samples: readonly RttSample[], intervalMs: number): string {
  const first = samples[0]
  const last = samples.at(-1)
  if (!first || !last) return 'RTT: no heartbeats yet'
  const head = `RTT last ${spanLabel(last.at - first.at + intervalMs)}`
  const rtts = samples.flatMap((s) => (s.rttMs === null ? [] : [s.rttMs])).sort((a, b) => a - b)
  const missed = samples.length - rtts.length
  if (rtts.length === 0) return `${head}: no replies, ${missed} missed`
  return `${head}: median ${formatMs(median(rtts))}, max ${formatMs(rtts.at(-1) ?? 0)}, ${missed} missed`
}
