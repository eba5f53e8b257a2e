/**
 * Runs `porchlight monitor --json` in the lab's app namespace and reads its stream: the helpers the
 * connection-health lab tests and `npm run bench:health` share (what a session reports, and when).
 */
import { bundleEntry, labPath } from '../bundle'
import { spawnJsonEntry, type JsonChild } from '../crowd/node-process'
import type { Lab } from '../topology'

/** The CLI entry, bundled. */
export const cliEntry = () => labPath('..', '..', 'app', 'cli', 'main.ts')

/** A running monitor and typed access to what it printed. */
export interface Monitor {
  child: JsonChild
  /** `state` lines, in order. */
  states(): Record<string, unknown>[]
  /** Waits for a `state` line (at or after line index `from`) matching; bounded. */
  state(match: (line: Record<string, unknown>) => boolean, ms: number, what: string, from?: number): Promise<Record<string, unknown>>
  /** Waits for a `timeline` line of `kind` (at or after `from`). */
  timeline(kind: string, ms: number, from?: number): Promise<Record<string, unknown>>
  /** Index of the next line (pass as `from` to wait only for what comes after now). */
  mark(): number
  stop(): Promise<void>
}

/** Finds the discovery device id of the accessory whose TXT id is `txtId` (runs `discover --json`). */
export async function deviceIdByTxt(lab: Lab, txtId: string, type = '_esp_local_ctrl._tcp'): Promise<string> {
  const entry = await bundleEntry(cliEntry())
  for (let attempt = 0; attempt < 3; attempt++) {
    const run = await lab.exec(lab.app.ns, process.execPath, [entry, 'discover', '--json', '--type', type, '--timeout', '2'], { timeoutMs: 20_000 })
    const devices = JSON.parse(run.stdout || '[]') as { id: string; services: { txt: Record<string, unknown> }[] }[]
    const hit = devices.find((d) => d.services.some((s) => s.txt.id === txtId))
    if (hit) return hit.id
  }
  throw new Error(`no device with TXT id ${txtId} found by discover`)
}

/** Starts `porchlight monitor --json` in the app namespace with `args` (e.g. `--device ID --interval 500`). */
export async function startMonitor(lab: Lab, args: string[]): Promise<Monitor> {
  const child = await spawnJsonEntry(lab, lab.app.ns, cliEntry(), ['monitor', '--json', ...args])
  const isState = (l: Record<string, unknown>) => l.event === 'state'
  return {
    child,
    states: () => child.lines.filter(isState),
    state: (match, ms, what, from = 0) => child.waitFor((l) => isState(l) && match(l), ms, `monitor state: ${what}`, from),
    timeline: (kind, ms, from = 0) => child.waitFor((l) => l.event === 'timeline' && l.kind === kind, ms, `monitor timeline: ${kind}`, from),
    mark: () => child.lines.length,
    stop: () => child.stop(2000),
  }
}
