/**
 * The web host's WebSocket framing of the contract: JSON envelopes for requests, results and events.
 * Both ends validate what they receive with these schemas.
 */
import { z } from 'zod'

/** The subprotocol the server selects once the token checks out. */
export const IPC_PROTOCOL = 'porchlight.v1'
/** Prefix of the subprotocol that carries the per-launch token (browsers cannot set WebSocket headers). */
export const TOKEN_PROTOCOL_PREFIX = 'porchlight-token.'
/** WebSocket path of the IPC endpoint. */
export const IPC_PATH = '/ipc'
/** Close code for a rejected token (4000–4999 are application codes, RFC 6455 §7.4.2). */
export const CLOSE_UNAUTHORIZED = 4401

/** Client → server: one request. */
export const InvokeMessage = z.object({
  t: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  payload: z.unknown().optional(),
})
/** Client → server: one request. */
export type InvokeMessage = z.infer<typeof InvokeMessage>

/** Server → client: the result of request `id`, or an event. */
export const ServerMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({ t: z.literal('event'), event: z.string(), payload: z.unknown() }),
])
/** Server → client message. */
export type ServerMessage = z.infer<typeof ServerMessage>

/** The shape of a `Result` on the wire; values are typed by the contract, errors must carry code and message. */
export const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.looseObject({ code: z.string(), message: z.string() }) }),
])
