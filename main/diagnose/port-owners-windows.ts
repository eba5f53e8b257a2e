/**
 * Windows: who holds a port, from PowerShell's NetTCPIP module. `Get-NetTCPConnection -State Listen` /
 * `Get-NetUDPEndpoint` give `OwningProcess` for every user's socket without elevation; `Get-Process -Id`
 * names it (`Path` stays empty for processes of other users or of the system). PID 4 is `System`: the
 * kernel's HTTP server (http.sys) behind IIS, WinRM and URL reservations.
 *
 * ConvertTo-Json prints one object for a one-element result and an array otherwise, and Windows PowerShell
 * 5.1 may wrap an array as `{"value":[…],"Count":n}`; the parser accepts all three. Each JSON document is on
 * its own line behind a marker so an empty result cannot shift the other one.
 */
import { z } from 'zod'
import type { RunCommand } from '../util/exec'
import type { PortHolder, PortHoldersResult, PortProtocol } from './port-check'

/** The PowerShell script for `protocol` `port` (an integer checked by the caller, so safe to embed). */
export function windowsOwnerScript(protocol: PortProtocol, port: number): string {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${port}`)
  const endpoints = protocol === 'tcp' ? `Get-NetTCPConnection -State Listen -LocalPort ${port}` : `Get-NetUDPEndpoint -LocalPort ${port}`
  return [
    "$ErrorActionPreference = 'SilentlyContinue'",
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    `$e = @(${endpoints} | Select-Object LocalAddress,LocalPort,OwningProcess)`,
    "'E:' + (ConvertTo-Json -Compress -InputObject $e)",
    '$p = @($e | ForEach-Object { $_.OwningProcess } | Sort-Object -Unique | ForEach-Object { Get-Process -Id $_ | Select-Object Id,ProcessName,Path })',
    "'P:' + (ConvertTo-Json -Compress -InputObject $p)",
  ].join('; ')
}

const Endpoint = z.object({ LocalAddress: z.string(), LocalPort: z.number().int(), OwningProcess: z.number().int() })
const Process = z.object({ Id: z.number().int(), ProcessName: z.string(), Path: z.string().nullish() })

/** One object, an array, or PowerShell 5.1's `{value, Count}` wrapper → a list; entries that do not parse are dropped. */
function listOf<T>(raw: unknown, schema: z.ZodType<T>): T[] {
  const wrapped = z.object({ value: z.array(z.unknown()) }).safeParse(raw)
  const items = Array.isArray(raw) ? raw : wrapped.success ? wrapped.data.value : raw === null || raw === undefined ? [] : [raw]
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item)
    return parsed.success ? [parsed.data] : []
  })
}

function jsonAfter(stdout: string, marker: string): { ok: true; value: unknown } | { ok: false } {
  const line = stdout.split(/\r?\n/).find((l) => l.replace(/^\uFEFF/, '').startsWith(marker))
  if (line === undefined) return { ok: false }
  const text = line.replace(/^\uFEFF/, '').slice(marker.length).trim()
  if (text === '') return { ok: true, value: [] }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** Parses the script's output into holders of `protocol` `port`; an error value when it is unreadable. */
export function parseWindowsOwners(stdout: string, protocol: PortProtocol, port: number): PortHoldersResult {
  const endpoints = jsonAfter(stdout, 'E:')
  if (!endpoints.ok) return { ok: false, error: { code: 'owner-lookup-failed', message: 'PowerShell printed no readable endpoint list' } }
  const processes = jsonAfter(stdout, 'P:')
  const names = new Map((processes.ok ? listOf(processes.value, Process) : []).map((p) => [p.Id, p]))
  const holders = listOf(endpoints.value, Endpoint)
    .filter((e) => e.LocalPort === port)
    .map((e): PortHolder => {
      const proc = names.get(e.OwningProcess)
      const address = e.LocalAddress.toLowerCase().startsWith('::ffff:') && e.LocalAddress.includes('.') ? e.LocalAddress.slice(7) : e.LocalAddress
      return {
        protocol,
        address,
        port,
        pid: e.OwningProcess,
        ...(proc ? { name: proc.ProcessName } : { isHidden: true }),
        ...(proc?.Path ? { command: proc.Path } : {}),
      }
    })
  return { ok: true, value: { holders, source: 'PowerShell' } }
}

/** Runs PowerShell and names the holders of `protocol` `port`. */
export async function windowsPortHolders(protocol: PortProtocol, port: number, run: RunCommand): Promise<PortHoldersResult> {
  let output
  try {
    output = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', windowsOwnerScript(protocol, port)], { timeoutMs: 15_000 })
  } catch (error) {
    return { ok: false, error: { code: 'tool-missing', message: `could not run PowerShell: ${(error as Error).message}` } }
  }
  if (output.exitCode !== 0) {
    return { ok: false, error: { code: 'owner-lookup-failed', message: `PowerShell exited ${output.exitCode}: ${output.stderr.trim().slice(0, 200)}` } }
  }
  return parseWindowsOwners(output.stdout, protocol, port)
}
