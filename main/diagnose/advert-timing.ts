/**
 * Advertisement rules about addresses and time: all and only the link's addresses (case 37), the per-record
 * multicast rate limit (case 34), the update rate (case 31) and goodbyes (case 42). Pure: times come from
 * the packets' receive times and the context's `now`.
 */
import { BlockList } from 'node:net'
import type { DiagnoseCheck } from '../../shared/diagnose/view'
import type { NetInterface } from '../../shared/net/interfaces'
import { advertCheck, findingFacts, firstAndMore, plural, shown, timeOf, type AuditContext } from './advert-check'
import { claimsByName, dataKey, typeName, type SeenRecord } from './advert-packets'

const familyOf = (address: string) => (address.includes(':') ? 'ipv6' : 'ipv4')

function listOf(addresses: readonly string[]): BlockList {
  const list = new BlockList()
  for (const a of addresses) {
    try {
      list.addAddress(a, familyOf(a))
    } catch {
      // not an address (cannot happen for decoded A/AAAA); it simply matches nothing
    }
  }
  return list
}

function contains(list: BlockList, address: string): boolean {
  try {
    return list.check(address, familyOf(address))
  } catch {
    return false
  }
}

/** The networks on `iface` (each address with its prefix), plus IPv6 link-local, which is on every link. */
function onLinkNetworks(iface: NetInterface): BlockList {
  const list = new BlockList()
  list.addSubnet('fe80::', 10, 'ipv6')
  for (const a of iface.addresses) {
    try {
      list.addSubnet(a.address.split('%')[0] ?? a.address, a.prefixLength, a.family === 'IPv4' ? 'ipv4' : 'ipv6')
    } catch {
      // an address Node cannot parse: leave it out
    }
  }
  return list
}

const isLinkLocal4 = (a: string) => a.startsWith('169.254.')

function byPacket(records: readonly SeenRecord[]): Map<SeenRecord['packet'], SeenRecord[]> {
  const out = new Map<SeenRecord['packet'], SeenRecord[]>()
  for (const r of records) out.set(r.packet, [...(out.get(r.packet) ?? []), r])
  return out
}

interface AddressFindings {
  announced: Set<string>
  missingSource: string[]
  offLink: string[]
  otherFamily: string[]
  singleFamilyWithoutNsec: number
}

const isAddress = (r: SeenRecord) => (r.record.kind === 'A' || r.record.kind === 'AAAA') && r.record.ttl > 0

/** One packet's address records against its source, the receiving interface's networks and the host's families. */
function judgePacket(found: AddressFindings, records: readonly SeenRecord[], families: Map<string, Set<string>>, ctx: AuditContext): void {
  const packet = records[0]?.packet
  const addresses = records.filter(isAddress)
  if (!packet || packet.legacy || addresses.length === 0) return
  const values = addresses.map((r) => dataKey(r.record))
  values.forEach((v) => found.announced.add(v))
  const sameFamily = values.filter((v) => familyOf(v) === familyOf(packet.source))
  if (sameFamily.length > 0 && !contains(listOf(sameFamily), packet.source)) {
    found.missingSource.push(`the packet from ${packet.source} on ${packet.interface} at ${timeOf(packet.at)} announces ${sameFamily.join(', ')} but not ${packet.source} itself`)
  }
  const iface = ctx.interfaces?.find((i) => i.name === packet.interface)
  const networks = iface && onLinkNetworks(iface)
  for (const v of values) {
    const off = networks ? !contains(networks, v) : isLinkLocal4(v) && !isLinkLocal4(packet.source) && familyOf(packet.source) === 'ipv4'
    if (off && !found.offLink.some((f) => f.startsWith(`${v} `))) found.offLink.push(`${v} (received on ${packet.interface}${iface ? ', which is not on that network' : ' from a routable address'})`)
  }
  for (const host of new Set(addresses.map((r) => r.key))) {
    const own = addresses.filter((r) => r.key === host)
    const here = new Set(own.map((r) => r.record.kind))
    if (here.size !== 1 || records.some((r) => r.key === host && r.record.kind === 'NSEC')) continue
    if ((families.get(host)?.size ?? 0) === 2) found.otherFamily.push(`the packet of ${timeOf(packet.at)} has only ${[...here].join('')} for ${shown(own[0]?.record.name.text ?? host)}`)
    else found.singleFamilyWithoutNsec++
  }
}

/** Case 37: every address of the sending interface (the packet's own source included), none from another link, the other family or an NSEC. */
export function checkAddresses(ctx: AuditContext): DiagnoseCheck {
  const families = new Map<string, Set<string>>()
  for (const r of ctx.records.filter(isAddress)) families.set(r.key, (families.get(r.key) ?? new Set()).add(r.record.kind))
  const found: AddressFindings = { announced: new Set(), missingSource: [], offLink: [], otherFamily: [], singleFamilyWithoutNsec: 0 }
  for (const records of byPacket(ctx.records).values()) judgePacket(found, records, families, ctx)
  const { announced, missingSource, offLink, otherFamily, singleFamilyWithoutNsec } = found
  const base = { id: 'advert-addresses', cases: [37], ref: 'RFC 6762 §6.2', title: 'Addresses belong to the link they are announced on' }
  const facts = { announced: [...announced], interfaceInfo: ctx.interfaces !== undefined, singleFamilyWithoutNsec, ...findingFacts([...offLink, ...missingSource, ...otherFamily]) }
  if (announced.size === 0) return advertCheck({ ...base, status: 'skip', summary: 'No address record of this device was kept, so its addresses cannot be judged.' })
  const problems = [
    ...(offLink.length > 0 ? [`it announces addresses that are not on the network it was heard on: ${firstAndMore(offLink)}; apps that try them wait for a timeout`] : []),
    ...(missingSource.length > 0 ? [`it leaves out the address it sends from: ${firstAndMore(missingSource)}`] : []),
    ...(otherFamily.length > 0 ? [`answers for one address family leave out the other: ${firstAndMore(otherFamily)}, so apps ask again`] : []),
  ]
  if (problems.length === 0) return advertCheck({ ...base, status: 'pass', summary: `Every address the device announces (${announced.size}) belongs to the network it was heard on, including the one it sends from.`, facts })
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The device's address records are wrong: ${problems.join('; ')}.`,
    advice: 'Firmware vendor: in each packet announce all and only the addresses of the interface it is sent on, with the other address family (or an NSEC saying there is none) as additional records (RFC 6762 §6.2); drop a 169.254 address once DHCP has given one. Meanwhile: restart the device after it has joined the network, and if connections are slow, connect by the address shown in the router.',
    facts,
  })
}

const RATE_MS = 1000
/** Receive times carry scheduling jitter; a gap counts as too short only below 900 ms. */
const RATE_TOLERANCE_MS = 100

/** Case 34: a record is not multicast again on one interface within 1 s (RFC 6762 §6). */
export function checkRateLimit(ctx: AuditContext): DiagnoseCheck {
  const last = new Map<string, number>()
  const findings = new Map<string, string>()
  let minGapMs: number | null = null
  const multicast = [...byPacket(ctx.records)].filter(([p]) => !p.unicast && !p.legacy)
  for (const [packet, records] of multicast) {
    const keys = new Map(records.filter((r) => r.record.ttl > 0).map((r) => [`${packet.interface} ${packet.family} ${r.key} ${r.record.type} ${dataKey(r.record)}`, r] as const))
    for (const [key, r] of keys) {
      const previous = last.get(key)
      last.set(key, packet.at)
      if (previous === undefined) continue
      const gap = packet.at - previous
      minGapMs = minGapMs === null ? gap : Math.min(minGapMs, gap)
      if (gap < RATE_MS - RATE_TOLERANCE_MS && !findings.has(key)) findings.set(key, `${typeName(r.record.type)} ${shown(r.record.name.text)} was multicast twice ${gap} ms apart on ${packet.interface} (${packet.family})`)
    }
  }
  const base = { id: 'advert-rate-limit', cases: [34], ref: 'RFC 6762 §6', title: 'At most one multicast of a record per second' }
  if (multicast.length < 2) return advertCheck({ ...base, status: 'skip', summary: 'Fewer than two multicast packets of this device were kept, so its sending rate cannot be judged.' })
  const list = [...findings.values()]
  if (list.length === 0) return advertCheck({ ...base, status: 'pass', summary: `No record was multicast twice within a second (${plural(multicast.length, 'multicast packet')}).`, facts: { minGapMs } })
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The device repeats records faster than once a second: ${firstAndMore(list)}. This floods busy Wi-Fi with multicast, which every device on it must receive.`,
    advice: 'Firmware vendor: do not multicast a record on an interface within 1 s of its last multicast there, and suppress answers others already gave (RFC 6762 §6, §7.4). Meanwhile: nothing the user can change; on a network with many such devices, multicast-heavy Wi-Fi may slow down.',
    facts: { minGapMs, ...findingFacts(list) },
  })
}

const UPDATES_PER_MINUTE = 10

/** Case 31: at most 10 changes of a record per minute (RFC 6762 §8.4). */
export function checkUpdates(ctx: AuditContext): DiagnoseCheck {
  let worst = { count: 0, what: '' }
  let changes = 0
  for (const { name, type, claims } of claimsByName(ctx.records).values()) {
    const times = claims.filter((c, i) => i > 0 && c.data !== claims[i - 1]?.data).map((c) => c.at)
    changes += times.length
    for (const [i, t] of times.entries()) {
      const inMinute = times.slice(i).filter((u) => u - t < 60_000).length
      if (inMinute > worst.count) worst = { count: inMinute, what: `${typeName(type)} ${shown(name)}` }
    }
  }
  const base = { id: 'advert-updates', cases: [31], ref: 'RFC 6762 §8.4', title: 'Records do not change too often' }
  const facts = { changes, maxChangesPerMinute: worst.count }
  if (worst.count <= UPDATES_PER_MINUTE) return advertCheck({ ...base, status: 'pass', summary: changes === 0 ? 'The device\'s records did not change while watched.' : `The device's records changed ${plural(changes, 'time')}, within the limit of ${UPDATES_PER_MINUTE} a minute.`, facts })
  return advertCheck({
    ...base,
    status: 'warn',
    summary: `The ${worst.what} record changed ${worst.count} times within a minute (the limit is ${UPDATES_PER_MINUTE}). Apps keep re-reading the device, and its details flicker.`,
    advice: 'Firmware vendor: announce changes at most 10 times a minute (RFC 6762 §8.4); changing values such as counters do not belong in TXT. Meanwhile: check for a second device with the same name, which looks the same from here.',
    facts,
  })
}

/** Case 42: a device that leaves sends a goodbye (TTL 0, RFC 6762 §10.1). */
export function checkGoodbye(ctx: AuditContext): DiagnoseCheck {
  const goodbyes = ctx.records.filter((r) => r.record.ttl === 0)
  const leaving = goodbyes.filter((r) => r.record.kind === 'PTR' || r.record.kind === 'SRV')
  const base = { id: 'advert-goodbye', cases: [42], ref: 'RFC 6762 §10.1', title: 'Goodbye when leaving' }
  const facts = {
    goodbyeRecords: goodbyes.slice(0, 10).map((r) => `${typeName(r.record.type)} ${r.record.name.text} at ${timeOf(r.packet.at)}`),
    status: ctx.device.status,
    lastChangeAgoS: Math.round((ctx.now - ctx.device.lastChangeAt) / 1000),
  }
  if (leaving.length > 0) return advertCheck({ ...base, status: 'pass', summary: `The device withdrew its service with a goodbye (TTL 0) at ${timeOf(leaving[0]?.packet.at ?? 0)}, so apps removed it at once.`, facts })
  if (ctx.device.status === 'down') {
    return advertCheck({
      ...base,
      status: 'warn',
      summary: 'The device went away without a goodbye, so apps kept listing it until its records expired. A power cut or pulled plug does this too; a restart or update should not.',
      advice: 'Firmware vendor: on shutdown, restart and network change send the records again with TTL 0 (RFC 6762 §10.1). Meanwhile: when the device was switched off on purpose, refresh the device list to drop it.',
      facts,
    })
  }
  return advertCheck({ ...base, status: 'skip', summary: 'The device has not left the network while it was watched, so there was no goodbye to expect.', facts })
}
