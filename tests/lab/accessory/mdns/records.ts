/**
 * The responder's functional core: which records an accessory owns on an interface, and which of them
 * answer a set of questions (RFC 6762 §6, §6.1, §6.2, §7.1; RFC 6763 §9, §12). No sockets, no timers.
 */
import type { Answer } from 'dns-packet'
import { SERVICE_TYPE_ENUMERATION } from '../../../../shared/discovery/service-types'
import type { MdnsInterfaceConfig } from './types'
import { type MdnsQuestion, type OutRecord, sameRecord, ttlOf } from './wire'

/** Everything that decides the record set; changes (rename, oddities) produce a new one. */
export interface RecordConfig {
  instanceName: string
  /** Fully qualified, e.g. `plx-acc-1.local`. */
  hostname: string
  /** Without domain, e.g. `_esp_local_ctrl._tcp`. */
  serviceType: string
  subtypes: readonly string[]
  port: number
  txt: readonly Buffer[]
  /** TTL of A/AAAA. */
  addressTtl: number
  /** TTL of SRV (a host-name record, RFC 6762 §10). */
  srvTtl: number
  /** TTL of PTR and TXT. */
  otherTtl: number
}

/** The names a record set uses. */
export interface ServiceNames {
  instance: string
  service: string
  enumeration: string
  subtypes: string[]
  host: string
}

/** Fully qualified names of a configuration. */
export function namesOf(config: RecordConfig): ServiceNames {
  const service = `${config.serviceType}.local`
  return {
    instance: `${config.instanceName}.${service}`,
    service,
    enumeration: `${SERVICE_TYPE_ENUMERATION}.local`,
    subtypes: config.subtypes.map((s) => `${s}._sub.${service}`),
    host: config.hostname,
  }
}

/** Strips a `%zone` from an address: AAAA rdata has no zone (RFC 4007 §11). */
export function withoutZone(address: string): string {
  return address.split('%')[0] ?? address
}

/** The records owned on one interface; only that interface's addresses (RFC 6762 §6.2). */
export function buildRecords(config: RecordConfig, iface: MdnsInterfaceConfig): OutRecord[] {
  const n = namesOf(config)
  const shared = (name: string, data: string): OutRecord => ({ answer: { type: 'PTR', name, ttl: config.otherTtl, data }, unique: false })
  return [
    // Service-type enumeration (RFC 6763 §9), the type itself, and each subtype (§7.1) are shared PTRs.
    shared(n.enumeration, n.service),
    shared(n.service, n.instance),
    ...n.subtypes.map((s) => shared(s, n.instance)),
    { answer: { type: 'SRV', name: n.instance, ttl: config.srvTtl, data: { port: config.port, target: n.host, priority: 0, weight: 0 } }, unique: true },
    { answer: { type: 'TXT', name: n.instance, ttl: config.otherTtl, data: config.txt.map((b) => Buffer.from(b)) }, unique: true },
    ...(iface.ipv4 ?? []).map((a): OutRecord => ({ answer: { type: 'A', name: n.host, ttl: config.addressTtl, data: a }, unique: true })),
    ...(iface.ipv6 ?? []).map((a): OutRecord => ({ answer: { type: 'AAAA', name: n.host, ttl: config.addressTtl, data: withoutZone(a) }, unique: true })),
  ]
}

/** The records the responder must probe for: everything unique (RFC 6762 §8.1). */
export function uniqueRecords(records: readonly OutRecord[]): OutRecord[] {
  return records.filter((r) => r.unique)
}

/** An NSEC asserting which types exist at `name` (RFC 6762 §6.1 restricted form: next domain = owner). */
export function nsecRecord(name: string, types: readonly string[], ttl: number): OutRecord {
  return { answer: { type: 'NSEC', name, ttl, data: { nextDomain: name, rrtypes: [...types] } }, unique: true }
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
const matches = (q: MdnsQuestion, r: OutRecord) => eq(q.name, r.answer.name) && (q.type === 'ANY' || q.type === r.answer.type)

/** The answer and additional sections for some questions. */
export interface AnswerPlan {
  answers: OutRecord[]
  additionals: OutRecord[]
}

/**
 * Chooses answers for `questions`: matching records minus those the querier already knows with at least
 * half their TTL left (RFC 6762 §7.1); NSEC for a type we lack at a name we own (§6.1); and unless
 * `additionals` is false, SRV/TXT/addresses for a PTR and addresses for an SRV (RFC 6763 §12), the other
 * address family for an address record, or an NSEC saying there is none (RFC 6762 §6.2).
 */
export function planAnswers(
  records: readonly OutRecord[],
  questions: readonly MdnsQuestion[],
  knownAnswers: readonly Answer[],
  options: { additionals: boolean },
): AnswerPlan {
  const isKnown = (r: OutRecord) => knownAnswers.some((k) => ttlOf(k) >= ttlOf(r.answer) / 2 && sameRecord(k, r.answer))
  const answers: OutRecord[] = []
  const add = (list: OutRecord[], r: OutRecord) => {
    if (!answers.includes(r) && !list.includes(r)) list.push(r)
  }
  const unique = records.filter((r) => r.unique)
  const ownedNames = [...new Set(unique.map((r) => r.answer.name.toLowerCase()))]
  for (const q of questions) {
    const hits = records.filter((r) => matches(q, r))
    for (const r of hits) if (!isKnown(r)) add(answers, r)
    if (hits.length === 0 && q.type !== 'ANY' && ownedNames.includes(q.name.toLowerCase())) {
      const owned = unique.filter((r) => eq(r.answer.name, q.name))
      const first = owned[0]?.answer
      if (first) answers.push(nsecRecord(first.name, [...new Set(owned.map((r) => r.answer.type))], ttlOf(first)))
    }
  }
  const additionals: OutRecord[] = []
  if (!options.additionals) return { answers, additionals }
  const byName = (name: string, ...types: string[]) => records.filter((r) => eq(r.answer.name, name) && types.includes(r.answer.type))
  const addresses = (host: string) => byName(host, 'A', 'AAAA')
  for (const r of answers) {
    const a = r.answer
    if (a.type === 'PTR' && byName(a.data, 'SRV').length > 0) {
      for (const x of byName(a.data, 'SRV', 'TXT')) add(additionals, x)
      const srv = byName(a.data, 'SRV')[0]?.answer
      if (srv?.type === 'SRV') for (const x of addresses(srv.data.target)) add(additionals, x)
    } else if (a.type === 'SRV') {
      for (const x of addresses(a.data.target)) add(additionals, x)
    } else if (a.type === 'A' || a.type === 'AAAA') {
      for (const x of addresses(a.name)) add(additionals, x)
    }
  }
  additionals.push(...missingFamilyNsecs(records, [...answers, ...additionals]))
  return { answers, additionals }
}

/**
 * For each host whose address records are in `sent`: if it has only one family, an NSEC saying so
 * (RFC 6762 §6.2), unless `sent` already has one.
 */
export function missingFamilyNsecs(records: readonly OutRecord[], sent: readonly OutRecord[]): OutRecord[] {
  const isAddress = (r: OutRecord) => r.answer.type === 'A' || r.answer.type === 'AAAA'
  const out: OutRecord[] = []
  for (const host of new Set(sent.filter(isAddress).map((r) => r.answer.name))) {
    const own = records.filter((r) => isAddress(r) && eq(r.answer.name, host))
    const types = [...new Set(own.map((r) => r.answer.type))]
    const hasNsec = sent.some((r) => r.answer.type === 'NSEC' && eq(r.answer.name, host))
    if (types.length === 1 && !hasNsec) out.push(nsecRecord(host, types, own[0] ? ttlOf(own[0].answer) : 120))
  }
  return out
}

/** An announcement or goodbye: every record in Answer (RFC 6762 §8.3), the §6.2 NSEC in Additional. */
export function announcementPlan(records: readonly OutRecord[]): AnswerPlan {
  return { answers: [...records], additionals: missingFamilyNsecs(records, records) }
}

/** The instance name for the `attempt`-th claim: `Name`, then `Name (2)`, `Name (3)` (the Bonjour convention). */
export function instanceNameFor(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base} (${attempt})`
}

/** The host name for the `attempt`-th claim: `plx-acc-1.local`, then `plx-acc-1-2.local`, … */
export function hostnameFor(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base.replace(/\.local$/i, '')}-${attempt}.local`
}
