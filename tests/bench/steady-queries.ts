/**
 * Steady-state query rate: Porchlight's real engine (querier, cache, model) on a fake clock for two
 * simulated hours, browsing one type on one IPv4 link while a simulated responder answers every query
 * like a conforming device (PTR/TXT 4,500 s, SRV/A 120 s, known-answer suppression, RFC 6762 §7.1).
 * Counted: queries sent during the second hour. An hour cannot be waited for in a benchmark, and the
 * schedule is entirely the engine's own logic, so a simulated clock measures it exactly.
 */
import dnsPacket from 'dns-packet'
import { createDiscoveryEngine } from '../../main/discovery/engine'
import type { MdnsTransport, TransportDeps } from '../../main/discovery/transport'
import { decodeMessage } from '../../main/discovery/wire'
import type { NetInterface } from '../../shared/net/interfaces'
import { createFakeClock } from '../helpers/fake-clock'

const TYPE = '_benchone._tcp.local'
const INSTANCE = `Steady Lamp.${TYPE}`
const HOST = 'steady-lamp.local'
const ADDRESS = '198.18.0.50'
const HOUR = 3_600_000
const TRUE_TTL: Record<string, number> = { PTR: 4500, TXT: 4500, SRV: 120, A: 120 }

const WLAN: NetInterface = {
  name: 'wlan0', kind: 'wifi', kindReason: 'simulated', mtu: 1500, isUp: true, isRunning: true, isInternal: false, canMulticast: true,
  addresses: [{ address: '198.18.0.2', family: 'IPv4', netmask: '255.255.255.0', prefixLength: 24, scope: 'global' }],
}

function answer(query: Uint8Array): Uint8Array | undefined {
  const message = decodeMessage(query)
  const known = new Set(message.answers.filter((a) => a.ttl >= (TRUE_TTL[a.kind] ?? 0) / 2).map((a) => `${a.name.text.toLowerCase()}|${a.kind}`))
  const records: dnsPacket.Answer[] = [
    { type: 'PTR', name: TYPE, ttl: 4500, data: INSTANCE },
    { type: 'SRV', name: INSTANCE, ttl: 120, flush: true, data: { port: 80, target: HOST } },
    { type: 'TXT', name: INSTANCE, ttl: 4500, flush: true, data: ['id=steady'] },
    { type: 'A', name: HOST, ttl: 120, flush: true, data: ADDRESS },
  ]
  const asked = new Set(message.questions.map((q) => q.name.text.toLowerCase()))
  const fresh = records.filter((r) => (asked.has(r.name.toLowerCase()) || asked.has(TYPE.toLowerCase())) && !known.has(`${r.name.toLowerCase()}|${r.type}`))
  return fresh.length === 0 ? undefined : dnsPacket.encode({ type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER, answers: fresh })
}

/** Queries per hour in the second simulated hour, and a note for the table. */
export async function simulateSteadyQueries(): Promise<{ perHour: number; note: string }> {
  const clock = createFakeClock()
  const sent: number[] = []
  let deliver: TransportDeps['onPacket'] = () => undefined
  const transport = (deps: TransportDeps): MdnsTransport => {
    deliver = deps.onPacket
    return {
      start: async () => ({ ownsPort: true, problems: [] }),
      setLinks: async (links) => links.map((l) => ({ link: l.name, family: 'IPv4' as const, ok: true, error: '' })),
      async send(_link, _family, data) {
        sent.push(clock.now())
        const reply = answer(data)
        if (reply) clock.setTimeout(() => deliver({ data: reply, link: 'wlan0', family: 'IPv4', address: ADDRESS, port: 5353, unicast: false }), 30)
        return undefined
      },
      sendUnicast: async () => undefined,
      states: () => [{ link: 'wlan0', family: 'IPv4', ok: true, error: '' }],
      close: async () => undefined,
    }
  }
  const engine = createDiscoveryEngine({ clock, types: [TYPE.replace(/\.local$/, '')], enumerate: false, transport, random: () => 0.5 })
  await engine.start([WLAN])
  await clock.advance(2 * HOUR)
  const found = engine.devices().length
  await engine.close()
  const perHour = sent.filter((t) => t >= HOUR && t < 2 * HOUR).length
  return { perHour, note: `queries_per_hour_steady: packets sent in the 2nd hour of a simulated run on one link (device found: ${found === 1})` }
}
