/**
 * Advertisement rules about names: the SRV target is a `.local` host that resolves (case 41), the TXT
 * record is present and well formed (RFC 6763 §6), nobody else claims the device's names and it was not
 * renamed over a conflict (case 32), and one device is not listed under several instance names (cases 31, 32).
 */
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import type { DiscoveredService } from '../../shared/discovery/view'
import { nameKey, parseTxt } from '../discovery/wire'
import { advertCheck, findingFacts, firstAndMore, plural, shown, type AuditContext } from './advert-check'
import { claimsByName, dataKey, instanceName, keyOf, typeName } from './advert-packets'

function instanceKey(s: DiscoveredService): string | undefined {
  const name = instanceName(s.instance, s.type, s.domain)
  return name && keyOf(name)
}

/** Case 41: each SRV target is a `.local` name with at least one address seen. */
export function checkSrvTarget(ctx: AuditContext): DiagnoseCheck {
  const unresolved: string[] = []
  const notLocal: string[] = []
  const noSrv: string[] = []
  const targets: Record<string, string[]> = {}
  for (const s of ctx.device.services) {
    const key = instanceKey(s)
    const srvTargets = new Map(ctx.records.filter((r) => r.key === key && r.record.kind === 'SRV' && r.record.ttl > 0)
      .flatMap((r) => (r.record.kind === 'SRV' ? [[keyOf(r.record.target), r.record.target.text] as const] : [])))
    if (srvTargets.size === 0 && s.host !== null) srvTargets.set(nameKey(s.host) ?? s.host, s.host)
    if (srvTargets.size === 0) noSrv.push(shown(s.instance))
    for (const [target, text] of srvTargets) {
      const seen = ctx.records.filter((r) => r.key === target && (r.record.kind === 'A' || r.record.kind === 'AAAA') && r.record.ttl > 0).map((r) => dataKey(r.record))
      const known = s.host !== null && (nameKey(s.host) ?? s.host) === target ? s.addresses.map((a) => a.address) : []
      const addresses = [...new Set([...seen, ...known])]
      targets[text] = addresses
      if (!/\.local\.?$/i.test(text)) notLocal.push(shown(text))
      if (addresses.length === 0) unresolved.push(`${shown(s.instance)} points at ${shown(text)}, which has no address`)
    }
  }
  const base = { id: 'advert-srv-target', cases: [41], ref: 'RFC 6763 §5; RFC 6762 §3', title: 'The service points at a host that resolves' }
  const facts = { targets, ...findingFacts([...unresolved, ...notLocal.map((t) => `${t} is not a .local name`), ...noSrv.map((i) => `no SRV seen for ${i}`)]) }
  if (unresolved.length > 0) {
    return advertCheck({
      ...base,
      status: 'fail',
      summary: `${firstAndMore(unresolved)}: no A or AAAA record for that host name was received, so no app can connect to the service.`,
      advice: 'Firmware vendor: announce the host name named in the SRV record with its A/AAAA records, and answer A/AAAA questions for it (RFC 6762 §3, §6.2). Meanwhile: power-cycle the device; if that does not help, connect to it by IP address from the router\'s client list.',
      facts,
    })
  }
  if (notLocal.length > 0 || noSrv.length > 0) {
    const what = notLocal.length > 0
      ? `the SRV record points at ${notLocal[0] ?? ''}, which is not a .local name, so multicast DNS cannot resolve it`
      : `no SRV record was received for ${noSrv[0] ?? ''}, so its host and port are unknown`
    return advertCheck({
      ...base,
      status: 'warn',
      summary: `${what[0]?.toUpperCase() ?? ''}${what.slice(1)}.`,
      advice: 'Firmware vendor: the SRV target must be the device\'s own .local host name, announced with its addresses (RFC 6762 §3). Meanwhile: refresh the device list; if the device still shows no address, connect by IP address.',
      facts,
    })
  }
  return advertCheck({ ...base, status: 'pass', summary: `Every service points at a .local host name with a known address (${plural(Object.keys(targets).length, 'host')}).`, facts })
}

const TXT_WARN_BYTES = 1300

/** RFC 6763 §6: one TXT per instance, present even if empty (one zero byte), keys present, printable and unique. */
export function checkTxt(ctx: AuditContext): DiagnoseCheck {
  const findings: string[] = []
  const sizes: Record<string, number> = {}
  for (const s of ctx.device.services) {
    const key = instanceKey(s)
    const txts = ctx.records.filter((r) => r.key === key && r.record.kind === 'TXT' && r.record.ttl > 0)
    const latest = txts.at(-1)?.record
    const strings = latest?.kind === 'TXT' ? latest.strings : s.txtRaw.map((h) => Buffer.from(h, 'hex'))
    const name = shown(s.instance)
    if (!latest && s.txtRaw.length === 0) {
      findings.push(`${name} has no TXT record (every service instance MUST have one, §6)`)
      continue
    }
    if (latest && strings.length === 0) findings.push(`${name}'s TXT record has no strings; an empty TXT record is a single zero byte (§6.1)`)
    const perPacket = new Map<unknown, Set<string>>()
    for (const t of txts) perPacket.set(t.packet, (perPacket.get(t.packet) ?? new Set()).add(dataKey(t.record)))
    if ([...perPacket.values()].some((set) => set.size > 1)) findings.push(`${name} sends several different TXT records at once; only one is used (§6.8)`)
    const parsed = parseTxt(strings)
    for (const i of parsed.ignored) {
      const text = Buffer.from(i.raw).toString('latin1')
      const what = i.code === 'txt-empty-key' ? 'has no key (starts with "=")' : i.code === 'txt-bad-key' ? 'has a key with non-printable or non-ASCII bytes' : 'repeats a key; only the first counts'
      findings.push(`${name}: TXT string ${shown(JSON.stringify(text).slice(1, -1))} ${what} (§6.4)`)
    }
    const size = strings.reduce((n, str) => n + 1 + str.length, 0)
    sizes[s.instance] = size
    if (size > TXT_WARN_BYTES) findings.push(`${name}'s TXT record is ${size} bytes; above ${TXT_WARN_BYTES} it is not recommended (§6.2)`)
  }
  const base = { id: 'advert-txt', cases: [7, 8, 9], ref: 'RFC 6763 §6', title: 'TXT record present and well formed' }
  if (ctx.device.services.length === 0) return advertCheck({ ...base, status: 'skip', summary: 'The device lists no service instance, so there is no TXT record to check.' })
  if (findings.length === 0) return advertCheck({ ...base, status: 'pass', summary: 'Every service has one well-formed TXT record (key=value strings, no empty or repeated keys).', facts: { txtBytes: sizes } })
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The TXT record is malformed: ${firstAndMore(findings)}. Apps may read different settings from it (some take the last duplicate, some drop odd keys), or none at all.`,
    advice: 'Firmware vendor: send exactly one TXT record per service, as key=value strings with printable ASCII keys, each key once, an empty record as a single zero byte (RFC 6763 §6). Meanwhile: nothing the user can change; if a feature of the device is missing in an app, report this finding to the vendor.',
    facts: { txtBytes: sizes, ...findingFacts(findings) },
  })
}

/**
 * Unique record sets that come back after another set replaced them (A, then B, then A again): two
 * responders keep claiming the name. A plain change (A, then B) is an update, not a conflict.
 */
function flapping(ctx: AuditContext): string[] {
  const findings: string[] = []
  for (const { name, type, claims } of claimsByName(ctx.records).values()) {
    const runs: string[] = []
    for (const claim of claims) if (runs.at(-1) !== claim.data) runs.push(claim.data)
    if (new Set(runs).size === runs.length) continue
    const sources = [...new Set(claims.map((c) => c.source))]
    findings.push(`${typeName(type)} records of ${shown(name)} alternate between different data (from ${sources.join(', ')})`)
  }
  return findings
}

/** Case 32: nobody else claims the device's names, and it was not renamed after a conflict. */
export function checkConflicts(ctx: AuditContext): DiagnoseCheck {
  const contested = flapping(ctx)
  const renamed = ctx.device.services.filter((s) => /\s\((\d+)\)$/.test(s.instance) && Number(/\((\d+)\)$/.exec(s.instance)?.[1]) >= 2).map((s) => shown(s.instance))
  const base = { id: 'advert-conflicts', cases: [32], ref: 'RFC 6762 §9', title: 'No name conflicts' }
  const facts = { renamed, ...findingFacts(contested) }
  if (contested.length > 0) {
    return advertCheck({
      ...base,
      status: 'warn',
      summary: `Two responders claim the same name with different data: ${firstAndMore(contested)}. Apps switch between them, so connections go to the wrong place at random.`,
      advice: 'Look for a second device with the same name (a clone, a replaced unit still powered, or this device on both Ethernet and Wi-Fi) and unplug one. Firmware vendor: probe before claiming a name and rename on conflict (RFC 6762 §8.1, §9).',
      facts,
    })
  }
  if (renamed.length > 0) {
    return advertCheck({
      ...base,
      status: 'warn',
      summary: `The device renamed itself to ${renamed.join(', ')}: another device on this network already used its name.`,
      advice: 'Find the other device with the same name (often a second unit of the same model) and give one of them a different name in its own app; restart this device afterwards so it takes its normal name back.',
      facts,
    })
  }
  return advertCheck({ ...base, status: 'pass', summary: 'No other responder claims this device\'s names, and it was not renamed over a conflict.', facts })
}

/** Cases 31, 32: one device, one instance per service type (an old name left behind after a rename shows up twice). */
export function checkInstances(ctx: AuditContext): DiagnoseCheck {
  const byType = new Map<string, string[]>()
  for (const s of ctx.device.services) byType.set(s.type, [...(byType.get(s.type) ?? []), s.instance])
  const several = [...byType].filter(([, names]) => new Set(names).size > 1)
  const base = { id: 'advert-instances', cases: [31, 32], ref: 'RFC 6762 §8.4, §9', title: 'One name per service' }
  const facts = { instancesByType: Object.fromEntries([...byType].map(([t, names]) => [t, names])) }
  if (several.length === 0) return advertCheck({ ...base, status: 'pass', summary: `The device advertises each service under one name (${plural(ctx.device.services.length, 'service')}).`, facts })
  const [type = '', names = []] = several[0] ?? []
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The same device (same id) advertises ${type} under ${plural(names.length, 'name')}: ${names.map(shown).join(', ')}. Users see it several times, and one of the entries may be stale.`,
    advice: 'Firmware vendor: when renaming, withdraw the old name with a goodbye (TTL 0) before announcing the new one (RFC 6762 §8.4). Meanwhile: restart the device; stale entries disappear from lists after at most 75 minutes.',
    facts,
  })
}
