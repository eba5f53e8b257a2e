/**
 * Diagnose › What the OS sees (issue #6 item 3): the OS's own DNS-SD browser next to Porchlight's list, per
 * service type, so "the OS sees it, Porchlight does not" points at permission or firewall rather than the
 * device. Linux asks avahi (`avahi-browse -kprt TYPE`: `-k` keeps raw type names, which the service-type
 * database would otherwise translate); macOS and Windows run `dns-sd -B TYPE local.`, which never exits, for a
 * bounded time and stop it by PID. Both run the same way, bounded, so a slow resolve never loses what was
 * already listed. A missing tool or a stopped daemon becomes one `skip` naming the reason.
 */
import { spawn as spawnChild } from 'node:child_process'
import { win32 } from 'node:path'
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import type { RunCommand } from '../util/exec'
import { dnsSdErrorText, normaliseType, parseAvahiBrowse, parseDnsSdBrowse, type OsInstance } from './system-resolver-parse'
import { compareInstances, ourInstances, typeCheck, unavailableCheck } from './system-resolver-verdict'

/** What a bounded run printed; `exitCode` null when it was stopped at the deadline. */
export interface BoundedOutput {
  stdout: string
  stderr: string
  exitCode: number | null
  timedOut: boolean
}

/** Runs a tool for at most `timeoutMs` and then stops it by PID; rejects only when it cannot start (ENOENT …). */
export type SpawnBounded = (file: string, args: readonly string[], options: { timeoutMs: number }) => Promise<BoundedOutput>

/** Output kept per stream; a browse that prints more is cut (its process is still stopped on time). */
const MAX_OUTPUT = 1024 * 1024
/** Types browsed at most (one process each, side by side). */
export const MAX_TYPES = 8

/** The real SpawnBounded: no shell; SIGTERM to the child's PID at the deadline, SIGKILL a second later. */
export const spawnBounded: SpawnBounded = (file, args, { timeoutMs }) => new Promise((resolve, reject) => {
  const child = spawnChild(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
  let stdout = ''
  let stderr = ''
  let timedOut = false
  let killTimer: NodeJS.Timeout | undefined
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (stdout.length < MAX_OUTPUT) stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < MAX_OUTPUT) stderr += chunk
  })
  const stopByPid = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
    try {
      process.kill(child.pid, signal)
    } catch {
      // Already gone between the check and the signal.
    }
  }
  const timer = setTimeout(() => {
    timedOut = true
    stopByPid('SIGTERM')
    killTimer = setTimeout(() => stopByPid('SIGKILL'), 1000)
  }, timeoutMs)
  child.once('error', (error) => {
    clearTimeout(timer)
    clearTimeout(killTimer)
    reject(error)
  })
  child.once('close', (code) => {
    clearTimeout(timer)
    clearTimeout(killTimer)
    resolve({ stdout, stderr, exitCode: timedOut ? null : code, timedOut })
  })
})

/** What the cross-check needs. */
export interface ResolverCrossCheckDeps {
  platform: NodeJS.Platform
  /** Used on Windows to say whether the Bonjour Service is missing or stopped. */
  run: RunCommand
  /** Default: spawnBounded. */
  spawn?: SpawnBounded
  /** What Porchlight sees now. */
  ours: DiscoveredDevice[]
  /** Service types to compare, e.g. `_esp_local_ctrl._tcp`. */
  types: string[]
  /** How long the OS browser runs per type. */
  timeoutMs: number
  /** `%SystemRoot%` on Windows (default from the environment). */
  systemRoot?: string
}

type Browse = { ok: true; instances: OsInstance[]; note?: string } | { ok: false; reason: string; advice: string }

const firstLine = (text: string) => text.trim().split(/\r?\n/)[0] ?? ''

async function browseAvahi(spawn: SpawnBounded, type: string, timeoutMs: number): Promise<Browse> {
  let out: BoundedOutput
  try {
    out = await spawn('avahi-browse', ['-kprt', type], { timeoutMs })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT'
      ? { ok: false, reason: 'avahi-browse is not installed', advice: 'To compare, install avahi (Debian/Ubuntu: `sudo apt install avahi-daemon avahi-utils`) and run Diagnose again; Porchlight does not need it.' }
      : { ok: false, reason: `avahi-browse could not run: ${(error as Error).message}`, advice: 'Run Diagnose again; Porchlight does not need avahi to work.' }
  }
  if (!out.timedOut && out.exitCode !== 0) {
    const detail = firstLine(out.stderr) || `exit code ${out.exitCode ?? '?'}`
    const daemonDown = /daemon not running|Failed to create client/i.test(out.stderr)
    return daemonDown
      ? { ok: false, reason: `avahi-daemon is not running (avahi-browse: ${detail})`, advice: 'To compare, start avahi (`sudo systemctl start avahi-daemon`) and run Diagnose again; Porchlight does not need it.' }
      : { ok: false, reason: `avahi-browse failed: ${detail}`, advice: 'Run Diagnose again; Porchlight does not need avahi to work.' }
  }
  const note = out.timedOut ? `avahi-browse was stopped after ${timeoutMs} ms; what it had listed by then is compared` : undefined
  return { ok: true, instances: parseAvahiBrowse(out.stdout), ...(note !== undefined && { note }) }
}

async function bonjourServiceState(run: RunCommand): Promise<string> {
  try {
    const out = await run('sc.exe', ['query', 'Bonjour Service'], { timeoutMs: 3000 })
    if (/1060/.test(out.stdout + out.stderr)) return 'not installed'
    return /STATE\s*:\s*\d+\s+(\w+)/.exec(out.stdout)?.[1]?.toLowerCase() ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

async function browseDnsSd(deps: ResolverCrossCheckDeps, spawn: SpawnBounded, type: string): Promise<Browse> {
  const isWindows = deps.platform === 'win32'
  const root = deps.systemRoot ?? process.env.SystemRoot
  // Absolute: an app started from Finder has a minimal PATH; Bonjour for Windows installs dns-sd.exe in System32.
  const file = isWindows ? (root ? win32.join(root, 'System32', 'dns-sd.exe') : 'dns-sd.exe') : '/usr/bin/dns-sd'
  const bonjourAdvice = 'To compare, install Bonjour (it comes with Apple’s Bonjour Print Services or iTunes) or start the “Bonjour Service” in Services, then run Diagnose again; Porchlight does not need it.'
  let out: BoundedOutput
  try {
    out = await spawn(file, ['-B', type, 'local.'], { timeoutMs: deps.timeoutMs })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && isWindows) return { ok: false, reason: `dns-sd.exe is not there, so Bonjour is ${await bonjourServiceState(deps.run) === 'not installed' ? 'not installed' : 'incomplete'}`, advice: bonjourAdvice }
    return { ok: false, reason: `dns-sd could not run: ${(error as Error).message}`, advice: 'Run Diagnose again.' }
  }
  const parsed = parseDnsSdBrowse(`${out.stdout}\n${out.stderr}`)
  const fatal = parsed.errors.find((e) => e.startsWith('DNSService call failed'))
  if (fatal !== undefined || (!out.timedOut && out.exitCode !== 0)) {
    const detail = fatal !== undefined ? dnsSdErrorText(fatal) : firstLine(out.stderr) || `dns-sd exited with ${out.exitCode ?? '?'}`
    const state = isWindows ? await bonjourServiceState(deps.run) : undefined
    const stateText = state !== undefined && state !== 'unknown' ? `; the Bonjour Service is ${state}` : ''
    return { ok: false, reason: `dns-sd failed: ${detail}${stateText}`, advice: isWindows ? bonjourAdvice : 'Restart the Mac if this persists, then run Diagnose again.' }
  }
  const note = parsed.errors.length > 0 ? `dns-sd reported: ${parsed.errors.slice(0, 3).map(dnsSdErrorText).join('; ')}` : undefined
  return { ok: true, instances: parsed.instances, ...(note !== undefined && { note }) }
}

/** Compares the OS's DNS-SD view with `ours` for each type; one check per type, or one skip when the OS tool is unavailable. */
export async function crossCheckSystemResolver(deps: ResolverCrossCheckDeps): Promise<DiagnoseCheck[]> {
  const started = performance.now()
  const types = [...new Set(deps.types.map(normaliseType))].filter((t) => /^_[^.]+\._(tcp|udp)$/.test(t)).slice(0, MAX_TYPES)
  const skip = (reason: string, advice: string): DiagnoseCheck[] =>
    [{ ...unavailableCheck(reason, advice), group: 'resolver', tookMs: Math.round(performance.now() - started) }]
  if (types.length === 0) return skip('no service types were given to compare', 'Run Diagnose again once discovery has started.')
  const spawn = deps.spawn ?? spawnBounded
  const isLinux = deps.platform === 'linux'
  if (!isLinux && deps.platform !== 'darwin' && deps.platform !== 'win32') return skip(`there is no supported DNS-SD browser on ${deps.platform}`, '')
  const tool = isLinux ? 'avahi-browse' : 'dns-sd'
  const results = await Promise.all(types.map((t) => (isLinux ? browseAvahi(spawn, t, deps.timeoutMs) : browseDnsSd(deps, spawn, t))))
  const unavailable = results.find((r): r is Extract<Browse, { ok: false }> => !r.ok)
  if (unavailable) return skip(unavailable.reason, unavailable.advice)
  const tookMs = Math.round(performance.now() - started)
  return types.map((type, i) => {
    const r = results[i]
    const instances = r?.ok ? r.instances.filter((x) => x.type === type) : []
    const cmp = compareInstances(type, instances.map((x) => x.name), ourInstances(deps.ours, type))
    return { ...typeCheck(cmp, tool, deps.platform, instances, r?.ok ? r.note : undefined), group: 'resolver' as const, tookMs }
  })
}
