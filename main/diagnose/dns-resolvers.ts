/**
 * Which DNS servers are in effect, from each platform's own view: Linux /etc/resolv.conf, and behind the
 * systemd-resolved stub (127.0.0.53) its upstreams from `resolvectl dns`; macOS `scutil --dns` (per-domain
 * resolvers included, as a VPN's split DNS shows up there); Windows Get-DnsClientServerAddress. The parsers
 * are pure; `readDnsConfig` runs the tools through the injected ports and never rejects.
 */
import { readFile as readFileFs } from 'node:fs/promises'
import { isIP } from 'node:net'
import { win32 } from 'node:path'
import type { RunCommand } from '../util/exec'

/** One DNS server in effect. */
export interface DnsServer {
  /** IP address; IPv6 link-local carries its `%zone`. */
  address: string
  port: number
  /** Where we learnt it, e.g. `/etc/resolv.conf`, `systemd-resolved, wlan0`, `scutil resolver #2, en0`, `Wi-Fi, IPv4`. */
  source: string
  /** Only for these domains (a per-domain resolver, e.g. a VPN's split DNS); absent = the default resolver. */
  domains?: string[]
}

/** The servers, the search domains, and anything that could not be read (plain language). */
export interface DnsConfig {
  servers: DnsServer[]
  searchDomains: string[]
  notes: string[]
}

/** What reading the configuration needs. */
export interface DnsConfigDeps {
  platform: NodeJS.Platform
  run: RunCommand
  readFile?: (path: string) => Promise<string>
  /** `%SystemRoot%` on Windows (default from the environment). */
  systemRoot?: string | undefined
}

/** systemd-resolved's stub listeners (127.0.0.54 is its "proxy" stub, systemd 248+). */
const RESOLVED_STUBS = new Set(['127.0.0.53', '127.0.0.54'])

/**
 * One server as the tools print it: `1.2.3.4`, `1.2.3.4:5353`, `fe80::1%eth0`, `[fd00::1]:53`, and
 * resolvectl's `…#server-name` (DNS-over-TLS SNI); undefined when it is not an IP address.
 */
export function parseServerToken(token: string): { address: string; port: number } | undefined {
  const t = token.trim().replace(/#.*$/, '')
  const bracketed = /^\[([^\]]+)\](?::(\d+))?(%\S+)?$/.exec(t)
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(t)
  const [address, port] = bracketed ? [`${bracketed[1] ?? ''}${bracketed[3] ?? ''}`, bracketed[2]] : v4port ? [v4port[1] ?? '', v4port[2]] : [t, undefined]
  const number = port === undefined ? 53 : Number(port)
  if (isIP(address) === 0 || !Number.isInteger(number) || number < 1 || number > 65535) return undefined
  return { address, port: number }
}

/** `nameserver` and `search`/`domain` lines of resolv.conf(5); comments start with `#` or `;`. */
export function parseResolvConf(text: string): { nameservers: string[]; searchDomains: string[] } {
  const nameservers: string[] = []
  let searchDomains: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const [keyword, ...rest] = raw.replace(/[#;].*$/, '').trim().split(/\s+/)
    if (keyword === 'nameserver' && rest[0]) nameservers.push(rest[0])
    // The last search/domain line wins (resolv.conf(5)).
    else if ((keyword === 'search' || keyword === 'domain') && rest.length > 0) searchDomains = rest
  }
  return { nameservers, searchDomains }
}

/** `resolvectl dns` lines (`Global: …`, `Link 3 (wlan0): …`): the servers per link. */
export function parseResolvectlDns(text: string): { link: string; servers: string[] }[] {
  const links: { link: string; servers: string[] }[] = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(Global|Link \d+ \(([^)]*)\))\s*:\s*(.*)$/.exec(line)
    if (m) links.push({ link: m[2] ?? 'global', servers: (m[3] ?? '').split(/\s+/).filter((s) => s.length > 0) })
  }
  return links
}

/** One resolver block of `scutil --dns` (its first section: the configuration unscoped queries use). */
export interface ScutilResolver {
  index: number
  nameservers: string[]
  searchDomains: string[]
  domain?: string
  interfaceName?: string
  /** `options : mdns` — handled by mDNSResponder's multicast, not a DNS server. */
  isMdns: boolean
}

/** Parses `scutil --dns`, stopping at "DNS configuration (for scoped queries)". */
export function parseScutilDns(text: string): ScutilResolver[] {
  const resolvers: ScutilResolver[] = []
  let current: ScutilResolver | undefined
  for (const line of text.split(/\r?\n/)) {
    if (/^DNS configuration \(/.test(line)) break
    const header = /^resolver #(\d+)/.exec(line)
    if (header) {
      current = { index: Number(header[1]), nameservers: [], searchDomains: [], isMdns: false }
      resolvers.push(current)
      continue
    }
    const m = /^\s+([a-z_ ]+?)(?:\[\d+\])?\s*:\s*(.*?)\s*$/.exec(line)
    if (!current || !m) continue
    const [key, value = ''] = [m[1], m[2]]
    if (key === 'nameserver') current.nameservers.push(value)
    else if (key === 'search domain') current.searchDomains.push(value)
    else if (key === 'domain') current.domain = value
    else if (key === 'if_index') current.interfaceName = /\(([^)]+)\)/.exec(value)?.[1] ?? value
    else if (key === 'options' && /\bmdns\b/.test(value)) current.isMdns = true
  }
  return resolvers
}

/** The PowerShell that lists each adapter's DNS servers and the suffix search list as one JSON object. */
export const WINDOWS_DNS_SCRIPT = '$s = @(Get-DnsClientServerAddress | Select-Object InterfaceAlias,AddressFamily,ServerAddresses); ' +
  '$g = @((Get-DnsClientGlobalSetting).SuffixSearchList); ConvertTo-Json -Compress -Depth 4 @{ servers = $s; suffixes = $g }'

/** Windows' placeholder servers on adapters without DNS (fec0:0:0:ffff::1–3, deprecated site-local). */
const WINDOWS_PLACEHOLDER = /^fec0:0:0:ffff::[123](%\d+)?$/i

/** The servers and suffixes of WINDOWS_DNS_SCRIPT's output; undefined when it is not that JSON. */
export function parseWindowsDns(json: string): { servers: DnsServer[]; searchDomains: string[] } | undefined {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch {
    return undefined
  }
  // Windows PowerShell 5.1 may write a wrapped array as `{"value":[…],"Count":n}`; a single item as the item itself.
  const asArray = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v
    const wrapped = (v as { value?: unknown } | null)?.value
    return Array.isArray(wrapped) ? wrapped : v === null || v === undefined ? [] : [v]
  }
  if (data === null || typeof data !== 'object') return undefined
  const d = data as { servers?: unknown; suffixes?: unknown }
  const servers: DnsServer[] = []
  for (const entry of asArray(d.servers)) {
    const e = entry as { InterfaceAlias?: unknown; AddressFamily?: unknown; ServerAddresses?: unknown }
    const family = e.AddressFamily === 23 ? 'IPv6' : 'IPv4'
    for (const a of asArray(e.ServerAddresses)) {
      const parsed = typeof a === 'string' && !WINDOWS_PLACEHOLDER.test(a) ? parseServerToken(a) : undefined
      if (parsed) servers.push({ ...parsed, source: `${typeof e.InterfaceAlias === 'string' ? e.InterfaceAlias : 'adapter'}, ${family}` })
    }
  }
  return { servers, searchDomains: asArray(d.suffixes).filter((s): s is string => typeof s === 'string' && s.length > 0) }
}

/** Servers from the scutil resolvers: mDNS-only blocks left out; per-domain ones keep their domain. */
export function scutilServers(resolvers: readonly ScutilResolver[]): DnsServer[] {
  return resolvers.filter((r) => !r.isMdns).flatMap((r) => r.nameservers.flatMap((token) => {
    const parsed = parseServerToken(token)
    if (!parsed) return []
    const source = `scutil resolver #${r.index}${r.interfaceName ? `, ${r.interfaceName}` : ''}`
    return [{ ...parsed, source, ...(r.domain !== undefined && { domains: [r.domain] }) }]
  }))
}

/** Drops repeated address+port, keeping the first (most specific source first). */
export function uniqueServers(servers: readonly DnsServer[]): DnsServer[] {
  const seen = new Set<string>()
  return servers.filter((s) => {
    const key = `${s.address.toLowerCase()}|${s.port}|${(s.domains ?? []).join(',')}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

async function tool(run: RunCommand, file: string, args: readonly string[], timeoutMs: number): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  try {
    const out = await run(file, args, { timeoutMs })
    if (out.exitCode === 0) return { ok: true, stdout: out.stdout }
    return { ok: false, reason: `${file} exited with ${out.exitCode}: ${out.stderr.trim().split(/\r?\n/)[0] ?? ''}`.trim() }
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    return { ok: false, reason: e.code === 'ENOENT' ? `${file} is not installed` : `${file} could not run: ${e.message}` }
  }
}

async function readLinux(deps: DnsConfigDeps, readFile: (path: string) => Promise<string>): Promise<DnsConfig> {
  const notes: string[] = []
  let text = ''
  try {
    text = await readFile('/etc/resolv.conf')
  } catch (error) {
    notes.push(`/etc/resolv.conf could not be read: ${(error as Error).message}`)
  }
  const conf = parseResolvConf(text)
  const servers: DnsServer[] = conf.nameservers.flatMap((n) => {
    const parsed = parseServerToken(n)
    return parsed ? [{ ...parsed, source: '/etc/resolv.conf' }] : []
  })
  if (servers.some((s) => RESOLVED_STUBS.has(s.address))) {
    const out = await tool(deps.run, 'resolvectl', ['--no-pager', 'dns'], 3000)
    if (out.ok) {
      for (const { link, servers: tokens } of parseResolvectlDns(out.stdout)) {
        for (const token of tokens) {
          const parsed = parseServerToken(token)
          if (parsed) servers.push({ ...parsed, source: `systemd-resolved, ${link}` })
        }
      }
    } else {
      notes.push(`systemd-resolved's upstream servers are unknown (${out.reason}); trying /run/systemd/resolve/resolv.conf`)
      const upstream = parseResolvConf(await readFile('/run/systemd/resolve/resolv.conf').catch(() => '')).nameservers
      for (const n of upstream) {
        const parsed = parseServerToken(n)
        if (parsed) servers.push({ ...parsed, source: 'systemd-resolved, /run/systemd/resolve/resolv.conf' })
      }
    }
  }
  return { servers: uniqueServers(servers), searchDomains: conf.searchDomains, notes }
}

async function readDarwin(deps: DnsConfigDeps): Promise<DnsConfig> {
  // Absolute: an app started from Finder has a minimal PATH.
  const out = await tool(deps.run, '/usr/sbin/scutil', ['--dns'], 5000)
  if (!out.ok) return { servers: [], searchDomains: [], notes: [`scutil --dns failed: ${out.reason}`] }
  const resolvers = parseScutilDns(out.stdout)
  const searchDomains = resolvers.find((r) => r.domain === undefined && !r.isMdns)?.searchDomains ?? []
  return { servers: uniqueServers(scutilServers(resolvers)), searchDomains, notes: [] }
}

async function readWindows(deps: DnsConfigDeps): Promise<DnsConfig> {
  const root = deps.systemRoot ?? process.env.SystemRoot
  // Absolute, so a powershell.exe next to the app or early on PATH is never the one that runs.
  const powershell = root ? win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe') : 'powershell.exe'
  const out = await tool(deps.run, powershell, ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_DNS_SCRIPT], 10_000)
  if (!out.ok) return { servers: [], searchDomains: [], notes: [`Get-DnsClientServerAddress failed: ${out.reason}`] }
  const parsed = parseWindowsDns(out.stdout)
  if (!parsed) return { servers: [], searchDomains: [], notes: ['Get-DnsClientServerAddress printed something that is not the expected JSON'] }
  return { servers: uniqueServers(parsed.servers), searchDomains: parsed.searchDomains, notes: [] }
}

/** Reads the servers in effect with the platform's tools; unreadable parts become notes, never a rejection. */
export async function readDnsConfig(deps: DnsConfigDeps): Promise<DnsConfig | undefined> {
  const readFile = deps.readFile ?? ((path: string) => readFileFs(path, 'utf8'))
  if (deps.platform === 'linux') return readLinux(deps, readFile)
  if (deps.platform === 'darwin') return readDarwin(deps)
  if (deps.platform === 'win32') return readWindows(deps)
  return undefined
}
