/**
 * Typed codec for `SessionData` (session.proto + sec0/sec1/sec2.proto), the body of every `prov-session`
 * request and response. Each scheme's oneof becomes a tagged union member (`type` = oneof member name).
 */
import type { SecVersion, Status } from './constants'
import {
  decodeMessage,
  encodeMessage,
  isKnownEnum,
  packOneof,
  protoError,
  unpackOneof,
  type OneofSpec,
  type ProtoResult,
  type Tagged,
} from './proto-codec'

/** Sec0Payload: `sc` (command, empty) or `sr` (response). */
export type Sec0Message = { scheme: 0; type: 'sc' } | { scheme: 0; type: 'sr'; status: Status }

/** Sec1Payload (X25519 + PoP + AES-CTR handshake). */
export type Sec1Message =
  | { scheme: 1; type: 'sc0'; clientPubkey: Uint8Array }
  | { scheme: 1; type: 'sr0'; status: Status; devicePubkey: Uint8Array; deviceRandom: Uint8Array }
  | { scheme: 1; type: 'sc1'; clientVerifyData: Uint8Array }
  | { scheme: 1; type: 'sr1'; status: Status; deviceVerifyData: Uint8Array }

/** Sec2Payload (SRP-6a + AES-GCM handshake). */
export type Sec2Message =
  | { scheme: 2; type: 'sc0'; clientUsername: Uint8Array; clientPubkey: Uint8Array }
  | { scheme: 2; type: 'sr0'; status: Status; devicePubkey: Uint8Array; deviceSalt: Uint8Array }
  | { scheme: 2; type: 'sc1'; clientProof: Uint8Array }
  | { scheme: 2; type: 'sr1'; status: Status; deviceProof: Uint8Array; deviceNonce: Uint8Array }

/** The `proto` oneof of SessionData. */
export type SessionPayload = Sec0Message | Sec1Message | Sec2Message

/** SessionData: `sec_ver` and the payload are separate fields on the wire, so they may disagree. */
export interface SessionData {
  secVer: SecVersion
  /** Absent when the sender set no scheme payload (security 0 firmware accepts that). */
  payload?: SessionPayload
}

const SCHEME_SPECS: Readonly<Record<SecVersion, OneofSpec>> = {
  0: { kinds: { sc: 0, sr: 1 } },
  1: { kinds: { sc0: 0, sr0: 1, sc1: 2, sr1: 3 } },
  2: { kinds: { sc0: 0, sr0: 1, sc1: 2, sr1: 3 } },
}
const SCHEMES = [0, 1, 2] as const

/** Encodes a SessionData (proto3 defaults such as `sec_ver = 0` are omitted, as protobuf-c and Python do). */
export function encodeSessionData(data: SessionData): Uint8Array {
  const object: Record<string, unknown> = { secVer: data.secVer }
  if (data.payload) {
    const { scheme, ...message } = data.payload
    object[`sec${scheme}`] = packOneof(SCHEME_SPECS[scheme], message)
  }
  return encodeMessage('SessionData', object)
}

/** Decodes a SessionData; never throws. Rejects unknown `sec_ver`, unknown statuses and msg/oneof mismatches. */
export function decodeSessionData(bytes: Uint8Array): ProtoResult<SessionData> {
  const decoded = decodeMessage('SessionData', bytes)
  if (!decoded) return protoError('invalid-protobuf', 'The session message is not valid protobuf; restart the session.')
  const secVer = decoded.secVer
  if (secVer !== 0 && secVer !== 1 && secVer !== 2) {
    return protoError('unexpected-message', 'The session message names an unknown security scheme.')
  }
  const present = SCHEMES.filter((scheme) => decoded[`sec${scheme}`] !== undefined && decoded[`sec${scheme}`] !== null)
  const scheme = present[0]
  if (scheme === undefined) return { ok: true, value: { secVer } }
  const message: Tagged | undefined = present.length === 1 ? unpackOneof(SCHEME_SPECS[scheme], decoded[`sec${scheme}`]) : undefined
  if (!message || ('status' in message && !isKnownEnum('Status', message.status))) {
    return protoError('unexpected-message', 'The session message has an inconsistent or unknown payload; restart the session.')
  }
  return { ok: true, value: { secVer, payload: { scheme, ...message } as SessionPayload } }
}
