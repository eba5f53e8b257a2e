/**
 * `npm run bench:discovery`: Porchlight's discovery against avahi-browse and bonjour-service on the same
 * lab run (issue #4 point 9). Needs root and the lab. Prints a table and writes
 * tests/bench/results/discovery.json.
 *
 * Every run starts each tool cold: a new Porchlight engine process, a new bonjour-service process, and a
 * freshly restarted avahi-daemon (otherwise avahi would answer `present` from its cache, which says
 * nothing about discovery). The order of tools rotates per run. Loss and delay are applied on the
 * device's link, so every tool's path crosses them. BENCH_RUNS overrides the 20 runs per scenario.
 *
 * The single device of `present`, `boot` and `lossy` is dual-stack, as most current accessories are (ESP-IDF
 * builds lwIP with IPv6 on by default, LWIP_IPV6=y, and its mDNS answers on both families once the app has a
 * link-local address, as ESP-IDF's own connect helper creates; HomeKit and Matter devices are IPv6 by
 * design): every tool may query and hear it on IPv4 and IPv6. `present-ipv4only` and `lossy-ipv4only` repeat those two
 * scenarios with an IPv4-only device, so neither configuration's figures are hidden.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { labPath } from '../lab/bundle'
import { startCrowd, type CrowdHandle } from '../lab/crowd'
import { labProcesses, spawnJsonEntry, type JsonChild } from '../lab/crowd/node-process'
import { startAvahiPeer, type AvahiPeer } from '../lab/peers/avahi'
import { createLab, labUnavailableReason, type Lab } from '../lab/topology'
import { simulateSteadyQueries } from './steady-queries'
import { percentile, printTable, type ResultRow } from './stats'

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 20))
const ONE = '_benchone._tcp'
const FOUR = '_benchfour._tcp'
const MANY = '_benchmany._tcp'
const MANY_COUNT = 250
const TIMEOUT_MS = { single: 5000, many: 20_000 }
type Tool = 'porchlight' | 'avahi-browse' | 'bonjour-service'
const TOOLS: Tool[] = ['porchlight', 'avahi-browse', 'bonjour-service']
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** How many distinct resolved instances a runner has reported (by name). */
const resolvedCount = (child: JsonChild) => new Set(child.lines.filter((l) => l.ev === 'up' && l.resolved === true).map((l) => String(l.name))).size

async function runner(lab: Lab, tool: 'porchlight' | 'bonjour', type: string): Promise<{ child: JsonChild; startedAt: number }> {
  const child = await spawnJsonEntry(lab, lab.app.ns, labPath('..', 'bench', 'runners', `${tool}.ts`), [type])
  const start = await child.waitFor((l) => l.ev === 'start', 10_000, `${tool} runner`)
  return { child, startedAt: Number(start.t) }
}

/** Time from `from` (default the tool's start) until `count` instances are resolved, or null on timeout. */
async function measureRunner(lab: Lab, tool: 'porchlight' | 'bonjour', type: string, count: number, timeoutMs: number, before?: () => Promise<number>): Promise<number | null> {
  const { child, startedAt } = await runner(lab, tool, type)
  try {
    const from = before ? await before() : startedAt
    const found = await child.waitFor(() => resolvedCount(child) >= count, timeoutMs, `${count} resolved`).catch(() => undefined)
    return found ? Number(found.t) - from : null
  } finally {
    await child.stop(1000)
  }
}

let avahi: AvahiPeer
let avahiBase: { ns: string; address4: string; address6: string; hostName: string }

/** Restarts avahi-daemon so its cache is empty, like the other tools' first run. */
async function coldAvahi(lab: Lab): Promise<AvahiPeer> {
  await avahi.stop()
  avahi = await startAvahiPeer(labProcesses(lab), { ...avahiBase, ifname: 'eth0', workDir: mkdtempSync(join(tmpdir(), 'plxav')) })
  return avahi
}

async function measureAvahi(lab: Lab, type: string, count: number, timeoutMs: number, before?: () => Promise<number>): Promise<number | null> {
  const peer = await coldAvahi(lab)
  const watchStart = Date.now()
  const watch = peer.watch(type)
  try {
    const from = before ? await before() : watchStart
    // Polled every 2 ms on our own clock, so `found - from` is on one time base in every scenario. A service
    // counts once avahi has resolved it over either protocol, as Porchlight's does.
    const done = () => new Set(watch.current().map((r) => r.name)).size >= count
    while (!done() && Date.now() - from < timeoutMs) await sleep(2)
    return done() ? Date.now() - from : null
  } finally {
    await watch.stop()
  }
}

function measure(lab: Lab, tool: Tool, type: string, count: number, timeoutMs: number, before?: () => Promise<number>): Promise<number | null> {
  if (tool === 'avahi-browse') return measureAvahi(lab, type, count, timeoutMs, before)
  return measureRunner(lab, tool === 'porchlight' ? 'porchlight' : 'bonjour', type, count, timeoutMs, before)
}

async function scenario(name: string, lab: Lab, run: (tool: Tool) => Promise<number | null>): Promise<ResultRow[]> {
  const times: Record<Tool, (number | null)[]> = { porchlight: [], 'avahi-browse': [], 'bonjour-service': [] }
  for (let i = 0; i < RUNS; i++) {
    for (let j = 0; j < TOOLS.length; j++) {
      const tool = TOOLS[(i + j) % TOOLS.length] as Tool
      times[tool].push(await run(tool))
    }
    process.stderr.write(`\r${name}: run ${i + 1}/${RUNS}`)
  }
  process.stderr.write('\n')
  return TOOLS.map((tool) => {
    const found = times[tool].filter((t): t is number => t !== null)
    return { scenario: name, tool, runs: RUNS, found: found.length, p50_ms: percentile(found, 50), p95_ms: percentile(found, 95) }
  })
}

/** Goodbye, silent unplug and the first minute's queries, measured on Porchlight alone. */
async function lifecycle(lab: Lab, one: CrowdHandle): Promise<{ goodbye: number | null; unplug: number | null; firstMinute: number }> {
  const goodbyes: number[] = []
  for (let i = 0; i < 5; i++) {
    const { child } = await runner(lab, 'porchlight', ONE)
    try {
      await child.waitFor(() => resolvedCount(child) >= 1, 5000, 'found')
      const at = Date.now()
      await one.goodbye(1)
      const down = await child.waitFor((l) => l.ev === 'down', 10_000, 'down').catch(() => undefined)
      if (down) goodbyes.push(Number(down.t) - at)
    } finally {
      await child.stop(1000)
      await one.announce(1)
    }
  }
  const { child, startedAt } = await runner(lab, 'porchlight', ONE)
  try {
    await child.waitFor(() => resolvedCount(child) >= 1, 5000, 'found')
    await sleep(Math.max(0, startedAt + 60_000 - Date.now()))
    const line = await child.call({ cmd: 'queries' }, 5000)
    const firstMinute = Math.max(0, ...Object.values(line.perLink as Record<string, number>))
    process.stderr.write(`first minute: ${JSON.stringify(line.perLink)}; now waiting for a silent unplug to expire (~2 min)\n`)
    const at = Date.now()
    await one.stop({ silent: true })
    const down = await child.waitFor((l) => l.ev === 'down', 200_000, 'down after unplug').catch(() => undefined)
    return { goodbye: percentile(goodbyes, 50), unplug: down ? Number(down.t) - at : null, firstMinute }
  } finally {
    await child.stop(1000)
  }
}

async function main(): Promise<void> {
  const skip = labUnavailableReason()
  if (skip) throw new Error(`the discovery benchmark needs the lab: ${skip}`)
  const lab = await createLab({
    accessories: [{ id: 'b1', hasAp: false, startOnHome: true }, { id: 'b4', hasAp: false, startOnHome: true }, { id: 'bm', hasAp: false, startOnHome: true }],
    peers: { avahi: true },
  })
  const crowds: CrowdHandle[] = []
  try {
    const peer = lab.peers.avahi
    if (!peer) throw new Error('the lab has no avahi peer')
    avahi = peer
    avahiBase = { ns: peer.ns, address4: peer.address4, address6: peer.address6, hostName: peer.hostName.replace(/\.local$/, '') }
    const one = await startCrowd(lab, { node: 'b1', count: 1, types: [ONE], namePrefix: 'Bench Lamp ', ipv6: true })
    const four = await startCrowd(lab, { node: 'b4', count: 1, types: [FOUR], namePrefix: 'Bench Plug ', hostPrefix: 'bench4-' })
    const many = await startCrowd(lab, { node: 'bm', count: MANY_COUNT, types: [MANY] })
    crowds.push(one, four, many)
    const results: ResultRow[] = []
    results.push(...(await scenario('present', lab, (tool) => measure(lab, tool, ONE, 1, TIMEOUT_MS.single))))
    results.push(...(await scenario('present-ipv4only', lab, (tool) => measure(lab, tool, FOUR, 1, TIMEOUT_MS.single))))
    await one.goodbye(1)
    results.push(...(await scenario('boot', lab, async (tool) => {
      const time = await measure(lab, tool, ONE, 1, TIMEOUT_MS.single, async () => {
        await sleep(1000)
        const at = Date.now()
        await one.announce(1)
        return at
      })
      await one.goodbye(1)
      return time
    })))
    await one.announce(1)
    await lab.setLinkConditions('b1', { lossPct: 10, delayMs: 20 })
    results.push(...(await scenario('lossy', lab, (tool) => measure(lab, tool, ONE, 1, TIMEOUT_MS.single))))
    await lab.setLinkConditions('b1', null)
    await lab.setLinkConditions('b4', { lossPct: 10, delayMs: 20 })
    results.push(...(await scenario('lossy-ipv4only', lab, (tool) => measure(lab, tool, FOUR, 1, TIMEOUT_MS.single))))
    await lab.setLinkConditions('b4', null)
    results.push(...(await scenario('many', lab, (tool) => measure(lab, tool, MANY, MANY_COUNT, TIMEOUT_MS.many))))
    const life = await lifecycle(lab, one)
    const steady = await simulateSteadyQueries()
    const report = {
      results,
      queries_first_minute: life.firstMinute,
      queries_per_hour_steady: steady.perHour,
      gone_after_goodbye_ms: life.goodbye,
      gone_after_unplug_ms: life.unplug,
    }
    printTable(report, steady.note)
    const dir = labPath('..', 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'discovery.json'), `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`${JSON.stringify(report)}\n`)
  } finally {
    for (const crowd of crowds) await crowd.close().catch(() => undefined)
    await avahi?.stop().catch(() => undefined)
    await lab.dispose()
  }
}

await main()
