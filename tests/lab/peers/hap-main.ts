/**
 * Entry of the hap-nodejs publisher process (bundled by hap.ts, run in a namespace): publishes a Bridge or
 * a Lightbulb Accessory with the ciao advertiser bound to one interface, persisting under a temp dir,
 * prints `{"ev":"ready",...}` once advertised, and on EOF or SIGTERM unpublishes and exits.
 */
import { Accessory, Bridge, type Categories, HAPStorage, type MDNSAdvertiser, Service, uuid } from 'hap-nodejs'
import { createInterface } from 'node:readline'

/** The single argv argument (JSON). */
export interface HapMainArgs {
  name: string
  kind: 'bridge' | 'accessory'
  /** Device id, `XX:XX:XX:XX:XX:XX` (TXT `id=`). */
  username: string
  /** `XXX-XX-XXX`. */
  pincode: string
  port: number
  ifname: string
  persistDir: string
}

// hap-nodejs declares these as ambient const enums, which isolatedModules cannot read: their values (Accessory.d.ts).
const CATEGORY_BRIDGE = 2 as Categories
const CATEGORY_LIGHTBULB = 5 as Categories
const ADVERTISER_CIAO = 'ciao' as unknown as MDNSAdvertiser

const out = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`)

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as HapMainArgs
  // Before anything touches storage: hap-nodejs would otherwise persist under the working directory.
  HAPStorage.setCustomStoragePath(args.persistDir)
  const id = uuid.generate(`porchlight-lab:${args.username}`)
  const accessory = args.kind === 'bridge' ? new Bridge(args.name, id) : new Accessory(args.name, id)
  if (args.kind === 'accessory') accessory.addService(Service.Lightbulb, args.name)
  let port = args.port
  accessory.on('listening', (p: number) => {
    port = p
  })
  const advertised = new Promise<void>((resolve) => accessory.once('advertised', resolve))
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= accessory.unpublish().finally(() => {
      out({ ev: 'stopped' })
      process.exit(0)
    }))
  process.on('SIGTERM', () => void stop())
  createInterface({ input: process.stdin }).on('close', () => void stop())
  await accessory.publish({
    username: args.username,
    pincode: args.pincode,
    port: args.port,
    category: args.kind === 'bridge' ? CATEGORY_BRIDGE : CATEGORY_LIGHTBULB,
    // ciao: plain UDP sockets, so it works inside a namespace (the avahi and resolved advertisers need the host's D-Bus).
    advertiser: ADVERTISER_CIAO,
    bind: args.ifname,
    addIdentifyingMaterial: false,
  })
  await advertised
  out({ ev: 'ready', pid: process.pid, name: accessory.displayName, port })
}

main().catch((error: unknown) => {
  out({ ev: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
