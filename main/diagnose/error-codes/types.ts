/**
 * The shapes the error decoder's tables share: what a code means to the people reading it and what to do
 * next. Kept apart from the decoder so each table file imports only this.
 */

/** Where a code comes from. */
export type ErrorSource =
  | 'errno'
  | 'winsock'
  | 'dns-sd'
  | 'esp-prov-status'
  | 'esp-wifi-state'
  | 'esp-wifi-fail-reason'
  | 'http'

/** One plausible reading of a pasted code, in plain language with a next step. */
export interface DecodedError {
  source: ErrorSource
  /** The code as the system names it: `EHOSTUNREACH`, `WSAETIMEDOUT`, `-65554`, `AuthError`, `404`. */
  code: string
  /** A short title; for a number it says which platform reads it this way. */
  name: string
  /** What it means for the user, in words support staff can read out. */
  meaning: string
  /** The one thing to do next. */
  nextStep: string
  /** Numbered steps when there is more than one thing to try. */
  steps?: string[]
}

/** The words for one code, without its source and name. */
export interface Explanation {
  meaning: string
  nextStep: string
  steps?: readonly string[]
}

/** The operating systems whose numbers differ. */
export type Os = 'linux' | 'darwin' | 'win32'

/** How each OS is called in text. */
export const OS_LABEL: Readonly<Record<Os, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }

/** The OS a Node platform name reads numbers like (Android uses the Linux kernel's numbers). */
export function osOf(platform: NodeJS.Platform | undefined): Os | undefined {
  if (platform === 'linux' || platform === 'android') return 'linux'
  if (platform === 'darwin' || platform === 'win32') return platform
  return undefined
}
