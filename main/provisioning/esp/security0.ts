/**
 * Protocomm security 0 (`security0.c`): one unauthenticated `prov-session` round trip, then plaintext.
 */
import { Status } from './constants'
import type { DeviceSecurity, SessionStep } from './security-types'
import { clientError, type EspClientSecurity } from './security-common'
import { decodeSessionData, encodeSessionData } from './session-messages'

/**
 * Device side. Like the firmware it accepts any SessionData with `sec_ver = 0` (it does not look at the
 * payload) and always answers `sr{Success}`. Payloads are plaintext even before a session: security 0
 * registers no decrypt hook, so `isEstablished` is always true.
 */
export function createSecurity0Device(): DeviceSecurity {
  return {
    version: 0,
    isEstablished: true,
    handleSession(request: Uint8Array): SessionStep {
      const decoded = decodeSessionData(request)
      if (!decoded.ok || decoded.value.secVer !== 0) return { ok: false, reason: 'invalid-message' }
      return { ok: true, response: encodeSessionData({ secVer: 0, payload: { scheme: 0, type: 'sr', status: Status.Success } }) }
    },
    decrypt: (data) => data,
    encrypt: (data) => data,
  }
}

/** Client side: `start()` sends `sc`, `next()` accepts `sr{Success}`. */
export function createSecurity0Client(): EspClientSecurity {
  let isEstablished = false
  return {
    version: 0,
    get isEstablished() {
      return isEstablished
    },
    start() {
      isEstablished = false
      return encodeSessionData({ secVer: 0, payload: { scheme: 0, type: 'sc' } })
    },
    next(response) {
      const decoded = decodeSessionData(response)
      const payload = decoded.ok ? decoded.value.payload : undefined
      if (payload?.scheme !== 0 || payload.type !== 'sr') {
        return clientError('invalid-message', 'The device did not answer the security 0 session request; check the security version.')
      }
      if (payload.status !== Status.Success) {
        return clientError('device-status', 'The device refused the security 0 session.', payload.status)
      }
      isEstablished = true
      return { kind: 'done' }
    },
    encrypt: (data) => data,
    decrypt: (data) => data,
  }
}
