/**
 * The shape every ESP protocomm security scheme (0, 1, 2) has on each side of a session, so the device
 * simulator and the client driver drive them the same way.
 */

/** Device side: answers `prov-session` messages, then protects every other endpoint's payloads. */
export interface DeviceSecurity {
  /** Protocomm's security version: 0, 1 or 2. */
  readonly version: 0 | 1 | 2
  /** Handles one `prov-session` request body; returns the response body, or an error for a bad message. */
  handleSession(request: Uint8Array): SessionStep
  /** True once the handshake completed and payloads can be exchanged. */
  readonly isEstablished: boolean
  /** Decrypts a request payload (identity for security 0). Throws on an authentication failure. */
  decrypt(data: Uint8Array): Uint8Array
  /** Encrypts a response payload (identity for security 0). */
  encrypt(data: Uint8Array): Uint8Array
}

/** One step of a device-side handshake. */
export type SessionStep =
  | { ok: true; response: Uint8Array }
  | { ok: false; reason: 'invalid-message' | 'proof-mismatch' | 'invalid-state' | 'invalid-public-key'; response?: Uint8Array }

/** Client side: produces `prov-session` requests and checks the device's answers. */
export interface ClientSecurity {
  readonly version: 0 | 1 | 2
  /** The first `prov-session` request body. */
  start(): Uint8Array
  /**
   * Consumes a `prov-session` response; returns the next request body, `done` when the session is up,
   * or an error (wrong PoP / password shows up here as `proof-mismatch`).
   */
  next(response: Uint8Array): { kind: 'send'; request: Uint8Array } | { kind: 'done' } | { kind: 'error'; reason: string }
  readonly isEstablished: boolean
  encrypt(data: Uint8Array): Uint8Array
  decrypt(data: Uint8Array): Uint8Array
}
