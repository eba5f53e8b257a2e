/**
 * The home network form: which networks to list (named, one line per name, strongest first), signal as
 * bars, and turning what was typed into a `setup:credentials` request with the contract's own passphrase
 * rule, each bad field saying what it needs. Pure; the passphrase only passes through.
 */
import { CredentialsRequest, type SetupNetwork } from '../../../shared/provisioning/view'

/** The networks to offer: hidden ones (no name) left out, one per name (the strongest), strongest first. */
export function networkChoices(networks: readonly SetupNetwork[]): SetupNetwork[] {
  const byName = new Map<string, SetupNetwork>()
  for (const n of networks) {
    if (n.ssid === '') continue
    const seen = byName.get(n.ssid)
    if (!seen || n.signal > seen.signal) byName.set(n.ssid, n)
  }
  return [...byName.values()].sort((a, b) => b.signal - a.signal || a.ssid.localeCompare(b.ssid))
}

/** Signal 0–100 as 0–4 bars, the way Wi-Fi menus draw them. */
export function signalBars(signal: number): number {
  if (!Number.isFinite(signal) || signal <= 0) return 0
  return Math.min(4, Math.ceil(signal / 25))
}

/** What the network form holds when it is sent. */
export interface CredentialsForm {
  ssid: string
  passphrase: string
  /** The name was typed ("Other network…"), not picked from the accessory's scan. */
  isHidden: boolean
  /** The picked network needs a passphrase (a typed one may be open or not). */
  isSecured: boolean
}

/** Messages for the fields of the network form. */
export interface CredentialsErrors {
  ssid?: string
  passphrase?: string
}

/** Longest SSID in bytes (IEEE 802.11). */
export const MAX_SSID_BYTES = 32

const passphraseRule = CredentialsRequest.shape.passphrase

/** Checks the form; a valid one becomes the request (no passphrase for an open network or an empty typed one). */
export function parseCredentials(form: CredentialsForm): { ok: true; request: CredentialsRequest } | { ok: false; errors: CredentialsErrors } {
  const errors: CredentialsErrors = {}
  if (form.ssid === '') errors.ssid = 'Type the network’s name exactly as it is spelled.'
  else if (new TextEncoder().encode(form.ssid).length > MAX_SSID_BYTES) errors.ssid = 'A network name has at most 32 characters (fewer with accented letters or emoji).'
  const hasPassphrase = form.passphrase !== ''
  if (form.isSecured && !hasPassphrase) errors.passphrase = 'This network is secured: enter its password.'
  else if (hasPassphrase && !passphraseRule.safeParse(form.passphrase).success) {
    errors.passphrase = 'A Wi-Fi password has 8 to 63 characters, or exactly 64 hex digits (0–9, a–f).'
  }
  if (errors.ssid !== undefined || errors.passphrase !== undefined) return { ok: false, errors }
  const request: CredentialsRequest = {
    ssid: form.ssid,
    ...(hasPassphrase && { passphrase: form.passphrase }),
    ...(form.isHidden && { isHidden: true }),
  }
  const checked = CredentialsRequest.safeParse(request)
  if (!checked.success) return { ok: false, errors: { ssid: 'Porchlight cannot send this network name; check it and try again.' } }
  return { ok: true, request: checked.data }
}
