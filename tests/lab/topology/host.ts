/**
 * What the lab needs from the host, and clean-up of labs whose owner died (a crashed test run leaves
 * namespaces behind; docs/lab.md wants them deleted by name and their processes stopped by PID).
 */
import { skipReasonOrFail } from '../../helpers/require-lab'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execResult, isRunning, listNamespaces, namespacePids, stopPid } from './shell'

/** Namespaces and temp dirs the lab owns: `plx-<pid>-…`. */
export const OWNED = /^plx-(\d+)-/

/** What a lab test needs besides the core (avahi, python-zeroconf). */
export interface LabNeeds {
  avahi?: boolean
  zeroconf?: boolean
}

function onPath(file: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', file], { stdio: 'ignore' }).status === 0
}

function probeKernel(): string | undefined {
  // A real probe, because a kernel may lack a link type (this machine's has no `dummy`).
  const ns = `plx-${process.pid}-probe`
  const run = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8', timeout: 5000 })
  try {
    const add = run('netns', 'add', ns)
    if (add.status !== 0) return `\`ip netns add\` failed: ${add.stderr.trim()}`
    const bridge = run('-n', ns, 'link', 'add', 'br0', 'type', 'bridge')
    if (bridge.status !== 0) return `no bridge support in this kernel: ${bridge.stderr.trim()}`
    const veth = run('-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
    if (veth.status !== 0) return `no veth support in this kernel: ${veth.stderr.trim()}`
    return undefined
  } finally {
    run('netns', 'del', ns)
  }
}

let coreReason: string | null | undefined

/** Why the lab cannot run here (not Linux, not root, no `ip netns`, no bridge/veth, or a missing peer), or undefined. */
export function labUnavailableReason(needs: LabNeeds = {}): string | undefined {
  return skipReasonOrFail(unavailableReason(needs))
}

function unavailableReason(needs: LabNeeds): string | undefined {
  if (coreReason === undefined) {
    coreReason = null
    if (process.platform !== 'linux') coreReason = `the lab needs Linux network namespaces (this is ${process.platform})`
    else if (process.getuid?.() !== 0) coreReason = 'the lab needs root (run the tests as root, as CI does)'
    else {
      const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      if (list.error || list.status !== 0) coreReason = `\`ip netns\` is unusable: ${list.error?.message ?? list.stderr.trim()}`
      else coreReason = probeKernel() ?? null
    }
  }
  if (coreReason) return coreReason
  if (needs.avahi) {
    const missing = ['avahi-daemon', 'avahi-browse', 'avahi-publish', 'dbus-daemon'].filter((f) => !onPath(f))
    if (missing.length > 0) return `the avahi peer needs ${missing.join(', ')} (apt: avahi-daemon avahi-utils dbus)`
  }
  if (needs.zeroconf && spawnSync('/usr/bin/python3', ['-c', 'import zeroconf'], { stdio: 'ignore' }).status !== 0) {
    return 'the python-zeroconf peer needs /usr/bin/python3 with zeroconf (apt: python3-zeroconf)'
  }
  return undefined
}

/** Stops every process inside `ns` by PID, then deletes it by name; never throws. */
export async function removeNamespace(ns: string): Promise<void> {
  const pids = await namespacePids(ns)
  await Promise.all(pids.map((pid) => stopPid(pid, 500)))
  await execResult('ip', ['netns', 'del', ns], { timeoutMs: 10_000 })
}

/** Deletes namespaces (and temp dirs) named plx-<pid>-… whose pid is dead; returns the namespace names. */
export async function cleanupStaleLabs(): Promise<string[]> {
  const isStale = (name: string) => {
    const match = OWNED.exec(name)
    return match !== null && !isRunning(Number(match[1]))
  }
  const stale = existsSync('/run/netns') || existsSync('/var/run/netns') ? (await listNamespaces()).filter(isStale) : []
  // Nodes first, the switch last: the order a lab tears itself down in.
  stale.sort((a, b) => Number(a.endsWith('-sw')) - Number(b.endsWith('-sw')))
  for (const ns of stale) await removeNamespace(ns)
  const dirs = (await readdir(tmpdir()).catch(() => [] as string[])).filter(isStale)
  await Promise.all(dirs.map((d) => rm(join(tmpdir(), d), { recursive: true, force: true })))
  return stale
}
