/**
 * `porchlight discover --watch --json` under a flood of broken mDNS, in the lab: while a hostile host on the
 * home network multicasts ≥ 10,000 seeded mutations of real mDNS packets from port 5353, the CLI in the app
 * namespace must keep running, still report the real lab accessory (and never report it down), and keep its
 * memory bounded. Memory is read from outside, from /proc/<pid>/status of the CLI process (VmRSS, VmHWM).
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReasonOrFail } from '../helpers/require-lab'
import { bundleEntry, labPath } from './bundle'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = skipReasonOrFail(labUnavailableReason())
if (skip) process.stderr.write(`lab discovery fuzz test skipped: ${skip}\n`)

/** Mutated packets the hostile host sends, and how fast. */
const PACKETS = 12_000
const PACKETS_PER_SECOND = 2000
/** The CLI browses this long (seconds): start, the flood (~6 s), and time to settle. */
const CLI_TIMEOUT_S = 20
/** The CLI's resident memory may grow at most this much over its size once it has found the accessory. */
const RSS_GROWTH_LIMIT_KB = 150 * 1024

interface WatchLine {
  event: 'up' | 'changed' | 'down'
  device: { id: string; name: string; services: { type: string; addresses: { address: string }[] }[] }
}

/** VmRSS and VmHWM of a process in kB, or undefined once it is gone. */
function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    const memory = { rss: field('VmRSS'), hwm: field('VmHWM') }
    return Number.isFinite(memory.rss) ? memory : undefined // a zombie has no memory lines
  } catch {
    return undefined
  }
}

/** User + system CPU time of a process in ms (clock ticks of 10 ms), or undefined once it is gone. */
function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/** Resolves with the exit code, or undefined after `ms`. */
function exitOf(child: ChildProcess, ms: number): Promise<number | null | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

/** Stops a child we started, by its PID, if it still runs. */
function stopChild(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
}

describe.skipIf(skip !== undefined)(`lab: discover under a flood of mutated mDNS${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let accessory: LabAccessory | undefined

  beforeAll(async () => {
    // d0 is the real accessory; fz is an empty host on the home network for the hostile sender.
    lab = await createLab({ accessories: [{ id: 'd0', hasAp: false, startOnHome: true }, { id: 'fz', hasAp: false, startOnHome: true }] })
    const d0 = lab.accessories[0]
    if (!d0) throw new Error('the lab has no accessory d0')
    accessory = await startLabAccessory(lab, d0, 10, { security: 1, pop: 'abcd1234' })
  }, 60_000)

  afterAll(async () => {
    await accessory?.stop()
    await lab?.dispose()
  }, 30_000)

  it(`keeps running, still reports the accessory and keeps its memory bounded while ${PACKETS.toLocaleString('en')} mutated packets arrive`, async () => {
    const fz = lab.accessories[1]
    if (!fz?.sta.homeAddress4) throw new Error('the lab has no sender host with an IPv4 address')
    const [cliEntry, senderEntry] = await Promise.all([
      bundleEntry(labPath('..', '..', 'app', 'cli', 'main.ts')),
      bundleEntry(labPath('probes', 'mdns-fuzz-sender-main.ts')),
    ])
    let cli: ChildProcess | undefined
    let sender: ChildProcess | undefined
    let sampler: NodeJS.Timeout | undefined
    try {
      cli = lab.spawn(lab.app.ns, process.execPath, [cliEntry, 'discover', '--watch', '--json', '--timeout', String(CLI_TIMEOUT_S)])
      const pid = cli.pid ?? -1
      const lines: WatchLine[] = []
      const unparsed: string[] = []
      let stderr = ''
      cli.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-8192)))
      createInterface({ input: cli.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        try {
          lines.push(JSON.parse(line) as WatchLine)
        } catch {
          unparsed.push(line)
        }
      })
      const samples: { at: number; rss: number; hwm: number; cpuMs: number }[] = []
      const started = performance.now()
      sampler = setInterval(() => {
        const memory = memoryOf(pid)
        const cpuMs = cpuMsOf(pid)
        if (memory && cpuMs !== undefined) samples.push({ at: Math.round(performance.now() - started), ...memory, cpuMs })
      }, 100)

      const isLamp = (l: WatchLine) => l.device.name === 'PROV_D0'
      const deadline = performance.now() + 8000
      while (!lines.some((l) => isLamp(l) && l.event === 'up') && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(lines.some((l) => isLamp(l) && l.event === 'up'), `the CLI did not report PROV_D0 before the flood; stderr: ${stderr}`).toBe(true)
      const baseline = samples.at(-1)?.rss ?? NaN
      const cpuBefore = samples.at(-1)?.cpuMs ?? NaN

      sender = lab.spawn(fz.ns, process.execPath, [senderEntry, fz.sta.homeAddress4, String(PACKETS), '7', String(PACKETS_PER_SECOND)])
      let senderOut = ''
      sender.stdout?.on('data', (chunk: Buffer) => void (senderOut += chunk.toString()))
      sender.stderr?.resume()
      expect(await exitOf(sender, 30_000), `sender: ${senderOut.slice(-500)}`).toBe(0)
      const done = senderOut.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { ev: string; sent?: number; errors?: number; ms?: number }).find((l) => l.ev === 'done')
      expect(done?.sent).toBeGreaterThanOrEqual(10_000)
      const floodEndedAt = Math.round(performance.now() - started)
      const cpuDuringFlood = (samples.at(-1)?.cpuMs ?? NaN) - cpuBefore

      const code = await exitOf(cli, (CLI_TIMEOUT_S + 15) * 1000)
      clearInterval(sampler)
      const lamp = lines.filter(isLamp)
      const peakRss = Math.max(...samples.map((s) => s.rss))
      const hwm = Math.max(...samples.map((s) => s.hwm))
      process.stdout.write(`discovery fuzz lab: sent ${done?.sent} packets in ${done?.ms} ms (${done?.errors} send errors); CLI lines ${lines.length}, ` +
        `devices seen ${new Set(lines.map((l) => l.device.id)).size}; RSS baseline ${baseline} kB, peak ${peakRss} kB, VmHWM ${hwm} kB; CPU during the flood ${cpuDuringFlood} ms; flood ended at ${floodEndedAt} ms; CLI exit ${code}\n`)

      expect(code, `the CLI did not exit cleanly; stderr: ${stderr}`).toBe(0)
      expect(stderr).not.toMatch(/unexpected error|Unhandled|RangeError|TypeError/)
      expect(unparsed).toEqual([])
      expect(lamp.at(-1)?.event, 'PROV_D0 was reported down during the flood').not.toBe('down')
      expect(lamp[0]?.device.services.some((s) => s.type === '_esp_local_ctrl._tcp' && s.addresses.some((a) => a.address === lab.accessories[0]?.sta.homeAddress4))).toBe(true)
      expect(peakRss - baseline).toBeLessThan(RSS_GROWTH_LIMIT_KB)
    } finally {
      if (sampler) clearInterval(sampler)
      stopChild(sender)
      stopChild(cli)
    }
  }, 90_000)
})
