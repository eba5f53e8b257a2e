/**
 * Reading the routes at the edge: runs each platform's tools (no shell, bounded in time) and hands their
 * output to the pure parsers. Every way a tool can fail becomes an error value per family; never rejects.
 */
import { win32 } from 'node:path'
import type { CommandOutput, RunCommand } from '../util/exec'
import type { IpFamily, Outcome, RouteSnapshot } from './routes'
import { buildDarwinSnapshot, DARWIN_NETSTAT_ARGS, darwinRouteGetArgs } from './routes-darwin'
import { buildLinuxSnapshot, linuxRouteArgs, linuxRuleArgs } from './routes-linux'
import { buildWindowsSnapshots, GET_NET_ROUTE_SCRIPT } from './routes-windows'

/** Each family's routes, or why they could not be read. */
export type RouteRead = Record<IpFamily, Outcome<RouteSnapshot>>

/** What the route reader needs. */
export interface RouteReadDeps {
  run: RunCommand
  platform: NodeJS.Platform
  /** `%SystemRoot%`, where Windows PowerShell lives (default from the environment). */
  systemRoot?: string | undefined
}

/** Runs a tool; a missing tool, a timeout or a failure to start is an error value. */
async function runTool(run: RunCommand, file: string, args: readonly string[], timeoutMs: number): Promise<Outcome<CommandOutput>> {
  try {
    return { ok: true, value: await run(file, args, { timeoutMs }) }
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { killed?: boolean }
    if (e.code === 'ENOENT') return { ok: false, error: { code: 'tool-missing', message: `${file} is not installed` } }
    if (e.killed === true) return { ok: false, error: { code: 'tool-timeout', message: `${file} took longer than ${timeoutMs} ms` } }
    return { ok: false, error: { code: 'tool-failed', message: `${file} could not run: ${e.message}` } }
  }
}

/** The output of a tool that exited 0, or why not. */
function stdoutOf(out: Outcome<CommandOutput>, file: string): Outcome<string> {
  if (!out.ok) return out
  if (out.value.exitCode === 0) return { ok: true, value: out.value.stdout }
  const detail = out.value.stderr.trim().split(/\r?\n/)[0] ?? ''
  return { ok: false, error: { code: 'tool-failed', message: `${file} exited with ${out.value.exitCode}${detail ? `: ${detail}` : ''}` } }
}

async function readLinux(run: RunCommand): Promise<RouteRead> {
  const read = async (family: IpFamily) => {
    const [routes, rules] = await Promise.all([
      runTool(run, 'ip', linuxRouteArgs(family), 3000),
      runTool(run, 'ip', linuxRuleArgs(family), 3000),
    ])
    return buildLinuxSnapshot(family, stdoutOf(routes, 'ip route'), stdoutOf(rules, 'ip rule'))
  }
  const [IPv4, IPv6] = await Promise.all([read('IPv4'), read('IPv6')])
  return { IPv4, IPv6 }
}

async function readDarwin(run: RunCommand): Promise<RouteRead> {
  // Absolute paths: an app started from Finder has a minimal PATH, and both live on the sealed system volume.
  const [v4, v6, netstat] = await Promise.all([
    runTool(run, '/sbin/route', darwinRouteGetArgs('IPv4'), 3000),
    runTool(run, '/sbin/route', darwinRouteGetArgs('IPv6'), 3000),
    runTool(run, '/usr/sbin/netstat', DARWIN_NETSTAT_ARGS, 5000),
  ])
  const table = stdoutOf(netstat, 'netstat')
  return { IPv4: buildDarwinSnapshot('IPv4', v4, table), IPv6: buildDarwinSnapshot('IPv6', v6, table) }
}

async function readWindows(run: RunCommand, systemRoot: string | undefined): Promise<RouteRead> {
  // Absolute, so a powershell.exe next to the app or early on PATH is never the one that runs.
  const powershell = systemRoot ? win32.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe') : 'powershell.exe'
  const out = await runTool(run, powershell, ['-NoProfile', '-NonInteractive', '-Command', GET_NET_ROUTE_SCRIPT], 10_000)
  return buildWindowsSnapshots(stdoutOf(out, 'Get-NetRoute'))
}

function unsupported(platform: string): Outcome<never> {
  return { ok: false, error: { code: 'unsupported-platform', message: `reading routes is not supported on ${platform}` } }
}

/** Reads both families' routes with the platform's tools. */
export async function readRoutes(deps: RouteReadDeps): Promise<RouteRead> {
  if (deps.platform === 'linux') return readLinux(deps.run)
  if (deps.platform === 'darwin') return readDarwin(deps.run)
  if (deps.platform === 'win32') return readWindows(deps.run, deps.systemRoot ?? process.env.SystemRoot)
  return { IPv4: unsupported(deps.platform), IPv6: unsupported(deps.platform) }
}
