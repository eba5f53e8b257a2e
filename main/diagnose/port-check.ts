/**
 * The port-conflict check (issue #6 item 5), run before Porchlight opens a listener: bind each wanted port
 * for real the way the listener will, release it at once, and when the OS refuses, name the program that
 * holds it where the OS allows (Linux /proc, macOS lsof, Windows PowerShell). It never stops anything.
 *
 * UDP 5353 is shared by design (RFC 6762 §15). Measured on Linux 6.x in a network namespace: a second bind
 * succeeds when both sockets set SO_REUSEADDR, for any two users; SO_REUSEPORT alone shares only between
 * sockets of the same user. Node sets only SO_REUSEADDR (strace), avahi-daemon sets both. Every socket on
 * the port gets each multicast datagram, but a unicast datagram to port 5353 goes to one socket only: one
 * bound to the exact address, else the most recently bound wildcard socket. So a responder sharing the port
 * can receive unicast replies meant for us (and we can take unicast queries meant for it).
 */
import { createSocket } from 'node:dgram'
import { readdir, readFile, readlink } from 'node:fs/promises'
import { createServer, isIP, isIPv6 } from 'node:net'
import type { DiagnoseCheck, FactValue } from '../../shared/diagnose/view'
import type { RunCommand } from '../util/exec'
import { darwinPortHolders } from './port-owners-darwin'
import { linuxPortHolders, type ProcFs } from './port-owners-linux'
import { windowsPortHolders } from './port-owners-windows'

/** Transport of a wanted port. */
export type PortProtocol = 'tcp' | 'udp'

/** A port Porchlight means to open. `address` as the listener will use it (none: Node's default, every address). */
export interface WantedPort {
  protocol: PortProtocol
  port: number
  address?: string
  /** What it is for, in plain words, e.g. "the web host". */
  purpose: string
  /** How the user picks another port, e.g. "start the web host with --port 8081"; said in the advice. */
  changeHint?: string
}

/** A socket another program holds on the port, and who holds it when the OS tells us. */
export interface PortHolder {
  protocol: PortProtocol
  /** `0.0.0.0`, `::` or `*` mean every address. */
  address: string
  port: number
  pid?: number; name?: string
  /** The executable (argv[0] or image path) only: arguments may carry secrets. */
  command?: string
  uid?: number; user?: string
  /** The socket exists but its process is not visible to us (another user's, or it just exited). */
  isHidden?: boolean
}

/** What an owner lookup found. */
export interface PortHolders {
  holders: PortHolder[]
  /** Where the answer came from: `/proc`, `lsof`, `PowerShell`. */
  source: string
  /** Processes whose sockets we were not allowed to read. */
  deniedCount?: number
}

/** An owner lookup's outcome: holders, or why the OS would not say. */
export type PortHoldersResult =
  | { ok: true; value: PortHolders }
  | { ok: false; error: { code: 'owner-lookup-failed' | 'tool-missing' | 'not-supported'; message: string } }

/** What one bind attempt gave: success, or the OS error code (`EADDRINUSE`, `EACCES`, …). */
export type BindOutcome = { ok: true } | { ok: false; code: string; message: string }

/** Binds a wanted port the way the listener would (SO_REUSEADDR for UDP when `reuseAddr`) and releases it. */
export type BindPort = (wanted: WantedPort, reuseAddr: boolean) => Promise<BindOutcome>

/** What the check needs from the machine; /proc readers default to node:fs. */
export interface PortCheckDeps {
  platform: NodeJS.Platform
  run: RunCommand
  readFile?: (path: string) => Promise<string>
  readdir?: (path: string) => Promise<string[]>
  readlink?: (path: string) => Promise<string>
  /** Default: a real bind with node:net / node:dgram. */
  bind?: BindPort
  /** This process: its own sockets (discovery already on 5353) are not a conflict. */
  ownPid?: number
}

/** The two attempts behind a verdict; `shared` only for mDNS when the exclusive bind found the port taken. */
export type BindAttempts = { exclusive: BindOutcome; shared?: BindOutcome }

/** Facts about the machine a verdict may quote (`unprivilegedPortStart`: Linux net.ipv4.ip_unprivileged_port_start). */
export type PortContext = { platform: NodeJS.Platform; unprivilegedPortStart?: number }

/** True for the mDNS port, which other responders hold with SO_REUSEADDR by design (RFC 6762 §15). */
export function isSharedMdns(w: WantedPort): boolean {
  return w.protocol === 'udp' && w.port === 5353
}

const failure = (error: unknown): BindOutcome => {
  const e = error as { code?: unknown; message?: unknown } | null
  return { ok: false, code: typeof e?.code === 'string' ? e.code : 'EUNKNOWN', message: String(e?.message ?? error) }
}

/** The real bind: TCP listen (Node sets SO_REUSEADDR on Unix), or a UDP bind; closed before resolving. */
export const bindPort: BindPort = (w, reuseAddr) => new Promise((resolve) => {
  try {
    if (w.protocol === 'tcp') {
      const server = createServer()
      server.once('error', (error) => resolve(failure(error)))
      server.listen({ port: w.port, ...(w.address !== undefined && { host: w.address }), exclusive: true },
        () => server.close(() => resolve({ ok: true })))
      return
    }
    const isV6 = w.address !== undefined && isIPv6(w.address)
    const socket = createSocket(isV6 ? { type: 'udp6', reuseAddr, ipv6Only: true } : { type: 'udp4', reuseAddr })
    socket.once('error', (error) => {
      // A failed bind leaves the handle open; close it so no descriptor leaks.
      socket.close()
      resolve(failure(error))
    })
    socket.bind({ port: w.port, address: w.address ?? '0.0.0.0', exclusive: true }, () => socket.close(() => resolve({ ok: true })))
  } catch (error) {
    resolve(failure(error))
  }
})

/** Checks each wanted port in turn (each bind is released before the next); one DiagnoseCheck per port. */
export async function checkPorts(wanted: readonly WantedPort[], deps: PortCheckDeps): Promise<DiagnoseCheck[]> {
  const bind = deps.bind ?? bindPort
  const checks: DiagnoseCheck[] = []
  for (const w of wanted) {
    const started = performance.now()
    const invalid = validate(w)
    if (invalid) {
      checks.push({ ...invalid, tookMs: 0 })
      continue
    }
    const attempts: BindAttempts = { exclusive: await bind(w, false) }
    const code = attempts.exclusive.ok ? undefined : attempts.exclusive.code
    if (code === 'EADDRINUSE' && isSharedMdns(w)) attempts.shared = await bind(w, true)
    const needsOwners = code === 'EADDRINUSE' || code === 'EACCES'
    const found = needsOwners ? await lookUpHolders(w, deps) : undefined
    const others = found?.ok ? found.value.holders.filter((h) => h.pid === undefined || h.pid !== deps.ownPid) : undefined
    if (found?.ok && others?.length === 0 && found.value.holders.length > 0 && attempts.shared?.ok) {
      // Only Porchlight itself (its running discovery) holds the shared mDNS port: nothing to report.
      checks.push({ ...base(w), status: 'pass', summary: `UDP port ${w.port} is in use only by Porchlight's own discovery, sharing it as mDNS expects.`, advice: '', facts: { protocol: w.protocol, port: w.port, purpose: w.purpose, ownPid: deps.ownPid ?? null }, tookMs: Math.round(performance.now() - started) })
      continue
    }
    const holders = found?.ok && others ? { ...found, value: { ...found.value, holders: others } } : found
    const context: PortContext = { platform: deps.platform }
    if (code === 'EACCES' && deps.platform === 'linux') {
      const text = (await procFs(deps).readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start').catch(() => '')).trim()
      if (/^\d+$/.test(text)) context.unprivilegedPortStart = Number(text)
    }
    checks.push({ ...judgePort(w, attempts, holders, context), tookMs: Math.round(performance.now() - started) })
  }
  return checks
}

function procFs(deps: PortCheckDeps): ProcFs {
  return {
    readFile: deps.readFile ?? ((path) => readFile(path, 'utf8')),
    readdir: deps.readdir ?? ((path) => readdir(path)),
    readlink: deps.readlink ?? ((path) => readlink(path)),
  }
}

/** Asks the OS who holds the port: /proc on Linux, lsof on macOS, PowerShell on Windows. */
export function lookUpHolders(w: WantedPort, deps: PortCheckDeps): Promise<PortHoldersResult> {
  if (deps.platform === 'linux') return linuxPortHolders(w.protocol, w.port, procFs(deps))
  if (deps.platform === 'darwin') return darwinPortHolders(w.protocol, w.port, deps.run)
  if (deps.platform === 'win32') return windowsPortHolders(w.protocol, w.port, deps.run)
  return Promise.resolve({ ok: false, error: { code: 'not-supported', message: `no owner lookup on ${deps.platform}` } })
}

function base(w: WantedPort): Pick<DiagnoseCheck, 'id' | 'group' | 'title'> {
  return { id: `port-${w.protocol}-${w.port}`, group: 'ports', title: `${w.protocol.toUpperCase()} port ${w.port} (${w.purpose})` }
}

function validate(w: WantedPort): Omit<DiagnoseCheck, 'tookMs'> | undefined {
  const facts = { protocol: w.protocol, port: w.port, address: w.address ?? null, purpose: w.purpose }
  if (!Number.isInteger(w.port) || w.port < 0 || w.port > 65535) {
    return { ...base(w), status: 'fail', summary: `${w.port} is not a port number (0–65535).`, advice: 'Choose a port between 1024 and 65535.', facts }
  }
  if (w.address !== undefined && isIP(w.address) === 0) {
    return { ...base(w), status: 'fail', summary: `"${w.address}" is not an IP address.`, advice: 'Give the listener an IP address such as 127.0.0.1.', facts }
  }
  if (w.port === 0) return { ...base(w), status: 'skip', summary: 'Port 0 lets the system pick a free port; there is nothing to check.', advice: '', facts }
  return undefined
}

const RESPONDER_NAMES = new Set(['avahi-daemon', 'mdnsresponder', 'mdnsd', 'systemd-resolve', 'systemd-resolved', 'svchost'])
const RESPONDER_USERS = new Set(['avahi', 'systemd-resolve', '_mdnsresponder'])
const WILDCARDS = new Set(['', '*', '0.0.0.0', '::'])

/** True when the holder is a system mDNS responder (by process name, or by the user it runs as). */
export function isKnownResponder(h: PortHolder): boolean {
  return h.name !== undefined ? RESPONDER_NAMES.has(h.name.toLowerCase()) : h.user !== undefined && RESPONDER_USERS.has(h.user)
}

/** Holders whose address can collide with ours (same address, or either side every address); all if none match. */
export function conflictingHolders(w: WantedPort, holders: readonly PortHolder[]): PortHolder[] {
  const ours = (w.address ?? '').replace(/^::ffff:(?=\d+\.)/i, '')
  const hits = holders.filter((h) => WILDCARDS.has(ours) || WILDCARDS.has(h.address) || h.address === ours)
  return hits.length > 0 ? hits : [...holders]
}

/** Names holders for a sentence: "avahi-daemon (pid 812) and node (pid 4242)", "another user's process (user avahi)". */
export function describeHolders(holders: readonly PortHolder[]): string | undefined {
  const names = new Set<string>()
  for (const h of holders) {
    if (h.name !== undefined && h.pid !== undefined) names.add(`${h.name} (pid ${h.pid})`)
    else if (h.user !== undefined) names.add(`another user's process (user ${h.user})`)
    else if (h.uid !== undefined) names.add(`another user's process (uid ${h.uid})`)
    else names.add(h.pid !== undefined ? `process ${h.pid}` : 'a process Porchlight may not inspect')
  }
  const list = [...names]
  if (list.length === 0) return undefined
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`
}

function lookupCommand(w: WantedPort, platform: NodeJS.Platform): string {
  if (platform === 'win32') return w.protocol === 'tcp' ? `Get-NetTCPConnection -State Listen -LocalPort ${w.port}` : `Get-NetUDPEndpoint -LocalPort ${w.port}`
  if (platform === 'linux') return `sudo ss -${w.protocol === 'tcp' ? 'lt' : 'lu'}np 'sport = :${w.port}'`
  return `sudo lsof -nP -i${w.protocol.toUpperCase()}:${w.port}${w.protocol === 'tcp' ? ' -sTCP:LISTEN' : ''}`
}

/** The verdict for one port from its bind attempts and (when taken) its holders. Pure. */
export function judgePort(w: WantedPort, attempts: BindAttempts, holders: PortHoldersResult | undefined,
  context: PortContext): Omit<DiagnoseCheck, 'tookMs'> {
  const found = holders?.ok ? conflictingHolders(w, holders.value.holders) : []
  const [status, summary, advice, steps] = wording(w, attempts, found, context)
  const facts: Record<string, FactValue> = {
    protocol: w.protocol, port: w.port, address: w.address ?? null, purpose: w.purpose,
    bind: attempts.exclusive.ok ? 'ok' : attempts.exclusive.code,
    ...(attempts.shared && { sharedBind: attempts.shared.ok ? 'ok' : attempts.shared.code }),
    ...(holders?.ok && { ownerSource: holders.value.source, holders: found.map(holderFacts) }),
    ...(holders && !holders.ok && { ownerLookup: holders.error.message }),
    ...(context.unprivilegedPortStart !== undefined && { unprivilegedPortStart: context.unprivilegedPortStart }),
    ...(attempts.shared?.ok && { unicast: 'Each unicast datagram to port 5353 reaches one socket only; multicast reaches every socket on the port.' }),
  }
  return { ...base(w), status, summary, advice, ...(steps && { steps }), facts }
}

type Wording = [DiagnoseCheck['status'], string, string, (string[] | undefined)?]

function wording(w: WantedPort, attempts: BindAttempts, found: PortHolder[], context: PortContext): Wording {
  const proto = w.protocol.toUpperCase()
  const where = w.address ?? 'every address'
  const who = describeHolders(found)
  const holder = who ?? 'another program (Porchlight could not find out which)'
  const other = w.changeHint ?? `choose another port for ${w.purpose}`
  const steps = who === undefined || found.some((h) => h.isHidden === true)
    ? [`To see the program yourself, run: ${lookupCommand(w, context.platform)}`] : undefined
  if (attempts.exclusive.ok) {
    const alone = isSharedMdns(w) ? ' No other mDNS responder holds it, so unicast replies reach Porchlight too.' : ''
    return ['pass', `${proto} port ${w.port} is free on ${where}.${alone}`, '']
  }
  const code = attempts.exclusive.code
  if (isSharedMdns(w) && attempts.shared?.ok) {
    const unnamedMac = who === undefined && context.platform === 'darwin'
    const sharer = unnamedMac ? 'another program (most likely macOS’s own mDNSResponder)' : holder
    const summary = `UDP port 5353 is shared with ${sharer}. That is normal for mDNS: multicast reaches both, but unicast replies may go to it instead of Porchlight.`
    if (unnamedMac || (found.length > 0 && found.every(isKnownResponder))) return ['pass', summary, '']
    return ['warn', summary, `Usually fine. If devices are missing from the list, quit ${sharer} and run Diagnose again.`, steps]
  }
  if (code === 'EADDRINUSE' && isSharedMdns(w)) {
    return ['fail', `UDP port 5353 is held by ${holder} without allowing others to share it, so Porchlight cannot listen for mDNS.`,
      `Quit ${holder} (or set it to share the port), then run Diagnose again.`, steps]
  }
  if (code === 'EADDRINUSE') {
    // macOS 12+ AirPlay Receiver listens on TCP 5000 and 7000 (a common surprise for local web servers).
    const airplay = context.platform === 'darwin' && found.some((h) => h.name === 'ControlCenter')
      ? ' ControlCenter is the AirPlay Receiver: turn it off in System Settings › General › AirDrop & Handoff.' : ''
    return ['fail', `${proto} port ${w.port} on ${where} is already in use by ${holder}.`, `Quit ${holder} if you do not need it, or ${other}.${airplay}`, steps]
  }
  if (code === 'EACCES') return ['fail', ...accessDenied(w, found.length > 0 ? holder : undefined, other, context)]
  if (code === 'EADDRNOTAVAIL') {
    return ['fail', `${where} is not an address of this computer (any more), so ${proto} port ${w.port} cannot be opened on it.`,
      'Check the network connection, or let Porchlight listen on another address.']
  }
  return ['fail', `${proto} port ${w.port} could not be opened: ${code} (${attempts.exclusive.message}).`, `Try again; if it persists, ${other}.`]
}

function accessDenied(w: WantedPort, holder: string | undefined, other: string, context: PortContext): [string, string] {
  const proto = w.protocol.toUpperCase()
  const limit = context.unprivilegedPortStart ?? 1024
  // Linux checks privilege before conflicts (inet_bind), so below the limit EACCES says nothing about a holder.
  if (context.platform !== 'win32' && context.platform !== 'darwin' && w.port < limit) {
    const also = holder !== undefined ? ` It is also in use by ${holder}.` : ''
    return [`${proto} port ${w.port} needs administrator rights here (ports below ${limit} are reserved for the system).${also}`,
      `Use a port of ${limit} or above: ${other}.`]
  }
  if (holder !== undefined) return [`${proto} port ${w.port} is held exclusively by ${holder}.`, `Quit ${holder} if you do not need it, or ${other}.`]
  if (context.platform === 'win32') {
    return [`Windows refuses ${proto} port ${w.port}; it is probably in a range Windows reserves (Hyper-V, WSL or Docker reserve ranges at start-up).`,
      `Pick a port outside the reserved ranges (${other}); \`netsh interface ipv4 show excludedportrange protocol=${w.protocol}\` lists them.`]
  }
  return [`The system refused ${proto} port ${w.port} (permission denied); a security policy or, on older systems, a port below 1024 may be the cause.`,
    `${other.charAt(0).toUpperCase()}${other.slice(1)}.`]
}

function holderFacts(h: PortHolder): { [key: string]: string | number | boolean } {
  return {
    address: h.address,
    ...(h.pid !== undefined && { pid: h.pid }),
    ...(h.name !== undefined && { name: h.name }),
    ...(h.command !== undefined && { command: h.command }),
    ...(h.user !== undefined && { user: h.user }),
    ...(h.uid !== undefined && { uid: h.uid }),
    ...(h.isHidden === true && { isHidden: true }),
  }
}
