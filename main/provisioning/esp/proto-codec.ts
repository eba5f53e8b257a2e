/**
 * Shared plumbing for the typed ESP message codecs: a decode that never throws, and the mapping between
 * protobuf's `msg` enum + `oneof payload` pair and one tagged TypeScript union member.
 *
 * Decoding is strict about that pair: `msg` must name the oneof member that is present, which turns most
 * garbage (a desynchronised AES-CTR stream, a wrong key) into an error instead of a plausible-looking
 * message. One exception, seen from esp_prov v5.5.2 in the lab: it sends ApplyConfig as `msg` alone
 * (`0804`), leaving out the empty `cmd_apply_config` member, and the firmware dispatches on `msg` — so a
 * missing member whose message type has no fields is accepted as that (empty) member.
 */
import { Type } from 'protobufjs'
import { espEnumValues, espMessageType, type EspMessageName } from './proto-schema'

/** Why bytes could not be decoded; the message never echoes the bytes (they may be a decrypted secret). */
export interface ProtoError {
  code: 'invalid-protobuf' | 'unexpected-message'
  message: string
}

/** A decoded value or a ProtoError. */
export type ProtoResult<T> = { ok: true; value: T } | { ok: false; error: ProtoError }

/** A plain object as protobufjs' `toObject` returns it (camelCase keys). */
export type ProtoObject = Record<string, unknown>

/** A union member: `type` is the oneof member name, the other keys its fields (plus outer fields). */
export type Tagged = { type: string } & ProtoObject

/** How one payload message maps: oneof member name → `msg` enum value; fields that sit on the payload itself. */
export interface OneofSpec {
  kinds: Readonly<Record<string, number>>
  outer?: readonly string[]
}

/** Error value helper. */
export function protoError(code: ProtoError['code'], message: string): { ok: false; error: ProtoError } {
  return { ok: false, error: { code, message } }
}

/** Encodes a top-level message from its protobufjs plain object; proto3 defaults are omitted on the wire. */
export function encodeMessage(name: EspMessageName, object: ProtoObject): Uint8Array {
  const type = espMessageType(name)
  return type.encode(type.fromObject(object)).finish()
}

/** Decodes bytes into a plain object with defaults filled in, or undefined when they are not valid protobuf. */
export function decodeMessage(name: EspMessageName, bytes: Uint8Array): ProtoObject | undefined {
  try {
    const type = espMessageType(name)
    // Copy first: decoded `bytes` fields are views into the input, which the caller may reuse.
    const message = type.decode(Uint8Array.from(bytes))
    // No `oneofs` virtual keys: unpackOneof finds the member itself, so nested oneofs add no stray keys.
    return plainBytes(type.toObject(message, { defaults: true, enums: Number, longs: Number })) as ProtoObject
  } catch {
    return undefined
  }
}

/** protobufjs hands out Node Buffers (and Buffer defaults); callers get plain Uint8Arrays everywhere. */
function plainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.constructor === Uint8Array ? value : new Uint8Array(value)
  if (Array.isArray(value)) return value.map(plainBytes)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainBytes(item)]))
}

/** `{ type, ...fields }` → `{ msg, [type]: fields, ...outer }`; undefined fields are left out. */
export function packOneof(spec: OneofSpec, message: Tagged): ProtoObject {
  const { type, ...fields } = message
  const body: ProtoObject = {}
  const out: ProtoObject = { msg: spec.kinds[type] }
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    if (spec.outer?.includes(key)) out[key] = value
    else body[key] = value
  }
  out[type] = body
  return out
}

/**
 * The reverse of packOneof; undefined unless a member is present and `msg` names it. (protobufjs already
 * applies protobuf's "last member wins" while decoding; the one-member check is defensive.)
 */
export function unpackOneof(spec: OneofSpec, object: unknown, isEmptyMember: (member: string) => boolean = () => false): Tagged | undefined {
  if (typeof object !== 'object' || object === null) return undefined
  const decoded = object as ProtoObject
  const present = Object.keys(spec.kinds).filter((key) => decoded[key] !== undefined && decoded[key] !== null)
  // msg 0 is also proto3's "absent", so only a non-zero msg can imply its member.
  if (present.length === 0 && decoded.msg !== 0) {
    const implied = Object.keys(spec.kinds).find((key) => spec.kinds[key] === decoded.msg)
    if (implied !== undefined && isEmptyMember(implied)) {
      present.push(implied)
      decoded[implied] = {}
    }
  }
  const type = present[0]
  if (present.length !== 1 || type === undefined || decoded.msg !== spec.kinds[type]) return undefined
  const out: Tagged = { type, ...(decoded[type] as ProtoObject) }
  for (const key of spec.outer ?? []) out[key] = decoded[key]
  return out
}

const enumCache = new Map<string, ReadonlySet<number>>()

/** True when `value` is a value the schema's enum `name` defines (proto3 keeps unknown numbers as-is). */
export function isKnownEnum(name: string, value: unknown): boolean {
  let values = enumCache.get(name)
  if (!values) enumCache.set(name, (values = espEnumValues(name)))
  return typeof value === 'number' && values.has(value)
}

/** Decodes `name` and unpacks its oneof; the common path of every typed decoder. */
export function decodeTagged(spec: OneofSpec & { name: EspMessageName }, bytes: Uint8Array, what: string): ProtoResult<Tagged> {
  const decoded = decodeMessage(spec.name, bytes)
  if (!decoded) return protoError('invalid-protobuf', `The ${what} is not valid protobuf; restart the session and retry.`)
  const fields = espMessageType(spec.name).fields
  const tagged = unpackOneof(spec, decoded, (member) => {
    const memberType = fields[member]?.resolvedType
    return memberType instanceof Type && memberType.fieldsArray.length === 0
  })
  if (!tagged) return protoError('unexpected-message', `The ${what} has no message or an inconsistent message type; restart the session.`)
  return { ok: true, value: tagged }
}
