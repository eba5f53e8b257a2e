/**
 * Runs a bundled TypeScript lab entry with Node inside a namespace (`ip netns exec`, so the child's PID
 * is Node's own) and talks JSON lines with it: events collected in order, bounded waits, commands with
 * replies, and a stop that ends by PID (docs/lab.md: never pkill). Shared by the crowd and the publishers.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { bundleEntry } from '../bundle'
import { exited, stopPid } from '../topology/shell'
import type { Lab, LabProcesses } from '../topology/types'

/** A namespace and interface to run in (a lab node, or any namespace the test made). */
export interface NodeHost {
  ns: string
  ifname: string
  address4: string
  address6?: string
}

/** A lab, or a plain namespace. */
export type Where = Lab | NodeHost

const isLab = (where: Where): where is Lab => 'accessories' in where && 'spawn' in where

/** The host for `where`: a lab accessory on br-home (by id, or the only one there), or the given namespace. */
export function hostOf(where: Where, node?: string): NodeHost {
  if (!isLab(where)) return where
  const onHome = where.accessories.filter((a) => a.sta.homeAddress4 !== undefined)
  const chosen = node === undefined ? (onHome.length === 1 ? onHome[0] : undefined) : where.accessories.find((a) => a.id === node)
  if (!chosen?.sta.homeAddress4) {
    throw new TypeError(`lab node: pass the id of an accessory with an IPv4 home address (have: ${where.accessories.map((a) => a.id).join(', ') || 'none'}); ` +
      'build it with { hasAp: false, startOnHome: true }')
  }
  return { ns: chosen.ns, ifname: chosen.sta.ifname, address4: chosen.sta.homeAddress4, address6: chosen.sta.homeAddress6 }
}

/** A running JSON-lines child. */
export interface JsonChild {
  readonly pid: number | undefined
  /** Every JSON line it printed, in order. */
  readonly lines: Record<string, unknown>[]
  /** Non-JSON output (stderr and stray stdout), last 8 KiB. */
  tail(): string
  /** Resolves with the first line (at or after index `from`) matching; rejects after `ms` or on exit. */
  waitFor(match: (line: Record<string, unknown>) => boolean, ms: number, what: string, from?: number): Promise<Record<string, unknown>>
  /** Sends a command with a fresh `id` and resolves with its `ok: true` reply; rejects on `ok: false` or after `ms`. */
  call(command: Record<string, unknown>, ms: number): Promise<Record<string, unknown>>
  /** Closes stdin (the child stops by itself), then SIGTERM/SIGKILL by PID if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>
  readonly hasExited: boolean
}

/** Bundles `entry` (a .ts file) and starts it with `args` inside the host's namespace. */
export async function spawnJsonEntry(where: Where, ns: string, entry: string, args: string[], env: Record<string, string> = {}): Promise<JsonChild> {
  const bundle = await bundleEntry(entry)
  const child: ChildProcess = isLab(where)
    ? where.spawn(ns, process.execPath, [bundle, ...args], { env })
    : spawn('ip', ['netns', 'exec', ns, process.execPath, bundle, ...args], { stdio: 'pipe', env: { ...process.env, ...env } })
  return wrapChild(child)
}

function wrapChild(child: ChildProcess): JsonChild {
  const lines: Record<string, unknown>[] = []
  const listeners = new Set<() => void>()
  let text = ''
  let hasExited = false
  let nextId = 1
  const keep = (s: string) => {
    text = (text + s).slice(-8192)
  }
  child.stdout?.setEncoding('utf8')
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      keep(`${line}\n`)
    }
    for (const l of [...listeners]) l()
  })
  child.stderr?.on('data', (chunk: Buffer) => keep(chunk.toString()))
  child.once('exit', () => {
    hasExited = true
    for (const l of [...listeners]) l()
  })
  child.on('error', (error) => keep(`spawn error: ${error.message}\n`))

  const waitFor: JsonChild['waitFor'] = (match, ms, what, from = 0) =>
    new Promise((resolve, reject) => {
      let scanned = from
      const check = () => {
        for (; scanned < lines.length; scanned++) {
          const line = lines[scanned] as Record<string, unknown>
          if (match(line)) return finish(undefined, line)
        }
        if (hasExited) finish(new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode}); output: ${text.trim().slice(-600)}`))
      }
      const timer = setTimeout(() => finish(new Error(`${what}: nothing within ${ms} ms; output: ${text.trim().slice(-600)}`)), ms)
      const finish = (error: Error | undefined, line?: Record<string, unknown>) => {
        clearTimeout(timer)
        listeners.delete(check)
        if (error) reject(error)
        else resolve(line as Record<string, unknown>)
      }
      listeners.add(check)
      check()
    })

  return {
    get pid() {
      return child.pid
    },
    lines,
    tail: () => text,
    get hasExited() {
      return hasExited
    },
    waitFor,
    async call(command, ms) {
      const id = nextId++
      const from = lines.length
      child.stdin?.write(`${JSON.stringify({ ...command, id })}\n`)
      const reply = await waitFor((l) => l.id === id && 'ok' in l, ms, `reply to ${String(command.cmd)}`, from)
      if (reply.ok !== true) throw new Error(`${String(command.cmd)} failed: ${String(reply.error)}`)
      return reply
    },
    async stop(graceMs = 3000) {
      if (hasExited) return
      child.stdin?.end()
      await exited(child, graceMs)
      if (!hasExited && child.pid !== undefined) await stopPid(child.pid)
      await exited(child, 1000)
    },
  }
}

/** The process functions of a lab in the shape peers take (`startAvahiPeer`, `startZeroconfPeer`), stopping by PID. */
export function labProcesses(lab: Lab): LabProcesses {
  return {
    exec: (ns, file, args, opts) => lab.exec(ns, file, args, opts),
    spawn: (ns, file, args, opts) => lab.spawn(ns, file, args, opts),
    async stop(child) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) await stopPid(child.pid)
      await exited(child, 1000)
    },
  }
}
