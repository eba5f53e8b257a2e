/**
 * The advertisement audit (issue #6 item 4): the responder conformance cases 27–43 of
 * reference/discovery-and-mdns.md (b) that can be judged from the packets a device sent, as discovery keeps
 * them (its last 20 responses). Each rule is pure and lives in advert-records.ts (what a response carries),
 * advert-names.ts (names and TXT) or advert-timing.ts (addresses and time). Malformed packets are counted,
 * never thrown; names from the network stay plain text.
 */
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import type { DiscoveredDevice, RawPacket } from '../../shared/discovery/view'
import type { NetInterface } from '../../shared/net/interfaces'
import { advertCheck, plural, shown, timeOf, type AuditContext } from './advert-check'
import { checkConflicts, checkInstances, checkSrvTarget, checkTxt } from './advert-names'
import { decodePackets, deviceNames, deviceRecords, type DecodedPackets } from './advert-packets'
import { checkAdditionals, checkCacheFlush, checkDuplicates, checkTtls } from './advert-records'
import { checkAddresses, checkGoodbye, checkRateLimit, checkUpdates } from './advert-timing'

/** Options of the audit. */
export interface AdvertAuditOptions {
  /** Wall-clock ms of the audit (default `Date.now()`). */
  now?: number
  /** This machine's interfaces, so announced addresses can be checked against the link they came in on (case 37). */
  interfaces?: readonly NetInterface[]
}

/** Responder cases that the kept packets cannot show, and why (they are listed in the overview's facts). */
export const NOT_OBSERVABLE: readonly { case: number; why: string }[] = [
  { case: 27, why: 'probes are queries; discovery keeps only responses' },
  { case: 28, why: 'the probe tiebreak happens between probing hosts' },
  { case: 29, why: 'the conflict rate limit shows only during repeated conflicts' },
  { case: 30, why: 'announcements cannot be told from answers without our query times' },
  { case: 33, why: 'answer delays need the times of the queries they answer' },
  { case: 35, why: 'known-answer suppression needs the queries and their known answers' },
  { case: 36, why: 'legacy-unicast replies go to a one-shot port, not to discovery' },
  { case: 43, why: 'the IP TTL of 255 needs a packet capture; Node cannot read it' },
]

function overview(device: DiscoveredDevice, decoded: DecodedPackets, total: number, ctx: AuditContext): DiagnoseCheck {
  const first = ctx.packets[0]
  const last = ctx.packets.at(-1)
  const bad = decoded.malformed.length + decoded.dropped.count
  const facts = {
    packets: total,
    used: ctx.packets.length,
    records: ctx.records.length,
    malformed: decoded.malformed.length,
    malformedReasons: decoded.malformed.slice(0, 5).map((m) => `packet ${m.index}: ${m.reason}`),
    droppedRecords: decoded.dropped.count,
    droppedReasons: decoded.dropped.reasons,
    repeatedDatagrams: decoded.repeats,
    sources: [...new Set(ctx.packets.map((p) => p.source))],
    interfaces: [...new Set(ctx.packets.map((p) => p.interface))],
    firstAt: first ? timeOf(first.at) : null,
    lastAt: last ? timeOf(last.at) : null,
    lastPacketAgoS: last ? Math.round((ctx.now - last.at) / 1000) : null,
    notObservable: NOT_OBSERVABLE.map((n) => ({ case: n.case, why: n.why })),
  }
  const base = { id: 'advert-packets', cases: [], ref: 'RFC 6762 §18; cases 27–43', title: 'Packets audited' }
  const heard = `${plural(ctx.packets.length, 'response')} from ${shown(device.name)} (${plural(ctx.records.length, 'record')} of its own)`
  if (bad === 0) return advertCheck({ ...base, status: 'pass', summary: `Audited ${heard}; every packet decoded cleanly.`, facts })
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `Audited ${heard}; ${plural(decoded.malformed.length, 'packet')} could not be read and ${plural(decoded.dropped.count, 'record')} were malformed and skipped. Apps with stricter decoders may ignore this device's packets entirely.`,
    advice: 'Firmware vendor: fix the malformed packets listed in the facts (the reasons cite RFC 1035 §4.1). Meanwhile: if the device is missing from some apps but not from Porchlight, this is the likely cause.',
    facts,
  })
}

/** Audits a device's advertisement from the raw packets discovery kept for it; never throws for anything in the packets. */
export function auditAdvertisement(device: DiscoveredDevice, packets: readonly RawPacket[], options: AdvertAuditOptions = {}): DiagnoseCheck[] {
  const now = options.now ?? Date.now()
  if (packets.length === 0) {
    return [advertCheck({
      id: 'advert-packets',
      cases: [],
      ref: 'cases 27–43',
      title: 'Packets audited',
      status: 'skip',
      summary: `No packets from ${shown(device.name)} have been captured yet, so its advertisement cannot be audited. Discovery keeps a device's packets from when it is first seen.`,
      advice: '',
      facts: { packets: 0 },
    })]
  }
  const decoded = decodePackets(packets)
  const names = deviceNames(device, decoded.packets)
  const ctx: AuditContext = { device, packets: decoded.packets, records: deviceRecords(decoded.packets, names), names, now, ...(options.interfaces && { interfaces: options.interfaces }) }
  const head = overview(device, decoded, packets.length, ctx)
  if (ctx.records.length === 0) {
    return [{ ...head, summary: `${head.summary} None of them carries a record of this device, so nothing else can be judged.` }]
  }
  const rules = [
    checkAdditionals, checkDuplicates, checkTtls, checkCacheFlush, checkSrvTarget, checkTxt,
    checkAddresses, checkConflicts, checkInstances, checkRateLimit, checkUpdates, checkGoodbye,
  ]
  return [head, ...rules.map((rule) => rule(ctx))]
}
