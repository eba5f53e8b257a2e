/**
 * The lab's edge: running `ip` and programs inside namespaces, tracking what it starts, and stopping
 * processes by PID (docs/lab.md: never pkill/killall). Every call is bounded in time.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { LabExecOptions, LabExecResult, LabSpawnOptions } from './types'

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Runs `file` (no shell); a non-zero exit or a timeout is returned as a code (124 for timeout), not thrown. */
export function execResult(file: string, args: readonly string[], opts: LabExecOptions & { input?: string } = {}): Promise<LabExecResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...opts.env }
    const child = execFile(file, [...args], { timeout: opts.timeoutMs ?? 10_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr, code: 0 })
      const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string }
      if (err.killed) return resolve({ stdout, stderr: `${stderr}\n(killed after ${opts.timeoutMs ?? 10_000} ms)`, code: 124 })
      resolve({ stdout, stderr: stderr || String(err.message), code: typeof err.code === 'number' ? err.code : 127 })
    })
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

/** Runs `ip` with `args`; throws with ip's own message on failure. */
export async function ip(args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const r = await execResult('ip', args, { timeoutMs })
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`)
  return r.stdout
}

/** Runs many `ip` commands in one process (inside `ns` when given); stops at the first failure and throws. */
export async function ipBatch(ns: string | undefined, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return
  const args = [...(ns ? ['-n', ns] : []), '-batch', '-']
  const r = await execResult('ip', args, { input: `${lines.join('\n')}\n` })
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')} failed in ${ns ?? 'host'}: ${r.stderr.trim()}`)
}

/** Names of all namespaces on the host. */
export async function listNamespaces(): Promise<string[]> {
  const out = await ip(['netns', 'list'])
  return out.split('\n').map((line) => line.split(' ')[0] ?? '').filter(Boolean)
}

/** PIDs of processes inside `ns` (empty if it is gone). */
export async function namespacePids(ns: string): Promise<number[]> {
  const r = await execResult('ip', ['netns', 'pids', ns], { timeoutMs: 5000 })
  return r.code === 0 ? r.stdout.split(/\s+/).filter(Boolean).map(Number) : []
}

/** True while `pid` runs (a zombie counts as gone: it runs nothing and holds no namespace). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone or after a bounded wait. */
export async function stopPid(pid: number, graceMs = 1500): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig)
    } catch {
      // already gone
    }
  }
  signal('SIGTERM')
  for (const [limit, next] of [[graceMs, 'SIGKILL'], [2000, undefined]] as const) {
    const deadline = Date.now() + limit
    while (isRunning(pid) && Date.now() < deadline) await sleep(20)
    if (!isRunning(pid)) return
    if (next) signal(next)
  }
}

/** Resolves when a spawned child has exited, or after `ms`. */
export function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Starts programs in namespaces and stops all of them by PID. */
export class ProcessTracker {
  private readonly children = new Set<ChildProcess>()
  private isClosed = false

  /** `ip netns exec` execs the program in place, so the child's PID is the program's own. */
  spawn(ns: string, file: string, args: readonly string[], opts: LabSpawnOptions = {}): ChildProcess {
    // A start still under way when the lab is torn down must not leave a process behind.
    if (this.isClosed) throw new Error(`lab is disposed; not starting ${file}`)
    const child = spawn('ip', ['netns', 'exec', ns, file, ...args], { env: { ...process.env, ...opts.env }, stdio: 'pipe' })
    this.children.add(child)
    child.once('exit', () => this.children.delete(child))
    child.on('error', () => this.children.delete(child))
    return child
  }

  /** Stops one child by PID and waits for its exit. */
  async stop(child: ChildProcess): Promise<void> {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      await stopPid(child.pid)
      await exited(child, 1000)
    }
    this.children.delete(child)
  }

  /** Refuses further spawns, then stops every tracked child (in parallel) and waits for each. */
  async stopAll(): Promise<void> {
    this.isClosed = true
    await Promise.all([...this.children].map((child) => this.stop(child)))
  }

  /** PIDs still tracked. */
  pids(): number[] {
    return [...this.children].flatMap((c) => (c.pid === undefined ? [] : [c.pid]))
  }
}

/** Rejects with `message` if `promise` has not settled by `deadline` (performance.now scale). */
export function beforeDeadline<T>(promise: Promise<T>, deadline: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), Math.max(0, deadline - performance.now()))
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/** Waits for a line on a child's stdout or stderr matching `pattern`; rejects on exit or after `ms`. */
export function waitForLine(child: ChildProcess, pattern: RegExp, ms: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      const line = seen.split('\n').find((l) => pattern.test(l))
      if (line !== undefined) finish(undefined, line)
    }
    const onExit = () => finish(new Error(`${what} exited before it was ready: ${seen.trim().slice(-400)}`))
    const timer = setTimeout(() => finish(new Error(`${what} not ready within ${ms} ms: ${seen.trim().slice(-400)}`)), ms)
    const finish = (error: Error | undefined, line?: string) => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.stderr?.off('data', onData)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(line ?? '')
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}

/** Keeps draining a child's output (a full pipe would block a daemon) and returns the last `keep` characters. */
export function captureTail(child: ChildProcess, keep = 8192): () => string {
  let tail = ''
  const onData = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-keep)
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  return () => tail
}

/** The package root (holding package.json), found from this file whether run from source or a bundle. */
export function packageRoot(): string {
  let dir = import.meta.dirname
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('lab: package.json not found above this file')
    dir = up
  }
  return dir
}

/** Absolute path of a file under tests/lab/. */
export function labAsset(relative: string): string {
  return join(packageRoot(), 'tests', 'lab', relative)
}
