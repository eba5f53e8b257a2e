/**
 * macOS: who holds a port, from `lsof -F` field output (lsof(8), "OUTPUT FOR OTHER PROGRAMS"): one field per
 * line, the first character naming it — `p` PID (starts a process set), `c` command, `f` file descriptor, `n`
 * name (`*:5353`, `127.0.0.1:8080`, `[::1]:8080`, `a:p->b:q` for a connected socket). lsof exits 1 with no
 * output when it finds nothing, which is also what a normal user sees for another user's process.
 */
import type { RunCommand } from '../util/exec'
import type { PortHolder, PortHoldersResult, PortProtocol } from './port-check'

/** Where lsof lives on macOS; an app started from the Finder may have a short PATH. */
export const LSOF = '/usr/sbin/lsof'

/** lsof arguments: listening TCP sockets, or every UDP socket, on `port`; no name or port lookups (`-nP`). */
export function lsofArgs(protocol: PortProtocol, port: number): string[] {
  return protocol === 'tcp'
    ? ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-F', 'pcn']
    : ['-nP', `-iUDP:${port}`, '-F', 'pcn']
}

/** Splits an lsof name field into address and port; undefined when it is not `address:port`. */
export function parseLsofName(name: string): { address: string; port: number } | undefined {
  const local = name.split('->')[0] ?? ''
  const colon = local.lastIndexOf(':')
  if (colon <= 0) return undefined
  const port = Number(local.slice(colon + 1))
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined
  let address = local.slice(0, colon)
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1)
  if (address.toLowerCase().startsWith('::ffff:') && address.includes('.')) address = address.slice(7)
  return { address, port }
}

/** Parses `lsof -F pcn` output into holders of `protocol` `port`; unknown fields and lines are ignored. */
export function parseLsofFields(stdout: string, protocol: PortProtocol, port: number): PortHolder[] {
  const holders: PortHolder[] = []
  let pid: number | undefined
  let name: string | undefined
  for (const line of stdout.split('\n')) {
    const field = line[0]
    const value = line.slice(1).trim()
    if (field === 'p') {
      pid = /^\d+$/.test(value) ? Number(value) : undefined
      name = undefined
    } else if (field === 'c') {
      name = value
    } else if (field === 'n' && pid !== undefined) {
      const local = parseLsofName(value)
      if (!local || local.port !== port) continue
      const isDuplicate = holders.some((h) => h.pid === pid && h.address === local.address)
      if (!isDuplicate) holders.push({ protocol, address: local.address, port, pid, name: name || `process ${pid}` })
    }
  }
  return holders
}

/** Runs lsof and names the holders of `protocol` `port`. */
export async function darwinPortHolders(protocol: PortProtocol, port: number, run: RunCommand): Promise<PortHoldersResult> {
  let output
  try {
    output = await run(LSOF, lsofArgs(protocol, port), { timeoutMs: 5000 })
  } catch (error) {
    return { ok: false, error: { code: 'tool-missing', message: `could not run lsof: ${(error as Error).message}` } }
  }
  const holders = parseLsofFields(output.stdout, protocol, port)
  // Exit 1 with nothing printed is "no socket lsof may show us" (none, or only other users'), not a failure.
  if (output.exitCode !== 0 && output.exitCode !== 1) {
    return { ok: false, error: { code: 'owner-lookup-failed', message: `lsof exited ${output.exitCode}: ${output.stderr.trim().slice(0, 200)}` } }
  }
  return { ok: true, value: { holders, source: 'lsof' } }
}
