/**
 * The lab accessory's mDNS responder on real sockets, in network namespaces this test owns (it binds
 * 5353, so never on the host): an accessory, a querier and an IPv6-only host on one bridge. The tests
 * share one accessory and run in order, like a session on a real LAN; each waits, with a bound, for what
 * it asserts. The pure core is tested beside the code (tests/lab/accessory/mdns/core.test.ts).
 */
import dnsPacket, { type Answer } from 'dns-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { netnsUnavailableReason } from '../helpers/netns'
import type { LabChild } from './accessory/mdns/testing/lab'
import { type Captured, captured, dataOf, nextPacket, queryHex, recordsOf, sendQuery } from './accessory/mdns/testing/packets'
import { GROUP4 as group4, type LabSession, openLabSession } from './accessory/mdns/testing/session'
import { decodeMessage, decodeRecordAt, oddTxtStrings, txtStrings, walkRecords } from './accessory/mdns/wire'

const TYPE = '_esp_local_ctrl._tcp'
const SERVICE = `${TYPE}.local`
const NAME = 'Porch Lamp'
const INSTANCE = `${NAME}.${SERVICE}`
const BASE_TXT = ['txtvers=1', 'id=plx-acc-1', 'ver=2.1']
const q = (name: string, type: string, unicastResponse = false) => ({ name, type, unicastResponse })
const skipReason = netnsUnavailableReason()
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const isResponse = (c: Captured) => c.raw.length >= 12 && (c.raw.readUInt16BE(2) & 0x8000) !== 0
/** Decodes record by record (dns-packet refuses whole packets with a forward pointer). */
const eachRecord = (raw: Buffer) => walkRecords(raw).map((r) => ({ raw: r, answer: r.type === 47 ? undefined : decodeRecordAt(raw, r.start) }))

describe.skipIf(skipReason !== undefined)(`mDNS responder in network namespaces${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let session: LabSession | undefined
  let querier: LabChild, acc: LabChild
  let other: LabChild // the second device, on the IPv6-only host
  const ses = () => session as LabSession
  const labOf = () => ses().lab
  const accV4 = () => labOf().acc.ipv4 as string
  const legacy = (questions: { name: string; type: string }[], id?: number) => ses().legacyQuery(questions, id)
  const oddities = (child: LabChild, o: Record<string, boolean>) => ses().setOddities(child, o)
  const startResponder = (host: LabSession['lab']['acc'], options: Record<string, unknown>) => ses().startResponder(host, options)
  const zeroconfBrowse = (family: 'v4' | 'v6', instance?: string) => ses().zeroconfBrowse(SERVICE, family, instance)

  beforeAll(async () => {
    session = await openLabSession({ serviceType: TYPE, port: 8080, txt: BASE_TXT, subtypes: ['_prov'] })
    querier = session.querier
    const { lab } = session
    await session.openSocket('mc4', { family: 4, address: '0.0.0.0', port: 5353, join: true })
    await session.openSocket('mc6', { family: 6, address: '::', port: 5353, join: true })
    // Bound to the unicast address, so it receives unicast only: what arrives there was not multicast.
    await session.openSocket('uc4', { family: 4, address: lab.querier.ipv4 as string, port: 5353, join: false })
    await session.openSocket('legacy4', { family: 4, address: lab.querier.ipv4 as string, port: 0, join: false })
    await session.openSocket('legacy6', { family: 6, address: `${lab.querier.ipv6}%${lab.querier.ifname}`, port: 0, join: false })
    acc = await startResponder(lab.acc, {
      hostname: 'plx-acc-1', instanceName: NAME, interfaces: [{ name: lab.acc.ifname, ipv4: [lab.acc.ipv4], ipv6: [lab.acc.ipv6] }],
    })
  }, 30_000)

  afterAll(async () => {
    // Everything torn down by name and PID: no namespace, process or crash report may remain.
    expect((await session?.close()) ?? {}).toEqual(session ? { namespaces: [], pids: [], crashes: [] } : {})
  }, 20_000)

  it('probes 3 times 250 ms apart (QU, proposals in Authority), then announces twice 1 s apart (RFC 6762 §8.1, §8.3)', async () => {
    const fromAcc = () => captured(querier, { socket: 'mc4', address: accV4() })
    await nextPacket(querier, { from: 0, socket: 'mc4', address: accV4() }, (c) => isResponse(c) && fromAcc().filter(isResponse).length >= 2, 4000, 'two announcements')
    const probes = fromAcc().filter((c) => !isResponse(c))
    const announcements = fromAcc().filter(isResponse).slice(0, 2)
    expect(probes).toHaveLength(3)
    for (const probe of probes) {
      const decoded = decodeMessage(probe.raw)
      expect(decoded.ok && decoded.message.questions).toEqual([q(INSTANCE, 'ANY', true), q('plx-acc-1.local', 'ANY', true)])
      expect(probe.packet?.authorities?.map((a) => [a.type, 'flush' in a && a.flush])).toEqual([['SRV', false], ['TXT', false], ['A', false], ['AAAA', false]])
    }
    expect((probes[1]?.t ?? 0) - (probes[0]?.t ?? 0)).toBeGreaterThanOrEqual(240)
    expect((probes[2]?.t ?? 0) - (probes[1]?.t ?? 0)).toBeGreaterThanOrEqual(240)
    expect((announcements[0]?.t ?? 0) - (probes[2]?.t ?? 0)).toBeGreaterThanOrEqual(240)
    expect((announcements[1]?.t ?? 0) - (announcements[0]?.t ?? 0)).toBeGreaterThanOrEqual(950)
    const summary = recordsOf(announcements[0]?.packet, 'answers').map((a) => [a.type, a.name, 'ttl' in a && a.ttl, 'flush' in a && a.flush])
    expect(summary).toEqual([
      ['PTR', '_services._dns-sd._udp.local', 4500, false], ['PTR', SERVICE, 4500, false], ['PTR', `_prov._sub.${SERVICE}`, 4500, false],
      ['SRV', INSTANCE, 120, true], ['TXT', INSTANCE, 4500, true], ['A', 'plx-acc-1.local', 120, true], ['AAAA', 'plx-acc-1.local', 120, true],
    ])
  })

  it('answers a QM PTR query by multicast after 20–120 ms with SRV, TXT, A and AAAA as additionals (RFC 6762 §6, RFC 6763 §12)', async () => {
    await pause(1100) // the announcement multicast the PTR; it may not be multicast again within 1 s (§6)
    const { from, t } = await sendQuery(querier, 'mc4', group4, queryHex({ questions: [{ name: SERVICE, type: 'PTR' }] }))
    const reply = await nextPacket(querier, { from, socket: 'mc4', address: accV4() }, isResponse, 2000, 'PTR answer')
    expect(reply.t - t).toBeGreaterThanOrEqual(18)
    expect(reply.packet?.questions).toEqual([])
    expect(recordsOf(reply.packet, 'answers').map((a) => [a.type, dataOf(a)])).toEqual([['PTR', INSTANCE]])
    expect(recordsOf(reply.packet, 'additionals').map((a) => [a.type, dataOf(a)])).toEqual([
      ['SRV', { priority: 0, weight: 0, port: 8080, target: 'plx-acc-1.local' }], ['TXT', BASE_TXT.map((s) => Buffer.from(s))],
      ['A', '198.18.0.1'], ['AAAA', labOf().acc.ipv6],
    ])
  })

  it('answers service-type enumeration and subtype PTRs in one response (RFC 6763 §7.1, §9)', async () => {
    const questions = [{ name: '_services._dns-sd._udp.local', type: 'PTR' }, { name: `_prov._sub.${SERVICE}`, type: 'PTR' }]
    const { from } = await sendQuery(querier, 'mc4', group4, queryHex({ questions }))
    const reply = await nextPacket(querier, { from, socket: 'mc4', address: accV4() }, isResponse, 2000, 'enumeration answer')
    expect(recordsOf(reply.packet, 'answers').map((a) => [a.name, dataOf(a)])).toEqual([['_services._dns-sd._udp.local', SERVICE], [`_prov._sub.${SERVICE}`, INSTANCE]])
  })

  it('suppresses an answer the querier already knows with at least half its TTL (RFC 6762 §7.1)', async () => {
    const known = (ttl: number): Answer => ({ type: 'PTR', name: SERVICE, ttl, data: INSTANCE })
    const suppressed = await sendQuery(querier, 'uc4', group4, queryHex({ questions: [{ name: SERVICE, type: 'PTR' }], qu: true, knownAnswers: [known(4500)] }))
    const answered = await sendQuery(querier, 'uc4', group4, queryHex({ questions: [{ name: SERVICE, type: 'PTR' }], qu: true, knownAnswers: [known(2000)] }))
    await nextPacket(querier, { from: answered.from, socket: 'uc4' }, isResponse, 2000, 'answer despite a stale known answer')
    await pause(200)
    expect(captured(querier, { from: suppressed.from, socket: 'uc4' }).filter(isResponse)).toHaveLength(1)
  })

  it('answers a legacy unicast query at once, to its port, echoing ID and question, TTL ≤ 10, no flush bit (RFC 6762 §6.7)', async () => {
    const reply = await legacy([{ name: INSTANCE, type: 'SRV' }], 0x4a4a)
    expect([reply.address, reply.port]).toEqual([accV4(), 5353])
    expect(reply.packet?.id).toBe(0x4a4a)
    expect(reply.packet?.questions).toEqual([{ name: INSTANCE, type: 'SRV', class: 'IN' }])
    const all = [...recordsOf(reply.packet, 'answers'), ...recordsOf(reply.packet, 'additionals')]
    expect(all.map((a) => [a.type, 'ttl' in a && a.ttl, 'flush' in a && a.flush])).toEqual([['SRV', 10, false], ['A', 10, false], ['AAAA', 10, false]])
  })

  it('answers a QU query by unicast to the querier’s port 5353, not by multicast (RFC 6762 §5.4)', async () => {
    const mcFrom = querier.lines.length
    const { from } = await sendQuery(querier, 'uc4', group4, queryHex({ questions: [{ name: INSTANCE, type: 'TXT' }], qu: true }))
    const reply = await nextPacket(querier, { from, socket: 'uc4' }, isResponse, 2000, 'unicast QU answer')
    expect([reply.address, reply.port]).toEqual([accV4(), 5353])
    expect(recordsOf(reply.packet, 'answers').map((a) => a.type)).toEqual(['TXT'])
    await pause(300)
    expect(captured(querier, { from: mcFrom, socket: 'mc4', address: accV4() }).filter(isResponse)).toEqual([])
  })

  it('is found and resolved by python-zeroconf, a browser nobody here wrote', async () => {
    // zeroconf's first query is QU; free the more specific unicast socket so its answer reaches zeroconf.
    querier.send({ op: 'close', id: 'uc4' })
    await querier.waitFor((l) => l.ev === 'closed' && l.id === 'uc4', 2000, 'uc4 closed')
    const found = await zeroconfBrowse('v4')
    expect(found).toMatchObject({ ev: 'resolved', name: `${INSTANCE}.`, server: 'plx-acc-1.local.', port: 8080, properties: { txtvers: '1', id: 'plx-acc-1', ver: '2.1' } })
    expect(found.addresses).toContain('198.18.0.1')
  }, 15_000)

  it('noAdditionals: a PTR answer carries only the PTR, and an SRV answer no addresses', async () => {
    await oddities(acc, { noAdditionals: true })
    const ptr = await legacy([{ name: SERVICE, type: 'PTR' }])
    expect([recordsOf(ptr.packet, 'answers').map((a) => a.type), recordsOf(ptr.packet, 'additionals')]).toEqual([['PTR'], []])
    const srv = await legacy([{ name: INSTANCE, type: 'SRV' }])
    expect([recordsOf(srv.packet, 'answers').map((a) => a.type), recordsOf(srv.packet, 'additionals')]).toEqual([['SRV'], []])
    await oddities(acc, { noAdditionals: false })
  })

  it('nsecForwardPointer: the NSEC next-domain is a pointer forward; dns-packet rejects the packet, each other record decodes', async () => {
    await oddities(acc, { nsecForwardPointer: true })
    const reply = await legacy([{ name: SERVICE, type: 'PTR' }])
    expect(reply.packet).toBeUndefined()
    expect(() => dnsPacket.decode(reply.raw)).toThrow(/bad pointer/)
    const records = eachRecord(reply.raw)
    const nsecAt = records.findIndex((r) => r.raw.type === 47)
    const nsec = records[nsecAt]?.raw
    const pointer = nsec ? reply.raw.readUInt16BE(nsec.rdataStart) : 0
    expect([pointer >> 14, pointer & 0x3fff]).toEqual([3, records[nsecAt + 1]?.raw.start])
    expect(pointer & 0x3fff).toBeGreaterThan(nsec?.start ?? Infinity)
    expect(records.map((r) => [r.raw.section, r.answer?.type ?? 'NSEC', r.answer?.name])).toEqual([
      ['answer', 'PTR', SERVICE], ['additional', 'NSEC', undefined], ['additional', 'SRV', INSTANCE],
      ['additional', 'TXT', INSTANCE], ['additional', 'A', 'plx-acc-1.local'], ['additional', 'AAAA', 'plx-acc-1.local'],
    ])
  })

  it('txtOddities: the TXT record carries the odd strings byte for byte, and the change is re-announced (RFC 6762 §8.4)', async () => {
    const from = querier.lines.length
    await oddities(acc, { txtOddities: true })
    const expected = [...txtStrings(BASE_TXT), ...oddTxtStrings(txtStrings(BASE_TXT))]
    const announcement = await nextPacket(querier, { from, socket: 'mc4', address: accV4() }, isResponse, 2000, 're-announcement')
    const announcedTxt = eachRecord(announcement.raw).find((r) => r.answer?.type === 'TXT')?.answer
    expect(announcedTxt?.type === 'TXT' && announcedTxt.data).toEqual(expected)
    const reply = await legacy([{ name: INSTANCE, type: 'TXT' }])
    const txt = eachRecord(reply.raw).find((r) => r.answer?.type === 'TXT')
    expect(txt?.answer && dataOf(txt.answer)).toEqual(expected)
    expect(expected.map((b) => b.length)).toContain(255)
  })

  it('python-zeroconf still resolves the accessory despite the forward pointer, and decodes the odd TXT its own way', async () => {
    const from = acc.lines.length
    const found = await zeroconfBrowse('v4')
    expect(found).toMatchObject({ ev: 'resolved', name: `${INSTANCE}.`, port: 8080 })
    // zeroconf asks QU first, so its answers came by unicast; each one with SRV/TXT/A carries the forward NSEC.
    const answers = acc.lines.slice(from).filter((l) => l.ev === 'event' && (l.event as { kind?: string }).kind === 'answer')
    expect(answers.map((l) => (l.event as { to: string }).to)).toContain('198.18.0.2:5353')
    const p = found.properties as Record<string, string | null>
    // What zeroconf 0.47.3 made of the oddities, pinned so a change is noticed. RFC 6763 §6.4 agrees on all
    // but one: keys are case-insensitive, yet zeroconf keeps `TXTVERS` as a second key.
    expect(p).toMatchObject({ txtvers: '1', TXTVERS: 'case-variant', paired: null, a: null, empty: '', bin: '\xff\xfe\n\x00=' })
    expect([p.long?.length, Object.keys(p).includes('')]).toEqual([250, false])
    await oddities(acc, { nsecForwardPointer: false, txtOddities: false })
  }, 15_000)

  it('hostTtl4500: the change is re-announced with A/AAAA at TTL 4500 while SRV keeps 120', async () => {
    const from = querier.lines.length
    await oddities(acc, { hostTtl4500: true })
    const announcement = await nextPacket(querier, { from, socket: 'mc4', address: accV4() }, isResponse, 2000, 're-announcement')
    const ttls = recordsOf(announcement.packet, 'answers').filter((a) => a.type !== 'PTR').map((a) => [a.type, 'ttl' in a && a.ttl])
    expect(ttls).toEqual([['SRV', 120], ['TXT', 4500], ['A', 4500], ['AAAA', 4500]])
    await oddities(acc, { hostTtl4500: false })
  })

  it('survives malformed packets: each is dropped with a reason and the next valid query is answered', async () => {
    const header = (qd: number, an = 0) => Buffer.from([0, 0, 0, 0, qd >> 8, qd & 255, an >> 8, an & 255, 0, 0, 0, 0])
    const garbage = [
      Buffer.from([1, 2, 3, 4, 5]), // shorter than a header
      header(0xffff), // counts beyond the data
      Buffer.concat([header(1), Buffer.from([0xc0, 0x0c, 0, 12, 0, 1])]), // a name pointing at itself
      Buffer.concat([header(1), Buffer.from([0xc0, 0x20, 0, 12, 0, 1])]), // a pointer past the end
      Buffer.concat([header(1), Buffer.from([0x3f, 0x41, 0, 12])]), // a label running off the end
      Buffer.concat([header(0, 1), Buffer.from([0, 0, 33, 0, 1, 0, 0, 0, 9, 0xff, 0xff, 1])]), // SRV rdata far beyond the packet
    ]
    const from = acc.lines.length
    for (const bytes of garbage) await sendQuery(querier, 'legacy4', group4, bytes.toString('hex'))
    const reply = await legacy([{ name: INSTANCE, type: 'SRV' }], 0x0101)
    expect(reply.packet?.id).toBe(0x0101)
    const dropped = acc.lines.slice(from).filter((l) => l.ev === 'event' && (l.event as { type: string }).type === 'dropped')
    expect(dropped).toHaveLength(garbage.length)
    expect(acc.isRunning()).toBe(true)
  })

  it('IPv6-only: a second device probing the same name over IPv6 is refused and renames itself "Porch Lamp (2)"', async () => {
    const host = labOf().v6only
    const from = querier.lines.length
    const second = (other = await startResponder(host, { hostname: 'plx-acc-2', instanceName: NAME, interfaces: [{ name: host.ifname, ipv6: [`${host.ipv6}%${host.ifname}`] }] }))
    expect(second.lines.find((l) => l.ev === 'started')).toMatchObject({ instanceName: `${NAME} (2)`, hostname: 'plx-acc-2.local' })
    expect(second.lines.map((l) => l.event)).toContainEqual({ type: 'conflict', name: NAME, renamedTo: `${NAME} (2)`, from: 'probe' })
    // On the wire: its probe for the taken name, the owner's immediate answer over IPv6, then probes for the new name.
    const seen = captured(querier, { from, socket: 'mc6' })
    const firstProbe = seen.findIndex((c) => c.address.startsWith(host.ipv6) && c.packet?.questions?.[0]?.name === INSTANCE)
    const refusal = seen.findIndex((c) => c.address.startsWith(labOf().acc.ipv6) && recordsOf(c.packet, 'answers', 'SRV').some((a) => a.name === INSTANCE))
    const renamedProbe = seen.findIndex((c) => c.address.startsWith(host.ipv6) && c.packet?.questions?.[0]?.name === `${NAME} (2).${SERVICE}`)
    expect(firstProbe).toBeGreaterThanOrEqual(0)
    expect(refusal).toBeGreaterThan(firstProbe)
    expect(renamedProbe).toBeGreaterThan(refusal)
    // A legacy query over IPv6: AAAA (link-local, no zone) and an NSEC saying there is no A (RFC 6762 §6.1, §6.2).
    const questions = [{ name: `${NAME} (2).${SERVICE}`, type: 'SRV' }, { name: 'plx-acc-2.local', type: 'A' }]
    const sent = await sendQuery(querier, 'legacy6', { address: `ff02::fb%${labOf().querier.ifname}`, port: 5353 }, queryHex({ questions, id: 6 }))
    const reply = await nextPacket(querier, { from: sent.from, socket: 'legacy6' }, isResponse, 2000, 'IPv6 legacy reply')
    expect(reply.address).toBe(`${host.ipv6}%${labOf().querier.ifname}`)
    expect(recordsOf(reply.packet, 'answers').map((a) => [a.type, dataOf(a)])).toEqual([
      ['SRV', { priority: 0, weight: 0, port: 8080, target: 'plx-acc-2.local' }], ['NSEC', { nextDomain: 'plx-acc-2.local', rrtypes: ['AAAA'] }],
    ])
    expect(recordsOf(reply.packet, 'additionals').map((a) => [a.type, dataOf(a)])).toEqual([['AAAA', host.ipv6]])
    // python-zeroconf over IPv6 resolves it too, with the zone as an interface index (`%2`), not a name.
    const found = await zeroconfBrowse('v6', `${NAME} (2)`)
    expect(found).toMatchObject({ ev: 'resolved', name: `${NAME} (2).${SERVICE}.`, server: 'plx-acc-2.local.', port: 8080 })
    expect(found.addresses).toEqual([expect.stringMatching(new RegExp(`^${host.ipv6}%\\d+$`))])
  }, 20_000)

  it('goodbye sends every record with TTL 0 (RFC 6762 §10.1)', async () => {
    const second = other
    const host = labOf().v6only
    const from = querier.lines.length
    second.send({ op: 'goodbye' })
    const isGoodbye = (c: Captured) => isResponse(c) && recordsOf(c.packet, 'answers', 'SRV').some((a) => 'ttl' in a && a.ttl === 0)
    const bye = await nextPacket(querier, { from, socket: 'mc6', address: host.ipv6 }, isGoodbye, 2000, 'goodbye')
    const records = recordsOf(bye.packet, 'answers')
    expect(records.map((a) => a.type)).toEqual(['PTR', 'PTR', 'PTR', 'SRV', 'TXT', 'AAAA'])
    expect(records.find((a) => a.type === 'SRV')?.name).toBe(`${NAME} (2).${SERVICE}`)
    expect(records.every((a) => 'ttl' in a && a.ttl === 0)).toBe(true)
    second.send({ op: 'stop', silent: true })
    expect(await second.exit()).toBe(0)
  })

  it('skipProbing: a squatter claims the name at once; the owner sees the conflict, re-probes and renames (RFC 6762 §9)', async () => {
    const host = labOf().v6only
    const from = querier.lines.length
    const accFrom = acc.lines.length
    const squatter = (other = await startResponder(host, {
      hostname: 'plx-acc-3', instanceName: NAME, oddities: { skipProbing: true }, interfaces: [{ name: host.ifname, ipv6: [host.ipv6] }],
    }))
    expect(squatter.lines.find((l) => l.ev === 'started')).toMatchObject({ instanceName: NAME })
    const fromSquatter = captured(querier, { from, socket: 'mc6', address: host.ipv6 })
    expect(fromSquatter[0] && isResponse(fromSquatter[0])).toBe(true) // no probe before the announcement
    const claim = recordsOf(fromSquatter[0]?.packet, 'answers', 'SRV')[0]
    expect([claim?.name, claim?.type === 'SRV' && claim.data.target]).toEqual([INSTANCE, 'plx-acc-3.local'])
    // The owner (plx-acc-1) answered as INSTANCE before; now it yields the name, as RFC 6762 §9 asks.
    const renamed = await acc.waitFor((l) => l.ev === 'event' && (l.event as { type: string }).type === 'announced', 6000, 'owner re-announcing', accFrom)
    expect(renamed.event).toMatchObject({ instanceName: `${NAME} (2)` })
    expect(acc.lines.slice(accFrom).map((l) => l.event)).toContainEqual(expect.objectContaining({ type: 'conflict', name: NAME, renamedTo: `${NAME} (2)`, from: 'probe' }))
  })

  it('silentUnplug: stop({ silent: true }) sends nothing — no goodbye, the device just vanishes', async () => {
    const squatter = other
    const host = labOf().v6only
    const from = querier.lines.length
    squatter.send({ op: 'stop', silent: true })
    await squatter.waitFor((l) => l.ev === 'stopped', 2000, 'silent stop')
    expect(await squatter.exit()).toBe(0)
    await pause(1500)
    expect(captured(querier, { from, socket: 'mc6', address: host.ipv6 })).toEqual([])
  })

  it('stop({ silent: false }) says goodbye first, under the name in use now', async () => {
    const from = querier.lines.length
    acc.send({ op: 'stop', silent: false })
    const bye = await nextPacket(querier, { from, socket: 'mc4', address: accV4() }, isResponse, 2000, 'goodbye on stop')
    expect(recordsOf(bye.packet, 'answers', 'SRV').map((a) => [a.name, 'ttl' in a && a.ttl])).toEqual([[`${NAME} (2).${SERVICE}`, 0]])
    expect(await acc.exit()).toBe(0)
  })
})
