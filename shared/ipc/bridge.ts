/**
 * The shapes both sides of the contract implement: `Bridge` (what the renderer sees as `window.bridge`)
 * and `Handlers` (what main implements; exhaustive over the channels at compile time).
 */
import type { z } from 'zod'
import type { Channel, EventName, Events, Responses, requestSchemas } from './contract'
import type { Result } from './result'

/** The validated payload type of a channel. */
export type Payload<C extends Channel> = z.infer<(typeof requestSchemas)[C]>

/** Call arguments of a channel: none when its payload is `undefined`. */
export type InvokeArgs<C extends Channel> = undefined extends Payload<C> ? [] : [payload: Payload<C>]

/** All the renderer ever sees of its host. */
export interface Bridge {
  /** Sends a request; resolves to a `Result`, never rejects for a handler's failure. */
  invoke<C extends Channel>(channel: C, ...args: InvokeArgs<C>): Promise<Result<Responses[C]>>
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
}

/** One handler per channel; a missing or extra key is a compile error. */
export type Handlers = { [C in Channel]: (payload: Payload<C>) => Promise<Result<Responses[C]>> }

/** A typed event sink main services publish to; hosts forward it to their transport. */
export type EmitEvent = <E extends EventName>(event: E, payload: Events[E]) => void
