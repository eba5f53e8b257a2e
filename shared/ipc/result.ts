/**
 * Errors as values across every host boundary.
 *
 * Electron keeps only `message` from an error thrown in `ipcMain.handle`, and the context bridge drops
 * custom properties, so nothing is thrown across: a request resolves to `Result<T>` whose error carries a
 * kebab-case `code` the UI can switch on and a message that says what to do next.
 */

/** Every error a request can resolve to; `code` is the discriminant. */
export type IpcError =
  | { code: 'invalid-request'; message: string; issues?: readonly string[] }
  | { code: 'unknown-channel'; message: string; channel: string }
  | { code: 'unauthorized'; message: string }
  | { code: 'not-supported'; message: string }
  | { code: 'not-found'; message: string }
  | { code: 'unavailable'; message: string }
  | { code: 'timeout'; message: string; afterMs: number }
  | { code: 'internal'; message: string }

/** Every error code, for exhaustive switches and for tests. */
export type IpcErrorCode = IpcError['code']

/** The outcome of a request: a value or a typed error, never a rejection. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError }

/** Wraps a successful value. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** Wraps an error value. */
export function fail<T = never>(error: IpcError): Result<T> {
  return { ok: false, error }
}

/** Error codes in the order the UI lists them; `satisfies` keeps the list exhaustive. */
export const IPC_ERROR_CODES = [
  'invalid-request',
  'unknown-channel',
  'unauthorized',
  'not-supported',
  'not-found',
  'unavailable',
  'timeout',
  'internal',
] as const satisfies readonly IpcErrorCode[]
