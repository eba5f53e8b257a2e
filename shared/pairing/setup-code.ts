/**
 * Setup codes as people scan or type them (issue #5): Espressif's QR JSON payload
 * (reference/provisioning-protocols.md §1.9 and (b) 17), the esp-jumpstart wrapper URL the IDF example
 * prints, and a proof of possession typed from a label. Every result is a `SetupCodeInput` or an error value.
 *
 * Secret handling: the input is a secret (PoP, SRP password, SoftAP passphrase). No message here contains
 * any part of it, nothing is logged, and `describeSetupCode` says what a code is for without what it is.
 */
import { SetupCodeInput } from '../provisioning/view'

/** Why a payload or typed code was refused; the UI and the CLI may switch on it. */
export type SetupCodeErrorCode =
  | 'code-empty'
  | 'code-too-long'
  | 'code-homekit'
  | 'code-matter'
  | 'code-not-setup-code'
  | 'code-unsupported-version'
  | 'code-invalid-name'
  | 'code-invalid-pop'
  | 'code-invalid-username'
  | 'code-invalid-security'
  | 'code-invalid-password'
  | 'code-unknown-transport'

/** A refusal: a kebab-case code and a message that says what to do next (never the input). */
export interface SetupCodeError {
  code: SetupCodeErrorCode
  message: string
}

/** The outcome of parsing a setup code. */
export type SetupCodeResult = { ok: true; value: SetupCodeInput } | { ok: false; error: SetupCodeError }

/** Longest payload read at all, in UTF-8 bytes: a real QR payload is under 200. */
export const MAX_PAYLOAD_BYTES = 2048

const TYPE_INSTEAD = 'or type the code printed on the accessory’s label instead.'

const MESSAGES: Record<SetupCodeErrorCode, string> = {
  'code-empty': 'Scan the accessory’s QR code, or type the setup code printed on its label.',
  'code-too-long': `This is far longer than any setup code, so Porchlight did not read it. Scan the QR code on the accessory again, ${TYPE_INSTEAD}`,
  'code-homekit': 'This is a HomeKit setup code. Porchlight does not pair HomeKit accessories yet: add it with the Apple Home app.',
  'code-matter': 'This is a Matter setup code. Porchlight does not pair Matter accessories yet: add it with your smart-home app (Apple Home, Google Home, Alexa, SmartThings…).',
  'code-not-setup-code': `This is not an Espressif setup code. Scan the QR code printed on the accessory or its box, ${TYPE_INSTEAD}`,
  'code-unsupported-version': `This QR code uses a format version Porchlight cannot read (it reads v1). Update Porchlight, ${TYPE_INSTEAD}`,
  'code-invalid-name': `The accessory name in this QR code is missing or not a valid Wi-Fi setup name (1–32 bytes). Scan it again, ${TYPE_INSTEAD}`,
  'code-invalid-pop': 'A setup code has 1 to 64 characters, with no line breaks or invisible characters. Check the code on the label and type it again.',
  'code-invalid-username': 'A setup username has 1 to 64 characters, with no line breaks or invisible characters. Leave it empty unless the label shows one.',
  'code-invalid-security': `The security level in this QR code is not 0, 1 or 2. Scan it again, ${TYPE_INSTEAD}`,
  'code-invalid-password': `The Wi-Fi password in this QR code is not 8–63 characters, so it cannot be the accessory network’s password. Scan it again, ${TYPE_INSTEAD}`,
  'code-unknown-transport': 'This QR code is for a connection type Porchlight does not know (it reads SoftAP and Bluetooth codes). Type the code printed on the accessory’s label instead.',
}

function fail(code: SetupCodeErrorCode): { ok: false; error: SetupCodeError } {
  return { ok: false, error: { code, message: MESSAGES[code] } }
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length
// Control characters (C0, DEL, C1) and invisible format characters (zero-width, bidi overrides, BOM):
// never on a printed label, and in a name they could disguise one accessory as another.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u

/** Returns the JSON text inside an esp-jumpstart link, or undefined if `text` is not one. */
function unwrapJumpstartUrl(text: string): string | undefined {
  const match = /^https?:\/\/espressif\.github\.io\/esp-jumpstart\/qrcode\.html\?(.*)$/is.exec(text)
  if (!match) return undefined
  const query = match[1] ?? ''
  const at = /(?:^|&)data=/.exec(query)
  if (!at) return ''
  const raw = query.slice(at.index + at[0].length)
  // The IDF example prints the JSON unencoded (app_main.c: "%s?data=%s"); a browser or scanner encodes it.
  // Raw first: an unencoded PoP may itself hold '%', '+' or '&'.
  if (isJson(raw)) return raw
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function optionalText(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined
  return typeof value === 'string' ? value : null
}

function readSecurity(value: unknown): 0 | 1 | 2 | undefined | null {
  if (value === undefined || value === null) return undefined
  // Android reads it with optInt, which also takes "2".
  const n = typeof value === 'string' && /^[0-2]$/.test(value.trim()) ? Number(value.trim()) : value
  return n === 0 || n === 1 || n === 2 ? n : null
}

function readTransport(value: unknown): 'softap' | 'ble' | undefined | null {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') return null
  const t = value.trim().toLowerCase()
  return t === 'softap' || t === 'ble' ? t : null
}

/** Turns the fields of a v1 payload into a SetupCodeInput (see parseSetupPayload for the security rule). */
function fromPayload(json: Record<string, unknown>): SetupCodeResult {
  if (json.ver !== undefined && json.ver !== 'v1') return fail('code-unsupported-version')
  const name = json.name
  if (typeof name !== 'string' || name.length === 0 || utf8Length(name) > 32 || UNPRINTABLE.test(name)) {
    return fail(json.ver === undefined && name === undefined ? 'code-not-setup-code' : 'code-invalid-name')
  }
  const pop = optionalText(json.pop)
  if (pop === null || (pop !== undefined && pop.length > 64)) return fail('code-invalid-pop')
  const username = optionalText(json.username)
  if (username === null || (username !== undefined && (username.length > 64 || UNPRINTABLE.test(username)))) return fail('code-invalid-username')
  const security = readSecurity(json.security)
  if (security === null) return fail('code-invalid-security')
  const transport = readTransport(json.transport)
  if (transport === null) return fail('code-unknown-transport')
  const password = optionalText(json.password)
  if (password === null || (password !== undefined && (password.length < 8 || password.length > 63))) return fail('code-invalid-password')
  const value = {
    serviceName: name,
    ...(pop !== undefined && { pop }),
    ...(username !== undefined && { username }),
    ...(security !== undefined ? { security } : username !== undefined ? { security: 2 as const } : {}),
    ...(transport !== undefined && { transport }),
    ...(password !== undefined && { apPassphrase: password }),
  }
  const checked = SetupCodeInput.safeParse(value)
  return checked.success ? { ok: true, value: checked.data } : fail('code-not-setup-code')
}

/**
 * Parses a scanned or pasted QR payload: Espressif's `{"ver":"v1","name":…,"pop":…,"transport":…}` with
 * optional `username`, `security` and `password`, bare or inside the esp-jumpstart link. Unknown keys are
 * ignored. Security: an explicit `security` wins; absent with a `username` means 2 (only SRP has one);
 * absent without a username stays undefined so the device's `proto-ver` decides — Android's "absent ⇒ 2"
 * would break the IDF's own security 1 example, whose QR omits `security`.
 */
export function parseSetupPayload(text: string): SetupCodeResult {
  if (typeof text !== 'string') return fail('code-not-setup-code')
  if (text.length > MAX_PAYLOAD_BYTES || utf8Length(text) > MAX_PAYLOAD_BYTES) return fail('code-too-long')
  const trimmed = text.trim()
  if (trimmed === '') return fail('code-empty')
  if (/^x-hm:\/\//i.test(trimmed)) return fail('code-homekit')
  if (/^mt:/i.test(trimmed)) return fail('code-matter')
  const body = unwrapJumpstartUrl(trimmed) ?? trimmed
  let json: unknown
  try {
    json = JSON.parse(body.trim())
  } catch {
    return fail('code-not-setup-code')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('code-not-setup-code')
  return fromPayload(json as Record<string, unknown>)
}

/**
 * True when text looks meant as a whole QR payload (JSON, a link, a HomeKit or Matter code) rather than a
 * code typed from a label, so a paste into the code field is read as a payload instead of filling the field.
 */
export function looksLikeSetupPayload(text: string): boolean {
  return /^\s*(?:\{|https?:\/\/|x-hm:\/\/|mt:)/i.test(text)
}

/**
 * Checks a code typed from a label: the PoP (security 1) or SRP password (security 2), and for security 2
 * the username if the label shows one. Both are trimmed and must be 1–64 printable characters. A username
 * marks the code as security 2; without one the device's `proto-ver` decides.
 */
export function parseManualCode(pop: string, username?: string): SetupCodeResult {
  const code = typeof pop === 'string' ? pop.trim() : ''
  if (code === '') return fail('code-empty')
  if (code.length > 64 || UNPRINTABLE.test(code)) return fail('code-invalid-pop')
  const user = typeof username === 'string' ? username.trim() : ''
  if (user.length > 64 || UNPRINTABLE.test(user)) return fail('code-invalid-username')
  return { ok: true, value: user === '' ? { pop: code } : { pop: code, username: user, security: 2 } }
}

/** Says what a code is for, safe to show and to log: security level, accessory name, transport — never the secret. */
export function describeSetupCode(code: SetupCodeInput): string {
  const kind = code.security === undefined ? 'Setup code' : `Security ${code.security} code`
  const target = code.serviceName !== undefined ? ` for ${code.serviceName}` : code.transport === undefined ? ' (typed)' : ''
  const over = code.transport === 'ble' ? ' over Bluetooth' : ''
  const ap = code.apPassphrase !== undefined ? ', with the password of its setup network' : ''
  return `${kind}${target}${over}${ap}`
}
