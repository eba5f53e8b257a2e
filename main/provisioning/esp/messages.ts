/**
 * The ESP Unified Provisioning message layer in one import: typed protobuf codecs for every endpoint
 * payload (§1.6), the proto-ver JSON (§1.4) and the enum constants. Decoders never throw.
 */
export * from './constants'
export type { ProtoError, ProtoResult } from './proto-codec'
export * from './proto-ver'
export * from './session-messages'
export * from './wifi-messages'
