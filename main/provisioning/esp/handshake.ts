/**
 * The `prov-session` handshake over the HTTP transport (reference §1.5), with its failures told apart the
 * way a user needs them: a wrong setup code versus a dropped connection versus a device that speaks
 * another security version.
 *
 * A wrong code shows up at the proof step (round 2) in three ways: security 1 firmware answers a status or
 * verify data that does not match, or — like security 2 firmware after a bad M — returns ESP_FAIL, which
 * protocomm_httpd turns into a closed socket without any HTTP reply (security2.c, §1.5). So a drop at
 * that step is read as "the code did not match", a drop anywhere else as a lost connection.
 */
import type { DriverError, DriverResult, ProbeInfo, SetupSecret } from '../driver'
import { Status } from './constants'
import type { EspHttpTransport, PostResult } from './http-transport'
import { createSecurity0Client } from './security0'
import { createSecurity1Client } from './security1'
import { createSecurity2Client } from './security2'
import type { ClientStep, EspClientSecurity } from './security-common'

/** Espressif's default SRP username (example firmware, QR `username`, reference §1.5 and §1.9). */
export const DEFAULT_SRP_USERNAME = 'wifiprov'
const PROOF_ROUND = 2
const MAX_ROUNDS = 4

/** What a handshake needs. */
export interface HandshakeParams {
  transport: EspHttpTransport
  info: ProbeInfo
  secret: SetupSecret
  signal?: AbortSignal | undefined
  /** Time one handshake message may take (the device computes SRP / X25519 before it answers). */
  timeoutMs?: number | undefined
}

/** Runs the handshake; resolves to the established client security, or why it failed. */
export async function runHandshake(params: HandshakeParams): Promise<DriverResult<EspClientSecurity>> {
  const { info, secret } = params
  const security = secret.security ?? info.security
  // A device announcing no_pop has an empty PoP: sending one would derive another key (security1.c).
  const pop = security === 1 && info.capabilities.includes('no_pop') ? '' : (secret.pop ?? '')
  if (security !== 0 && pop === '' && (security === 2 || info.needsCode)) {
    return fail({ code: 'wrong-code', message: 'This accessory needs its setup code (the PoP or password on its label or QR code). Enter it to continue.' })
  }
  // Security 2's nonce scheme is announced by sec_patch_ver, but the nonce length proves it: a device that
  // answers with the other length gets one more attempt with the scheme it actually uses.
  const patches: (0 | 1)[] = info.securityPatch === 1 ? [1, 0] : [0, 1]
  for (const patch of security === 2 ? patches : [0 as const]) {
    const client =
      security === 0 ? createSecurity0Client()
      : security === 1 ? createSecurity1Client({ pop })
      : createSecurity2Client({ username: secret.username ?? DEFAULT_SRP_USERNAME, password: pop, patchVersion: patch })
    const outcome = await rounds(params, client, security, security !== info.security)
    if (outcome.ok || outcome.error.code !== 'unsupported' || outcome.error.detail !== 'nonce-scheme') return outcome
  }
  return fail({ code: 'unsupported', message: 'The accessory’s security 2 session nonce matches neither known scheme.', detail: 'nonce-scheme' })
}

async function rounds(params: HandshakeParams, client: EspClientSecurity, security: 0 | 1 | 2, isForced: boolean): Promise<DriverResult<EspClientSecurity>> {
  let request = client.start()
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const reply = await params.transport.post('prov-session', request, { signal: params.signal, timeoutMs: params.timeoutMs })
    if (!reply.ok) return fail(transportFailure(reply, round, security, isForced))
    const step = client.next(reply.value)
    if (step.kind === 'done') return { ok: true, value: client }
    if (step.kind === 'error') return fail(stepFailure(step, round, security))
    request = step.request
  }
  return fail({ code: 'device-error', message: 'The accessory did not finish the secure session handshake.', detail: 'too-many-rounds' })
}

const fail = (error: DriverError): { ok: false; error: DriverError } => ({ ok: false, error })

const WRONG_CODE = 'The setup code did not match: the accessory refused it. Check the code on its label or QR code and try again.'

/**
 * Protocomm answers a message of another security version by closing the socket ("Security version
 * mismatch", security1.c/security2.c), so a drop of the very first message when the caller forced a
 * version that proto-ver did not announce means that version is not spoken.
 */
function transportFailure(reply: Extract<PostResult, { ok: false }>, round: number, security: 0 | 1 | 2, isForced: boolean): DriverError {
  const { error } = reply
  if (reply.httpStatus === 404) return { code: 'unsupported', message: 'The accessory has no provisioning session endpoint (prov-session).', detail: 'http-404' }
  const dropped = error.code === 'connection-lost' && error.detail !== 'timeout'
  if (round === 1 && isForced && (dropped || error.code === 'device-error')) {
    return { code: 'unsupported', message: `The accessory refused a security ${security} session; it announces another security version.`, detail: 'forced-security' }
  }
  if (round === PROOF_ROUND && security !== 0 && (dropped || error.code === 'device-error')) return { code: 'wrong-code', message: WRONG_CODE }
  return error
}

function stepFailure(step: Extract<ClientStep, { kind: 'error' }>, round: number, security: 0 | 1 | 2): DriverError {
  const status = step.status === undefined ? undefined : `status-${step.status}`
  switch (step.reason) {
    case 'proof-mismatch':
      return { code: 'wrong-code', message: security === 1 ? WRONG_CODE : 'The accessory could not prove it knows the setup code. Check the code, and that this is the accessory on the label.' }
    case 'device-status':
      if (round === PROOF_ROUND) return { code: 'wrong-code', message: WRONG_CODE }
      if (step.status === Status.InvalidSecScheme) return { code: 'unsupported', message: `The accessory does not use security ${security}.`, detail: 'status-1' }
      return { code: 'device-error', message: 'The accessory refused to start a secure session.', ...(status && { detail: status }) }
    case 'invalid-message':
      return round === 1
        ? { code: 'unsupported', message: `The accessory did not answer the security ${security} handshake; it may use another security version.`, detail: 'invalid-message' }
        : { code: 'device-error', message: 'The accessory answered the handshake with something unexpected.', detail: 'invalid-message' }
    case 'invalid-nonce':
      return { code: 'unsupported', message: 'The accessory’s session nonce does not match its announced security 2 patch level.', detail: 'nonce-scheme' }
    case 'invalid-public-key':
      return { code: 'device-error', message: 'The accessory sent an invalid key during the handshake. Try again.', detail: 'invalid-public-key' }
    case 'invalid-state':
      return { code: 'device-error', message: 'The secure session handshake went out of order. Try again.', detail: 'invalid-state' }
  }
}
