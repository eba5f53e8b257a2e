/**
 * Test harness for the mDNS responder lab tests: a switch namespace with a bridge and host namespaces
 * joined to it by veth pairs (docs/lab.md rules: test-owned names, 198.18.0.0/15 and link-local only,
 * a 224.0.0.0/4 route, teardown by name), plus bundled child entries run with `ip netns exec`.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { createNamespace, deleteNamespace, ip, namespaceExists, ownedName } from '../../../../helpers/netns'

/** One simulated host: its namespace, interface and addresses. */
export interface LabHost {
  ns: string
  ifname: string
  /** Absent for an IPv6-only host. */
  ipv4?: string
  /** The kernel's link-local address (no zone). */
  ipv6: string
}

/** The lab: an accessory (dual stack), a querier (dual stack) and an IPv6-only host, on one bridge. */
export interface MdnsLab {
  acc: LabHost
  querier: LabHost
  v6only: LabHost
  /** Deletes every namespace by name (their links go with them); returns the names that survived. */
  teardown(): string[]
}

const sysctl = (ns: string, key: string, value: string) => ip('netns', 'exec', ns, 'sysctl', '-qw', `${key}=${value}`)

/** Builds the topology; on any failure it tears down what it made and rethrows. */
export async function createMdnsLab(): Promise<MdnsLab> {
  const sw = ownedName('plxms')
  const bridge = ownedName('plxbr')
  const made: string[] = []
  const hosts: LabHost[] = []
  const teardown = () => {
    for (const ns of made) deleteNamespace(ns)
    return made.filter((ns) => namespaceExists(ns))
  }
  try {
    createNamespace(sw)
    made.push(sw)
    // The switch only forwards frames; no IPv6 of its own, no multicast snooping (floods mDNS to every port).
    sysctl(sw, 'net.ipv6.conf.all.disable_ipv6', '1')
    sysctl(sw, 'net.ipv6.conf.default.disable_ipv6', '1')
    ip('-n', sw, 'link', 'add', bridge, 'type', 'bridge', 'mcast_snooping', '0')
    ip('-n', sw, 'link', 'set', bridge, 'up')
    for (const [role, ipv4] of [['plxma', '198.18.0.1'], ['plxmq', '198.18.0.2'], ['plxm6', undefined]] as const) {
      const ns = ownedName(role)
      const ifname = ownedName('plxe')
      const port = ownedName('plxp')
      createNamespace(ns)
      made.push(ns)
      // Link-local addresses without the 1–2 s of duplicate address detection.
      sysctl(ns, 'net.ipv6.conf.default.accept_dad', '0')
      sysctl(ns, 'net.ipv6.conf.all.accept_dad', '0')
      ip('-n', ns, 'link', 'add', ifname, 'type', 'veth', 'peer', 'name', port, 'netns', sw)
      ip('-n', sw, 'link', 'set', port, 'master', bridge, 'up')
      if (ipv4) ip('-n', ns, 'addr', 'add', `${ipv4}/24`, 'dev', ifname)
      ip('-n', ns, 'link', 'set', ifname, 'multicast', 'on', 'up')
      // Without this route sends to 224.0.0.251 fail: the namespace has no default route (stack-on-this-machine.md §5).
      if (ipv4) ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', ifname)
      hosts.push({ ns, ifname, ...(ipv4 ? { ipv4 } : {}), ipv6: '' })
    }
    for (const host of hosts) host.ipv6 = await linkLocal(host)
    const [acc, querier, v6only] = hosts as [LabHost, LabHost, LabHost]
    return { acc, querier, v6only, teardown }
  } catch (error) {
    teardown()
    throw error
  }
}

/** Waits (bounded) until the interface has a usable, non-tentative link-local address. */
async function linkLocal(host: LabHost): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = ip('-n', host.ns, '-6', 'addr', 'show', 'dev', host.ifname, 'scope', 'link')
    const match = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(text)
    if (match?.[1] && !text.includes('tentative')) return match[1]
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no link-local address on ${host.ifname} in ${host.ns} within 5 s`)
}

/** Bundles the child entries into a temp dir (CommonJS, dns-packet inlined); `cleanup` removes it. */
export async function bundleEntries(): Promise<{ responder: string; querier: string; zeroconf: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'plx-mdns-'))
  await build({
    entryPoints: { responder: join(import.meta.dirname, 'responder-entry.ts'), querier: join(import.meta.dirname, 'querier-entry.ts') },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: dir,
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
  })
  return {
    responder: join(dir, 'responder.cjs'),
    querier: join(dir, 'querier.cjs'),
    zeroconf: join(import.meta.dirname, 'zeroconf-browse.py'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A JSON-lines child process running inside a namespace. */
export interface LabChild {
  readonly pid: number
  readonly lines: Record<string, unknown>[]
  send(command: Record<string, unknown>): void
  /** Resolves with the first line (from index `from`) matching `predicate`; rejects after `ms`. */
  waitFor(predicate: (line: Record<string, unknown>) => boolean, ms: number, what: string, from?: number): Promise<Record<string, unknown>>
  /** Resolves with the exit code (bounded: SIGKILL by PID after `ms`). */
  exit(ms?: number): Promise<number | null>
  isRunning(): boolean
  stderr(): string
}

/** Runs `command args` in namespace `ns` via `ip netns exec` (which execs, so the PID is the child's own). */
export function spawnInNamespace(ns: string, command: string, args: string[]): LabChild {
  const child: ChildProcessWithoutNullStreams = spawn('ip', ['netns', 'exec', ns, command, ...args])
  const lines: Record<string, unknown>[] = []
  let buffer = ''
  let errors = ''
  let code: number | null | undefined
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve((code = c))))
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>)
  })
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
  child.stdin.on('error', () => undefined)
  return {
    pid: child.pid ?? -1,
    lines,
    send: (command) => void child.stdin.write(`${JSON.stringify(command)}\n`),
    async waitFor(predicate, ms, what, from = 0) {
      const deadline = Date.now() + ms
      for (;;) {
        const hit = lines.slice(from).find(predicate)
        if (hit) return hit
        if (Date.now() > deadline) throw new Error(`${what}: nothing within ${ms} ms (stderr: ${errors.slice(-500) || 'empty'})`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    async exit(ms = 3000) {
      if (code !== undefined) return code
      child.stdin.end()
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }, ms)
      const result = await exited
      clearTimeout(timer)
      return result
    },
    isRunning: () => code === undefined,
    stderr: () => errors,
  }
}
