/**
 * The crowd process's control channel, JSON lines both ways. Start: `node <bundle of main.ts> '<StartArgs JSON>'`.
 * stdin, one command a line, optional `id` echoed in the reply:
 *   {"cmd":"announce","k"?:n}  {"cmd":"goodbye","k":n}  {"cmd":"goodbyeAll"}  {"cmd":"stats"}  {"cmd":"stop","silent"?:bool}
 * stdout: replies `{"id"?,"ok":true,...}` / `{"id"?,"ok":false,"error"}`, and events with an `ev` field:
 *   ready (once, after the sockets are bound and the first announcement is out), sent (every packet:
 *   kind, to, family, bytes, answers, additionals), query, dropped, error, stopped. Every line has `t` (ms).
 * EOF on stdin stops silently (an unplugged crowd) and exits.
 */
import { z } from 'zod'
import { CrowdOptionsSchema } from './devices'

/** The single argv argument of the crowd process. */
export const StartArgsSchema = z.object({
  options: CrowdOptionsSchema,
  ifname: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/),
  address4: z.ipv4(),
})

/** The crowd process's start arguments. */
export type StartArgs = z.input<typeof StartArgsSchema>

/** One control command. */
export const CommandSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('announce'), id: z.number().optional(), k: z.number().int().min(1).optional() }),
  z.object({ cmd: z.literal('goodbye'), id: z.number().optional(), k: z.number().int().min(1) }),
  z.object({ cmd: z.literal('goodbyeAll'), id: z.number().optional() }),
  z.object({ cmd: z.literal('stats'), id: z.number().optional() }),
  z.object({ cmd: z.literal('stop'), id: z.number().optional(), silent: z.boolean().default(true) }),
])

/** A parsed control command. */
export type Command = z.output<typeof CommandSchema>

/** The `ready` event. */
export interface ReadyEvent {
  ev: 'ready'
  t: number
  pid: number
  devices: number
  present: number
  address4: string
  address6: string | null
}
