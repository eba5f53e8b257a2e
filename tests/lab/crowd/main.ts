/**
 * Entry of the crowd process (bundled by index.ts, run inside a namespace with `ip netns exec`): answers
 * mDNS for N simulated devices and speaks the JSON-lines protocol of protocol.ts on stdin/stdout.
 */
import { networkInterfaces } from 'node:os'
import { createInterface } from 'node:readline'
import { type Crowd, type CrowdEvent, startCrowdResponder } from './crowd'
import { type Command, CommandSchema, type ReadyEvent, StartArgsSchema } from './protocol'

const started = performance.now()
const out = (line: object): void => void process.stdout.write(`${JSON.stringify({ t: Math.round(performance.now() - started), ...line })}\n`)

process.on('uncaughtException', (error) => {
  out({ ev: 'crash', message: error.stack ?? error.message })
  process.exit(1)
})

/** The interface's IPv6 link-local address, waiting (bounded) for it to leave DAD; undefined if there is none. */
async function linkLocal(ifname: string): Promise<string | undefined> {
  const deadline = performance.now() + 3000
  for (;;) {
    const found = (networkInterfaces()[ifname] ?? []).find((a) => a.family === 'IPv6' && /^fe80:/i.test(a.address))
    if (found || performance.now() > deadline) return found?.address
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function handle(crowd: Crowd, command: Command): Promise<Record<string, unknown>> {
  switch (command.cmd) {
    case 'announce':
      await crowd.announce(command.k)
      return {}
    case 'goodbye':
      await crowd.goodbye(command.k)
      return {}
    case 'goodbyeAll':
      await crowd.goodbyeAll()
      return {}
    case 'stats':
      return { stats: crowd.stats() }
    case 'stop':
      await crowd.stop({ silent: command.silent })
      return { stopped: true }
  }
}

async function main(): Promise<void> {
  const args = StartArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'))
  const address6 = args.options.ipv6 ? await linkLocal(args.ifname) : undefined
  const crowd = await startCrowdResponder(args.options, { ifname: args.ifname, address4: args.address4, ...(address6 ? { address6 } : {}) }, {
    onEvent: (e: CrowdEvent) => out(e),
  })
  const ready: Omit<ReadyEvent, 't'> = {
    ev: 'ready', pid: process.pid, devices: args.options.count, present: crowd.stats().present, address4: args.address4, address6: address6 ?? null,
  }
  out(ready)
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    if (!line.trim()) return
    let id: unknown
    void (async () => {
      const raw: unknown = JSON.parse(line)
      id = (raw as { id?: unknown }).id
      const command = CommandSchema.parse(raw)
      out({ ...(command.id !== undefined ? { id: command.id } : {}), ok: true, ...(await handle(crowd, command)) })
      if (command.cmd === 'stop') process.exit(0)
    })().catch((error: unknown) => out({ ...(typeof id === 'number' ? { id } : {}), ok: false, error: error instanceof Error ? error.message : String(error) }))
  })
  // The test went away: behave like an unplugged crowd and leave nothing running.
  lines.on('close', () => void crowd.stop({ silent: true }).then(() => process.exit(0)))
}

main().catch((error: unknown) => {
  out({ ev: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
