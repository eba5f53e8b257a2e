/**
 * Linux: who holds a port, from /proc alone (no tool to install, nothing that needs root to start).
 *
 * /proc/net/{tcp,tcp6,udp,udp6} list the sockets of the reader's network namespace (the one we would bind in):
 * `sl local rem st tx:rx tr:when retrnsmt uid timeout inode …`, addresses as 32-bit words in host byte order,
 * ports big-endian hex (kernel net/ipv4/tcp_ipv4.c get_tcp4_sock, net/ipv6/tcp_ipv6.c get_tcp6_sock). A
 * socket's inode appears as the link `socket:[inode]` under /proc/<pid>/fd of every process holding it;
 * another user's fd directory is EACCES, so such a holder is known only by its uid.
 */
import type { PortHolder, PortHoldersResult, PortProtocol } from './port-check'

/** One socket line of /proc/net/{tcp,udp}[6]. */
export interface ProcNetSocket {
  protocol: PortProtocol
  /** Normalised: IPv4-mapped IPv6 is shown as IPv4; `0.0.0.0` / `::` mean every address. */
  address: string
  port: number
  /** Kernel state in hex: `0A` = TCP LISTEN, `07` = UDP unconnected (TCP_CLOSE). */
  state: string
  uid: number
  /** 0 for sockets no process holds any more (TIME_WAIT). */
  inode: number
}

/** The /proc reads the lookup needs; injected so it is tested against recorded snapshots. */
export interface ProcFs {
  readFile(path: string): Promise<string>
  readdir(path: string): Promise<string[]>
  readlink(path: string): Promise<string>
}

/** TCP_LISTEN in include/net/tcp_states.h: the only TCP state that blocks a listen() with SO_REUSEADDR. */
export const TCP_LISTEN = '0A'

const LINE = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+\S+\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+(\d+)\s+\d+\s+(\d+)\s+\d+/

/** Parses one /proc/net table; the header, truncated (the kernel always prints a ref count after the inode) and malformed lines are skipped. */
export function parseProcNet(text: string, protocol: PortProtocol, isLittleEndian = true): ProcNetSocket[] {
  const out: ProcNetSocket[] = []
  for (const line of text.split('\n')) {
    const m = LINE.exec(line)
    if (!m) continue
    const [, hexAddress = '', hexPort = '', state = '', uid = '', inode = ''] = m
    out.push({
      protocol,
      address: hexToAddress(hexAddress, isLittleEndian),
      port: Number.parseInt(hexPort, 16),
      state: state.toUpperCase(),
      uid: Number(uid),
      inode: Number(inode),
    })
  }
  return out
}

/** Decodes the kernel's hex address (host-order 32-bit words) to text; IPv4-mapped IPv6 comes back as IPv4. */
export function hexToAddress(hex: string, isLittleEndian = true): string {
  const bytes: number[] = []
  for (let word = 0; word < hex.length; word += 8) {
    const b = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(word + i, word + i + 2), 16))
    bytes.push(...(isLittleEndian ? b.reverse() : b))
  }
  if (bytes.length === 4) return bytes.join('.')
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  if (isMapped) return bytes.slice(12).join('.')
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => (((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  // URL's parser prints the canonical RFC 5952 form (zero runs compressed, lower case).
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1)
}

/** A process found holding a socket. */
export interface SocketProcess {
  pid: number
  name: string
  /** argv[0] only: later arguments may carry secrets (tokens, passwords on a command line). */
  command?: string
}

/** What a scan of /proc/[pid]/fd found. */
export interface SocketScan {
  byInode: Map<number, SocketProcess[]>
  /** Processes whose fd directory we may not read (another user's). */
  deniedCount: number
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/

/** Finds which processes hold the given socket inodes; unreadable and vanished processes are counted or skipped. */
export async function scanSocketOwners(inodes: ReadonlySet<number>, fs: ProcFs): Promise<SocketScan> {
  const byInode = new Map<number, SocketProcess[]>()
  let deniedCount = 0
  if (inodes.size === 0) return { byInode, deniedCount }
  const pids = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name))
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = await fs.readdir(`/proc/${pid}/fd`)
    } catch (error) {
      if (errorCode(error) === 'EACCES' || errorCode(error) === 'EPERM') deniedCount++
      continue
    }
    const links = await Promise.all(fds.map((fd) => fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')))
    const held = new Set(links.map((link) => Number(SOCKET_LINK.exec(link)?.[1] ?? 0)).filter((inode) => inodes.has(inode)))
    if (held.size === 0) continue
    const proc = await describeProcess(Number(pid), fs)
    for (const inode of held) byInode.set(inode, [...(byInode.get(inode) ?? []), proc])
  }
  return { byInode, deniedCount }
}

async function describeProcess(pid: number, fs: ProcFs): Promise<SocketProcess> {
  const comm = (await fs.readFile(`/proc/${pid}/comm`).catch(() => '')).trim()
  const argv0 = (await fs.readFile(`/proc/${pid}/cmdline`).catch(() => '')).split('\0')[0] ?? ''
  const name = comm || argv0.split('/').at(-1) || `process ${pid}`
  return { pid, name, ...(argv0 !== '' && { command: argv0 }) }
}

/** Maps uids to login names from /etc/passwd text. */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>()
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':')
    if (name && uid && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name)
  }
  return names
}

/** Sockets on `port` that would block our bind: TCP in LISTEN, UDP in any state. */
export function socketsOnPort(sockets: readonly ProcNetSocket[], protocol: PortProtocol, port: number): ProcNetSocket[] {
  return sockets.filter((s) => s.protocol === protocol && s.port === port && (protocol === 'udp' || s.state === TCP_LISTEN))
}

/** Reads /proc and names the holders of `protocol` `port`. */
export async function linuxPortHolders(protocol: PortProtocol, port: number, fs: ProcFs): Promise<PortHoldersResult> {
  const tables: ProcNetSocket[] = []
  const unread: string[] = []
  for (const file of [protocol, `${protocol}6`]) {
    try {
      tables.push(...parseProcNet(await fs.readFile(`/proc/net/${file}`), protocol))
    } catch (error) {
      // tcp6/udp6 are absent when IPv6 is disabled; only both missing is a failure.
      unread.push(`/proc/net/${file}: ${errorCode(error) ?? String(error)}`)
    }
  }
  if (unread.length === 2) return { ok: false, error: { code: 'owner-lookup-failed', message: `could not read ${unread.join('; ')}` } }
  const sockets = socketsOnPort(tables, protocol, port)
  const scan = await scanSocketOwners(new Set(sockets.map((s) => s.inode).filter((i) => i > 0)), fs)
  const users = parsePasswd(await fs.readFile('/etc/passwd').catch(() => ''))
  const holders = sockets.flatMap((s): PortHolder[] => {
    const procs = scan.byInode.get(s.inode) ?? []
    const user = users.get(s.uid)
    const base = { protocol, address: s.address, port: s.port, uid: s.uid, ...(user !== undefined && { user }) }
    if (procs.length === 0) return [{ ...base, isHidden: true }]
    return procs.map((p) => ({ ...base, pid: p.pid, name: p.name, ...(p.command !== undefined && { command: p.command }) }))
  })
  return { ok: true, value: { holders, source: '/proc', deniedCount: scan.deniedCount } }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}
