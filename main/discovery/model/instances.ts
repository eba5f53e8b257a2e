/**
 * From PTR records to service instances: which PTRs name a browsable type (subtypes map to their base type,
 * RFC 6763 §7.1), which enumerate types (`_services._dns-sd._udp`, §9), and what each instance still lacks
 * on each interface (case 12: a PTR without SRV/TXT/A additionals must still resolve).
 */
import type { InterfaceId } from '../cache/types'
import { RR_TYPE, labelsToText, nameKey, type DnsName } from '../wire'
import { resolveSighting, type RecordMirror } from './records'
import type { PendingQuery, ServiceInstance, ServiceTypeSighting } from './types'

const decoder = new TextDecoder('utf-8')
const fold = (label: Uint8Array | undefined): string => (label ? decoder.decode(label).toLowerCase() : '')

/** What a PTR owner name means for DNS-SD. */
type PointerOwner = { kind: 'enumeration' } | { kind: 'type'; base: readonly Uint8Array[]; subtype: string | undefined } | { kind: 'other' }

/** Classifies a PTR owner: `_services._dns-sd._udp.<domain>`, `[_sub._sub.]_name._tcp|_udp.<domain>`, or something else (e.g. reverse DNS). */
export function classifyOwner(owner: DnsName): PointerOwner {
  const labels = owner.labels
  if (fold(labels[0]) === '_services' && fold(labels[1]) === '_dns-sd' && fold(labels[2]) === '_udp' && labels.length > 3) {
    return { kind: 'enumeration' }
  }
  const isSub = fold(labels[1]) === '_sub'
  const base = isSub ? labels.slice(2) : labels
  const isType = base.length > 2 && base[0]?.[0] === 0x5f && ['_tcp', '_udp'].includes(fold(base[1]))
  if (!isType) return { kind: 'other' }
  return { kind: 'type', base, subtype: isSub && labels[0] ? decoder.decode(labels[0]) : undefined }
}

/** True when `target` is one label under `base` (labels compared case-insensitively, RFC 6762 §16). */
function isInstanceOf(target: DnsName, base: readonly Uint8Array[]): boolean {
  if (target.labels.length !== base.length + 1) return false
  return base.every((label, i) => fold(label) === fold(target.labels[i + 1]))
}

/** Instances and announced types in the mirror; `interfaceName` maps an interface id to the OS name. */
export interface Resolution {
  instances: ServiceInstance[]
  types: ServiceTypeSighting[]
  pending: PendingQuery[]
}

/** Resolves every PTR-announced instance on every interface it was announced on. */
export function resolveAll(mirror: RecordMirror, interfaceName: (id: InterfaceId) => string): Resolution {
  const instances = new Map<string, ServiceInstance & { interfaces: Set<InterfaceId>; subtypeSet: Set<string> }>()
  const types = new Map<string, { name: DnsName; interfaceIds: Set<InterfaceId> }>()
  for (const { record, interfaceId } of mirror.pointers()) {
    if (record.kind !== 'PTR') continue
    const owner = classifyOwner(record.name)
    const target = record.target
    const key = nameKey(target) ?? ''
    if (owner.kind === 'enumeration') {
      // RFC 6763 §9: the target is a service type (`_name._tcp|_udp.<domain>`); anything else is noise.
      const named = classifyOwner(target)
      if (named.kind !== 'type' || named.subtype !== undefined) continue
      const type = types.get(key) ?? { name: target, interfaceIds: new Set<InterfaceId>() }
      type.interfaceIds.add(interfaceId)
      types.set(key, type)
    }
    // RFC 6763 §4.1: an instance is `<Instance>.<Service>.<Domain>`, one label under the (base) type; a PTR
    // pointing anywhere else is not a DNS-SD instance (and under fuzzing would flood the list with junk).
    if (owner.kind !== 'type' || !isInstanceOf(target, owner.base)) continue
    const instance = instances.get(key) ?? {
      key, name: target, instance: decoder.decode(target.labels[0]), type: labelsToText(owner.base.slice(0, 2)),
      domain: labelsToText(owner.base.slice(2)), subtypes: [], sightings: [], isResolved: false,
      interfaces: new Set<InterfaceId>(), subtypeSet: new Set<string>(),
    }
    instance.interfaces.add(interfaceId)
    if (owner.subtype !== undefined) instance.subtypeSet.add(owner.subtype)
    instances.set(key, instance)
  }
  const resolved: ServiceInstance[] = [...instances.values()].map(({ interfaces, subtypeSet, ...instance }) => {
    const sightings = [...interfaces].sort().map((id) => resolveSighting(mirror, instance.name, id, interfaceName(id)))
    return { ...instance, subtypes: [...subtypeSet].sort(), sightings, isResolved: sightings.some((s) => s.isResolved) }
  })
  resolved.sort((a, b) => compareText(a.key, b.key))
  const typeList = [...types.entries()].sort(([a], [b]) => compareText(a, b))
  return {
    instances: resolved,
    types: typeList.map(([, { name, interfaceIds }]) => ({ name, interfaceIds: [...interfaceIds].sort() })),
    pending: pendingQueries(resolved),
  }
}

/** Code-point order, independent of locale, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** SRV/TXT of instances first, then A/AAAA of SRV targets without any address: the order RFC 6763 §12 implies. */
function pendingQueries(instances: readonly ServiceInstance[]): PendingQuery[] {
  const first: PendingQuery[] = []
  const hosts = new Map<string, PendingQuery[]>()
  for (const { name, sightings } of instances) {
    for (const { interfaceId, host, txt, addresses } of sightings) {
      if (!host) first.push({ name, type: RR_TYPE.SRV, interfaceId })
      if (!txt) first.push({ name, type: RR_TYPE.TXT, interfaceId })
      if (!host || addresses.length > 0) continue
      const ask = [RR_TYPE.A, RR_TYPE.AAAA].map((type) => ({ name: host, type, interfaceId }))
      hosts.set(`${interfaceId}\u0000${nameKey(host) ?? ''}`, ask)
    }
  }
  return [...first, ...[...hosts.values()].flat()]
}
