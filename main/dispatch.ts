/**
 * The one way a host turns an untrusted request into a handler call: the channel must be in the contract,
 * the payload must match its schema, and nothing a handler throws crosses the boundary.
 */
import { fail, isChannel, requestSchemas, type Handlers, type IpcError, type Result } from '../shared/ipc'

/** Reports an unexpected throw; hosts log it (never the payload, which may hold secrets). */
export type ReportInternal = (channel: string, error: unknown) => void

/** Validates and runs one request; always resolves to a `Result`. */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  payload: unknown,
  reportInternal: ReportInternal = () => undefined,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ code: 'unknown-channel', message: 'That request is not part of this version of Porchlight.', channel: String(channel).slice(0, 64) })
  }
  const parsed = requestSchemas[channel].safeParse(payload)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    return fail({ code: 'invalid-request', message: `The request to ${channel} was malformed.`, issues })
  }
  try {
    const handler = handlers[channel] as (p: unknown) => Promise<Result<unknown>>
    return await handler(parsed.data)
  } catch (error) {
    reportInternal(channel, error)
    const internal: IpcError = { code: 'internal', message: `Porchlight hit an unexpected problem handling ${channel}. Try again; if it repeats, restart Porchlight.` }
    return fail(internal)
  }
}
