/**
 * `npm run bench:onboarding`: onboarding timings in the lab (issue #5). Needs root and the lab. Prints a
 * table on stderr, the JSON on stdout, and writes tests/bench/results/onboarding.json:
 * `{"results":[{"scenario","tool","runs","ok","p50_ms","p95_ms"}], ...}`.
 *
 * - handshake-sec2 / handshake-sec1: probe (proto-ver) + openSession (the whole prov-session handshake) wall
 *   time, measured inside the driver process that runs in the app namespace, bound to the app's address on
 *   the accessory's AP; each run on a fresh connection. Tool `porchlight` is the product driver; tool
 *   `esp_prov` is Espressif's reference client where this machine has it (else skipped with the reason).
 *   Two warm-up runs per tool are not counted (JIT, first ARP/TCP).
 * BENCH_RUNS overrides the 20 runs per scenario; BENCH_SCENARIOS=a,b picks scenarios.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { labPath } from '../lab/bundle'
import { appAddressOn, runDriver } from '../lab/esp-driver-runner'
import { startLabAccessory, type LabAccessory } from '../lab/lab-accessory'
import { createLab, labUnavailableReason, type Lab } from '../lab/topology'
import { espProvUnavailableReason, runEspProv } from './onboarding-esp-prov'
import { percentile } from './stats'

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 20))
const WARMUP = 2
const POP = 'abcd1234'
/** The target for a security 2 handshake. */
const SEC2_TARGET_P50_MS = 100

/** One row of `results`. */
interface Row {
  scenario: string
  tool: string
  runs: number
  ok: number
  p50_ms: number | null
  p95_ms: number | null
}

/** What a scenario gets: the built lab and one running accessory per security scheme. */
interface BenchContext {
  lab: Lab
  sec1: LabAccessory
  sec2: LabAccessory
  notes: string[]
}

const row = (scenario: string, tool: string, times: (number | null)[]): Row => {
  const ok = times.filter((t): t is number => t !== null)
  return { scenario, tool, runs: times.length, ok: ok.length, p50_ms: percentile(ok, 50), p95_ms: percentile(ok, 95) }
}

async function joinAp(ctx: BenchContext, acc: LabAccessory): Promise<{ host: string; port: number; localAddress: string }> {
  const ap = acc.node.ap
  if (!ap) throw new Error(`accessory ${acc.node.id} has no AP`)
  const joined = await ctx.lab.wifi.join(ap.ssid, ap.passphrase)
  if (!joined.ok) throw new Error(`could not join ${ap.ssid}: ${joined.error.message}`)
  return { host: ap.address4, port: 80, localAddress: appAddressOn(ctx.lab, ap.ssid) }
}

/** probe + openSession times with the product driver, then with esp_prov when available. */
function handshake(security: 1 | 2): (ctx: BenchContext) => Promise<Row[]> {
  return async (ctx) => {
    const scenario = `handshake-sec${security}`
    const acc = security === 1 ? ctx.sec1 : ctx.sec2
    const endpoint = await joinAp(ctx, acc)
    const lines = await runDriver(ctx.lab, { endpoint, steps: [{ op: 'handshakes', runs: RUNS + WARMUP, pop: POP }] }, 60_000 + RUNS * 5000)
    const value = lines[0]?.value as { times: (number | null)[]; errors: string[] } | undefined
    if (!value) throw new Error(`${scenario}: the driver printed nothing`)
    if (value.errors.length > 0) ctx.notes.push(`${scenario} porchlight errors: ${value.errors.join(', ')}`)
    ctx.notes.push(`raw ${scenario} porchlight: ${value.times.slice(WARMUP).join(' ')}`)
    const rows = [row(scenario, 'porchlight', value.times.slice(WARMUP))]
    const skip = espProvUnavailableReason()
    if (skip) {
      ctx.notes.push(`${scenario} esp_prov skipped: ${skip}`)
      return rows
    }
    const patch = acc.config.security === 2 ? acc.config.secPatchVersion : 0
    const ref = await runEspProv(ctx.lab, { host: endpoint.host, port: endpoint.port, security, patch, username: acc.config.username, pop: POP, runs: RUNS + WARMUP })
    if (ref.errors.length > 0) ctx.notes.push(`${scenario} esp_prov errors: ${ref.errors.join(', ')}`)
    return [...rows, row(scenario, 'esp_prov', ref.times.slice(WARMUP))]
  }
}

/**
 * The scenarios, in order. HOOK for the lead: add `'credentials-to-confirmed'` here (the onboarding flow from
 * Set/Apply until the accessory is confirmed on the home LAN); a scenario gets the lab and both accessories
 * and returns its rows.
 */
const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<Row[]>> = {
  'handshake-sec2': handshake(2),
  'handshake-sec1': handshake(1),
  // 'credentials-to-confirmed': (ctx) => …,
}

async function main(): Promise<void> {
  const skip = labUnavailableReason()
  if (skip) throw new Error(`the onboarding benchmark needs the lab: ${skip}`)
  const chosen = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim()).filter(Boolean) ?? Object.keys(SCENARIOS)
  const unknown = chosen.filter((s) => !(s in SCENARIOS))
  if (unknown.length > 0) throw new Error(`unknown scenarios: ${unknown.join(', ')} (known: ${Object.keys(SCENARIOS).join(', ')})`)
  const lab = await createLab({ accessories: [{ id: 'b1' }, { id: 'b2' }] })
  const running: LabAccessory[] = []
  try {
    const [n1, n2] = lab.accessories
    if (!n1 || !n2) throw new Error('lab without its accessories')
    const sec1 = await startLabAccessory(lab, n1, 50, { security: 1, pop: POP })
    running.push(sec1)
    const sec2 = await startLabAccessory(lab, n2, 51, { security: 2, secPatchVersion: 1, pop: POP })
    running.push(sec2)
    const ctx: BenchContext = { lab, sec1, sec2, notes: [] }
    const results: Row[] = []
    for (const name of chosen) results.push(...(await (SCENARIOS[name] as (c: BenchContext) => Promise<Row[]>)(ctx)))
    const sec2Row = results.find((r) => r.scenario === 'handshake-sec2' && r.tool === 'porchlight')
    const report = {
      results,
      ...(sec2Row && { sec2_target_p50_ms: SEC2_TARGET_P50_MS, sec2_target_met: sec2Row.p50_ms !== null && sec2Row.p50_ms <= SEC2_TARGET_P50_MS }),
    }
    const lines = [
      'scenario                  tool        runs  ok  p50 ms  p95 ms',
      ...results.map((r) => `${r.scenario.padEnd(25)} ${r.tool.padEnd(10)} ${String(r.runs).padStart(5)} ${String(r.ok).padStart(3)}  ${String(r.p50_ms ?? '-').padStart(6)}  ${String(r.p95_ms ?? '-').padStart(6)}`),
      ...ctx.notes,
    ]
    process.stderr.write(`${lines.join('\n')}\n`)
    const dir = labPath('..', 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'onboarding.json'), `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`${JSON.stringify(report)}\n`)
  } finally {
    for (const acc of running) await acc.stop().catch(() => undefined)
    await lab.dispose()
  }
}

await main()
