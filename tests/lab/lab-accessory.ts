/**
 * Runs simulated accessories and the spec client inside a built lab: bundles the entries, starts the
 * accessory process in its namespace with a configuration derived from the lab's wiring, and gives tests
 * its events and a way to flip fault switches.
 */
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { AccessoryConfig, type Faults } from './accessory/config'
import { bundleEntry, labPath } from './bundle'
import type { Lab, LabAccessoryNode } from './topology'

/** A running lab accessory. */
export interface LabAccessory {
  config: AccessoryConfig
  /** Its lab node; `node.sta.homeAddress4` follows `readdress` (the boot address stays in `config.lab.homeAddress4`). */
  node: LabAccessoryNode
  /** Every JSON event it printed, in order. */
  events: Record<string, unknown>[]
  /** Wall-clock ms each event was read (same index as `events`), for benchmarks that time the device's side. */
  eventTimes: number[]
  waitFor(predicate: (event: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>
  setFaults(faults: Partial<Faults>): Promise<void>
  command(cmd: Record<string, unknown>): Promise<void>
  /**
   * Renumbers its home IPv4 ("DHCP renumbering", accessory/readdress.ts: only 198.18.0.100–254, one address per
   * accessory) and resolves with the `readdressed` event once the control service listens there and the first
   * mDNS announcement is out; rejects with the accessory's reason when it refuses.
   */
  readdress(address4: string, ms?: number): Promise<{ from: string; to: string }>
  stop(): Promise<void>
}

/** What a test may choose for one accessory. */
export type LabAccessoryOptions = Partial<Pick<AccessoryConfig, 'security' | 'secPatchVersion' | 'pop' | 'username' | 'joinDelayMs' | 'connectAttempts' | 'apLingerMs' | 'faults' | 'networks' | 'appInfoId' | 'provCtrl'>>

/** Starts the accessory process for `node`; resolves once it listens. */
export async function startLabAccessory(lab: Lab, node: LabAccessoryNode, index: number, options: LabAccessoryOptions = {}): Promise<LabAccessory> {
  const entry = await bundleEntry(labPath('accessory', 'main.ts'))
  const startOnHome = !node.ap
  const config = AccessoryConfig.parse({
    id: node.id,
    deviceId: `02706c78${index.toString(16).padStart(4, '0')}`,
    name: node.ap?.ssid ?? `PROV_${node.id.toUpperCase()}`,
    security: 2,
    pop: 'abcd1234',
    networks: [
      { ssid: lab.home.ssid, passphrase: lab.home.passphrase, rssi: -48, channel: 6 },
      { ssid: 'Neighbour-5G', passphrase: 'not-ours-123', rssi: -81, channel: 36 },
    ],
    http: { host: node.ap?.address4 ?? node.sta.homeAddress4 ?? '::', port: 80 },
    joinDelayMs: 300,
    apLingerMs: 500,
    lab: { apIfname: node.ap?.ifname, staIfname: node.sta.ifname, homeSsid: lab.home.ssid, homeAddress4: node.sta.homeAddress4, startOnHome },
    ...options,
  })
  const child = lab.spawn(node.ns, process.execPath, [entry])
  // The configuration carries the PoP and passphrases: stdin, not argv (a process listing shows argv).
  child.stdin?.write(`${JSON.stringify({ config, commands: node.commands })}\n`)
  const events: Record<string, unknown>[] = []
  const eventTimes: number[] = []
  const waiters = new Set<() => void>()
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      eventTimes.push(Date.now())
      events.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      eventTimes.push(Date.now())
      events.push({ event: 'unparsed', line })
    }
    waiters.forEach((w) => w())
  })
  child.stderr?.resume()
  const waitFor = (predicate: (e: Record<string, unknown>) => boolean, ms = 8000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const hit = events.find(predicate)
        if (!hit) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(hit)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`accessory ${node.id}: no matching event in ${ms} ms; saw ${events.map((e) => e.event).join(', ')}`))
      }, ms)
      waiters.add(check)
      check()
    })
  const command = (cmd: Record<string, unknown>) => {
    const before = events.length
    child.stdin?.write(`${JSON.stringify(cmd)}\n`)
    return waitFor((e) => e.event === 'done' && e.cmd === cmd.cmd && events.indexOf(e) >= before).then(() => undefined)
  }
  const readdress = async (address4: string, ms = 8000) => {
    const before = events.length
    child.stdin?.write(`${JSON.stringify({ cmd: 'readdress', address4 })}\n`)
    const outcome = await waitFor((e) => events.indexOf(e) >= before && (e.event === 'readdressed' || (e.event === 'error' && e.during === 'readdress')), ms)
    if (outcome.event === 'error') throw new Error(`accessory ${node.id}: readdress refused (${String(outcome.code)}): ${String(outcome.message)}`)
    node.sta.homeAddress4 = address4
    return { from: String(outcome.from), to: String(outcome.to) }
  }
  await waitFor((e) => e.event === 'ready', 10_000)
  return {
    config,
    node,
    events,
    eventTimes,
    waitFor,
    command,
    setFaults: (faults) => command({ cmd: 'faults', faults }),
    readdress,
    stop: () => stopChild(child),
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** One step result of the spec client. */
export interface SpecStepResult {
  op: string
  ok: boolean
  ms: number
  result?: unknown
  error?: string
}

/** Runs the spec client in the app namespace with a script of steps; resolves to one result per step run. */
export async function runSpecClient(lab: Lab, baseUrl: string, steps: Record<string, unknown>[], timeoutMs = 20_000): Promise<SpecStepResult[]> {
  const entry = await bundleEntry(labPath('spec-client-main.ts'))
  const child = lab.spawn(lab.app.ns, process.execPath, [entry])
  const lines: SpecStepResult[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => lines.push(JSON.parse(line) as SpecStepResult))
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdin?.end(JSON.stringify({ baseUrl, steps }))
  const code = await Promise.race([
    new Promise<number | null>((r) => child.once('exit', (c) => r(c))),
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs)),
  ])
  if (code === 'timeout') {
    await stopChild(child)
    throw new Error(`spec client timed out after ${timeoutMs} ms; steps so far: ${JSON.stringify(lines)}`)
  }
  if (code !== 0) throw new Error(`spec client exited ${code}: ${stderr.slice(0, 500)}`)
  return lines
}
