/**
 * Entry of the @homebridge/ciao publisher process (bundled by ciao.ts, run in a namespace): advertises one
 * service on one interface, prints `{"ev":"ready",...}` once announced, and on EOF or SIGTERM shuts the
 * responder down (goodbye packets) and exits.
 */
import { getResponder, type Protocol } from '@homebridge/ciao'
import { createInterface } from 'node:readline'

/** The single argv argument (JSON). */
export interface CiaoMainArgs {
  name: string
  /** `_http._tcp` style. */
  type: string
  port: number
  txt: Record<string, string>
  /** Without `.local`. */
  hostname: string
  ifname: string
  ipv6: boolean
}

const out = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`)

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as CiaoMainArgs
  const match = /^_([^.]+)\._(tcp|udp)$/.exec(args.type)
  if (!match) throw new TypeError(`type "${args.type}" is not like _http._tcp`)
  // Only this interface: ciao would otherwise follow every interface it sees (here just one, but say so).
  const responder = getResponder({ interface: args.ifname, disableIpv6: !args.ipv6 })
  const service = responder.createService({
    name: args.name,
    type: match[1] ?? '',
    protocol: match[2] as unknown as Protocol,
    port: args.port,
    txt: args.txt,
    hostname: args.hostname,
    restrictedAddresses: [args.ifname],
    disabledIpv6: !args.ipv6,
  })
  service.on('name-change', (name: string) => out({ ev: 'renamed', name }))
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= responder.shutdown().finally(() => {
      out({ ev: 'stopped' })
      process.exit(0)
    }))
  process.on('SIGTERM', () => void stop())
  createInterface({ input: process.stdin }).on('close', () => void stop())
  await service.advertise()
  out({ ev: 'ready', pid: process.pid, fqdn: service.getFQDN(), hostname: service.getHostname(), port: service.getPort() })
}

main().catch((error: unknown) => {
  out({ ev: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
