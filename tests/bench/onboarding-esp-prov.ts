/**
 * Espressif's reference client (esp_prov) as a second tool in bench:onboarding, when this machine has what
 * it needs: python3 with protobuf and cryptography (Debian: python3-protobuf, python3-cryptography) and an
 * ESP-IDF v5.x tree at $ESP_PROV_DIR (ESP-IDF is not packaged in Debian, reference §1.11). The interpreter is
 * $ESP_PROV_PYTHON, else `python3` on PATH (a pyenv shim may hide Debian's modules: then /usr/bin/python3).
 */
const python = () => process.env.ESP_PROV_PYTHON ?? 'python3'

import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { labPath } from '../lab/bundle'
import type { Lab } from '../lab/topology'

/** Why esp_prov cannot run here, or undefined when it can. */
export function espProvUnavailableReason(): string | undefined {
  const dir = process.env.ESP_PROV_DIR
  try {
    execFileSync(python(), ['-c', 'import google.protobuf, cryptography'], { stdio: 'ignore', timeout: 10_000 })
  } catch {
    return `${python()} has no protobuf and cryptography (apt: python3-protobuf python3-cryptography; ESP_PROV_PYTHON=/usr/bin/python3 picks Debian's)`
  }
  if (!dir) return 'ESP_PROV_DIR is not set (an ESP-IDF v5.x tree with tools/esp_prov)'
  if (!existsSync(join(dir, 'tools', 'esp_prov', 'esp_prov.py'))) return `no tools/esp_prov/esp_prov.py under ESP_PROV_DIR (${dir})`
  return undefined
}

/** What one esp_prov batch needs. */
export interface EspProvRun {
  host: string
  port: number
  security: 0 | 1 | 2
  patch: 0 | 1
  username: string
  pop: string
  runs: number
}

/** Runs `runs` timed proto-ver + handshakes with esp_prov in the app namespace; null marks a failed run. */
export async function runEspProv(lab: Lab, run: EspProvRun): Promise<{ times: (number | null)[]; errors: string[] }> {
  const child = lab.spawn(lab.app.ns, python(), [labPath('..', 'bench', 'onboarding-esp-prov.py')])
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  // The setup code goes on stdin, never argv.
  child.stdin?.end(JSON.stringify(run))
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)))
  if (code !== 0) throw new Error(`esp_prov runner exited ${code}: ${stderr.slice(-500)}`)
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { times: (number | null)[]; errors: string[] }
}
