/**
 * Diagnose › DNS health (issue #6 item 5; field reports D06/C03, item 15): which DNS servers are in effect,
 * and whether each answers the same over UDP and over TCP.
 *
 * Porchlight runs on LANs that may have no internet, so it never invents public names to ask: it asks the
 * names the caller gives, else the search domain (SOA; never `.local`, which belongs to mDNS, RFC 6762 §3)
 * and the server's own reverse name (PTR). At most MAX_NAMES questions per server, each once over UDP and
 * once over TCP, each bounded in time; at most MAX_SERVERS servers.
 */
import { isIP } from 'node:net'
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import { expandIpv6 } from '../net/address'
import type { RunCommand } from '../util/exec'
import { parseServerToken, readDnsConfig, uniqueServers, type DnsConfig, type DnsServer } from './dns-resolvers'
import { queryDns, type DnsQuery, type DnsQuestion } from './dns-transport'
import { judgeServer, serverCheckId, serverLabel, serversCheck, type QuestionOutcome } from './dns-verdict'

/** Questions per server at most (each asked twice: UDP and TCP). */
export const MAX_NAMES = 3
/** Servers tested at most; the rest are listed only. */
export const MAX_SERVERS = 6
/** Default time for one query. */
export const DEFAULT_QUERY_TIMEOUT_MS = 2000

/** What the DNS health check needs. */
export interface DnsHealthDeps {
  platform: NodeJS.Platform
  run: RunCommand
  readFile?: (path: string) => Promise<string>
  /** Test these servers (`198.18.0.53`, `[fd00::53]:5353`) instead of the ones in effect. */
  resolvers?: string[]
  /** Names to ask (e.g. the router's or a configured host); PTR for `…arpa` names and IP addresses, A otherwise. */
  names?: string[]
  /** Default: real UDP and TCP (dns-transport). */
  query?: DnsQuery
  /** Per query (default DEFAULT_QUERY_TIMEOUT_MS). */
  timeoutMs?: number
  /** `%SystemRoot%` on Windows (default from the environment). */
  systemRoot?: string
  /** Monotonic ms for `tookMs` (default performance.now). */
  now?: () => number
}

/** The reverse-lookup name of an address (`4.3.2.1.in-addr.arpa`, nibbles `….ip6.arpa`); undefined if not an IP. */
export function reverseName(address: string): string | undefined {
  const bare = address.split('%')[0] ?? ''
  if (isIP(bare) === 4) return `${bare.split('.').reverse().join('.')}.in-addr.arpa`
  if (isIP(bare) !== 6) return undefined
  const nibbles = expandIpv6(bare).flatMap((g) => g.toString(16).padStart(4, '0').split(''))
  return `${nibbles.reverse().join('.')}.ip6.arpa`
}

/** One caller-given name as a question. */
export function nameQuestion(name: string): DnsQuestion {
  const n = name.trim()
  const reverse = isIP(n) !== 0 ? reverseName(n) : undefined
  if (reverse) return { name: reverse, type: 'PTR' }
  return { name: n, type: /\.(in-addr|ip6)\.arpa\.?$/i.test(n) ? 'PTR' : 'A' }
}

const isUnicastDomain = (d: string) => {
  const t = d.trim().replace(/\.$/, '').toLowerCase()
  return t.length > 0 && t !== 'local' && !t.endsWith('.local') && /^[a-z0-9._-]+$/.test(t)
}

/** What to ask one server: the caller's names, else its domain or the search domain (SOA) and its own PTR. */
export function questionsFor(server: DnsServer, searchDomains: readonly string[], names?: readonly string[]): DnsQuestion[] {
  const given = (names ?? []).map((n) => n.trim()).filter((n) => n.length > 0)
  if (given.length > 0) return given.slice(0, MAX_NAMES).map(nameQuestion)
  const questions: DnsQuestion[] = []
  const domain = [...(server.domains ?? []), ...searchDomains].find(isUnicastDomain)
  if (domain) questions.push({ name: domain.replace(/\.$/, ''), type: 'SOA' })
  const ptr = reverseName(server.address)
  if (ptr) questions.push({ name: ptr, type: 'PTR' })
  return questions
}

function overrideConfig(resolvers: readonly string[]): DnsConfig {
  const servers: DnsServer[] = []
  const notes: string[] = []
  for (const r of resolvers) {
    const parsed = parseServerToken(r)
    if (parsed) servers.push({ ...parsed, source: 'given' })
    else notes.push(`"${r.slice(0, 60)}" is not an IP address and was left out`)
  }
  return { servers: uniqueServers(servers), searchDomains: [], notes }
}

async function checkServer(server: DnsServer, questions: DnsQuestion[], query: DnsQuery, timeoutMs: number, now: () => number): Promise<DiagnoseCheck> {
  const started = now()
  if (questions.length === 0) {
    return {
      id: serverCheckId(server), group: 'dns', title: `DNS server ${serverLabel(server)}`, status: 'skip',
      summary: 'There was no name to ask this server: no names were configured and it has no search domain or reverse name. ' +
        'Porchlight does not guess internet names, because this network may have no internet.',
      advice: 'Add a name this network’s DNS server knows (for example the router’s name) to the DNS check, then run Diagnose again.',
      facts: { server: server.address, port: server.port, source: server.source }, tookMs: 0,
    }
  }
  const outcomes: QuestionOutcome[] = []
  for (const question of questions) {
    // UDP and TCP side by side; questions one after another, so a server never gets more than two at once.
    const [udp, tcp] = await Promise.all([query(server, question, 'udp', timeoutMs), query(server, question, 'tcp', timeoutMs)])
    outcomes.push({ question, udp, tcp })
  }
  return { ...judgeServer(server, outcomes), group: 'dns', tookMs: Math.round(now() - started) }
}

/** Runs the DNS health check: the servers in effect (or `resolvers`), then UDP against TCP per server. */
export async function runDnsHealth(deps: DnsHealthDeps): Promise<DiagnoseCheck[]> {
  const now = deps.now ?? (() => performance.now())
  const started = now()
  const isOverride = deps.resolvers !== undefined
  const config = isOverride ? overrideConfig(deps.resolvers ?? []) : await readDnsConfig(deps)
  if (!config) {
    return [{
      id: 'dns-servers', group: 'dns', title: 'DNS servers in effect', status: 'skip',
      summary: `Reading the DNS configuration is not supported on ${deps.platform}.`, advice: '', tookMs: 0,
    }]
  }
  const tested = config.servers.slice(0, MAX_SERVERS)
  const listing: DiagnoseCheck = {
    ...serversCheck(config.servers, config.searchDomains, config.notes, tested.length, isOverride), group: 'dns', tookMs: Math.round(now() - started),
  }
  const query = deps.query ?? queryDns
  const timeoutMs = deps.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS
  const checks = await Promise.all(tested.map((s) => checkServer(s, questionsFor(s, config.searchDomains, deps.names), query, timeoutMs, now)))
  return [listing, ...checks]
}
