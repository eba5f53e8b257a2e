/**
 * From probe observations to checks: pass / warn / fail, a summary that contrasts multicast with broadcast on
 * the same interface, and what to do. Pure, so every branch is unit-tested.
 *
 * What each piece of evidence proves:
 * - Our own probe coming back (multicast loopback, broadcast self-receive) is produced by this computer's own
 *   stack: the copy is looped back before the packet reaches the wire. It shows that the OS lets Porchlight
 *   send on that interface (no macOS Local Network block, no local firewall on output or input) and that the
 *   interface can join the group. It does NOT show that the packet left the computer, that the access point
 *   forwards it, or that any device received it.
 * - A device answering our legacy query (sent by multicast or broadcast) shows that the query crossed the
 *   network to it; its answer comes back by unicast.
 * - A device's multicast answer arriving on port 5353 shows multicast crossing the network towards us too.
 */
import type { DiagnoseCheck, Facts, FactValue } from '../../shared/diagnose/view'
import { decodeFailure, type SocketFailure } from './multicast-errors'
import type { BroadcastObservation, MulticastObservation, OtherResponder } from './multicast-probe'

/** What to change when the network drops multicast (RFC 9119; reference discovery-and-mdns.md §7, "Wi-Fi physics"). */
export const AP_MULTICAST_ADVICE =
  'On the Wi-Fi access point or router, turn off settings that filter multicast ("IGMP snooping", "multicast to unicast" or ' +
  '"multicast enhancement", "client isolation" or "AP isolation"), or allow mDNS (224.0.0.251 and ff02::fb, UDP port 5353); ' +
  'on a guest network, join the main network instead. Then run Diagnose again.'

const SELF_RECEIVE_SHOWS = 'Our own probe came back through this computer\'s loopback: the OS lets Porchlight send and receive here. ' +
  'It does not show that the packet left the computer or that the network carries it.'

type Verdict = Pick<DiagnoseCheck, 'status' | 'summary' | 'advice'> & { steps?: string[] }

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
const list = (names: string[]) => names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
const failureFacts = (f: SocketFailure): FactValue => ({ stage: f.stage, target: f.target, code: f.code ?? null, message: f.message })

/** The network carried our query to at least one device, by this route. */
function reachedBy(obs: { known: { viaUnicast: boolean; viaMulticast: boolean }[]; others: OtherResponder[] }): boolean {
  return obs.known.some((k) => k.viaUnicast || k.viaMulticast) || obs.others.length > 0
}

/** An inbound failure that is a policy (not a busy port) counts as a failure of the whole probe. */
function effectiveFailure(obs: MulticastObservation): SocketFailure | undefined {
  const policy = ['EHOSTUNREACH', 'ENETUNREACH', 'EPERM']
  return obs.failure ?? (policy.includes(obs.inboundUnavailable?.code ?? '') ? obs.inboundUnavailable : undefined)
}

/** True when broadcast was sent and received locally. */
const broadcastLocallyOk = (b: BroadcastObservation | undefined) => b !== undefined && !b.failure && b.directedLoop
/** True when multicast was sent and received locally. */
const multicastLocallyOk = (m: MulticastObservation | undefined) => m !== undefined && !effectiveFailure(m) && m.selfLoop

/** Other probes of the same interface, for contrasts: its broadcast probe, and for IPv6 its IPv4 multicast probe. */
export interface MulticastContext {
  broadcast?: BroadcastObservation | undefined
  ipv4?: MulticastObservation | undefined
}

/** The check for one multicast observation. */
export function multicastCheck(obs: MulticastObservation, context: MulticastContext, platform: NodeJS.Platform): DiagnoseCheck {
  const verdict = multicastVerdict(obs, context, platform)
  const facts: Facts = {
    interface: obs.interfaceName,
    localAddress: obs.localAddress,
    group: obs.group,
    selfLoop: obs.selfLoop,
    selfLoopMs: obs.selfLoopMs === undefined ? null : Math.round(obs.selfLoopMs),
    selfLoopShows: SELF_RECEIVE_SHOWS,
    questions: obs.questions,
    known: obs.known.map((k) => ({ name: k.name, address: k.address, answeredQuery: k.viaUnicast, multicastAnswerArrived: k.viaMulticast })),
    otherResponders: obs.others.map((o) => ({ address: o.address, answeredQuery: o.viaUnicast, multicastAnswerArrived: o.viaMulticast })),
    multicastAnswersWatched: obs.inboundUnavailable === undefined,
    ...(obs.inboundUnavailable && { port5353Unavailable: failureFacts(obs.inboundUnavailable) }),
    ...(obs.failure && { failure: failureFacts(obs.failure) }),
  }
  const id = obs.kind === 'multicast' ? `multicast-${obs.interfaceName}` : `multicast-ipv6-${obs.interfaceName}`
  const title = `${obs.kind === 'multicast' ? 'Multicast' : 'IPv6 multicast'} on ${obs.interfaceName}`
  return { id, group: 'multicast', title, ...verdict, facts, tookMs: Math.round(obs.tookMs) }
}

const kindName = (m: MulticastObservation) => (m.kind === 'multicast' ? 'Multicast' : 'IPv6 multicast')

function multicastVerdict(m: MulticastObservation, ctx: MulticastContext, platform: NodeJS.Platform): Verdict {
  const nic = m.interfaceName
  const butBroadcast = broadcastLocallyOk(ctx.broadcast) ? `${kindName(m)} fails on ${nic} but broadcast works. ` : ''
  const failure = effectiveFailure(m)
  if (failure) {
    const found = decodeFailure(failure, { platform, interfaceName: nic, kind: m.kind })
    return { status: 'fail', summary: butBroadcast + found.summary, advice: found.advice, ...(found.steps && { steps: found.steps }) }
  }
  if (!m.selfLoop) return noSelfReceive(m.kind, nic, platform, butBroadcast)
  return m.known.length > 0 ? knownVerdict(m, ctx) : anyoneVerdict(m, ctx)
}

function notWatched(m: MulticastObservation): string {
  return m.inboundUnavailable === undefined
    ? ''
    : ` Whether multicast answers reach this computer was not tested: port 5353 could not be shared (${m.inboundUnavailable.code ?? 'error'}).`
}

/** Known responders were asked by name. */
function knownVerdict(m: MulticastObservation, ctx: MulticastContext): Verdict {
  const [Kind, nic] = [kindName(m), m.interfaceName]
  const bothWays = m.known.filter((k) => k.viaMulticast).map((k) => k.name)
  const oneWay = m.known.filter((k) => k.viaUnicast && !k.viaMulticast).map((k) => k.name)
  if (bothWays.length > 0) return pass(`${Kind} works both ways on ${nic}: ${list(bothWays)} answered a multicast query, and the multicast answer arrived.`)
  if (oneWay.length > 0 && m.inboundUnavailable) return pass(`${Kind} from this computer reaches ${list(oneWay)} on ${nic} (it answered our query).${notWatched(m)}`)
  if (oneWay.length > 0) return inboundDropped(Kind, nic, list(oneWay))
  const silent = list(m.known.map((k) => k.name))
  if (m.others.length > 0) {
    return {
      status: 'warn',
      summary: `${Kind} works on ${nic} (${plural(m.others.length, 'other device')} answered), but ${silent} did not answer. It may be off or have left this network.`,
      advice: 'Check that the device is powered and joined to this network, then search again.',
    }
  }
  const overIpv4 = ctx.ipv4?.known.filter((k) => (k.viaUnicast || k.viaMulticast) && m.known.some((s) => s.name === k.name)).map((k) => k.name) ?? []
  if (m.kind === 'IPv6 multicast' && overIpv4.length > 0) {
    return outboundDropped(`IPv6 multicast fails on ${nic} but IPv4 multicast works: ${list(overIpv4)} answered over IPv4 but not over IPv6. ` +
      'The access point or a firewall drops IPv6 multicast (MLD snooping settings)')
  }
  const b = ctx.broadcast
  if (b && reachedBy(b)) {
    const same = m.kind === 'multicast' ? 'the same question sent by broadcast, but not by multicast' : 'a query sent by IPv4 broadcast, but not by IPv6 multicast'
    return outboundDropped(`${Kind} fails on ${nic} but broadcast works: ${list(answeredNames(b))} answered ${same}. ` +
      'The Wi-Fi access point or a firewall drops multicast (IGMP snooping or multicast-to-unicast settings)')
  }
  return {
    status: 'warn',
    summary: `${silent} did not answer a multicast query on ${nic}${b ? ', nor a query sent by broadcast' : ''}. Either it is off or gone, or the network drops multicast.`,
    advice: `Check that the device is powered and joined to this network. If it is, the network probably drops multicast. ${AP_MULTICAST_ADVICE}`,
  }
}

/** No responder was known: anyone answering the service enumeration counts. */
function anyoneVerdict(m: MulticastObservation, ctx: MulticastContext): Verdict {
  const [Kind, nic] = [kindName(m), m.interfaceName]
  const inbound = m.others.filter((o) => o.viaMulticast).length
  if (inbound > 0) return pass(`${Kind} works both ways on ${nic}: ${plural(inbound, 'device')} answered a multicast query by multicast.`)
  if (m.others.length > 0 && m.inboundUnavailable) return pass(`${Kind} from this computer reaches ${plural(m.others.length, 'device')} on ${nic} (they answered our query).${notWatched(m)}`)
  if (m.others.length > 0) return inboundDropped(Kind, nic, plural(m.others.length, 'device'), 'warn')
  const b = ctx.broadcast
  if (b && reachedBy(b)) {
    return outboundDropped(`${Kind} fails on ${nic} but broadcast works: ${list(answeredNames(b))} answered a query sent by broadcast, none the same query ` +
      'sent by multicast. The Wi-Fi access point or a firewall drops multicast (IGMP snooping or multicast-to-unicast settings)')
  }
  return {
    status: 'warn',
    summary: `${Kind} leaves this computer on ${nic} (our own probe came back), but no device answered a multicast query. ` +
      'If your devices are on this network, the network may be dropping multicast.',
    advice: `If a device should be on this network, check that it is powered and joined to it. If it is: ${AP_MULTICAST_ADVICE}`,
  }
}

const answeredNames = (b: BroadcastObservation) => {
  const names = b.known.filter((k) => k.viaUnicast).map((k) => k.name)
  return names.length > 0 ? names : [plural(b.others.length, 'device')]
}

function pass(summary: string): Verdict {
  return { status: 'pass', summary, advice: '' }
}

/** Our multicast reaches devices (they answered), but their multicast answers never reach us. */
function inboundDropped(Kind: string, nic: string, who: string, status: 'fail' | 'warn' = 'fail'): Verdict {
  return {
    status,
    summary: `${Kind} from this computer reaches ${who} on ${nic} (answered directly), but no multicast answer arrived: ` +
      'the network does not deliver multicast to this computer, so devices may not appear or update by themselves.',
    advice: AP_MULTICAST_ADVICE,
  }
}

/** Multicast does not reach devices although something else (broadcast, IPv4) does. */
function outboundDropped(finding: string): Verdict {
  return { status: 'fail', summary: `${finding}, so Porchlight cannot discover devices this way on this network.`, advice: AP_MULTICAST_ADVICE }
}

/** The send went out without an error, but our own copy never came back. */
function noSelfReceive(kind: string, nic: string, platform: NodeJS.Platform, contrast: string): Verdict {
  const sent = `Porchlight sent ${kind === 'broadcast' ? 'a broadcast' : kind} on ${nic} without an error, but its own probe never came back.`
  if (platform === 'darwin') {
    const lnb = decodeFailure({ stage: 'send', target: nic, code: 'EHOSTUNREACH', message: '' }, { platform, interfaceName: nic, kind: 'multicast' })
    return {
      status: 'fail',
      summary: `${contrast}${sent} On macOS 15 and later a Local Network block can look like this (a send "succeeds" and nothing is sent).`,
      advice: lnb.advice,
      ...(lnb.steps && { steps: lnb.steps }),
    }
  }
  const where = platform === 'linux'
    ? 'A firewall rule on this computer (nftables or iptables: `sudo nft list ruleset`) probably drops it.'
    : platform === 'win32' ? 'Windows Defender Firewall or security software on this computer probably drops it.' : 'A firewall on this computer probably drops it.'
  return {
    status: 'fail',
    summary: `${contrast}${sent} ${where}`,
    advice: `Allow incoming ${kind === 'broadcast' ? 'UDP broadcasts' : 'mDNS (UDP port 5353)'} for Porchlight on ${nic} in the firewall, then run Diagnose again.`,
  }
}

/** The check for one broadcast observation; `multicast` is the same interface's IPv4 multicast probe. */
export function broadcastCheck(obs: BroadcastObservation, multicast: MulticastObservation | undefined, platform: NodeJS.Platform): DiagnoseCheck {
  const verdict = broadcastVerdict(obs, multicast, platform)
  const facts: Facts = {
    interface: obs.interfaceName,
    localAddress: obs.localAddress,
    directedBroadcast: obs.broadcast,
    directedSelfReceive: obs.directedLoop,
    limitedSelfReceive: obs.limitedLoop,
    selfReceiveShows: SELF_RECEIVE_SHOWS,
    questions: obs.questions,
    known: obs.known.map((k) => ({ name: k.name, address: k.address, answeredQuery: k.viaUnicast })),
    otherResponders: obs.others.map((o) => o.address),
    ...(obs.limitedFailure && { limitedFailure: failureFacts(obs.limitedFailure) }),
    ...(obs.failure && { failure: failureFacts(obs.failure) }),
  }
  return { id: `broadcast-${obs.interfaceName}`, group: 'multicast', title: `Broadcast on ${obs.interfaceName}`, ...verdict, facts, tookMs: Math.round(obs.tookMs) }
}

function broadcastVerdict(b: BroadcastObservation, m: MulticastObservation | undefined, platform: NodeJS.Platform): Verdict {
  const nic = b.interfaceName
  const mWorks = multicastLocallyOk(m) && m !== undefined && reachedBy(m)
  const butMulticast = multicastLocallyOk(m) ? `Broadcast fails on ${nic} but multicast works. ` : ''
  const unaffected = mWorks ? ' Porchlight finds devices by multicast, which works; only devices found by a broadcast search (older firmware) are affected.' : ''
  if (b.failure) {
    const found = decodeFailure(b.failure, { platform, interfaceName: nic, kind: 'broadcast' })
    return { status: 'fail', summary: butMulticast + found.summary + unaffected, advice: found.advice, ...(found.steps && { steps: found.steps }) }
  }
  if (!b.directedLoop) {
    const v = noSelfReceive('broadcast', nic, platform, butMulticast)
    return { ...v, summary: v.summary + unaffected }
  }
  const limited = b.limitedFailure
    ? ` Sending to 255.255.255.255 failed (${b.limitedFailure.code ?? 'error'}); the subnet's own broadcast address ${b.broadcast} works and is what Porchlight uses.`
    : ''
  const multicastFails = m !== undefined && multicastVerdict(m, { broadcast: b }, platform).status === 'fail'
  if (reachedBy(b)) {
    const also = multicastFails ? ' Multicast does not: see the multicast check for this interface.' : ''
    return pass(`Broadcast works on ${nic}: ${list(answeredNames(b))} answered a query sent to ${b.broadcast}.${also}${limited}`)
  }
  const multicastOnly = m?.known.filter((k) => k.viaUnicast || k.viaMulticast).map((k) => k.name) ?? []
  if (b.known.length > 0 && multicastOnly.length > 0) {
    return {
      status: 'warn',
      summary: `Broadcast fails on ${nic} but multicast works: ${list(multicastOnly)} answered by multicast but not the same query sent to ` +
        `${b.broadcast}. The network (client isolation, broadcast filtering) or the device drops broadcasts; some devices ignore ` +
        `queries sent to a broadcast address, so this is a hint, not proof.${limited}`,
      advice: 'Porchlight finds devices by multicast, which works here. If you also have older devices that are found by a broadcast search, ' +
        'turn off broadcast filtering or client isolation on the access point.',
    }
  }
  return pass(`This computer can send broadcasts on ${nic} and received its own copy (sent to ${b.broadcast}` +
    `${b.limitedLoop ? ' and 255.255.255.255' : ''}). That shows nothing on this computer blocks them; whether the network carries ` +
    `them is not known, because no device answered a broadcast query.${limited}`)
}
