/**
 * Pieces shared by the security 0/1/2 implementations: typed client steps, the error thrown by
 * encrypt/decrypt, and randomness as an injectable port so test vectors can fix keys and nonces.
 */
import { randomBytes } from 'node:crypto'
import type { Status } from './constants'
import type { ClientSecurity } from './security-types'

/** Why a client-side handshake step failed. */
export type ClientErrorReason =
  | 'invalid-message'
  | 'invalid-state'
  | 'invalid-public-key'
  | 'proof-mismatch'
  | 'device-status'
  | 'invalid-nonce'

/** A client handshake step with typed reasons (assignable to ClientSecurity's result). */
export type ClientStep =
  | { kind: 'send'; request: Uint8Array }
  | { kind: 'done' }
  | { kind: 'error'; reason: ClientErrorReason; message: string; status?: Status }

/** A ClientSecurity whose `next` reports typed reasons and a human message. */
export interface EspClientSecurity extends ClientSecurity {
  next(response: Uint8Array): ClientStep
}

/** Source of random bytes: the device's keys, nonces and salts are drawn from it in a documented order. */
export type RandomBytes = (size: number) => Uint8Array

/** node:crypto's CSPRNG as a RandomBytes port. */
export const secureRandomBytes: RandomBytes = (size) => new Uint8Array(randomBytes(size))

/** Why encrypt/decrypt refused; messages never include keys or payload bytes. */
export class SessionCryptoError extends Error {
  /** `not-established`: no session yet; `authentication-failed`: GCM tag mismatch (tampering or desync); `nonce-exhausted`: counter reached 0. */
  readonly code: 'not-established' | 'authentication-failed' | 'nonce-exhausted'

  constructor(code: SessionCryptoError['code'], message: string) {
    super(message)
    this.name = 'SessionCryptoError'
    this.code = code
  }
}

/** Throws the standard "no session" error. */
export function notEstablished(): never {
  throw new SessionCryptoError('not-established', 'No secure session is established; run the prov-session handshake first.')
}

/** A client error step. */
export function clientError(reason: ClientErrorReason, message: string, status?: Status): ClientStep {
  return status === undefined ? { kind: 'error', reason, message } : { kind: 'error', reason, message, status }
}

/** Text or bytes as bytes (PoP, usernames and passwords are byte strings on the wire). */
export function utf8(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value
}
