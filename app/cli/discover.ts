/**
 * `porchlight discover [--type _x._tcp] [--timeout SECONDS] [--json] [--watch]` (issue #4 point 6).
 *
 * With a timeout (default 5 s unless --watch) it browses, then prints the devices: a table, or with --json
 * one JSON array `{id, name, services:[{instance, type, port, host, txt, addresses:[{address, family,
 * interface}]}]}`. --watch streams one JSON object per line per device change (`{"event":"up"|"changed"|
 * "down","device":{…}}`) until Ctrl+C or the timeout. Diagnostics go to stderr so stdout stays parseable.
 */
import type { Core } from '../../main/core'
import { toDiscoverJson, type Device } from '../../main/discovery/model'
import type { DiscoveryStatus } from '../../shared/discovery/view'
import { table } from './format'

/** Parsed options of the command. */
export interface DiscoverOptions {
  type: string | undefined
  timeoutMs: number | undefined
  json: boolean
  watch: boolean
}

/** Where the command writes and when it stops. */
export interface DiscoverIo {
  out: (text: string) => void
  err: (text: string) => void
  stopSignal: Promise<void>
  /** Resolves after `ms`; injected so tests need not wait. */
  sleep: (ms: number) => Promise<void>
}

/** The default browse time without --watch: long enough for the first retransmission (1 s) and slow responders. */
export const DEFAULT_DISCOVER_TIMEOUT_MS = 5000

/**
 * A service type as the user may type it: `_x._tcp` or a subtype `_y._sub._x._tcp`, optionally with
 * `.local`. Underscores are accepted inside the name: RFC 6335 forbids them, but real firmware uses them
 * (`_esp_local_ctrl._tcp`).
 */
export function parseServiceType(value: string): string | undefined {
  const bare = value.replace(/\.local\.?$/i, '')
  return /^(_[A-Za-z0-9_-]{1,62}\._sub\.)?_[A-Za-z0-9_-]{1,62}\._(tcp|udp)$/i.test(bare) ? bare : undefined
}

/** Parses --timeout: seconds, positive, at most a day. */
export function parseTimeout(value: string): number | undefined {
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds > 0 && seconds <= 86_400 ? Math.round(seconds * 1000) : undefined
}

function formatDevices(devices: readonly Device[]): string {
  if (devices.length === 0) return ''
  const rows = toDiscoverJson(devices).flatMap((device) =>
    device.services.map((s) => [device.name, s.type, s.host && s.port !== null ? `${s.host}:${s.port}` : '-', s.addresses.map((a) => a.address).join(' ') || '-', [...new Set(s.addresses.map((a) => a.interface))].join(' ') || '-']),
  )
  return table(['NAME', 'TYPE', 'HOST:PORT', 'ADDRESSES', 'INTERFACES'], rows)
}

/** What was tried, for stderr when nothing was found (the same facts the Discover screen's empty state shows). */
export function describeAttempt(status: DiscoveryStatus): string {
  const active = status.interfaces.filter((i) => i.state === 'active').map((i) => `${i.name} (${i.families.join('+')})`)
  const other = status.interfaces.filter((i) => i.state !== 'active').map((i) => `${i.name}: ${i.reason}`)
  return [
    `No devices found. Browsed ${status.types.length} service types on ${active.length > 0 ? active.join(', ') : 'no interface'}; sent ${status.queriesSent} queries, received ${status.packetsReceived} packets.`,
    ...other.map((line) => `  skipped ${line}`),
    ...status.problems.map((p) => `  problem: ${p}`),
    ...(status.ownsPort ? [] : ['  note: another mDNS responder shares port 5353; answers still arrive by multicast.']),
    'Run `porchlight interfaces` to check this computer’s networks.',
  ].join('\n')
}

/** Runs the command; resolves to the exit code (1 when discovery could not listen anywhere). */
export async function runDiscover(core: Pick<Core, 'discovery'>, options: DiscoverOptions, io: DiscoverIo): Promise<number> {
  const engine = await core.discovery.ensureStarted()
  const before = engine.snapshot().status
  if (before.problems.length > 0 && !before.interfaces.some((i) => i.state === 'active')) {
    io.err(`porchlight: discovery cannot run: ${before.problems.join('; ')}`)
    return 1
  }
  const timeout = options.timeoutMs ?? (options.watch ? undefined : DEFAULT_DISCOVER_TIMEOUT_MS)
  const stop = timeout === undefined ? io.stopSignal : Promise.race([io.stopSignal, io.sleep(timeout)])
  if (options.watch) {
    const known = new Map<string, string>()
    const off = engine.subscribeDevices((change) => {
      const [json] = toDiscoverJson([change.device])
      if (!json) return
      const line = JSON.stringify({ event: change.type, device: json })
      if (change.type !== 'down' && known.get(change.device.id) === line) return
      known.set(change.device.id, line)
      io.out(options.json ? line : `${change.type === 'down' ? '-' : change.type === 'up' ? '+' : '~'} ${json.name} (${json.services.map((s) => s.type).join(', ')}) ${json.services.flatMap((s) => s.addresses.map((a) => a.address)).join(' ')}`)
    })
    await stop
    off()
    return 0
  }
  await stop
  const devices = engine.devices()
  if (options.json) io.out(JSON.stringify(toDiscoverJson(devices), null, 2))
  else if (devices.length > 0) io.out(formatDevices(devices))
  if (devices.length === 0) io.err(describeAttempt(engine.snapshot().status))
  return 0
}
