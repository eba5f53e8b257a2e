/**
 * The lab accessory's mDNS responder: probing and conflict renaming (RFC 6762 §8.1, §8.2, §9),
 * announcing (§8.3) and re-announcing changed addresses (§8.4), answering (respond.ts), goodbyes (§10.1)
 * and the "mDNS oddities" fault switches. Ours rather than bonjour-service's because the lab needs
 * legacy-unicast and QU answers, renaming, IPv6-only operation and deliberately odd packets
 * (reference/discovery-and-mdns.md §1.4).
 */
import dnsPacket from 'dns-packet'
import type { RemoteInfo } from 'node:dgram'
import { type Clock, systemClock, type TimerHandle } from '../../../../main/util/clock'
import { announcementPlan, type AnswerPlan, buildRecords, hostnameFor, instanceNameFor, namesOf, type RecordConfig } from './records'
import { decideResponses, type ResponseDecision } from './respond'
import { type MdnsSocket, openInterfaceSockets } from './sockets'
import type { MdnsOddities, MdnsResponder, MdnsResponderEvent, MdnsResponderOptions } from './types'
import { compareProposals, decodeMessage, encodeProbe, encodeWithForwardNsec, MDNS_PORT, type MdnsMessage, oddTxtStrings, responsePacket, sameRecord, ttlOf, txtStrings } from './wire'

type State = 'idle' | 'probing' | 'announced' | 'withdrawn' | 'stopped'
type Send = { kind: 'probe' | 'announce' | 'answer' | 'goodbye'; plan?: AnswerPlan; to: 'multicast' | { address: string; port: number } }

const NO_ODDITIES: MdnsOddities = { noAdditionals: false, nsecForwardPointer: false, txtOddities: false, skipProbing: false, hostTtl4500: false }
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** Creates a responder; throws RangeError for options that cannot be encoded (programmer errors). */
export function createMdnsResponder(options: MdnsResponderOptions): MdnsResponder {
  const clock: Clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const emit = (event: MdnsResponderEvent) => options.onEvent?.(event)
  if (options.instanceName.includes('.') || Buffer.byteLength(options.instanceName) > 63) {
    throw new RangeError('instanceName must be at most 63 bytes without dots (dns-packet cannot escape dots)')
  }
  if (!options.interfaces.some((i) => (i.ipv4?.length ?? 0) + (i.ipv6?.length ?? 0) > 0)) throw new RangeError('no interface has an address')
  const baseHost = /\.local$/i.test(options.hostname) ? options.hostname : `${options.hostname}.local`
  const baseTxt = txtStrings(options.txt ?? [])
  const hostTtl = options.hostTtl ?? 120
  const otherTtl = options.otherTtl ?? 4500
  let oddities: MdnsOddities = { ...NO_ODDITIES, ...options.oddities }
  let attempt = { instance: 1, host: 1 }
  let state: State = 'idle'
  let generation = 0
  let probe = { instance: false, host: false, lostTiebreak: false }
  let sockets: MdnsSocket[] = []
  const timers = new Map<TimerHandle, () => void>()
  const lastMulticast = new Map<MdnsSocket, Map<string, number>>()
  const sentRecently = new Map<string, number>()

  const config = (): RecordConfig => ({
    instanceName: instanceNameFor(options.instanceName, attempt.instance),
    hostname: hostnameFor(baseHost, attempt.host),
    serviceType: options.serviceType,
    subtypes: options.subtypes ?? [],
    port: options.port,
    txt: oddities.txtOddities ? [...baseTxt, ...oddTxtStrings(baseTxt)] : baseTxt,
    addressTtl: oddities.hostTtl4500 ? 4500 : hostTtl,
    srvTtl: hostTtl,
    otherTtl,
  })
  const recordsOn = (s: MdnsSocket) => buildRecords(config(), s.iface)
  const recordKey = (r: { answer: { type: string; name: string; data?: unknown } }) => `${r.answer.type} ${r.answer.name.toLowerCase()} ${JSON.stringify(r.answer.data)}`

  /** Sleeps on the injected clock; resolves early when everything is cancelled (stop, goodbye, re-probe). */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const handle = clock.setTimeout(() => {
        timers.delete(handle)
        resolve()
      }, ms)
      timers.set(handle, resolve)
    })
  /** Runs a background task; a failure becomes an 'error' event, never an unhandled rejection. */
  const safely = (task: () => unknown) => {
    void Promise.resolve()
      .then(task)
      .catch((error: unknown) => emit({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
  }
  const cancelAll = () => {
    generation++
    for (const [handle, resolve] of timers) {
      clock.clearTimeout(handle)
      resolve()
    }
    timers.clear()
  }

  const encode = (plan: AnswerPlan, mode: ResponseDecision['mode'], echo?: ResponseDecision['echo']): Buffer => {
    const packet = responsePacket({ ...echo, answers: plan.answers, additionals: plan.additionals, mode })
    if (!oddities.nsecForwardPointer) return dnsPacket.encode(packet)
    const n = namesOf(config())
    const ttl = mode === 'goodbye' ? 0 : mode === 'legacy' ? Math.min(otherTtl, 10) : otherTtl
    const addressTypes = [...new Set(plan.answers.concat(plan.additionals).filter((r) => eq(r.answer.name, n.host) && r.answer.type !== 'NSEC').map((r) => r.answer.type))]
    return encodeWithForwardNsec(packet, [{ name: n.instance, rrtypes: ['TXT', 'SRV'] }, { name: n.host, rrtypes: addressTypes }], { ttl, flush: mode !== 'legacy' })
  }

  const transmit = async (s: MdnsSocket, buf: Buffer, send: Send) => {
    sentRecently.set(buf.toString('base64'), clock.now() + 2000)
    const to = send.to === 'multicast' ? 'multicast' : `${send.to.address}:${send.to.port}`
    if (send.to === 'multicast') {
      const marks = lastMulticast.get(s) ?? new Map<string, number>()
      lastMulticast.set(s, marks)
      for (const r of send.plan ? [...send.plan.answers, ...send.plan.additionals] : []) marks.set(recordKey(r), clock.now())
      await s.multicast(buf)
    } else {
      await s.unicast(buf, send.to.address, send.to.port)
    }
    emit({ type: 'sent', kind: send.kind, interface: `${s.iface.name}/v${s.family}`, to, bytes: buf.length })
  }

  const sendProbes = async () => {
    const n = namesOf(config())
    await Promise.all(sockets.map((s) => {
      const proposed = recordsOn(s).filter((r) => r.unique).map((r) => r.answer)
      return transmit(s, encodeProbe([n.instance, n.host], proposed), { kind: 'probe', to: 'multicast' })
    }))
  }

  const announceOnce = async (kind: 'announce' | 'goodbye') => {
    await Promise.all(sockets.map((s) => {
      const plan = announcementPlan(recordsOn(s))
      return transmit(s, encode(plan, kind === 'goodbye' ? 'goodbye' : 'multicast'), { kind, plan, to: 'multicast' })
    }))
  }

  /** Announces now and once more 1 s later (RFC 6762 §8.3: at least two, one second apart). */
  const announce = async () => {
    state = 'announced'
    const gen = generation
    await announceOnce('announce')
    emit({ type: 'announced', instanceName: config().instanceName, hostname: config().hostname })
    safely(async () => {
      await sleep(1000)
      if (gen === generation && state === 'announced') await announceOnce('announce')
    })
  }

  /** Probes until the names are ours (RFC 6762 §8.1); false if cancelled. */
  const probeUntilClaimed = async (): Promise<boolean> => {
    const conflictTimes: number[] = []
    const gen = generation
    for (;;) {
      if (gen !== generation) return false
      state = 'probing'
      probe = { instance: false, host: false, lostTiebreak: false }
      emit({ type: 'probing', instanceName: config().instanceName, hostname: config().hostname })
      await sleep(random() * 250)
      for (let i = 0; i < 3 && gen === generation && !probe.instance && !probe.host && !probe.lostTiebreak; i++) {
        await sendProbes()
        await sleep(250)
      }
      if (gen !== generation) return false
      if (!probe.instance && !probe.host && !probe.lostTiebreak) return true
      if (probe.lostTiebreak && !probe.instance && !probe.host) {
        await sleep(1000) // the loser of a simultaneous probe waits 1 s and probes again (§8.2)
        continue
      }
      const before = config()
      attempt = { instance: attempt.instance + (probe.instance ? 1 : 0), host: attempt.host + (probe.host ? 1 : 0) }
      const after = config()
      if (probe.instance) emit({ type: 'conflict', name: before.instanceName, renamedTo: after.instanceName, from: 'probe' })
      if (probe.host) emit({ type: 'conflict', name: before.hostname, renamedTo: after.hostname, from: 'probe' })
      conflictTimes.push(clock.now())
      // 15 conflicts within 10 s: wait 5 s before each further attempt (§8.1).
      if (conflictTimes.filter((t) => clock.now() - t < 10_000).length >= 15) await sleep(5000)
    }
  }

  const onResponse = (message: MdnsMessage, rinfo: RemoteInfo, s: MdnsSocket) => {
    // Responses must come from port 5353 (§6); a squatter (skipProbing) ignores conflicts altogether.
    if (rinfo.port !== MDNS_PORT || oddities.skipProbing) return
    const n = namesOf(config())
    const ours = recordsOn(s).filter((r) => r.unique)
    for (const record of [...message.answers, ...message.authorities, ...message.additionals]) {
      const isInstance = eq(record.name, n.instance)
      if ((!isInstance && !eq(record.name, n.host)) || ttlOf(record) === 0 || record.type === 'NSEC') continue
      if (ours.some((r) => sameRecord(r.answer, record))) continue // identical data is no conflict (§9)
      if (state === 'probing') {
        probe[isInstance ? 'instance' : 'host'] = true
      } else if (state === 'announced' && ours.some((r) => eq(r.answer.name, record.name) && r.answer.type === record.type)) {
        // A conflicting record after announcing: back to probing (§9); the holder's answer then forces a rename.
        emit({ type: 'reprobing', name: record.name, from: rinfo.address })
        cancelAll()
        safely(async () => (await probeUntilClaimed()) && (await announce()))
        return
      }
    }
  }

  const onProbeWhileProbing = (message: MdnsMessage, s: MdnsSocket) => {
    const n = namesOf(config())
    for (const name of [n.instance, n.host]) {
      const theirs = message.authorities.filter((a) => eq(a.name, name))
      if (theirs.length === 0) continue
      const ours = recordsOn(s).filter((r) => r.unique && eq(r.answer.name, name)).map((r) => r.answer)
      if (compareProposals(ours, theirs) < 0) probe.lostTiebreak = true // §8.2
    }
  }

  const onQuery = (message: MdnsMessage, rinfo: RemoteInfo, s: MdnsSocket) => {
    if (!s.isFromThisLink(rinfo)) return
    if (state === 'probing' && message.authorities.length > 0) return onProbeWhileProbing(message, s)
    if (state !== 'announced') return
    const marks = lastMulticast.get(s)
    const decisions = decideResponses({
      message,
      from: { address: rinfo.address, port: rinfo.port },
      records: recordsOn(s),
      multicastAgeMs: (r) => {
        const at = marks?.get(recordKey(r))
        return at === undefined ? undefined : clock.now() - at
      },
      additionals: !oddities.noAdditionals,
      random,
    })
    const gen = generation
    for (const d of decisions) {
      safely(async () => {
        if (d.delayMs > 0) await sleep(d.delayMs)
        if (gen === generation) await transmit(s, encode(d.plan, d.mode, d.echo), { kind: 'answer', plan: d.plan, to: d.to })
      })
    }
  }

  const onMessage = (buf: Buffer, rinfo: RemoteInfo, s: MdnsSocket) => {
    if (state === 'idle' || state === 'withdrawn' || state === 'stopped') return
    const now = clock.now()
    for (const [key, until] of sentRecently) if (until < now) sentRecently.delete(key)
    if (sentRecently.has(buf.toString('base64'))) return // our own multicast, looped back
    const decoded = decodeMessage(buf)
    if (!decoded.ok) return emit({ type: 'dropped', from: `${rinfo.address}:${rinfo.port}`, reason: decoded.reason })
    try {
      if (decoded.message.isResponse) onResponse(decoded.message, rinfo, s)
      else onQuery(decoded.message, rinfo, s)
    } catch (error) {
      // Whatever a peer sends, the accessory keeps running.
      emit({ type: 'dropped', from: `${rinfo.address}:${rinfo.port}`, reason: error instanceof Error ? error.message : String(error) })
    }
  }

  const goodbye = async () => {
    if (state !== 'announced' && state !== 'probing') return
    const wasAnnounced = state === 'announced'
    cancelAll()
    state = 'withdrawn'
    // Only announced records can be in caches; a name still being probed is simply abandoned.
    if (wasAnnounced) await announceOnce('goodbye')
  }

  const onSocketError = (error: Error) => emit({ type: 'error', message: error.message })

  return {
    get instanceName() {
      return config().instanceName
    },
    get hostname() {
      return config().hostname
    },
    async start() {
      if (state !== 'idle') throw new Error(`start() called in state ${state}; a responder starts once`)
      state = 'probing'
      try {
        for (const iface of options.interfaces) sockets.push(...(await openInterfaceSockets(iface, onMessage, onSocketError)))
      } catch (error) {
        await Promise.all(sockets.map((s) => s.close()))
        sockets = []
        state = 'stopped'
        throw error
      }
      if (oddities.skipProbing || (await probeUntilClaimed())) await announce()
    },
    goodbye,
    async stop({ silent }) {
      if (!silent && state === 'announced') await goodbye()
      cancelAll()
      state = 'stopped'
      await Promise.all(sockets.map((s) => s.close()))
      sockets = []
    },
    async updateInterface(iface) {
      if (state === 'idle' || state === 'stopped') throw new Error(`updateInterface() called in state ${state}`)
      // Pending answers and the second announcement carry the old addresses: cancel them.
      cancelAll()
      const old = sockets.filter((s) => s.iface.name === iface.name)
      sockets = sockets.filter((s) => !old.includes(s))
      old.forEach((s) => lastMulticast.delete(s))
      // The IPv4 socket's group membership and multicast interface are bound to the old address.
      await Promise.all(old.map((s) => s.close()))
      sockets.push(...(await openInterfaceSockets(iface, onMessage, onSocketError)))
      // Changed rdata is announced again (§8.4); unique records carry cache-flush, so no goodbye for the old A.
      if (state === 'announced') await announce()
      else if (state === 'probing') safely(async () => (await probeUntilClaimed()) && (await announce()))
    },
    setOddities(changes) {
      const before = oddities
      oddities = { ...oddities, ...changes }
      // A changed TXT or TTL is announced again like any record update (§8.4).
      if (state === 'announced' && (before.txtOddities !== oddities.txtOddities || before.hostTtl4500 !== oddities.hostTtl4500)) {
        cancelAll()
        safely(announce)
      }
    },
  }
}
