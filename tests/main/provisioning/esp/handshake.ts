/**
 * Drives a client and a device security object against each other the way a transport would, recording
 * where a handshake stopped. A device failure (no response body) is what protocomm_httpd turns into a
 * closed socket.
 */
import type { EspClientSecurity } from '../../../../main/provisioning/esp/security-common'
import type { DeviceSecurity, SessionStep } from '../../../../main/provisioning/esp/security-types'

/** How a handshake ended. */
export type HandshakeOutcome =
  | { ok: true; rounds: number }
  | { ok: false; side: 'device'; step: Extract<SessionStep, { ok: false }>; round: number }
  | { ok: false; side: 'client'; reason: string; message: string; round: number }

/** Runs start → handleSession → next … until the client is done or one side fails. */
export function runHandshake(client: EspClientSecurity, device: DeviceSecurity): HandshakeOutcome {
  let request = client.start()
  for (let round = 1; round <= 4; round++) {
    const step = device.handleSession(request)
    if (!step.ok) return { ok: false, side: 'device', step, round }
    const next = client.next(step.response)
    if (next.kind === 'done') return { ok: true, rounds: round }
    if (next.kind === 'error') return { ok: false, side: 'client', reason: next.reason, message: next.message, round }
    request = next.request
  }
  throw new Error('handshake did not finish in 4 rounds')
}

/** One encrypted request/response exchange: client → device → client. */
export function exchange(client: EspClientSecurity, device: DeviceSecurity, request: Uint8Array, respond: (plain: Uint8Array) => Uint8Array): Uint8Array {
  const received = device.decrypt(client.encrypt(request))
  return client.decrypt(device.encrypt(respond(received)))
}
