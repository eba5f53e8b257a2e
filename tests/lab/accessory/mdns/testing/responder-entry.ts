/**
 * Child-process entry for lab tests: runs one mDNS responder inside a network namespace, driven by JSON
 * lines on stdin (`start`, `oddities`, `goodbye`, `stop`) and reporting JSON lines on stdout. Bundled
 * on the fly by testing/lab.ts (Node 20 cannot run TypeScript directly).
 */
import { createInterface } from 'node:readline'
import { createMdnsResponder, type MdnsResponder, type MdnsResponderOptions } from '../index'

type Command =
  | { op: 'start'; options: Omit<MdnsResponderOptions, 'txt'> & { txt?: (string | { hex: string })[] } }
  | { op: 'oddities'; oddities: MdnsResponderOptions['oddities'] }
  | { op: 'goodbye' }
  | { op: 'stop'; silent: boolean }

const out = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ t: performance.now(), ...line })}\n`)
let responder: MdnsResponder | undefined

process.on('uncaughtException', (error) => {
  out({ ev: 'crash', message: error.stack ?? error.message })
  process.exit(1)
})

async function handle(command: Command): Promise<void> {
  switch (command.op) {
    case 'start': {
      const { txt, ...rest } = command.options
      const options: MdnsResponderOptions = { ...rest, onEvent: (event) => out({ ev: 'event', event }) }
      if (txt) options.txt = txt.map((s) => (typeof s === 'string' ? s : Buffer.from(s.hex, 'hex')))
      responder = createMdnsResponder(options)
      await responder.start()
      return out({ ev: 'started', instanceName: responder.instanceName, hostname: responder.hostname })
    }
    case 'oddities':
      responder?.setOddities(command.oddities ?? {})
      return out({ ev: 'ok', op: 'oddities' })
    case 'goodbye':
      await responder?.goodbye()
      return out({ ev: 'ok', op: 'goodbye' })
    case 'stop':
      await responder?.stop({ silent: command.silent })
      out({ ev: 'stopped' })
      return process.exit(0)
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  handle(JSON.parse(line) as Command).catch((error: unknown) => out({ ev: 'failed', message: String(error) }))
})
// The test went away: behave like an unplugged device and leave nothing running.
lines.on('close', () => {
  void (responder?.stop({ silent: true }) ?? Promise.resolve()).then(() => process.exit(0))
})
