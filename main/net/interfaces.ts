/**
 * Reading this machine's interfaces: the richest source the platform has, the portable one otherwise.
 *
 * Linux: `ip -json` + sysfs. macOS: `ifconfig -a -v` + `networksetup -listallhardwareports`. Windows:
 * `Get-NetAdapter` through PowerShell. Each falls back to Node's table, with the reason in `kindReason`,
 * when its tool is missing, fails, times out or prints something unreadable; a read never rejects for that.
 */
import { access, readFile, readlink } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'
import { join, win32 } from 'node:path'
import type { NetInterface } from '../../shared/net/interfaces'
import { runCommand, type RunCommand } from '../util/exec'
import type { ToolOutcome } from './classify'
import { buildDarwinInterfaces } from './darwin-interfaces'
import { parseIfconfig } from './darwin-ifconfig'
import { parseIpAddrJson, type ReadSysfs, type SysfsFacts } from './linux-interfaces'
import { fromNodeInterfaces, type NodeTable } from './node-interfaces'
import { buildWindowsInterfaces, GET_NET_ADAPTER_SCRIPT } from './windows-interfaces'

/** Reads the current interface list. */
export type ReadInterfaces = () => Promise<NetInterface[]>

/** Dependencies of the interface reader; defaults are the real machine. */
export interface InterfaceSourceDeps {
  platform?: NodeJS.Platform
  run?: RunCommand
  readSysfs?: ReadSysfs
  nodeTable?: () => NodeTable
  /** Monotonic milliseconds, for how long slow tools' answers are reused. */
  now?: () => number
  /** `%SystemRoot%`, where Windows PowerShell lives (default from the environment). */
  systemRoot?: string
}

/**
 * networksetup and PowerShell are slow to start (PowerShell ~1 s of CPU) and the watcher reads every 2 s,
 * so their answers are reused until the set of links changes or this much time has passed.
 */
export const SLOW_TOOL_TTL_MS = 30_000

/** Builds the reader for the platform; see the module comment for the sources. */
export function createInterfaceReader(deps: InterfaceSourceDeps = {}): ReadInterfaces {
  const platform = deps.platform ?? process.platform
  const run = deps.run ?? runCommand
  const readSysfs = deps.readSysfs ?? readLinuxSysfs
  const nodeTable = deps.nodeTable ?? networkInterfaces
  const slow = createToolCache(deps.now ?? (() => performance.now()), SLOW_TOOL_TTL_MS)
  return async () => {
    if (platform === 'linux') {
      const fromIp = await readWithIproute(run, readSysfs).catch(() => undefined)
      if (fromIp) return fromIp
    }
    if (platform === 'darwin') return sortByName(await readDarwin(run, nodeTable(), slow))
    if (platform === 'win32') {
      const powershell = windowsPowerShell(deps.systemRoot ?? process.env.SystemRoot)
      return sortByName(await readWindows(run, nodeTable(), slow, powershell))
    }
    return sortByName(fromNodeInterfaces(nodeTable(), platform))
  }
}

async function readDarwin(run: RunCommand, node: NodeTable, slow: ToolCache): Promise<NetInterface[]> {
  // Absolute paths: both live on the sealed system volume, and an app started from Finder has a minimal PATH.
  // ifconfig exits 1 if a per-interface query fails midway (err() in status()); what it printed still counts.
  const ifconfig = await runTool(run, '/sbin/ifconfig', ['-a', '-v'], 3000, { keepPartialOutput: true })
  const links = ifconfig.ok ? parseIfconfig(ifconfig.stdout).map((l) => l.name) : Object.keys(node)
  const ports = await slow(`ports:${links.sort().join(',')}`, () =>
    runTool(run, '/usr/sbin/networksetup', ['-listallhardwareports'], 5000))
  return buildDarwinInterfaces({ node, ifconfig, ports })
}

async function readWindows(run: RunCommand, node: NodeTable, slow: ToolCache, powershell: string): Promise<NetInterface[]> {
  const key = Object.entries(node).map(([name, infos = []]) => `${name}=${infos.map((i) => i.mac).join('/')}`)
  const adapters = await slow(`adapters:${key.sort().join(',')}`, () =>
    runTool(run, powershell, ['-NoProfile', '-NonInteractive', '-Command', GET_NET_ADAPTER_SCRIPT], 10_000))
  return buildWindowsInterfaces({ node, adapters })
}

function windowsPowerShell(systemRoot: string | undefined): string {
  // Absolute, so a powershell.exe next to the app or early on PATH is never the one that runs.
  return systemRoot ? win32.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe') : 'powershell.exe'
}

/** Runs a tool and turns every way it can fail into a value; never rejects. */
async function runTool(
  run: RunCommand, file: string, args: readonly string[], timeoutMs: number, options: { keepPartialOutput?: boolean } = {},
): Promise<ToolOutcome> {
  try {
    const out = await run(file, args, { timeoutMs })
    if (out.exitCode === 0 || (options.keepPartialOutput === true && out.stdout.trim() !== '')) return { ok: true, stdout: out.stdout }
    const detail = out.stderr.trim().split(/\r?\n/)[0] ?? ''
    return { ok: false, error: { code: 'tool-failed', message: `${file} exited with ${out.exitCode}${detail ? `: ${detail}` : ''}` } }
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { killed?: boolean }
    if (e.code === 'ENOENT') return { ok: false, error: { code: 'tool-missing', message: `${file} is not installed` } }
    if (e.killed === true) return { ok: false, error: { code: 'tool-timeout', message: `${file} took longer than ${timeoutMs} ms` } }
    return { ok: false, error: { code: 'tool-failed', message: `${file} could not run: ${e.message}` } }
  }
}

type ToolCache = (key: string, load: () => Promise<ToolOutcome>) => Promise<ToolOutcome>

/** Remembers one tool answer (failures too, so a missing tool is not respawned every poll) per key and TTL. */
function createToolCache(now: () => number, ttlMs: number): ToolCache {
  let entry: { key: string; at: number; value: Promise<ToolOutcome> } | undefined
  return (key, load) => {
    if (entry?.key !== key || now() - entry.at >= ttlMs) entry = { key, at: now(), value: load() }
    return entry.value
  }
}

async function readWithIproute(run: RunCommand, readSysfs: ReadSysfs): Promise<NetInterface[] | undefined> {
  const out = await run('ip', ['-details', '-json', 'address', 'show'], { timeoutMs: 3000 })
  if (out.exitCode !== 0) return undefined
  const names = parseIpAddrJson(out.stdout, new Map()).map((i) => i.name)
  const facts = new Map<string, SysfsFacts>()
  await Promise.all(names.map(async (name) => facts.set(name, await readSysfs(name))))
  return sortByName(parseIpAddrJson(out.stdout, facts))
}

/** Reads DEVTYPE, wireless and device-backing facts from /sys/class/net/<name>. */
export const readLinuxSysfs: ReadSysfs = async (name) => {
  const dir = join('/sys/class/net', name)
  const exists = (p: string) => access(join(dir, p)).then(() => true, () => false)
  const uevent = await readFile(join(dir, 'uevent'), 'utf8').catch(() => '')
  const devType = /^DEVTYPE=(.+)$/m.exec(uevent)?.[1]
  const [wireless, phy, device] = await Promise.all([
    exists('wireless'),
    exists('phy80211'),
    readlink(join(dir, 'device')).then(() => true, () => false),
  ])
  return { ...(devType !== undefined && { devType }), isWireless: wireless || phy, hasDevice: device }
}

function sortByName(list: NetInterface[]): NetInterface[] {
  return list.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
}
