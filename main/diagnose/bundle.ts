/**
 * The support bundle (issue #6 item 7): one JSON file for tools and one readable HTML report for people,
 * built from a Diagnose report plus the machine's interfaces, the recent events and the connection gap
 * history of watched sessions — all passed through `redact` (secrets always, hardware ids on request).
 * The HTML is static: every value is escaped text, the styles are inline in a <style> block, and there is
 * no script, so opening it cannot run anything a device put in its name.
 */
import type { DiagnoseCheck, DiagnoseReport, FactValue, SupportBundle } from '../../shared/diagnose/view'
import type { NetInterface } from '../../shared/net/interfaces'
import type { SessionView } from '../../shared/session/view'
import { redact } from './redact'
import type { RecentEvent } from './recent-events'

/** Everything a bundle is made of (before redaction). */
export interface BundleInput {
  report: DiagnoseReport
  interfaces: readonly NetInterface[]
  events: readonly RecentEvent[]
  sessions: readonly SessionView[]
  redactHardwareIds: boolean
  knownSecrets?: readonly string[]
  deviceIds?: readonly string[]
  now: number
}

/** What both files hold. */
interface BundleData {
  format: string
  version: number
  generatedAt: string
  hardwareIdsRedacted: boolean
  report: DiagnoseReport
  interfaces: readonly NetInterface[]
  connectionGaps: { id: string; label: string; protocol: string; state: string; cause: string; stats: SessionView['stats']; timeline: SessionView['timeline'] }[]
  recentEvents: readonly RecentEvent[]
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)
}

/** Builds the bundle; both files carry the same redacted data. */
export function buildBundle(input: BundleInput): SupportBundle {
  const data = redact<BundleData>(
    {
      format: 'porchlight-support-bundle',
      version: 1,
      generatedAt: new Date(input.now).toISOString(),
      hardwareIdsRedacted: input.redactHardwareIds,
      report: input.report,
      interfaces: input.interfaces,
      connectionGaps: input.sessions.map((s) => ({ id: s.id, label: s.label, protocol: s.protocol, state: s.state, cause: s.cause, stats: s.stats, timeline: s.timeline })),
      recentEvents: input.events,
    },
    { hardwareIds: input.redactHardwareIds, knownSecrets: input.knownSecrets ?? [], deviceIds: input.deviceIds ?? [] },
  )
  const stamp = new Date(input.now).toISOString().replace(/[:.]/g, '-').slice(0, 19)
  return {
    jsonName: `porchlight-support-${stamp}.json`,
    json: `${JSON.stringify(data, null, 2)}\n`,
    htmlName: `porchlight-support-${stamp}.html`,
    html: renderHtml(data),
  }
}

const STATUS_WORD = { pass: 'Pass', warn: 'Warning', fail: 'Fail', skip: 'Skipped' } as const

function facts(value: FactValue): string {
  if (value === null || typeof value !== 'object') return escapeHtml(String(value))
  if (Array.isArray(value)) return `<ul>${value.map((v) => `<li>${facts(v)}</li>`).join('')}</ul>`
  return `<dl>${Object.entries(value).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${facts(v)}</dd>`).join('')}</dl>`
}

function checkRow(c: DiagnoseCheck): string {
  const steps = c.steps?.length ? `<ol>${c.steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>` : ''
  const detail = c.facts ? `<details><summary>Details</summary>${facts(c.facts)}</details>` : ''
  return `<tr class="${c.status}"><td>${STATUS_WORD[c.status]}</td><td><strong>${escapeHtml(c.title)}</strong><br>${escapeHtml(c.summary)}${detail}</td><td>${escapeHtml(c.advice)}${steps}</td></tr>`
}

const table = (checks: readonly DiagnoseCheck[]) =>
  `<table><thead><tr><th>Result</th><th>Check</th><th>What to do</th></tr></thead><tbody>${checks.map(checkRow).join('')}</tbody></table>`

function renderHtml(data: BundleData): string {
  const r = data.report
  const time = (at: number) => escapeHtml(new Date(at).toISOString())
  const devices = r.devices.map((d) => {
    const link = d.link ? `<p>${escapeHtml(d.link.method)}: ${escapeHtml(d.link.summary)}</p>` : ''
    return `<h3>${escapeHtml(d.name)} <small>(${escapeHtml(d.deviceId)})</small></h3>${link}${table(d.checks)}`
  }).join('')
  const interfaces = data.interfaces.map((i) => `<tr><td>${escapeHtml(i.name)}</td><td>${escapeHtml(i.kind)}</td><td>${i.isUp ? 'up' : 'down'}</td><td>${i.addresses.map((a) => escapeHtml(a.address)).join('<br>')}</td><td>${escapeHtml(i.mac ?? '')}</td></tr>`).join('')
  const gaps = data.connectionGaps.map((s) => `<h3>${escapeHtml(s.label)} — ${escapeHtml(s.state)}</h3><p>${escapeHtml(s.cause)}</p><ul>${s.timeline.map((t) => `<li>${time(t.at)} ${escapeHtml(t.kind)}${t.gapMs !== undefined ? ` (gap ${(t.gapMs / 1000).toFixed(1)} s)` : ''}: ${escapeHtml(t.detail)}</li>`).join('')}</ul>`).join('')
  const events = data.recentEvents.map((e) => `<li>${time(e.at)} ${escapeHtml(e.event)}: ${escapeHtml(e.summary)}</li>`).join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Porchlight support report</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:70em;color:#1d1d1f}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}tr.fail td:first-child{background:#fde2e1}tr.warn td:first-child{background:#fff1cc}tr.pass td:first-child{background:#e2f5e6}dt{font-weight:600}dd{margin:0 0 .3em 1em}small{color:#666}</style></head>
<body><h1>Porchlight support report</h1>
<p>${escapeHtml(r.host.app)} ${escapeHtml(r.host.version)} (${escapeHtml(r.host.hostKind)}) on ${escapeHtml(r.host.platform)} ${escapeHtml(r.host.release)} ${escapeHtml(r.host.arch)}. Checks ran ${time(r.startedAt)}; report made ${escapeHtml(data.generatedAt)}.
Secrets are removed${data.hardwareIdsRedacted ? ' and hardware identifiers replaced by placeholders' : ''}.</p>
<h2>Overall: ${STATUS_WORD[r.status]}</h2>${table(r.checks)}
<h2>Devices</h2>${devices || '<p>No device was examined.</p>'}
<h2>Network interfaces</h2><table><thead><tr><th>Name</th><th>Kind</th><th>State</th><th>Addresses</th><th>MAC</th></tr></thead><tbody>${interfaces}</tbody></table>
<h2>Connection gap history</h2>${gaps || '<p>No accessory is being watched.</p>'}
<h2>Recent events</h2><ul>${events}</ul>
</body></html>
`
}
