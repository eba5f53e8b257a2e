/**
 * The `porchlight` command: the same handlers as the app, for operators, scripts and support.
 *
 * Output contract: data on stdout (JSON with `--json`), one clear line on stderr for errors, exit code
 * 0 on success, 1 when the operation failed, 2 when the command line was wrong.
 */
import { parseArgs } from 'node:util'
import type { Core } from '../../main/core'
import type { IpcError } from '../../shared/ipc'
import { parseServiceType, parseTimeout, runDiscover } from './discover'
import { formatInterfaces } from './format'
import { parseMonitorFlags, runMonitor } from './monitor'
import { runDiagnose } from './diagnose'
import { parseProvisionFlags, runProvision } from './provision'

/** Where the CLI writes; injected so tests capture it. */
export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
}

/** What the CLI runs on: a core factory (watchers only for --watch) and when to stop watching. */
export interface CliDeps {
  makeCore: (options: { watch: boolean; discovery?: { types: string[]; enumerate: boolean } }) => Pick<Core, 'handlers' | 'events' | 'discovery' | 'dispose' | 'setup' | 'setupRestored'>
  /** Reads `--passphrase-file` (provision); defaults to the file system. */
  readFile?: (path: string) => Promise<string>
  io: CliIo
  /** Resolves when a --watch command should stop (Ctrl+C); tests resolve it themselves. */
  stopSignal: Promise<void>
  /** Resolves after `ms` (discover's --timeout); defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>
}

const USAGE = `Usage: porchlight <command> [options]

Find, pair, onboard and diagnose local-network Wi-Fi accessories.

Commands:
  interfaces        List this machine's network interfaces and addresses;
                    with --watch, then one JSON line per change until Ctrl+C
  discover          Browse for accessories (mDNS/DNS-SD) on every usable interface
                    and list the devices found; --type _x._tcp to browse one type,
                    --timeout SECONDS (default 5), --watch to stream changes as
                    JSON lines (with --json) until Ctrl+C or the timeout
  monitor           Keep a live session to one accessory and stream its health:
                    --device ID (followed through address changes) or
                    --address HOST:PORT; --interval MS (default 1000);
                    --protocol lab-control|tcp|http|esp (default: what the
                    device advertises; lab-control for an address) with
                    --path /x (http, esp), --request-hex/--reply-hex (tcp);
                    --timeout SECONDS to stop by itself (exit 0 only if then
                    connected); --json for one JSON object per line
  diagnose          Check why accessories cannot be seen or reached: interfaces,
                    routes and VPNs, ports, multicast/broadcast, the system's own
                    DNS-SD, DNS; --device ID adds its advertisement, every
                    address and a link measurement; --bundle FILE writes a
                    redacted support bundle (FILE and FILE.html),
                    --redact-hardware-ids also hides MACs and device ids.
                    Exit code 1 when a check fails
  provision         Put an accessory on a Wi-Fi network and confirm it there:
                    --qr PAYLOAD (the accessory's QR code text) or --pop CODE
                    [--username NAME] (its printed setup code), --ssid SSID and
                    --passphrase-file FILE (an empty file for an open network);
                    the accessory is the one the QR code names (its setup
                    network is joined and left again), the only accessory
                    network in range, --device ID or --address HOST:PORT for
                    one already on the network. Exit 0 only when confirmed
  info              Show Porchlight's version and platform

Options:
  --json            Print machine-readable JSON instead of a table
  --watch           Keep running and report changes (interfaces, discover)
  --type TYPE       discover: only this service type, e.g. _hap._tcp
  --timeout SECONDS discover: how long to browse; monitor: when to stop
  -h, --help        Show this help
  -v, --version     Show the version

Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong.`

/** A command-line mistake: reported in one line with exit code 2. */
class UsageError extends Error {}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps
  try {
    return await runCommand(argv, deps)
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`porchlight: ${firstSentence((error as Error).message)} (see porchlight --help)`)
      return 2
    }
    io.err(`porchlight: unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

async function runCommand(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      type: { type: 'string' },
      timeout: { type: 'string' },
      device: { type: 'string' },
      address: { type: 'string' },
      interval: { type: 'string' },
      protocol: { type: 'string' },
      path: { type: 'string' },
      'request-hex': { type: 'string' },
      'reply-hex': { type: 'string' },
      bundle: { type: 'string' },
      'redact-hardware-ids': { type: 'boolean' },
      qr: { type: 'string' },
      pop: { type: 'string' },
      username: { type: 'string' },
      ssid: { type: 'string' },
      'passphrase-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
  const [command, ...rest] = positionals
  if (values.help || command === 'help') return void io.out(USAGE), 0
  if (command === undefined && !values.version) throw new UsageError('no command given')
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`)
  if (values.watch && command !== 'interfaces' && command !== 'discover') throw new UsageError(`--watch is not supported by '${command ?? '--version'}'`)
  if (values.type !== undefined && command !== 'discover') throw new UsageError(`--type is only for 'discover'`)
  if (values.timeout !== undefined && command !== 'discover' && command !== 'monitor') throw new UsageError(`--timeout is only for 'discover' and 'monitor'`)
  if (values.device !== undefined && command !== 'monitor' && command !== 'diagnose' && command !== 'provision') throw new UsageError(`--device is only for 'monitor', 'diagnose' and 'provision'`)
  if (values.address !== undefined && command !== 'monitor' && command !== 'provision') throw new UsageError(`--address is only for 'monitor' and 'provision'`)
  for (const flag of ['interval', 'protocol', 'path', 'request-hex', 'reply-hex'] as const)
    if (values[flag] !== undefined && command !== 'monitor') throw new UsageError(`--${flag} is only for 'monitor'`)
  for (const flag of ['qr', 'pop', 'username', 'ssid', 'passphrase-file'] as const)
    if (values[flag] !== undefined && command !== 'provision') throw new UsageError(`--${flag} is only for 'provision'`)
  for (const flag of ['bundle', 'redact-hardware-ids'] as const)
    if (values[flag] !== undefined && command !== 'diagnose') throw new UsageError(`--${flag} is only for 'diagnose'`)
  if (values['redact-hardware-ids'] && values.bundle === undefined) throw new UsageError('--redact-hardware-ids needs --bundle FILE')
  const provision = command === 'provision'
    ? parseProvisionFlags({ qr: values.qr, pop: values.pop, username: values.username, ssid: values.ssid, passphraseFile: values['passphrase-file'], device: values.device, address: values.address }, values.json === true)
    : undefined
  if (provision && !provision.ok) throw new UsageError(provision.message)
  const monitor = command === 'monitor'
    ? parseMonitorFlags({ device: values.device, address: values.address, interval: values.interval, protocol: values.protocol, path: values.path, requestHex: values['request-hex'], replyHex: values['reply-hex'] })
    : undefined
  if (monitor && !monitor.ok) throw new UsageError(monitor.message)
  const type = values.type === undefined ? undefined : parseServiceType(values.type)
  if (values.type !== undefined && type === undefined) throw new UsageError(`--type '${values.type}' is not a service type like _http._tcp`)
  const timeoutMs = values.timeout === undefined ? undefined : parseTimeout(values.timeout)
  if (values.timeout !== undefined && timeoutMs === undefined) throw new UsageError(`--timeout '${values.timeout}' is not a number of seconds`)
  const core = deps.makeCore({ watch: values.watch === true || monitor !== undefined || provision !== undefined, ...(type !== undefined && { discovery: { types: [type], enumerate: false } }) })
  try {
    if (values.version) return await printVersion(core, io)
    switch (command ?? '') {
      case 'interfaces':
        return values.watch ? await watchInterfaces(core, deps) : await printInterfaces(core, io, values.json === true)
      case 'info':
        return await printInfo(core, io, values.json === true)
      case 'discover': {
        const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
        return await runDiscover(core, { type, timeoutMs, json: values.json === true, watch: values.watch === true }, { ...io, stopSignal: deps.stopSignal, sleep })
      }
      case 'monitor': {
        const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
        if (!monitor?.ok) throw new UsageError('monitor needs --device or --address')
        return await runMonitor(core, { request: monitor.request, json: values.json === true, timeoutMs }, { ...io, stopSignal: deps.stopSignal, sleep })
      }
      case 'diagnose': {
        const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
        const options = { deviceId: values.device, json: values.json === true, bundle: values.bundle, redactHardwareIds: values['redact-hardware-ids'] === true }
        return await runDiagnose(core, options, { ...io, sleep })
      }
      case 'provision': {
        const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
        if (!provision?.ok) throw new UsageError('provision needs --qr or --pop, --ssid and --passphrase-file')
        const readFile = deps.readFile ?? ((path: string) => import('node:fs/promises').then((fs) => fs.readFile(path, 'utf8')))
        return await runProvision(core, provision.options, { ...io, readFile, stopSignal: deps.stopSignal, sleep })
      }
      default:
        throw new UsageError(`unknown command '${command}'`)
    }
  } finally {
    core.dispose()
  }
}

/** Prints the current list, then one JSON line per change until stopped (always JSON: it is a stream). */
async function watchInterfaces(core: Pick<Core, 'handlers' | 'events'>, deps: CliDeps): Promise<number> {
  const { io } = deps
  const first = await core.handlers['net:interfaces'](undefined)
  if (!first.ok) return reportError(io, first.error)
  io.out(JSON.stringify({ event: 'net:interfaces', interfaces: first.value }))
  const off = core.events.subscribe((event, payload) => io.out(JSON.stringify({ event, ...payload })))
  await deps.stopSignal
  off()
  return 0
}

async function printInterfaces(core: Pick<Core, 'handlers'>, io: CliIo, json: boolean): Promise<number> {
  const result = await core.handlers['net:interfaces'](undefined)
  if (!result.ok) return reportError(io, result.error)
  io.out(json ? JSON.stringify(result.value, null, 2) : formatInterfaces(result.value))
  return 0
}

async function printInfo(core: Pick<Core, 'handlers'>, io: CliIo, json: boolean): Promise<number> {
  const result = await core.handlers['app:info'](undefined)
  if (!result.ok) return reportError(io, result.error)
  const i = result.value
  io.out(json ? JSON.stringify(i, null, 2) : `${i.name} ${i.version} (${i.platform}/${i.arch}, node ${i.runtime.node})`)
  return 0
}

async function printVersion(core: Pick<Core, 'handlers'>, io: CliIo): Promise<number> {
  const result = await core.handlers['app:info'](undefined)
  if (!result.ok) return reportError(io, result.error)
  io.out(result.value.version)
  return 0
}

function reportError(io: CliIo, error: IpcError): number {
  io.err(`porchlight: ${error.message} [${error.code}]`)
  return 1
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
}

/** Node's parseArgs messages run on with advice about `--`; the first sentence is the useful part. */
function firstSentence(message: string): string {
  const first = message.split(/\.\s/)[0] ?? message
  return first.charAt(0).toLowerCase() + first.slice(1)
}
