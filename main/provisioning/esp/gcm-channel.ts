/**
 * The security 2 session cipher: AES-256-GCM with key K[0:32], no AAD, 16-byte tag appended
 * (reference §1.5, (b)12). Two nonce schemes, chosen by `sec_patch_ver`:
 *
 * - 0 (firmware before the 2025 fix, commit 3bd5a22): the 16-byte device_nonce is the IV of every
 *   message in both directions. That IV reuse is the firmware's bug; it is reproduced because the peer
 *   expects it, and it is why a patched device should be preferred.
 * - 1: 12-byte nonce = session_id[8] ‖ u32 big-endian counter starting at 1. Both sides increment after
 *   every successful encrypt AND decrypt, so a request uses n, its response n+1, the next request n+2.
 *   Counter 0 is invalid (the firmware says "restart session"), which also catches wrap-around.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { SessionCryptoError } from './security-common'

const TAG_LENGTH = 16

/** An established GCM channel; both peers hold one and must call it in the same order. */
export interface GcmChannel {
  encrypt(plaintext: Uint8Array): Uint8Array
  /** Throws SessionCryptoError `authentication-failed` on a bad tag (tampering, replay, drop or wrong key). */
  decrypt(ciphertextAndTag: Uint8Array): Uint8Array
  /** The nonce the next operation will use (a copy). */
  readonly nonce: Uint8Array
}

/** Creates a channel; `nonce` is the device_nonce from S2SessionResp1 (12 bytes for patch 1, 16 for patch 0). */
export function createGcmChannel(sessionKey: Uint8Array, deviceNonce: Uint8Array, patchVersion: 0 | 1): GcmChannel {
  if (sessionKey.length < 32) throw new RangeError('The GCM key needs at least 32 bytes of K')
  if (patchVersion === 1 && deviceNonce.length !== 12) throw new RangeError('sec_patch_ver 1 needs a 12-byte nonce')
  const key = sessionKey.slice(0, 32)
  const nonce = Uint8Array.from(deviceNonce)
  const view = new DataView(nonce.buffer)

  const checkCounter = (): void => {
    if (patchVersion === 1 && view.getUint32(8) === 0) {
      throw new SessionCryptoError('nonce-exhausted', 'The session nonce counter is 0 (invalid or wrapped); start a new session.')
    }
  }
  const advance = (): void => {
    if (patchVersion === 1) view.setUint32(8, (view.getUint32(8) + 1) >>> 0)
  }

  return {
    get nonce() {
      return nonce.slice()
    },
    encrypt(plaintext) {
      checkCounter()
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH })
      const out = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
      advance()
      return new Uint8Array(out)
    },
    decrypt(data) {
      checkCounter()
      const fail = (): never => {
        // Like the firmware, a failed decrypt does not advance the counter; the session is unusable anyway.
        throw new SessionCryptoError('authentication-failed', 'A message failed authentication (tampered, replayed or out of order); start a new session.')
      }
      if (data.length < TAG_LENGTH) fail()
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH })
      decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH))
      let out: Buffer
      try {
        out = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_LENGTH)), decipher.final()])
      } catch {
        return fail()
      }
      advance()
      return new Uint8Array(out)
    },
  }
}
