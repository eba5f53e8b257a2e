/**
 * `npm run lab -- up|down|status`: a lab to poke at by hand (docs/lab.md). `up` builds one, prints its
 * layout and keeps it in the foreground until Ctrl+C or SIGTERM; `down` (from another shell) stops
 * running `up`s through their state files and deletes anything left, including labs of dead processes.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { cleanupStaleLabs, createLab, type AccessorySpec, type Lab } from './topology'
import { OWNED, removeNamespace } from './topology/host'
import { isRunning, listNamespaces, sleep } from './topology/shell'

const stateDir = join(tmpdir(), 'porchlight-labs')
const out = (text = '') => process.stdout.write(`${text}\n`)

interface LabState {
  pid: number
  prefix: string
  namespaces: string[]
  startedAt: string
}

function layout(lab: Lab): string[] {
  const row = (role: string, ns: string, what: string) => `  ${role.padEnd(9)} ${ns.padEnd(24)} ${what}`
  const lines = [
    `lab ${lab.prefix} is up in ${lab.timings.totalMs} ms ${JSON.stringify(lab.timings)}`,
    '',
    row('switch', lab.switchNs, `bridges br-home${lab.accessories.flatMap((a) => (a.ap ? [`, ${a.ap.bridge}`] : [])).join('')}`),
    row('app', lab.app.ns, `wlan0 ${lab.app.address4}/24 ${lab.app.address6}/64 on "${lab.home.ssid}" (lab passphrase "${lab.home.passphrase}")`),
  ]
  for (const a of lab.accessories) {
    const ap = a.ap ? `ap0 ${a.ap.address4}/24 AP "${a.ap.ssid}" ${a.ap.passphrase === undefined ? 'open' : `WPA2 "${a.ap.passphrase}"`}; ` : ''
    lines.push(row(a.id, a.ns, `${ap}sta0 ${a.sta.homeAddress4 ?? ''} ${a.sta.homeAddress6} (down until it joins home)`))
  }
  const { avahi, zeroconf } = lab.peers
  if (avahi) lines.push(row('avahi', avahi.ns, `eth0 ${avahi.address4} ${avahi.address6} host ${avahi.hostName}`))
  if (zeroconf) lines.push(row('zeroconf', zeroconf.ns, `eth0 ${zeroconf.address4} ${zeroconf.address6} host ${zeroconf.hostName}`))
  lines.push('', `A shell on the app host:  ip netns exec ${lab.app.ns} bash`)
  if (avahi) lines.push(`Browse from avahi:        ip netns exec ${avahi.ns} env DBUS_SYSTEM_BUS_ADDRESS=${avahi.env.DBUS_SYSTEM_BUS_ADDRESS} avahi-browse -art`)
  lines.push('', 'Ctrl+C here (or `npm run lab -- down` from another shell) removes the lab.')
  return lines
}

async function up(args: string[]): Promise<number> {
  const options = {
    accessories: { type: 'string', default: '1' },
    avahi: { type: 'boolean' },
    zeroconf: { type: 'boolean' },
    'secure-aps': { type: 'boolean' },
    security: { type: 'string', default: '2' },
    pop: { type: 'string', default: 'abcd1234' },
  } as const
  const { values } = parseArgs({ args, options })
  const count = Number(values.accessories)
  if (!Number.isInteger(count) || count < 0 || count > 32) throw new TypeError('--accessories must be 0–32')
  const accessories: AccessorySpec[] = Array.from({ length: count }, (_, i) => ({
    id: `a${i + 1}`,
    ...(values['secure-aps'] ? { apPassphrase: `prov-a${i + 1}-pass` } : {}),
  }))
  const security = Number(values.security)
  if (security !== 0 && security !== 1 && security !== 2) throw new TypeError('--security must be 0, 1 or 2')
  // Signals that arrive while the lab is still being built end it too, once it is up.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  const lab = await createLab({ accessories, peers: { avahi: values.avahi ?? false, zeroconf: values.zeroconf ?? false } })
  const file = join(stateDir, `${lab.prefix}.json`)
  const running: LabAccessory[] = []
  let follow: NodeJS.Timeout | undefined
  try {
    const state: LabState = { pid: process.pid, prefix: lab.prefix, namespaces: lab.namespaces, startedAt: new Date().toISOString() }
    await mkdir(stateDir, { recursive: true })
    await writeFile(file, JSON.stringify(state, null, 2), { mode: 0o600 })
    for (const [i, node] of lab.accessories.entries()) {
      running.push(await startLabAccessory(lab, node, i, { security, ...(security > 0 && { pop: values.pop }) }))
    }
    for (const line of layout(lab)) out(line)
    out()
    out(`Simulated accessories (security ${security}${security > 0 ? `, lab demo proof of possession "${values.pop}"` : ''}), provisioning on port 80:`)
    for (const a of running) out(`  ${a.node.id}: http://${a.node.ap?.address4 ?? a.node.sta.homeAddress4} after joining "${a.node.ap?.ssid ?? lab.home.ssid}"; device id ${a.config.deviceId}`)
    follow = setInterval(() => {
      for (const a of running) for (const e of a.events.splice(0)) if (e.event !== 'request') out(`  ${a.node.id}: ${JSON.stringify(e)}`)
    }, 250)
    out()
    out('Type `scan`, `current`, or `join SSID [passphrase]` here to move the app host between networks.')
    const prompt = createInterface({ input: process.stdin })
    prompt.on('line', (line) => void wifiCommand(lab, line).then((text) => out(text)))
    await stopRequested
    prompt.close()
  } finally {
    clearInterval(follow)
    out(`\nremoving ${lab.prefix} …`)
    for (const a of running) await a.stop()
    await lab.dispose()
    await rm(file, { force: true })
  }
  out('done')
  return 0
}

/** The app host's Wi-Fi from the `up` terminal, through the same lab adapter the tests use. */
async function wifiCommand(lab: Lab, line: string): Promise<string> {
  const [command, ssid, ...rest] = line.trim().split(/\s+/)
  if (command === 'scan') {
    const scan = await lab.wifi.scan()
    return scan.ok ? scan.value.map((n) => `  ${n.ssid.padEnd(20)} signal ${n.signal} ${n.security}`).join('\n') : `  scan failed: ${scan.error.message}`
  }
  if (command === 'current') {
    const current = await lab.wifi.current()
    return current.ok ? `  on ${current.value ? `"${current.value.ssid}"` : 'no network'}` : `  ${current.error.message}`
  }
  if (command === 'join' && ssid) {
    const joined = await lab.wifi.join(ssid, rest.length > 0 ? rest.join(' ') : undefined)
    return joined.ok ? `  joined "${joined.value.ssid}"` : `  join failed (${joined.error.code}): ${joined.error.message}`
  }
  return command ? '  commands: scan | current | join SSID [passphrase]' : ''
}

async function readStates(): Promise<{ file: string; state: LabState }[]> {
  const files = (await readdir(stateDir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'))
  return files.flatMap((f) => {
    try {
      return [{ file: join(stateDir, f), state: JSON.parse(readFileSync(join(stateDir, f), 'utf8')) as LabState }]
    } catch {
      return []
    }
  })
}

/** True if `pid` is a running `lab up` (so a recycled PID never gets our SIGTERM). */
function isLabUp(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return isRunning(pid) && argv.includes('up') && argv.some((a) => a.includes('cli'))
  } catch {
    return false
  }
}

async function down(): Promise<number> {
  for (const { file, state } of await readStates()) {
    if (isLabUp(state.pid)) {
      process.kill(state.pid, 'SIGTERM')
      const deadline = Date.now() + 15_000
      while (isRunning(state.pid) && Date.now() < deadline) await sleep(100)
    }
    const present = new Set(await listNamespaces())
    for (const ns of state.namespaces.filter((n) => present.has(n) && n.startsWith(`${state.prefix}-`))) await removeNamespace(ns)
    if (existsSync(file)) await rm(file, { force: true })
    out(`removed ${state.prefix}`)
  }
  const stale = await cleanupStaleLabs()
  if (stale.length > 0) out(`removed stale namespaces: ${stale.join(', ')}`)
  out('no labs left of dead or stopped processes')
  return 0
}

async function status(): Promise<number> {
  const states = await readStates()
  for (const { state } of states) out(`${state.prefix}  pid ${state.pid} ${isLabUp(state.pid) ? 'running' : 'not running'}  since ${state.startedAt}`)
  const owned = (await listNamespaces()).filter((n) => OWNED.test(n)).sort()
  out(owned.length > 0 ? `lab namespaces:\n${owned.map((n) => `  ${n}`).join('\n')}` : 'no lab namespaces')
  return 0
}

const [command, ...rest] = process.argv.slice(2)
const commands: Record<string, (args: string[]) => Promise<number>> = { up, down, status }
const run = command ? commands[command] : undefined
if (!run) {
  out('usage: npm run lab -- up [--accessories N] [--avahi] [--zeroconf] [--secure-aps] [--security 0|1|2] [--pop CODE] | down | status')
  process.exitCode = 2
} else {
  process.exitCode = await run(rest).catch((error: unknown) => {
    process.stderr.write(`lab ${command}: ${(error as Error).message}\n`)
    return 1
  })
}
