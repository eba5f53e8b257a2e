/**
 * The crowd responder on a real br-home: 250 devices with hostile names that avahi-browse and
 * python-zeroconf resolve in full, a goodbye that avahi honours, scripted queries (QU with known answers
 * over a TC continuation, legacy unicast, type enumeration), 1,000 devices against a fresh avahi-daemon,
 * and every packet within 1,400 bytes of DNS payload (RFC 6762 §17).
 */
import dnsPacket from 'dns-packet'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CrowdHandle, DEFAULT_TYPE, startCrowd } from './crowd'
import { resolveCrowdOptions } from './crowd/devices'
import { encodeQuery, RR } from './crowd/dns'
import { labProcesses } from './crowd/node-process'
import { runQuerier } from './crowd/querier'
import { deviceRecords, ENUMERATION } from './crowd/zone'
import { startAvahiPeer } from './peers/avahi'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skipReason = labUnavailableReason({ avahi: true, zeroconf: true })
const N = 250
const TYPE_LABELS = [...DEFAULT_TYPE.split('.'), 'local']

describe.skipIf(skipReason !== undefined)(`crowd responder on br-home${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let lab: Lab
  let crowd: CrowdHandle | undefined
  const figures: Record<string, number> = {}
  const peers = () => {
    const { avahi, zeroconf } = lab.peers
    if (!avahi || !zeroconf) throw new Error('peers missing')
    return { avahi, zeroconf }
  }
  const running = () => {
    if (!crowd) throw new Error('crowd not started')
    return crowd
  }
  const expectSmallPackets = (c: CrowdHandle) => {
    const sizes = c.packets().map((p) => p.bytes)
    expect(sizes.length).toBeGreaterThan(0)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1400)
  }

  beforeAll(async () => {
    lab = await createLab({
      accessories: [{ id: 'crowd', hasAp: false, startOnHome: true }, { id: 'avbig', hasAp: false, startOnHome: true }],
      peers: { avahi: true, zeroconf: true },
    })
    const started = performance.now()
    crowd = await startCrowd(lab, { node: 'crowd', count: N, hostileNames: true, announce: false })
    figures.crowd250ReadyMs = Math.round(performance.now() - started)
  }, 40_000)

  afterAll(async () => {
    await crowd?.close()
    await lab?.dispose()
    process.stdout.write(`crowd figures (ms): ${JSON.stringify(figures)}\n`)
  }, 40_000)

  it(`lets avahi-browse resolve all ${N} hostile-named devices, in packets of at most 1,400 bytes`, async () => {
    const c = running()
    const watch = peers().avahi.watch(DEFAULT_TYPE)
    try {
      figures.avahi250AllResolvedMs = await watch.until((list) => list.filter((r) => r.protocol === 'IPv4').length >= N, 30_000)
      const listed = new Map(watch.current().filter((r) => r.protocol === 'IPv4').map((r) => [r.name, r]))
      expect([...listed.keys()].sort()).toEqual(c.devices.map((d) => d.instanceName).sort())
      const d = c.devices[41]
      expect(listed.get(d?.instanceName ?? '')).toMatchObject({ host: d?.hostName, address: '198.18.0.11', port: 8080, txt: d?.txt })
    } finally {
      await watch.stop()
    }
    expectSmallPackets(c)
    // 250 devices cannot fit one packet: the answer was split, never fragmented.
    expect(c.packets().filter((p) => p.kind === 'answer').length).toBeGreaterThan(10)
  }, 40_000)

  it(`lets python-zeroconf resolve all ${N}`, async () => {
    const c = running()
    const found = await peers().zeroconf.browse(DEFAULT_TYPE, 10_000)
    expect(found.map((s) => s.name).sort()).toEqual(c.devices.map((d) => d.instanceName).sort())
    const d = c.devices[199]
    expect(found.find((s) => s.name === d?.instanceName)).toMatchObject({ server: `${d?.hostName}.`, port: 8080, addresses4: ['198.18.0.11'], txt: d?.txt })
  }, 20_000)

  it('drops one device from avahi after its goodbye and keeps the others', async () => {
    const c = running()
    const gone = c.devices[6]?.instanceName ?? ''
    const watch = peers().avahi.watch(DEFAULT_TYPE)
    try {
      await watch.until((list) => list.filter((r) => r.protocol === 'IPv4').length >= N, 20_000)
      await c.goodbye(7)
      // RFC 6762 §10.1: a TTL-0 record leaves caches one second later.
      await watch.until(() => !watch.names().has(gone), 6000)
      expect(watch.names().size).toBe(N - 1)
    } finally {
      await watch.stop()
    }
    expect(c.packets().some((p) => p.kind === 'goodbye')).toBe(true)
    await c.announce(7)
  }, 40_000)

  it('answers a QU query by unicast without the known answers of its TC continuation, legacy queries with the ID echoed, and the type enumeration', async () => {
    const c = running()
    const app = { ns: lab.app.ns, ifname: lab.app.ifname, address4: lab.app.address4 }
    const records = (k: number) => deviceRecords(resolveCrowdOptions({ count: N, hostileNames: true }), k, '198.18.0.11', undefined)
    const ptrs = (from: number, to: number, ttl = 4500) => Array.from({ length: to - from + 1 }, (_, i) => ({ ...records(from + i).ptr, ttl }))
    const question = { name: TYPE_LABELS, type: RR.PTR, unicastResponse: true }
    // Device 21 is known with less than half its TTL left, so it must still be answered (RFC 6762 §7.1).
    const first = encodeQuery({ questions: [question], known: [...ptrs(1, 20), ...ptrs(21, 21, 100)], truncated: true })
    const second = encodeQuery({ questions: [], known: ptrs(22, 40) })
    const received = await runQuerier(lab, app, { packets: [first, second], gapMs: 100, listenMs: 1500 })
    const fromCrowd = received.filter((p) => p.from === '198.18.0.11:5353' && p.via === 'unicast').map((p) => dnsPacket.decode(p.buf))
    const answered = fromCrowd.flatMap((p) => p.answers ?? []).filter((a) => a.type === 'PTR').map((a) => ('data' in a ? String(a.data) : ''))
    expect(new Set(answered)).toEqual(new Set(c.devices.filter((d) => d.k === 21 || d.k > 40).map((d) => `${d.instanceName}.${DEFAULT_TYPE}.local`)))
    expect(answered).toHaveLength(N - 39)
    expect(Math.max(...received.filter((p) => p.via === 'unicast').map((p) => p.buf.length))).toBeLessThanOrEqual(1400)

    const srv = records(5).srv
    const legacy = await runQuerier(lab, app, { packets: [encodeQuery({ id: 0x4242, questions: [{ name: srv.name, type: RR.SRV, unicastResponse: false }] })], sourcePort: 0, listenMs: 800 })
    const reply = legacy.find((p) => p.via === 'unicast' && p.from === '198.18.0.11:5353')
    const decoded = reply && dnsPacket.decode(reply.buf)
    expect(decoded).toMatchObject({ id: 0x4242, questions: [{ name: `${c.devices[4]?.instanceName}.${DEFAULT_TYPE}.local`, type: 'SRV' }] })
    expect(decoded?.answers?.[0]).toMatchObject({ type: 'SRV', ttl: 10, flush: false, data: { port: 8080, target: c.devices[4]?.hostName } })

    const types = await runQuerier(lab, app, { packets: [encodeQuery({ questions: [{ name: ENUMERATION, type: RR.PTR, unicastResponse: true }] })], listenMs: 800 })
    const enumerated = types.filter((p) => p.via === 'unicast').flatMap((p) => dnsPacket.decode(p.buf).answers ?? []).map((a) => [a.name, 'data' in a ? a.data : ''])
    expect(enumerated).toEqual([['_services._dns-sd._udp.local', `${DEFAULT_TYPE}.local`]])
  }, 30_000)

  it('advertises the link-local address as AAAA and answers over IPv6 when asked', async () => {
    const v6 = await startCrowd(lab, { node: 'crowd', count: 3, ipv6: true, types: ['_plxcrowd6._tcp'], namePrefix: 'V6 Device ', hostPrefix: 'crowd6-' })
    try {
      expect(v6.ready.address6).toMatch(/^fe80:/)
      const found = await peers().zeroconf.browse('_plxcrowd6._tcp', 4000)
      expect(found.map((s) => s.name).sort()).toEqual(['V6 Device 1', 'V6 Device 2', 'V6 Device 3'])
      for (const s of found) {
        expect(s.addresses4).toEqual(['198.18.0.11'])
        expect(s.addresses6.map((a) => a.split('%')[0])).toEqual([v6.ready.address6])
      }
      const viaAvahi = await peers().avahi.browse('_plxcrowd6._tcp')
      expect(viaAvahi.filter((r) => r.protocol === 'IPv6').map((r) => r.name).sort()).toEqual(['V6 Device 1', 'V6 Device 2', 'V6 Device 3'])
      expect(v6.packets().some((p) => p.family === 6)).toBe(true)
    } finally {
      await v6.close()
    }
  }, 30_000)

  it('says goodbye for every device on stop({ silent: false }), and avahi lists none of them after', async () => {
    const c = running()
    const watch = peers().avahi.watch(DEFAULT_TYPE)
    try {
      await watch.until((list) => list.filter((r) => r.protocol === 'IPv4').length >= N, 20_000)
      await c.stop({ silent: false })
      await watch.until(() => watch.names().size === 0, 6000)
    } finally {
      await watch.stop()
    }
    expect(c.packets().filter((p) => p.kind === 'goodbye').length).toBeGreaterThan(10)
    crowd = undefined
  }, 40_000)

  it('lets a fresh avahi-daemon (cache raised past its 4,096-record default) resolve 1,000 devices', async () => {
    // The last test: the lab's own peers stop so one mDNS stack, not three, digests the 1,000-device traffic.
    await Promise.all([peers().avahi.stop(), peers().zeroconf.stop()])
    const node = lab.accessories.find((a) => a.id === 'avbig')
    if (!node?.sta.homeAddress4) throw new Error('avbig node missing')
    const workDir = await mkdtemp(join(tmpdir(), `${lab.prefix}-avbig-`))
    const avahi = await startAvahiPeer(labProcesses(lab), {
      ns: node.ns, ifname: node.sta.ifname, address4: node.sta.homeAddress4, address6: node.sta.homeAddress6, hostName: `plx-avbig-${process.pid}`, workDir,
      serverOptions: { 'cache-entries-max': 16_384, 'objects-per-client-max': 16_384 },
    })
    try {
      const started = performance.now()
      crowd = await startCrowd(lab, { node: 'crowd', count: 1000, announce: false })
      figures.crowd1000ReadyMs = Math.round(performance.now() - started)
      const watch = avahi.watch(DEFAULT_TYPE)
      try {
        // Bounded generously: avahi-daemon itself needs 5–7 s of CPU for 1,000 services (measure.ts).
        figures.avahi1000AllResolvedMs = await watch.until((list) => list.filter((r) => r.protocol === 'IPv4').length >= 1000, 90_000)
      } finally {
        await watch.stop()
      }
      expectSmallPackets(crowd)
    } finally {
      await avahi.stop()
      await rm(workDir, { recursive: true, force: true })
    }
  }, 120_000)
})
