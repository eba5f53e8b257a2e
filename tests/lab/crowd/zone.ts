/**
 * The crowd's functional core: every device's records indexed by owner name, and which of them answer a
 * set of questions (RFC 6762 §6, §7.1; RFC 6763 §9, §12). Pure: no sockets, no timers.
 */
import { SERVICE_TYPE_ENUMERATION } from '../../../shared/discovery/service-types'
import { crowdDevice, type CrowdDevice, type ResolvedCrowdOptions } from './devices'
import { type CrowdRecord, type KnownAnswer, type Labels, nameKey, type Question, RR, recordKey } from './dns'

/** Records that travel together: a device's PTR with its SRV/TXT/addresses as additionals (RFC 6763 §12.1). */
export interface RecordGroup {
  answers: CrowdRecord[]
  additionals: CrowdRecord[]
}

/** One device's records. */
export interface DeviceRecords {
  device: CrowdDevice
  ptr: CrowdRecord
  srv: CrowdRecord
  txt: CrowdRecord
  addresses: CrowdRecord[]
}

const splitType = (type: string): string[] => type.split('.')
const LOCAL = 'local'
/** `_services._dns-sd._udp.local` as labels. */
export const ENUMERATION: Labels = [...splitType(SERVICE_TYPE_ENUMERATION), LOCAL]

/** Builds device k's records; `address4`/`address6` are the interface's own (RFC 6762 §6.2). */
export function deviceRecords(o: ResolvedCrowdOptions, k: number, address4: string | undefined, address6: string | undefined): DeviceRecords {
  const device = crowdDevice(o, k)
  const service = [...splitType(device.type), LOCAL]
  const instance = [device.instanceName, ...service]
  const host = [device.hostName.replace(/\.local$/, ''), LOCAL]
  const addresses: CrowdRecord[] = []
  if (address4) addresses.push({ name: host, ttl: o.hostTtl, unique: true, data: { type: 'A', address: address4 } })
  if (address6) addresses.push({ name: host, ttl: o.hostTtl, unique: true, data: { type: 'AAAA', address: address6 } })
  return {
    device,
    ptr: { name: service, ttl: o.otherTtl, unique: false, data: { type: 'PTR', target: instance } },
    srv: { name: instance, ttl: o.hostTtl, unique: true, data: { type: 'SRV', port: device.port, target: host } },
    txt: { name: instance, ttl: o.otherTtl, unique: true, data: { type: 'TXT', strings: device.txt.map((s) => Buffer.from(s, 'utf8')) } },
    addresses,
  }
}

/** Every record of a device (an announcement or goodbye sends them all, RFC 6762 §8.3, §10.1). */
export function allRecords(d: DeviceRecords): CrowdRecord[] {
  return [d.ptr, d.srv, d.txt, ...d.addresses]
}

/** The crowd's records, with the set of devices currently present. */
export class CrowdZone {
  readonly devices: DeviceRecords[]
  private readonly active = new Set<number>()
  private readonly byType = new Map<string, DeviceRecords[]>()
  private readonly byInstance = new Map<string, DeviceRecords>()
  private readonly byHost = new Map<string, DeviceRecords>()
  private readonly ttl: number

  constructor(o: ResolvedCrowdOptions, address4: string | undefined, address6: string | undefined) {
    this.ttl = o.otherTtl
    this.devices = Array.from({ length: o.count }, (_, i) => deviceRecords(o, i + 1, address4, address6))
    for (const d of this.devices) {
      const key = nameKey(d.ptr.name)
      this.byType.set(key, [...(this.byType.get(key) ?? []), d])
      this.byInstance.set(nameKey(d.srv.name), d)
      if (d.srv.data.type === 'SRV') this.byHost.set(nameKey(d.srv.data.target), d)
      this.active.add(d.device.k)
    }
  }

  /** Device k's records; throws RangeError for a k outside 1..count. */
  device(k: number): DeviceRecords {
    const d = this.devices[k - 1]
    if (!d) throw new RangeError(`no device ${k} (the crowd has 1..${this.devices.length})`)
    return d
  }

  /** True while device k answers (not after its goodbye). */
  isPresent(k: number): boolean {
    return this.active.has(k)
  }

  /** Device k answers from now on, or no longer. */
  setPresent(k: number, present: boolean): void {
    this.device(k)
    if (present) this.active.add(k)
    else this.active.delete(k)
  }

  /** Devices currently present, in k order. */
  present(): DeviceRecords[] {
    return this.devices.filter((d) => this.active.has(d.device.k))
  }

  /** The enumeration PTRs (RFC 6763 §9): one per type with a present device. */
  enumerationRecords(): CrowdRecord[] {
    return [...this.byType.values()].filter((list) => list.some((d) => this.active.has(d.device.k))).map((list) => ({
      name: ENUMERATION, ttl: this.ttl, unique: false, data: { type: 'PTR' as const, target: (list[0] as DeviceRecords).ptr.name },
    }))
  }

  /** Answers to `questions` as groups, without what the querier already knows with ≥ half the TTL left (RFC 6762 §7.1). */
  answer(questions: readonly Question[], known: readonly KnownAnswer[]): RecordGroup[] {
    const knownTtl = new Map<string, number>()
    for (const k of known) knownTtl.set(k.key, Math.max(k.ttl, knownTtl.get(k.key) ?? 0))
    const isKnown = (r: CrowdRecord) => (knownTtl.get(recordKey(r)) ?? -1) >= r.ttl / 2
    const groups: RecordGroup[] = []
    const seen = new Set<string>()
    const add = (answers: CrowdRecord[], additionals: CrowdRecord[]) => {
      const fresh = answers.filter((r) => !isKnown(r) && !seen.has(recordKey(r)))
      if (fresh.length === 0) return
      for (const r of fresh) seen.add(recordKey(r))
      groups.push({ answers: fresh, additionals: additionals.filter((r) => !isKnown(r)) })
    }
    for (const q of questions) {
      const key = nameKey(q.name)
      const any = q.type === RR.ANY
      if (key === nameKey(ENUMERATION) && (any || q.type === RR.PTR)) {
        for (const r of this.enumerationRecords()) add([r], [])
      }
      if (any || q.type === RR.PTR) {
        for (const d of this.byType.get(key) ?? []) if (this.active.has(d.device.k)) add([d.ptr], [d.srv, d.txt, ...d.addresses])
      }
      const instance = this.byInstance.get(key)
      if (instance && this.active.has(instance.device.k)) {
        // RFC 6763 §12.2: an SRV answer carries the target's addresses.
        if (any || q.type === RR.SRV) add([instance.srv], instance.addresses)
        if (any || q.type === RR.TXT) add([instance.txt], [])
      }
      const host = this.byHost.get(key)
      if (host && this.active.has(host.device.k)) {
        const wanted = host.addresses.filter((r) => any || RR[r.data.type] === q.type)
        // RFC 6762 §6.2: the other family's address goes along as an additional.
        add(wanted, host.addresses.filter((r) => !wanted.includes(r)))
      }
    }
    return groups
  }
}
