/** Formatting for the Discover screen: durations, times, host:port and hex dumps. Pure, and text only. */
import type { DiscoveredService } from '../../../shared/discovery/view'

/** "1 device" / "3 devices". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** A duration in seconds as "45 s", "2 min 5 s" or "1 h 2 min". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds))
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${s} s`
}

/** How long a record has left: "expires in 2 min 5 s", "expired", or "TTL unknown". */
export function formatRemaining(expiresAt: number | undefined, now: number): string {
  if (expiresAt === undefined) return 'TTL unknown'
  const seconds = Math.ceil((expiresAt - now) / 1000)
  return seconds <= 0 ? 'expired' : `expires in ${formatDuration(seconds)}`
}

/** A wall-clock time for lists: local time, with the date when it is not today. */
export function formatTime(at: number, now: number = Date.now()): string {
  const when = new Date(at)
  const sameDay = when.toDateString() === new Date(now).toDateString()
  return sameDay ? when.toLocaleTimeString() : when.toLocaleString()
}

/** "host.local:8080", "host.local" or "not resolved yet". */
export function hostPort(service: Pick<DiscoveredService, 'host' | 'port'>): string {
  if (service.host === null) return 'not resolved yet'
  return service.port === null ? service.host : `${service.host}:${service.port}`
}

/** Bytes of a hex string; anything that is not a hex digit is ignored, and an odd last digit dropped. */
export function hexBytes(hex: string): number[] {
  const digits = hex.replace(/[^0-9a-fA-F]/g, '')
  const bytes: number[] = []
  for (let i = 0; i + 1 < digits.length; i += 2) bytes.push(parseInt(digits.slice(i, i + 2), 16))
  return bytes
}

const byteHex = (b: number) => b.toString(16).padStart(2, '0')

/** A hex string as spaced byte pairs: "0a 1b 2c". */
export function spacedHex(hex: string): string {
  return hexBytes(hex).map(byteHex).join(' ')
}

/** Printable ASCII as itself, everything else as a dot (never markup: the result is rendered as text). */
function asciiColumn(bytes: readonly number[]): string {
  return bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')
}

/** A classic 16-bytes-a-line dump: offset, hex bytes (split at 8), ASCII column. */
export function hexDump(hex: string): string[] {
  const bytes = hexBytes(hex)
  const lines: string[] = []
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.slice(offset, offset + 16)
    const left = row.slice(0, 8).map(byteHex).join(' ')
    const right = row.slice(8).map(byteHex).join(' ')
    lines.push(`${offset.toString(16).padStart(4, '0')}  ${`${left}  ${right}`.padEnd(49)} |${asciiColumn(row)}|`)
  }
  return lines
}
