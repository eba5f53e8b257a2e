/**
 * The recent-events log a support bundle carries: the last few hundred notable events from the core's
 * hub, each reduced to one plain line (device up/down, interfaces changed, a session's timeline entry).
 * Heartbeat samples and per-packet noise are left out on purpose: the bundle says what happened, not
 * every datagram (field report item 27: the app controls what is recorded).
 */
import type { EventHub } from '../events'

/** One logged event. */
export interface RecentEvent {
  at: number
  event: string
  summary: string
}

/** A bounded log subscribed to a hub. */
export interface RecentEvents {
  list(): RecentEvent[]
  dispose(): void
}

/** Starts logging; keeps the newest `max` entries. */
export function recordRecentEvents(hub: EventHub, wallNow: () => number = Date.now, max = 300): RecentEvents {
  const log: RecentEvent[] = []
  const push = (event: string, summary: string) => {
    log.push({ at: wallNow(), event, summary })
    if (log.length > max) log.splice(0, log.length - max)
  }
  const off = hub.subscribe((event, payload) => {
    if (event === 'net:interfacesChanged') {
      const p = payload as { added: string[]; removed: string[]; changed: string[] }
      push(event, `added [${p.added.join(', ')}], removed [${p.removed.join(', ')}], changed [${p.changed.join(', ')}]`)
    } else if (event === 'discovery:changed') {
      const p = payload as { devices: { name: string; status: string }[]; removed: string[] }
      if (p.devices.length > 0 || p.removed.length > 0) push(event, `${p.devices.map((d) => `${d.name} ${d.status}`).slice(0, 10).join('; ')}${p.devices.length > 10 ? ` and ${p.devices.length - 10} more` : ''}${p.removed.length ? `; ${p.removed.length} forgotten` : ''}`)
    } else if (event === 'session:changed') {
      const p = payload as { kind: string; session?: { label: string; state: string; timeline: { kind: string; detail: string }[] } }
      const last = p.kind === 'updated' ? p.session?.timeline.at(-1) : undefined
      if (p.session && last && log.at(-1)?.summary !== `${p.session.label}: ${last.kind} — ${last.detail}`) push(event, `${p.session.label}: ${last.kind} — ${last.detail}`)
    }
  })
  return { list: () => [...log], dispose: off }
}
