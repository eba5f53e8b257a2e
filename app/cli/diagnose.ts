/**
 * `porchlight diagnose [--device ID] [--json] [--bundle FILE] [--redact-hardware-ids]` (issue #6 point 8).
 * Runs every check (and one device's drill-down), prints a checklist — or with --json
 * `{"checks":[{"id","status","summary","advice",…}], "devices":[…]}` — and with --bundle writes the
 * redacted support bundle to FILE (JSON) and FILE's .html sibling. Exit code 0 when no check failed.
 */
import { writeFile } from 'node:fs/promises'
import type { Core } from '../../main/core'
import type { DiagnoseCheck, DiagnoseReport } from '../../shared/diagnose/view'

/** Options of the command. */
export interface DiagnoseCliOptions {
  deviceId: string | undefined
  json: boolean
  bundle: string | undefined
  redactHardwareIds: boolean
}

/** Where the command writes; `sleep` lets tests skip the wait for discovery. */
export interface DiagnoseCliIo {
  out: (text: string) => void
  err: (text: string) => void
  sleep: (ms: number) => Promise<void>
}

/** How long `--device` waits for discovery to find the device before giving up. */
export const DEVICE_WAIT_MS = 6000
const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const

function formatChecks(checks: readonly DiagnoseCheck[], indent = ''): string[] {
  return checks.flatMap((c) => [
    `${indent}${MARK[c.status]}  ${c.title}: ${c.summary}`,
    ...(c.status !== 'pass' && c.advice ? [`${indent}      → ${c.advice}`] : []),
    ...(c.steps ?? []).map((s, i) => `${indent}        ${i + 1}. ${s}`),
  ])
}

/** The checklist as text lines. */
export function formatReport(report: DiagnoseReport): string {
  const count = (s: DiagnoseCheck['status']) => [...report.checks, ...report.devices.flatMap((d) => d.checks)].filter((c) => c.status === s).length
  const lines = [`Overall: ${MARK[report.status]} (${count('fail')} failed, ${count('warn')} warnings, ${count('pass')} passed, ${count('skip')} skipped)`, '', ...formatChecks(report.checks)]
  for (const d of report.devices) {
    lines.push('', `Device ${JSON.stringify(d.name)} (${d.deviceId}): ${MARK[d.status]}`, ...formatChecks(d.checks, '  '))
    if (d.link?.periodic) lines.push(`  ${d.link.periodic.explanation}`)
  }
  return lines.join('\n')
}

async function waitForDevice(core: Pick<Core, 'discovery'>, id: string, io: DiagnoseCliIo): Promise<boolean> {
  for (let waited = 0; waited <= DEVICE_WAIT_MS; waited += 250) {
    if ((await core.discovery.device(id))?.status === 'up') return true
    await io.sleep(250)
  }
  return false
}

/** Runs the command; resolves to the exit code. */
export async function runDiagnose(core: Pick<Core, 'handlers' | 'discovery'>, options: DiagnoseCliOptions, io: DiagnoseCliIo): Promise<number> {
  if (options.deviceId !== undefined && !(await waitForDevice(core, options.deviceId, io))) {
    io.err(`porchlight: device ${options.deviceId} was not found on any network within ${DEVICE_WAIT_MS / 1000} s (run 'porchlight discover' to list device ids) [unknown-device]`)
    return 1
  }
  const result = await core.handlers['diagnose:run']({ ...(options.deviceId !== undefined && { deviceId: options.deviceId }) })
  if (!result.ok) {
    io.err(`porchlight: ${result.error.message} [${result.error.code}]`)
    return 1
  }
  const report = result.value
  io.out(options.json ? JSON.stringify(report, null, 2) : formatReport(report))
  if (options.bundle !== undefined) {
    const bundle = await core.handlers['diagnose:bundle']({ report, redactHardwareIds: options.redactHardwareIds })
    if (!bundle.ok) {
      io.err(`porchlight: ${bundle.error.message} [${bundle.error.code}]`)
      return 1
    }
    const html = options.bundle.replace(/\.json$/i, '') + '.html'
    await writeFile(options.bundle, bundle.value.json, { mode: 0o600 })
    await writeFile(html, bundle.value.html, { mode: 0o600 })
    io.err(`Support bundle written to ${options.bundle} and ${html}${options.redactHardwareIds ? ' (hardware identifiers hidden)' : ''}.`)
  }
  return report.status === 'fail' ? 1 : 0
}
