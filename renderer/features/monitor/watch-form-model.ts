/**
 * The "watch an address" form without React: what the fields hold, how they become a `WatchRequest`, and
 * the contract's own zod schema as the judge, with its issues turned into plain-language field messages.
 */
import { HEARTBEAT_DEFAULT_MS, HEARTBEAT_MAX_MS, HEARTBEAT_MIN_MS, WatchRequest, type ProtocolKind } from '../../../shared/session/view'

/** The form's fields, as the user typed them. */
export interface WatchFormValues {
  host: string
  port: string
  protocol: ProtocolKind
  requestHex: string
  path: string
  /** Seconds, because people think in seconds; the request carries milliseconds. */
  intervalSeconds: string
}

/** A field that can carry an error. */
export type WatchField = 'host' | 'port' | 'protocol' | 'requestHex' | 'path' | 'interval'

/** Messages by field; only fields with a problem are present. */
export type WatchFieldErrors = Partial<Record<WatchField, string>>

/** The form as first shown. */
export const INITIAL_WATCH_FORM: WatchFormValues = {
  host: '',
  port: '',
  protocol: 'lab-control',
  requestHex: '',
  path: '/',
  intervalSeconds: String(HEARTBEAT_DEFAULT_MS / 1000),
}

/** The protocols offered, in the order the select lists them. */
export const PROTOCOL_OPTIONS: readonly { kind: ProtocolKind; label: string }[] = [
  { kind: 'lab-control', label: 'Lab accessory control' },
  { kind: 'tcp-heartbeat', label: 'TCP heartbeat (send bytes, expect a reply)' },
  { kind: 'http-poll', label: 'HTTP polling' },
  { kind: 'esp-endpoint', label: 'ESP local control endpoint' },
]

/** What each field must hold, said the way the form says it. */
export const FIELD_MESSAGES: Record<WatchField, string> = {
  host: 'Enter the accessory’s host name or IP address (up to 80 characters).',
  port: 'Enter a port number from 1 to 65535.',
  protocol: 'Choose how Porchlight should check the accessory.',
  requestHex: 'Enter the bytes to send as hex pairs, for example 70696e67 (1 to 256 bytes).',
  path: 'Enter a path that starts with /, without spaces, for example /status.',
  interval: `Enter how often to check, from ${HEARTBEAT_MIN_MS / 1000} to ${HEARTBEAT_MAX_MS / 1000} seconds.`,
}

/** Fields in the order they appear, so the first invalid one gets focus. */
export const FIELD_ORDER: readonly WatchField[] = ['host', 'port', 'protocol', 'requestHex', 'path', 'interval']

function toNumber(text: string): number {
  const trimmed = text.trim()
  return trimmed === '' ? Number.NaN : Number(trimmed)
}

function protocolOf(values: WatchFormValues): Record<string, unknown> {
  switch (values.protocol) {
    case 'tcp-heartbeat':
      return { kind: values.protocol, requestHex: values.requestHex.replace(/\s+/g, '') }
    case 'http-poll':
      return { kind: values.protocol, path: values.path.trim() }
    case 'lab-control':
    case 'esp-endpoint':
      return { kind: values.protocol }
  }
}

function fieldOf(path: readonly PropertyKey[]): WatchField {
  const [top, sub] = path
  if (top === 'intervalMs') return 'interval'
  if (top === 'target') return sub === 'port' ? 'port' : 'host'
  if (top === 'protocol' && (sub === 'requestHex' || sub === 'path')) return sub
  return 'protocol'
}

/** Validates the form with the contract's schema: the request to send, or a message per bad field. */
export function parseWatchForm(values: WatchFormValues): { ok: true; request: WatchRequest } | { ok: false; errors: WatchFieldErrors } {
  const candidate = {
    target: { kind: 'address', host: values.host.trim(), port: toNumber(values.port) },
    protocol: protocolOf(values),
    intervalMs: Math.round(toNumber(values.intervalSeconds) * 1000),
  }
  const parsed = WatchRequest.safeParse(candidate)
  if (parsed.success) return { ok: true, request: parsed.data }
  const errors: WatchFieldErrors = {}
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path)
    errors[field] = FIELD_MESSAGES[field]
  }
  return { ok: false, errors }
}
