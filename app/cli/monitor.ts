/**
 * `porchlight monitor (--device ID | --address HOST:PORT) [--interval MS] [--protocol P] [--json]`
 * (issue #7 point 4): watches one accessory and streams, one line each, every state change, timeline
 * event and heartbeat sample until Ctrl+C or `--timeout`. With --json each line is one JSON object:
 * `{"event":"state",…}`, `{"event":"timeline",…}`, `{"event":"sample","rttMs":…,"stats":{…}}`.
 * Exit code: 0 when the session is connected at the end, 1 otherwise (so `--timeout` works in scripts).
 */
import type { Core } from '../../main/core'
import { HEARTBEAT_MAX_MS, HEARTBEAT_MIN_MS, ProtocolConfig, type SessionChange, type SessionView, type WatchRequest } from '../../shared/session/view'

/** Parsed options of the command (already validated). */
export interface MonitorOptions {
  request: WatchRequest
  json: boolean
  timeoutMs: number | undefined
}

/** Where the command writes and when it stops. */
export interface MonitorIo {
  out: (text: string) => void
  err: (text: string) => void
  stopSignal: Promise<void>
  sleep: (ms: number) => Promise<void>
}

/** Raw flag values of the command. */
export interface MonitorFlags {
  device?: string | undefined
  address?: string | undefined
  interval?: string | undefined
  protocol?: string | undefined
  path?: string | undefined
  requestHex?: string | undefined
  replyHex?: string | undefined
}

/** Parses `HOST:PORT`, `[v6%zone]:PORT`; undefined when malformed. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^\[([^\]]{1,80})\]:(\d{1,5})$/.exec(value) ?? /^([^:[\]\s]{1,80}):(\d{1,5})$/.exec(value)
  const port = Number(match?.[2])
  return match?.[1] && port >= 1 && port <= 65535 ? { host: match[1], port } : undefined
}

/** Turns flags into a watch request, or a one-line reason for exit code 2. */
export function parseMonitorFlags(flags: MonitorFlags): { ok: true; request: WatchRequest } | { ok: false; message: string } {
  if ((flags.device === undefined) === (flags.address === undefined)) return { ok: false, message: 'give exactly one of --device ID or --address HOST:PORT' }
  const address = flags.address === undefined ? undefined : parseHostPort(flags.address)
  if (flags.address !== undefined && !address) return { ok: false, message: `--address '${flags.address}' is not HOST:PORT (IPv6 as [addr%zone]:port)` }
  const intervalMs = flags.interval === undefined ? undefined : Number(flags.interval)
  if (intervalMs !== undefined && !(Number.isInteger(intervalMs) && intervalMs >= HEARTBEAT_MIN_MS && intervalMs <= HEARTBEAT_MAX_MS)) {
    return { ok: false, message: `--interval must be whole milliseconds from ${HEARTBEAT_MIN_MS} to ${HEARTBEAT_MAX_MS}` }
  }
  const kinds: Record<string, string> = { 'lab-control': 'lab-control', tcp: 'tcp-heartbeat', http: 'http-poll', esp: 'esp-endpoint' }
  let protocol: ProtocolConfig | undefined
  if (flags.protocol !== undefined) {
    const kind = kinds[flags.protocol]
    if (!kind) return { ok: false, message: `--protocol must be one of ${Object.keys(kinds).join(', ')}` }
    const parsed = ProtocolConfig.safeParse({
      kind,
      ...(kind === 'http-poll' && { path: flags.path ?? '/' }),
      ...(kind === 'esp-endpoint' && flags.path !== undefined && { endpoint: flags.path.replace(/^\//, '') }),
      ...(kind === 'tcp-heartbeat' && { requestHex: flags.requestHex ?? '', ...(flags.replyHex !== undefined && { replyHex: flags.replyHex }) }),
    })
    if (!parsed.success) return { ok: false, message: `--protocol ${flags.protocol}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}` }
    protocol = parsed.data
  }
  const target = address ? { kind: 'address' as const, ...address } : { kind: 'device' as const, deviceId: flags.device as string }
  return { ok: true, request: { target, ...(protocol && { protocol }), ...(intervalMs !== undefined && { intervalMs }) } }
}

const time = (at: number) => new Date(at).toISOString().slice(11, 23)

function describeView(v: SessionView): string {
  const where = v.remote ? ` ${v.remote.family === 6 ? `[${v.remote.address}]` : v.remote.address}:${v.remote.port}${v.remote.interface ? ` via ${v.remote.interface}` : ''}` : ''
  return `${time(v.since)} ${v.state.toUpperCase()} ${JSON.stringify(v.label)}${where} (${v.protocol}) — ${v.cause}`
}

/** Formats one change as the line(s) to print; state and timeline lines only when they changed. */
function render(change: SessionChange, json: boolean, seen: { state?: string; timeline: number }): string[] {
  if (change.kind === 'removed') return []
  if (change.kind === 'sample') {
    const { sample, stats } = change
    return [json ? JSON.stringify({ event: 'sample', id: change.id, at: sample.at, rttMs: sample.rttMs, stats }) : `${time(sample.at)} ${sample.rttMs === null ? 'no reply' : `rtt ${sample.rttMs.toFixed(2)} ms`}`]
  }
  const v = change.session
  const lines: string[] = []
  for (const entry of v.timeline.slice(seen.timeline)) {
    lines.push(json ? JSON.stringify({ event: 'timeline', id: v.id, ...entry }) : `${time(entry.at)} ${entry.kind}: ${entry.detail}${entry.gapMs !== undefined ? ` (gap ${(entry.gapMs / 1000).toFixed(1)} s)` : ''}`)
  }
  seen.timeline = v.timeline.length
  const key = JSON.stringify([v.state, v.cause, v.remote])
  if (key !== seen.state) {
    seen.state = key
    const { samples: _s, timeline: _t, ...rest } = v
    lines.push(json ? JSON.stringify({ event: 'state', ...rest }) : describeView(v))
  }
  return lines
}

/** Runs the command; resolves to the exit code. */
export async function runMonitor(core: Pick<Core, 'handlers' | 'events'>, options: MonitorOptions, io: MonitorIo): Promise<number> {
  // Heartbeat and retry timers are unref'd (they must not keep other commands alive); this one holds the process.
  const hold = setInterval(() => undefined, 1 << 30)
  const seen = { timeline: 0 }
  let id: string | undefined
  const early: SessionChange[] = []
  const off = core.events.subscribe((event, payload) => {
    if (event !== 'session:changed') return
    const change = payload as SessionChange
    if (id === undefined) return void early.push(change)
    const changeId = change.kind === 'updated' ? change.session.id : change.id
    if (changeId === id) for (const line of render(change, options.json, seen)) io.out(line)
  })
  try {
    const watched = await core.handlers['session:watch'](options.request)
    if (!watched.ok) {
      io.err(`porchlight: ${watched.error.message} [${watched.error.code}]`)
      return 1
    }
    id = watched.value.id
    for (const line of render({ kind: 'updated', session: watched.value }, options.json, seen)) io.out(line)
    for (const change of early.splice(0)) if ((change.kind === 'updated' ? change.session.id : change.id) === id) for (const line of render(change, options.json, seen)) io.out(line)
    await Promise.race([io.stopSignal, ...(options.timeoutMs !== undefined ? [io.sleep(options.timeoutMs)] : [])])
    const last = await core.handlers['session:list'](undefined)
    const final = last.ok ? last.value.find((s) => s.id === id) : undefined
    if (final && !options.json) io.err(`${final.stats.heartbeatsSent} heartbeats, ${final.stats.missed} missed, ${final.stats.stalls} stalls, ${final.stats.reconnects} reconnects, longest gap ${(final.stats.longestGapMs / 1000).toFixed(1)} s`)
    return final?.state === 'connected' ? 0 : 1
  } finally {
    off()
    clearInterval(hold)
  }
}
