/**
 * The lab adapter from a file: a host process started inside the lab's app namespace (the web host or CLI
 * under test) cannot share memory with the test that built the lab, so the test writes the Wi-Fi
 * configuration — passphrases included — to a 0600 JSON file (never argv, which /proc shows to everyone)
 * and the host builds its adapter from it. The file is a trust boundary: zod-validated, and refused when
 * group or others can read it. Names reach `ip -n <ns> …` as arguments, so they must look like names,
 * never like options.
 */
import { open } from 'node:fs/promises'
import { z } from 'zod'
import type { Clock } from '../util/clock'
import type { RunCommand } from '../util/exec'
import { createLabWifi, type LabHostWifi, type LabWifiNetwork, type LabWifiOptions } from './lab-adapter'
import type { WifiResult } from './port'

const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
const Ssid = z.string().min(1).refine((s) => Buffer.byteLength(s, 'utf8') <= 32, 'an SSID is at most 32 bytes')
const Cidr = z.string().regex(/^[0-9a-fA-F.:]+\/\d{1,3}$/)
const Ms = z.number().int().min(0).max(600_000)

/** The JSON a lab test writes for a host process (the shape of `lab.wifiConfig()`). */
export const LabWifiConfig = z.strictObject({
  switchNs: Name,
  appNs: Name,
  ifname: Name.max(15),
  switchPort: Name,
  networks: z.array(z.strictObject({
    ssid: Ssid,
    passphrase: z.string().regex(/^[\x20-\x7e]{8,63}$/).optional(),
    bridge: Name,
    signal: z.number().int().min(0).max(100),
    address4: Cidr.optional(),
    address6: Cidr.optional(),
    beaconLink: Name.optional(),
    bssid: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/).optional(),
    channel: z.number().int().min(1).max(233).optional(),
  })).min(1),
  knownNetworks: z.array(Ssid).optional(),
  wrongPassphraseDelayMs: Ms.optional(),
  joinTimeoutMs: Ms.optional(),
  pollMs: Ms.optional(),
})
/** The JSON a lab test writes for a host process. */
export type LabWifiConfig = z.infer<typeof LabWifiConfig>

/** Drops keys whose value is undefined (zod's optional output vs. exactOptionalPropertyTypes). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }
}

/** Validates parsed JSON into adapter options (without run/clock); issues name paths, never values. */
export function parseLabWifiConfig(raw: unknown): WifiResult<Omit<LabWifiOptions, 'run' | 'clock'>> {
  const parsed = LabWifiConfig.safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ')
    return { ok: false, error: { code: 'adapter-failed', message: 'The lab Wi-Fi file is not valid; rebuild the lab and write it again.', detail: issues } }
  }
  const { networks, knownNetworks, ...rest } = parsed.data
  return {
    ok: true,
    value: { ...defined(rest), networks: networks.map((n) => defined(n) as LabWifiNetwork), ...(knownNetworks ? { knownNetworks } : {}) },
  }
}

/** Reads a 0600 lab Wi-Fi file and builds the lab adapter from it; anything else is an error value. */
export async function createLabWifiFromFile(path: string, deps: { run: RunCommand; clock: Clock }): Promise<WifiResult<LabHostWifi>> {
  let text: string
  try {
    // One open for both the mode check and the read, so the file checked is the file read.
    const handle = await open(path, 'r')
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) return { ok: false, error: { code: 'adapter-failed', message: `${path} is not a regular file; write the lab Wi-Fi file again.` } }
      if ((stat.mode & 0o077) !== 0) {
        return { ok: false, error: { code: 'not-permitted', message: `${path} holds Wi-Fi passphrases but other users can read it (mode ${(stat.mode & 0o777).toString(8)}). chmod 600 it, then start again.` } }
      }
      text = await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  } catch (error) {
    return { ok: false, error: { code: 'adapter-failed', message: `The lab Wi-Fi file could not be read; check the path ${path}.`, detail: String((error as NodeJS.ErrnoException).code ?? 'read failed') } }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ok: false, error: { code: 'adapter-failed', message: 'The lab Wi-Fi file is not JSON; rebuild the lab and write it again.' } }
  }
  const options = parseLabWifiConfig(raw)
  return options.ok ? { ok: true, value: createLabWifi({ ...options.value, ...deps }) } : options
}
