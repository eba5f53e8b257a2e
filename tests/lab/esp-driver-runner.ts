/**
 * Runs esp-driver-main.ts (the product ESP driver) inside the lab's app namespace with a script of steps,
 * for the lab test and bench:onboarding.
 */
import { createInterface } from 'node:readline'
import { bundleEntry, labPath } from './bundle'
import type { Lab } from './topology'

/** One printed step of esp-driver-main.ts: a DriverResult plus the step name and its wall time. */
export interface DriverStepLine {
  op: string
  ms: number
  ok: boolean
  value?: unknown
  error?: { code: string; message: string; detail?: string }
}

/** Runs the driver entry in the app namespace; resolves to its step lines (bounded by `timeoutMs`). */
export async function runDriver(lab: Lab, script: Record<string, unknown>, timeoutMs = 20_000): Promise<DriverStepLine[]> {
  const child = lab.spawn(lab.app.ns, process.execPath, [await bundleEntry(labPath('esp-driver-main.ts'))])
  const lines: DriverStepLine[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => lines.push(JSON.parse(l) as DriverStepLine))
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)))
  // The script holds the setup code and passphrase: stdin, never argv.
  child.stdin?.end(JSON.stringify(script))
  let timer: NodeJS.Timeout | undefined
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))])
  clearTimeout(timer)
  if (code === 'timeout') {
    child.kill('SIGKILL')
    await exited
    throw new Error(`driver timed out after ${timeoutMs} ms; steps so far: ${JSON.stringify(lines)}`)
  }
  if (code !== 0) throw new Error(`driver exited ${code}: ${stderr.slice(0, 500)}`)
  return lines
}

/** The app's own address on an accessory's AP (what the driver binds to), from the lab Wi-Fi networks. */
export function appAddressOn(lab: Lab, ssid: string): string {
  const cidr = lab.wifiConfig().networks.find((n) => n.ssid === ssid)?.address4
  if (!cidr) throw new Error(`the lab has no app address on ${ssid}`)
  return cidr.split('/')[0] as string
}
