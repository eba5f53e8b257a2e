/**
 * Judging one DNS server from the same questions asked over UDP and over TCP (pure). Answers are compared
 * as sets of records (order and TTL ignored) together with the response code. What the findings mean:
 *  - a mismatch, or UDP failing while TCP works, is what a VPN's DNS proxy did on macOS 15.4 (field report
 *    D06: libresolv's UDP lookups failed with a VPN connected while TCP, `RES_USEVC`, worked);
 *  - TCP refused or timing out while UDP works breaks answers over 512 bytes (RFC 7766 §5 wants both);
 *  - a truncated UDP answer (TC) completed over TCP is DNS working as designed (RFC 1035 §4.2.1).
 */
import type { DiagnoseCheck, FactValue, Facts } from '../../shared/diagnose/view'
import type { DnsServer } from './dns-resolvers'
import type { DnsQueryResult, DnsQuestion } from './dns-transport'

/** One question's two answers. */
export interface QuestionOutcome {
  question: DnsQuestion
  udp: DnsQueryResult
  tcp: DnsQueryResult
}

/** What one question showed. */
export type Finding = 'agree' | 'truncated' | 'mismatch' | 'udp-failed' | 'tcp-failed' | 'no-answer'

type Check = Omit<DiagnoseCheck, 'group'>

// Control characters from the network never reach the report text; long names are cut.
const isControl = (c: string) => {
  const n = c.codePointAt(0) ?? 0
  return n < 0x20 || (n >= 0x7f && n < 0xa0)
}
const clean = (text: string, max = 80) => {
  const t = Array.from(text, (c) => (isControl(c) ? '?' : c)).join('')
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}
const q = (question: DnsQuestion) => `${clean(question.name)} (${question.type})`
const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`)

/** A server as the report names it: the address, the port when not 53, and where it came from. */
export function serverLabel(server: DnsServer): string {
  const address = server.port === 53 ? server.address : server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`
  return server.source === 'given' ? address : `${address} (${server.source})`
}

/** Classifies one question: both transports answered alike, differently, or one or both failed. */
export function classify(outcome: QuestionOutcome): Finding {
  const { udp, tcp } = outcome
  if (!udp.ok) return tcp.ok ? 'udp-failed' : 'no-answer'
  if (!tcp.ok) return 'tcp-failed'
  const tcpSet = new Set(tcp.value.answers)
  const sameRcode = udp.value.rcode === tcp.value.rcode
  // A truncated UDP answer may carry fewer records, but never records the full TCP answer lacks.
  if (udp.value.truncated) return sameRcode && udp.value.answers.every((a) => tcpSet.has(a)) ? 'truncated' : 'mismatch'
  const same = sameRcode && udp.value.answers.length === tcp.value.answers.length && udp.value.answers.every((a) => tcpSet.has(a))
  return same ? 'agree' : 'mismatch'
}

/** How a reply reads in a sentence: "NOERROR with 198.18.0.50", "NXDOMAIN", or the failure. */
export function describeResult(result: DnsQueryResult): string {
  if (!result.ok) return result.error.code === 'timeout' ? 'no answer (timed out)' : result.error.code === 'refused' ? 'refused' : `failed (${result.error.code})`
  const data = result.value.answers.map((a) => clean(a.split(' ').slice(3).join(' '), 60))
  const shown = data.length > 3 ? [...data.slice(0, 3), `${data.length - 3} more`] : data
  const records = result.value.rcode === 'NOERROR' && data.length === 0 ? ' with no records' : data.length > 0 ? ` with ${list(shown)}` : ''
  return `${result.value.rcode}${records}${result.value.truncated ? ' (truncated)' : ''}`
}

function resultFacts(result: DnsQueryResult): FactValue {
  if (!result.ok) return { error: result.error.code, message: result.error.message }
  return { rcode: result.value.rcode, answers: result.value.answers, truncated: result.value.truncated, ms: result.value.ms }
}

/** The evidence behind a server's check. */
export function serverFacts(server: DnsServer, outcomes: readonly QuestionOutcome[]): Facts {
  return {
    server: server.address, port: server.port, source: server.source,
    ...(server.domains !== undefined && { domains: server.domains }),
    questions: outcomes.map((o) => ({ name: o.question.name, type: o.question.type, finding: classify(o), udp: resultFacts(o.udp), tcp: resultFacts(o.tcp) })),
  }
}

const NO_DNS_OK = 'On an accessory’s own network, which often has no DNS server, this is expected: Porchlight finds devices with mDNS and does not need DNS.'
const ADVICE: Record<Exclude<Finding, 'agree' | 'truncated'>, string> = {
  mismatch: 'If a VPN is connected, disconnect it and run Diagnose again; if that helps, update the VPN app or report it to its maker. ' +
    'Otherwise something on the way (a router’s DNS proxy, security software) answers UDP and TCP differently: tell the network’s administrator.',
  'udp-failed': 'If a VPN is connected, disconnect it and run Diagnose again; if that helps, update the VPN app or report it to its maker. ' +
    'Otherwise check that the firewall or security software allows DNS over UDP (port 53) to this server.',
  'tcp-failed': 'Allow DNS over TCP (port 53) to this server in the firewall or security software. If the server is the router, ' +
    'a firmware update may add it. Most lookups still work; large answers (many addresses, long TXT records) fail.',
  'no-answer': `Check that this computer can reach the server (a VPN or firewall may block it), or reconnect to the network so it hands out a working DNS server. ${NO_DNS_OK}`,
}

function problemSentence(finding: Finding, outcomes: QuestionOutcome[], label: string): string {
  const names = list(outcomes.map((o) => q(o.question)))
  const first = outcomes[0]
  if (!first) return ''
  switch (finding) {
    case 'mismatch':
      return `${label} answers differently over UDP and TCP: for ${q(first.question)} UDP gave ${describeResult(first.udp)} but TCP gave ${describeResult(first.tcp)}. ` +
        'This is typical of a VPN’s DNS proxy (reported on macOS 15.4).'
    case 'udp-failed':
      return `${label} answers over TCP but not over UDP (${describeResult(first.udp)}) for ${names}. Almost every app asks over UDP, so their lookups fail; ` +
        'this is what a VPN’s DNS proxy did on macOS 15.4 (lookups over UDP failed while TCP worked).'
    case 'tcp-failed':
      return `${label} answers over UDP, but over TCP it gave ${describeResult(first.tcp)} for ${names}. Answers too large for UDP need TCP (RFC 7766).`
    case 'no-answer':
      return `${label} did not answer ${names} over UDP (${describeResult(first.udp)}) or over TCP (${describeResult(first.tcp)}).`
    case 'agree':
    case 'truncated':
      return ''
  }
}

const PRIORITY = ['mismatch', 'udp-failed', 'tcp-failed', 'no-answer'] as const

/** The check for one server from its questions' outcomes. */
export function judgeServer(server: DnsServer, outcomes: readonly QuestionOutcome[]): Check {
  const label = serverLabel(server)
  const base = { id: serverCheckId(server), title: `DNS server ${label}`, facts: serverFacts(server, outcomes) }
  const by = (f: Finding) => outcomes.filter((o) => classify(o) === f)
  if (outcomes.length > 0 && by('no-answer').length === outcomes.length) {
    return { ...base, status: 'fail', summary: problemSentence('no-answer', [...outcomes], label), advice: ADVICE['no-answer'] }
  }
  const problems = PRIORITY.filter((f) => by(f).length > 0)
  const truncated = by('truncated')
  const note = truncated.length > 0
    ? ` The UDP answer for ${list(truncated.map((o) => q(o.question)))} was truncated (TC) and TCP carried the full answer, as designed.`
    : ''
  const worst = problems[0]
  if (worst === undefined) {
    const answers = list(outcomes.map((o) => `${q(o.question)}: ${describeResult(o.tcp)}`))
    return { ...base, status: 'pass', summary: `${label} gives the same answers over UDP and TCP (${answers}).${note}`, advice: '' }
  }
  const summary = problems.map((f) => problemSentence(f, by(f), label)).join(' ') + note
  return { ...base, status: 'warn', summary, advice: ADVICE[worst] }
}

/** A stable id for a server's check, e.g. `dns-192-168-1-1` or `dns-fe80--1-en0-5353`. */
export function serverCheckId(server: DnsServer): string {
  const slug = server.address.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return `dns-${slug}${server.port === 53 ? '' : `-${server.port}`}${server.domains ? `-${server.domains.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : ''}`
}

/** The check that lists the servers in effect (the facts support staff read first). */
export function serversCheck(servers: readonly DnsServer[], searchDomains: readonly string[], notes: readonly string[], asked: number, isOverride: boolean): Check {
  const facts: Facts = {
    servers: servers.map((s) => ({ address: s.address, port: s.port, source: s.source, ...(s.domains !== undefined && { domains: s.domains }) })),
    searchDomains: [...searchDomains], notes: [...notes], asked,
  }
  const base = { id: 'dns-servers', title: 'DNS servers in effect', facts }
  if (servers.length === 0) {
    return {
      ...base, status: 'warn',
      summary: `No DNS server is configured${notes.length > 0 ? ` (${notes.join('; ')})` : ''}, so names such as a router’s or a printer’s do not resolve.`,
      advice: `Reconnect to the network so it hands out a DNS server, or set one in the network settings. ${NO_DNS_OK}`,
    }
  }
  const perDomain = servers.filter((s) => s.domains !== undefined)
  const shown = list(servers.slice(0, 6).map(serverLabel)) + (servers.length > 6 ? ` and ${servers.length - 6} more` : '')
  const extra = [
    perDomain.length > 0 ? ` ${perDomain.length} only answer for some domains (${list([...new Set(perDomain.flatMap((s) => s.domains ?? []))].map((d) => clean(d, 40)))}), as a VPN’s split DNS does.` : '',
    asked < servers.length ? ` The first ${asked} were tested.` : '',
  ]
  return { ...base, status: 'pass', summary: `DNS servers ${isOverride ? 'to test (given for this run)' : 'in effect'}: ${shown}.${extra.join('')}`, advice: '' }
}
