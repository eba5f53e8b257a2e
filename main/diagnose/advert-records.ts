/**
 * Advertisement rules about what each response carries: required additionals and no duplicates (case 39),
 * TTLs (case 40) and the cache-flush bit (case 38). Pure: a context in, one check out.
 */
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import type { ResourceRecord } from '../discovery/wire'
import { advertCheck, findingFacts, firstAndMore, plural, timeOf, type AuditContext } from './advert-check'
import { dataKey, dataText, isHostNameRecord, isSharedRecord, keyOf, typeName, type SeenPacket } from './advert-packets'

const HOST_TTL = 120
const OTHER_TTL = 4500

function live(packet: SeenPacket): ResourceRecord[] {
  return [...packet.message.answers, ...packet.message.additionals].filter((r) => r.ttl > 0)
}

/** What a PTR or SRV answer in one packet is missing (RFC 6763 §12); empty when complete. */
function missingAdditionals(answer: ResourceRecord, all: readonly ResourceRecord[]): string[] {
  const has = (key: string, kinds: readonly string[]) => all.some((r) => kinds.includes(r.kind) && keyOf(r.name) === key)
  const hasAddress = (host: string) => has(host, ['A', 'AAAA', 'NSEC'])
  if (answer.kind === 'SRV') return hasAddress(keyOf(answer.target)) ? [] : [`A/AAAA of ${answer.target.text}`]
  if (answer.kind !== 'PTR') return []
  const instance = keyOf(answer.target)
  const missing = ['SRV', 'TXT'].filter((k) => !has(instance, [k]))
  const srv = all.find((r) => r.kind === 'SRV' && keyOf(r.name) === instance)
  if (srv?.kind === 'SRV' && !hasAddress(keyOf(srv.target))) missing.push(`A/AAAA of ${srv.target.text}`)
  return missing
}

/** Case 39: a PTR answer brings SRV, TXT and addresses; an SRV answer brings addresses (RFC 6763 §12). */
export function checkAdditionals(ctx: AuditContext): DiagnoseCheck {
  const findings: string[] = []
  let answers = 0
  for (const p of ctx.packets) {
    const all = live(p)
    for (const a of p.message.answers) {
      if (a.ttl === 0) continue
      const aboutDevice = a.kind === 'PTR' ? ctx.names.instances.has(keyOf(a.target)) : a.kind === 'SRV' && ctx.names.instances.has(keyOf(a.name))
      if (!aboutDevice) continue
      answers++
      const missing = missingAdditionals(a, all)
      if (missing.length > 0) findings.push(`${typeName(a.type)} answer for ${a.kind === 'PTR' ? a.target.text : a.name.text} at ${timeOf(p.at)} came without ${missing.join(', ')}`)
    }
  }
  const base = { id: 'advert-additionals', cases: [39], ref: 'RFC 6763 §12', title: 'Answers carry the records needed to connect' }
  if (answers === 0) {
    return advertCheck({ ...base, status: 'skip', summary: 'None of the kept packets answers a PTR or SRV question for this device, so there is nothing to judge.' })
  }
  if (findings.length === 0) {
    return advertCheck({ ...base, status: 'pass', summary: `All ${plural(answers, 'PTR/SRV answer')} came with the SRV, TXT and address records needed to connect.`, facts: { answers } })
  }
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The device answers without the records needed to connect: ${firstAndMore(findings)}. Every app then needs extra queries before it can connect, which is slow or fails on lossy Wi-Fi.`,
    advice: 'Firmware vendor: with a PTR answer include SRV, TXT and the host\'s A/AAAA as additional records, and A/AAAA with an SRV answer (RFC 6763 §12). Meanwhile: keep the device close to the access point; if it shows up late or without an address, refresh the device list.',
    facts: { answers, ...findingFacts(findings) },
  })
}

/** Case 39: the same record twice in one packet. */
export function checkDuplicates(ctx: AuditContext): DiagnoseCheck {
  const findings: string[] = []
  const byPacket = new Map<SeenPacket, Set<string>>()
  for (const r of ctx.records) {
    const seen = byPacket.get(r.packet) ?? new Set<string>()
    byPacket.set(r.packet, seen)
    const key = `${r.key} ${r.record.type} ${dataKey(r.record)}`
    if (seen.has(key)) findings.push(`${typeName(r.record.type)} ${r.record.name.text} ${dataText(r.record)} twice in the packet of ${timeOf(r.packet.at)}`)
    seen.add(key)
  }
  const base = { id: 'advert-duplicates', cases: [39], ref: 'RFC 6762 §6; BCT', title: 'No duplicate records in one packet' }
  if (findings.length === 0) return advertCheck({ ...base, status: 'pass', summary: `No packet repeats a record (${plural(byPacket.size, 'packet')} checked).` })
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The device repeats records within one packet: ${firstAndMore(findings)}. Harmless to Porchlight, but it wastes airtime and fails Apple's Bonjour Conformance Test.`,
    advice: 'Firmware vendor: put each record once per packet (an answer is not repeated as an additional record). Nothing for the user to do.',
    facts: findingFacts(findings),
  })
}

/** Case 40: 120 s for host-name records, 4500 s for the rest; longer ones are "stale-prone" (RFC 6762 §10). */
export function checkTtls(ctx: AuditContext): DiagnoseCheck {
  const observed = new Map<string, Set<number>>()
  const findings: string[] = []
  const flagged = new Set<string>()
  let hostStale = 0
  for (const { record, packet } of ctx.records) {
    if (record.ttl === 0 || packet.legacy) continue
    const type = typeName(record.type)
    observed.set(type, (observed.get(type) ?? new Set()).add(record.ttl))
    const isHost = isHostNameRecord(record)
    const limit = isHost ? HOST_TTL : OTHER_TTL
    const key = `${type} ${record.ttl}`
    if (record.ttl <= limit || flagged.has(key)) continue
    flagged.add(key)
    if (isHost) hostStale = Math.max(hostStale, record.ttl)
    findings.push(`${type} records (e.g. ${record.name.text}) have TTL ${record.ttl} s where ${limit} s is expected`)
  }
  const ttls = Object.fromEntries([...observed].map(([t, set]) => [t, [...set].sort((a, b) => a - b)]))
  const base = { id: 'advert-ttl', cases: [40], ref: 'RFC 6762 §10', title: 'Record lifetimes' }
  if (observed.size === 0) return advertCheck({ ...base, status: 'skip', summary: 'No live record of this device was kept, so there is no TTL to judge.' })
  if (findings.length === 0) return advertCheck({ ...base, status: 'pass', summary: 'Record lifetimes are as the standard asks: 120 s or less for addresses and SRV, 4500 s or less for the rest.', facts: { ttls } })
  const minutes = Math.round(hostStale / 60)
  const consequence = hostStale > 0
    ? `When the device's address changes (router restart, new DHCP lease) without a fresh announcement, apps keep using the old address for up to ${minutes} minutes.`
    : 'Apps keep showing the device for a long time after it is gone.'
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `Records live longer than they should (stale-prone): ${firstAndMore(findings)}. ${consequence}`,
    advice: 'Firmware vendor: use TTL 120 s for A, AAAA and SRV records and 4500 s for PTR and TXT (RFC 6762 §10). Meanwhile: give the device a fixed address in the router (DHCP reservation), and refresh the device list if it stops answering after a router restart.',
    facts: { ttls, ...findingFacts(findings) },
  })
}

/** Case 38: unique records carry the cache-flush bit, shared PTRs never (RFC 6762 §10.2). */
export function checkCacheFlush(ctx: AuditContext): DiagnoseCheck {
  const missing = new Set<string>()
  const wrong = new Set<string>()
  let checked = 0
  for (const { record, packet } of ctx.records) {
    if (packet.legacy) continue
    checked++
    const label = `${typeName(record.type)} ${record.name.text}`
    if (isSharedRecord(record) && record.cacheFlush) wrong.add(label)
    else if (!isSharedRecord(record) && !record.cacheFlush) missing.add(label)
  }
  const base = { id: 'advert-cache-flush', cases: [38], ref: 'RFC 6762 §10.2', title: 'Cache-flush bit on unique records only' }
  if (checked === 0) return advertCheck({ ...base, status: 'skip', summary: 'No multicast record of this device was kept, so the cache-flush bit cannot be judged.' })
  if (missing.size === 0 && wrong.size === 0) return advertCheck({ ...base, status: 'pass', summary: `The cache-flush bit is set on unique records (SRV, TXT, addresses) and clear on shared PTRs (${plural(checked, 'record')} checked).` })
  const parts = [
    ...(wrong.size > 0 ? [`shared PTR records carry the cache-flush bit (${[...wrong][0] ?? ''}): every listener then drops the same-type PTRs of all other devices, so other devices of this kind briefly vanish from apps`] : []),
    ...(missing.size > 0 ? [`unique records lack the cache-flush bit (${[...missing][0] ?? ''}): after a change, old copies (such as an old address) stay in caches next to the new ones`] : []),
  ]
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The cache-flush bit is misused: ${parts.join('; ')}.`,
    advice: 'Firmware vendor: set the cache-flush bit (top bit of the class) on SRV, TXT, A, AAAA and NSEC records in multicast responses, never on PTR records that list a service (RFC 6762 §10.2). Meanwhile: if an old address keeps being tried after a change, refresh the device list.',
    facts: { checked, missingFlush: [...missing].slice(0, 10), flushOnShared: [...wrong].slice(0, 10) },
  })
}
