/**
 * The connection racer inside a lab namespace (cases 44–46). Modes, each printing JSON lines:
 *   serve NAME PORT HOST…   listens on every HOST (zones allowed); each client gets "NAME <peer address>\n";
 *                           prints {"ev":"listening"}, runs until killed
 *   race  JSON              JSON = {targets, port, attemptDelayMs?, timeoutMs?, withInterfaces?}; prints
 *                           {result, reply, failedHook}: the race's result without the socket, the line read
 *                           from the winner, and every onAddressFailed call
 *   raw   HOST PORT         one plain `net.connect` (no racer), prints {"errno"} or {"connected":true}
 */
import { connect, createServer } from 'node:net'
import { connectRace, type ConnectTargetInput } from '../../../main/net/connect'
import { createInterfaceReader } from '../../../main/net/interfaces'

const [mode, ...args] = process.argv.slice(2)
const out = (line: unknown): void => void process.stdout.write(`${JSON.stringify(line)}\n`)

interface RaceRequest {
  targets: ConnectTargetInput[]
  port: number
  attemptDelayMs?: number
  timeoutMs?: number
  withInterfaces?: boolean
}

async function serve(name: string, port: number, hosts: string[]): Promise<void> {
  for (const host of hosts) {
    const server = createServer((socket) => {
      socket.on('error', () => undefined)
      socket.end(`${name} ${socket.remoteAddress ?? '?'}\n`)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, resolve)
    })
  }
  out({ ev: 'listening' })
}

async function race(request: RaceRequest): Promise<void> {
  const failedHook: { address: string; code: string }[] = []
  const interfaces = request.withInterfaces ? await createInterfaceReader()() : undefined
  const result = await connectRace(request.targets, {
    port: request.port,
    ...(request.attemptDelayMs !== undefined && { attemptDelayMs: request.attemptDelayMs }),
    timeoutMs: request.timeoutMs ?? 8000,
    ...(interfaces && { interfaces }),
    onAddressFailed: (target, finding) => void failedHook.push({ address: target.connectAddress, code: finding.code }),
  })
  if (!result.ok) return out({ result, failedHook })
  const { socket, ...value } = result.value
  const reply = await new Promise<string>((resolve) => {
    let text = ''
    socket.setTimeout(3000, () => socket.destroy())
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
    socket.on('close', () => resolve(text.trim()))
    socket.on('error', () => undefined)
  })
  out({ result: { ok: true, value }, reply, failedHook })
}

function raw(host: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, autoSelectFamily: false })
    socket.setTimeout(3000, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })))
    socket.once('connect', () => {
      out({ connected: true })
      socket.destroy()
      resolve()
    })
    socket.once('error', (error: NodeJS.ErrnoException) => {
      out({ errno: error.code })
      resolve()
    })
  })
}

if (mode === 'serve') await serve(args[0] ?? 'S', Number(args[1]), args.slice(2))
else if (mode === 'race') await race(JSON.parse(args[0] ?? '{}') as RaceRequest)
else if (mode === 'raw') await raw(args[0] ?? '', Number(args[1]))
else {
  process.stderr.write(`unknown mode ${String(mode)}\n`)
  process.exit(2)
}
