/**
 * `npm run bench:health`: connection health in the lab (issue #7 point 6). Needs root and the lab.
 * Prints a table and writes tests/bench/results/health.json:
 * `{"results":[{"scenario","runs","p50_ms","p95_ms"}], "false_stalls": n}`.
 *
 * The subject is the real product path: `porchlight monitor --device ID --interval 1000 --json` in the
 * app namespace, watching a simulated accessory. Times come from the monitor's own state lines (`since`,
 * wall clock of the same machine) minus the moment the bench acted.
 * - stall-detect: the accessory's control service freezes (no FIN, no RST) at a random phase of the
 *   heartbeat cycle; until the monitor says "stalled".
 * - reconnect-after-link-up: the app host's link goes down until the session has noticed (not connected),
 *   stays down 0–2 s more, then comes up; from link-up until the monitor says "connected" again.
 * - false_stalls: stalls declared over a soak (default 10 minutes, BENCH_SOAK_MS) with 5 % loss each way
 *   on the app host's link while the accessory is healthy.
 * BENCH_RUNS overrides the 20 runs per scenario.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { labPath } from '../lab/bundle'
import { deviceIdByTxt, startMonitor, type Monitor } from '../lab/health/monitor'
import { startLabAccessory, type LabAccessory } from '../lab/lab-accessory'
import { createLab, labUnavailableReason, type Lab } from '../lab/topology'
import { percentile } from './stats'

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 20))
const SOAK_MS = Math.max(10_000, Number(process.env.BENCH_SOAK_MS ?? 600_000))
const INTERVAL_MS = 1000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One row of `results`. */
interface Row {
  scenario: string
  runs: number
  ok: number
  p50_ms: number | null
  p95_ms: number | null
}

const row = (scenario: string, times: (number | null)[]): Row => {
  const ok = times.filter((t): t is number => t !== null)
  return { scenario, runs: times.length, ok: ok.length, p50_ms: percentile(ok, 50), p95_ms: percentile(ok, 95) }
}

const healthy = (monitor: Monitor, from: number) =>
  monitor.child.waitFor((l) => l.event === 'sample' && typeof l.rttMs === 'number', 10_000, 'a healthy heartbeat', from)

async function stallDetect(monitor: Monitor, acc: LabAccessory): Promise<number | null> {
  await healthy(monitor, monitor.mark())
  await sleep(Math.random() * INTERVAL_MS)
  const from = monitor.mark()
  const frozeAt = Date.now()
  await acc.setFaults({ stallControl: true })
  try {
    const stalled = await monitor.state((l) => l.state === 'stalled', 10_000, 'stalled', from).catch(() => undefined)
    return stalled ? Number(stalled.since) - frozeAt : null
  } finally {
    await acc.setFaults({ stallControl: false })
    await monitor.state((l) => l.state === 'connected', 15_000, 'connected after the stall', from)
  }
}

async function reconnectAfterLinkUp(lab: Lab, monitor: Monitor): Promise<number | null> {
  await healthy(monitor, monitor.mark())
  const from = monitor.mark()
  await lab.exec(lab.app.ns, 'ip', ['link', 'set', 'wlan0', 'down'])
  let upAt = 0
  try {
    await monitor.state((l) => l.state !== 'connected', 10_000, 'noticed the link is down', from)
    await sleep(Math.random() * 2000)
  } finally {
    upAt = Date.now()
    await lab.exec(lab.app.ns, 'ip', ['link', 'set', 'wlan0', 'up'])
    // An admin-down link loses its routes; the multicast route is ours to restore (docs/lab.md).
    await lab.exec(lab.app.ns, 'ip', ['route', 'replace', '224.0.0.0/4', 'dev', 'wlan0'])
  }
  const back = await monitor.state((l) => l.state === 'connected' && Number(l.since) >= upAt, 30_000, 'connected after link-up', from).catch(() => undefined)
  return back ? Number(back.since) - upAt : null
}

/** TCP segments the app host retransmitted so far: evidence that the loss really hit the session. */
async function retransmits(lab: Lab): Promise<number> {
  const out = await lab.exec(lab.app.ns, 'nstat', ['-az', '--json', 'TcpRetransSegs'])
  const parsed = JSON.parse(out.stdout || '{}') as { kernel?: { TcpRetransSegs?: number } }
  return parsed.kernel?.TcpRetransSegs ?? Number.NaN
}

async function soak(lab: Lab, monitor: Monitor): Promise<{ stalls: number; heartbeats: number; missed: number; retransmits: number }> {
  await healthy(monitor, monitor.mark())
  const from = monitor.mark()
  const before = await retransmits(lab)
  await lab.setLinkConditions('app', { lossPct: 5 })
  try {
    await sleep(SOAK_MS)
  } finally {
    await lab.setLinkConditions('app', null)
  }
  const resent = (await retransmits(lab)) - before
  const lines = monitor.child.lines.slice(from)
  const samples = lines.filter((l) => l.event === 'sample')
  return {
    stalls: lines.filter((l) => l.event === 'timeline' && l.kind === 'stalled').length,
    heartbeats: samples.length,
    missed: samples.filter((l) => l.rttMs === null).length,
    retransmits: resent,
  }
}

async function main(): Promise<void> {
  const skip = labUnavailableReason()
  if (skip) throw new Error(`the health benchmark needs the lab: ${skip}`)
  const lab = await createLab({ accessories: [{ id: 'h0', hasAp: false, startOnHome: true }] })
  let acc: LabAccessory | undefined
  let monitor: Monitor | undefined
  try {
    const node = lab.accessories[0]
    if (!node) throw new Error('lab without its accessory')
    acc = await startLabAccessory(lab, node, 30, { security: 1, pop: 'abcd1234' })
    monitor = await startMonitor(lab, ['--device', await deviceIdByTxt(lab, acc.config.deviceId), '--interval', String(INTERVAL_MS)])
    await monitor.state((l) => l.state === 'connected', 15_000, 'first connect')
    const stall: (number | null)[] = []
    for (let i = 0; i < RUNS; i++) stall.push(await stallDetect(monitor, acc))
    const relink: (number | null)[] = []
    for (let i = 0; i < RUNS; i++) relink.push(await reconnectAfterLinkUp(lab, monitor))
    const soaked = await soak(lab, monitor)
    const report = {
      results: [row('stall-detect', stall), row('reconnect-after-link-up', relink)],
      false_stalls: soaked.stalls,
      soak: { minutes: SOAK_MS / 60_000, loss_pct: 5, heartbeat_ms: INTERVAL_MS, heartbeats: soaked.heartbeats, missed: soaked.missed, tcp_retransmits: soaked.retransmits },
    }
    const lines = [
      'scenario                 runs  ok  p50 ms  p95 ms',
      ...report.results.map((r) => `${r.scenario.padEnd(24)} ${String(r.runs).padStart(4)} ${String(r.ok).padStart(3)}  ${String(r.p50_ms ?? '-').padStart(6)}  ${String(r.p95_ms ?? '-').padStart(6)}`),
      `false_stalls: ${report.false_stalls} over ${report.soak.minutes} min at 5 % loss (${soaked.heartbeats} heartbeats, ${soaked.missed} missed, ${soaked.retransmits} TCP segments retransmitted)`,
      `raw stall-detect: ${stall.join(' ')}`,
      `raw reconnect-after-link-up: ${relink.join(' ')}`,
    ]
    process.stderr.write(`${lines.join('\n')}\n`)
    const dir = labPath('..', 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'health.json'), `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`${JSON.stringify(report)}\n`)
  } finally {
    await monitor?.stop().catch(() => undefined)
    await acc?.stop().catch(() => undefined)
    await lab.dispose()
  }
}

await main()
