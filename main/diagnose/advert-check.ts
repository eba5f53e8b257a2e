/**
 * Shared pieces of the advertisement audit's rules: the context they read, how a check is written (group
 * `device`, id `advert-<topic>`, the conformance case numbers of reference/discovery-and-mdns.md (b) in the
 * title and facts), and how untrusted names are shown (as text, shortened, never interpreted).
 */
import type { DiagnoseCheck, CheckStatus, FactValue, Facts } from '../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import type { NetInterface } from '../../shared/net/interfaces'
import type { DeviceNames, SeenPacket, SeenRecord } from './advert-packets'

/** What every rule reads. */
export interface AuditContext {
  device: DiscoveredDevice
  /** Usable response datagrams, oldest first. */
  packets: readonly SeenPacket[]
  /** The device's own records in them, in packet order. */
  records: readonly SeenRecord[]
  names: DeviceNames
  now: number
  /** This machine's interfaces, when known: lets the address rule tell on-link from off-link (case 37). */
  interfaces?: readonly NetInterface[]
}

/** One rule's verdict before it becomes a check. */
export interface AdvertCheckSpec {
  /** `advert-<topic>`. */
  id: string
  cases: readonly number[]
  /** The RFC section(s) behind it, for the title. */
  ref: string
  title: string
  status: CheckStatus
  summary: string
  advice?: string
  facts?: Facts
}

/** Builds the check; the title ends with `(case 39; RFC 6763 §12)`. */
export function advertCheck(spec: AdvertCheckSpec): DiagnoseCheck {
  const cases = spec.cases.length === 0 ? '' : `case${spec.cases.length > 1 ? 's' : ''} ${spec.cases.join(', ')}; `
  return {
    id: spec.id,
    group: 'device',
    title: `${spec.title} (${cases}${spec.ref})`,
    status: spec.status,
    summary: spec.summary,
    advice: spec.status === 'pass' || spec.status === 'skip' ? '' : (spec.advice ?? ''),
    facts: { cases: [...spec.cases], ...spec.facts },
  }
}

const MAX_SHOWN = 60

/** An untrusted name for a sentence: quoted, cut to 60 characters. Markup stays literal text. */
export function shown(text: string): string {
  const chars = [...text]
  return `"${chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN - 1).join('')}…` : text}"`
}

/** At most `max` findings for the facts, with how many were left out. */
export function findingFacts(findings: readonly string[], max = 10): Facts {
  const list: FactValue[] = findings.slice(0, max)
  return { findings: list, ...(findings.length > max && { findingsLeftOut: findings.length - max }) }
}

/** Wall-clock time of a packet, for findings (UTC, ISO 8601). */
export function timeOf(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString() : String(at)
}

/** "1 packet", "3 packets" (`many` for irregular plurals). */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`
}

/** The first finding, then "and N more" — a summary never lists everything. */
export function firstAndMore(findings: readonly string[]): string {
  const [first] = findings
  return findings.length > 1 ? `${first ?? ''} (and ${findings.length - 1} more)` : (first ?? '')
}
