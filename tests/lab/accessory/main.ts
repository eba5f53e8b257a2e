/**
 * Process entry of one simulated accessory inside its lab namespace (bundled and started by the lab
 * harness). Its configuration (which holds the PoP and passphrases) arrives as the first JSON line on stdin,
 * never in argv where a process listing shows it; then the lab steers it with JSON lines on stdin
 * (`{"cmd":"faults","faults":{…}}`, `{"cmd":"reboot"}`, `{"cmd":"unplug","how":"silent"}`,
 * `{"cmd":"readdress","address4":"198.18.0.NN"}`, `{"cmd":"stop"}`) and reads its events as JSON lines on
 * stdout; each command ends with `{"event":"done","cmd":…}`, except a refused readdress, which ends with
 * `{"event":"error","during":"readdress","code":…,"message":…}`. Nothing secret is ever printed.
 */
import { execFile } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { z } from 'zod'
import { systemClock } from '../../../main/util/clock'
import { AccessoryConfig, Faults } from './config'
import { startAccessory, type NetworkEffects } from './device'
import { createHomeServices } from './home-services'
import { readdressCommands } from './readdress'

const LinkCommands = z.object({
  joinHome: z.array(z.array(z.string())),
  leaveHome: z.array(z.array(z.string())),
  apOff: z.array(z.array(z.string())),
  apOn: z.array(z.array(z.string())),
})
const Command = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('faults'), faults: Faults.partial() }),
  z.object({ cmd: z.literal('reboot'), downMs: z.number().int().min(0).max(60_000).optional() }),
  z.object({ cmd: z.literal('unplug'), how: z.enum(['goodbye', 'silent']) }),
  z.object({ cmd: z.literal('readdress'), address4: z.string().max(64) }),
  z.object({ cmd: z.literal('stop') }),
])

const out = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`)
const run = promisify(execFile)

async function ipAll(commands: string[][]): Promise<void> {
  for (const args of commands) await run('ip', args, { timeout: 5000 })
}

/** The station's usable addresses on `ifname` once it is up (IPv6 link-local may still be tentative: wait). */
async function addressesOf(ifname: string): Promise<{ ipv4?: string; ipv6: string[] }> {
  for (let i = 0; i < 50; i++) {
    const infos = networkInterfaces()[ifname] ?? []
    const ipv6 = infos.filter((a) => a.family === 'IPv6').map((a) => a.address)
    const ipv4 = infos.find((a) => a.family === 'IPv4')?.address
    if (ipv6.length > 0) return { ...(ipv4 && { ipv4 }), ipv6 }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${ifname} has no address`)
}

const lines = createInterface({ input: process.stdin })
const first = await new Promise<string>((resolve) => lines.once('line', resolve))
const Start = z.object({ config: AccessoryConfig, commands: LinkCommands })
const { config, commands } = Start.parse(JSON.parse(first))
const home = createHomeServices(config, out)
const staIfname = config.lab?.staIfname ?? 'sta0'
let homeUp = false

const effects: NetworkEffects = {
  async joinHome() {
    if (!homeUp) await ipAll(commands.joinHome)
    homeUp = true
    const addresses = await addressesOf(staIfname)
    return addresses.ipv4 ?? config.lab?.homeAddress4 ?? '0.0.0.0'
  },
  leaveAp: () => ipAll(commands.apOff),
  restoreAp: () => ipAll(commands.apOn),
  homeHosts: async () => {
    const { ipv4, ipv6 } = await addressesOf(staIfname)
    // Link-local addresses need their zone to be bound.
    return [...(ipv4 ? [ipv4] : []), ...ipv6.map((a) => (a.startsWith('fe80:') ? `${a}%${staIfname}` : a))]
  },
  startHomeServices: async () => home.start({ ifname: staIfname, ...(await addressesOf(staIfname)) }),
  stopHomeServices: (how) => home.stop(how),
  renumberHome: (from, to) => ipAll(readdressCommands(staIfname, from, to, commands.joinHome)),
  readdressHomeServices: async () => home.readdress({ ifname: staIfname, ...(await addressesOf(staIfname)) }),
  applyServiceFaults: (faults) => home.applyFaults(faults),
}

const device = await startAccessory(config, { effects, clock: systemClock, emit: (e) => out(e) })

lines.on('line', (line) => {
  let parsed: z.infer<typeof Command>
  try {
    parsed = Command.parse(JSON.parse(line))
  } catch {
    return out({ event: 'bad-command' })
  }
  const done = (what: string) => () => out({ event: 'done', cmd: what })
  if (parsed.cmd === 'faults') {
    const set = Object.fromEntries(Object.entries(parsed.faults).filter(([, v]) => v !== undefined)) as Partial<Faults>
    device.setFaults(set)
    return done('faults')()
  }
  if (parsed.cmd === 'reboot') return void device.reboot(parsed.downMs).then(done('reboot'))
  if (parsed.cmd === 'unplug') return void device.unplug(parsed.how).then(done('unplug'))
  if (parsed.cmd === 'readdress') {
    return void device.readdress(parsed.address4).then(
      (check) => (check.ok ? done('readdress')() : out({ event: 'error', during: 'readdress', code: check.code, message: check.message })),
      (error: unknown) => out({ event: 'error', during: 'readdress', code: 'readdress-failed', message: (error as Error).message }),
    )
  }
  void device.stop().then(() => process.exit(0))
})
process.on('SIGTERM', () => void device.stop().then(() => process.exit(0)))
