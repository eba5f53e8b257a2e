/**
 * Protocomm security 2 (`security2.c` + `esp_srp.c`, esp_prov `security2.py`): SRP-6a over the RFC 5054
 * 3072-bit group, then AES-256-GCM keyed with K[0:32] (reference §1.5, (b)8–12).
 *
 * Device failures carry no response body: the firmware returns ESP_FAIL and protocomm_httpd closes the
 * socket without an HTTP response, so a wrong password reaches a client as a dropped request.
 *
 * Ours for the same reason as security1.ts (no protocomm implementation on npm); SRP is in
 * pairing/srp6a-esp.ts because the generic SRP packages compute a different M.
 */
import { createSrpClient, startSrpServer, SRP_GROUP_3072, SRP_PROOF_LENGTH, type SrpClient, type SrpServerSession } from '../../pairing/srp6a-esp'
import { Status } from './constants'
import { createGcmChannel, type GcmChannel } from './gcm-channel'
import { clientError, notEstablished, secureRandomBytes, utf8, type ClientStep, type EspClientSecurity, type RandomBytes } from './security-common'
import type { DeviceSecurity, SessionStep } from './security-types'
import { decodeSessionData, encodeSessionData, type Sec2Message } from './session-messages'

const PRIVATE_KEY_LENGTH = 32
const SESSION_ID_LENGTH = 8
const LEGACY_NONCE_LENGTH = 16
const NONCE_LENGTH = 12

const sessionBytes = (message: Sec2Message): Uint8Array => encodeSessionData({ secVer: 2, payload: message })
const invalid = (reason: Extract<SessionStep, { ok: false }>['reason']): SessionStep => ({ ok: false, reason })

/** Device options; `salt` and `verifier` are what the firmware embeds (see generateSrpCredentials). */
export interface Security2DeviceOptions {
  salt: Uint8Array
  verifier: Uint8Array
  /** 1: counter nonces (patched firmware, advertise `sec_patch_ver: 1`); 0: the legacy reused 16-byte nonce. */
  patchVersion: 0 | 1
  /** Randomness port. Per Command0: b (32 bytes); per Command1: session id (8, patch 1) or nonce (16, patch 0). */
  randomBytes?: RandomBytes
}

/** Device side of security 2. */
export function createSecurity2Device(options: Security2DeviceOptions): DeviceSecurity {
  const random = options.randomBytes ?? secureRandomBytes
  let srp: { session: SrpServerSession; username: Uint8Array } | undefined
  let channel: GcmChannel | undefined

  const command0 = (username: Uint8Array, clientPublic: Uint8Array): SessionStep => {
    // A Command0 in any state restarts the session, as the firmware does.
    srp = undefined
    channel = undefined
    if (clientPublic.length !== SRP_GROUP_3072.length) return invalid('invalid-public-key')
    if (username.length === 0 || username.length > 0xffff) return invalid('invalid-message')
    const started = startSrpServer({ salt: options.salt, verifier: options.verifier, clientPublic, privateKey: random(PRIVATE_KEY_LENGTH) })
    if (!started.ok) return invalid('invalid-public-key')
    srp = { session: started.value, username: Uint8Array.from(username) }
    const devicePubkey = started.value.serverPublic
    return { ok: true, response: sessionBytes({ scheme: 2, type: 'sr0', status: Status.Success, devicePubkey, deviceSalt: options.salt }) }
  }

  const command1 = (proof: Uint8Array): SessionStep => {
    if (!srp || channel) return invalid('invalid-state')
    if (proof.length !== SRP_PROOF_LENGTH) return invalid('invalid-message')
    // A mismatch leaves the handshake waiting for Command1, like the firmware (which posts CREDENTIALS_MISMATCH).
    const verified = srp.session.verifyClientProof(srp.username, proof)
    if (!verified.ok) return invalid('proof-mismatch')
    const deviceNonce = new Uint8Array(options.patchVersion === 1 ? NONCE_LENGTH : LEGACY_NONCE_LENGTH)
    if (options.patchVersion === 1) {
      deviceNonce.set(random(SESSION_ID_LENGTH))
      new DataView(deviceNonce.buffer).setUint32(SESSION_ID_LENGTH, 1)
    } else {
      deviceNonce.set(random(LEGACY_NONCE_LENGTH))
    }
    channel = createGcmChannel(srp.session.sessionKey, deviceNonce, options.patchVersion)
    return { ok: true, response: sessionBytes({ scheme: 2, type: 'sr1', status: Status.Success, deviceProof: verified.value, deviceNonce }) }
  }

  return {
    version: 2,
    get isEstablished() {
      return channel !== undefined
    },
    handleSession(request) {
      const decoded = decodeSessionData(request)
      if (!decoded.ok || decoded.value.secVer !== 2) return invalid('invalid-message')
      const message = decoded.value.payload
      if (message?.scheme !== 2) return invalid('invalid-message')
      if (message.type === 'sc0') return command0(message.clientUsername, message.clientPubkey)
      if (message.type === 'sc1') return command1(message.clientProof)
      return invalid('invalid-message')
    },
    encrypt: (data) => (channel ?? notEstablished()).encrypt(data),
    decrypt: (data) => (channel ?? notEstablished()).decrypt(data),
  }
}

/** Client options. */
export interface Security2ClientOptions {
  /** SRP username (the QR's `username`; example firmware: "wifiprov"). */
  username: string | Uint8Array
  /** SRP password (the QR's `pop`). */
  password: string | Uint8Array
  /** `sec_patch_ver` from proto-ver (absent ⇒ 0). */
  patchVersion: 0 | 1
  /** Randomness port: a (32 bytes) per start(). */
  randomBytes?: RandomBytes
}

/** Client side of security 2. */
export function createSecurity2Client(options: Security2ClientOptions): EspClientSecurity {
  const random = options.randomBytes ?? secureRandomBytes
  let state: 'idle' | 'resp0' | 'resp1' | 'done' = 'idle'
  let srp: SrpClient | undefined
  let proven: { sessionKey: Uint8Array; verifyServerProof(proof: Uint8Array): boolean } | undefined
  let channel: GcmChannel | undefined

  const checkNonce = (nonce: Uint8Array): ClientStep | undefined => {
    const expected = options.patchVersion === 1 ? NONCE_LENGTH : LEGACY_NONCE_LENGTH
    if (nonce.length !== expected) {
      // The length tells the schemes apart: patched firmware sends 12 bytes, older firmware 16.
      const hint = nonce.length === NONCE_LENGTH ? 'the device uses sec_patch_ver 1' : 'the device uses the legacy nonce (sec_patch_ver 0)'
      return clientError('invalid-nonce', `The device nonce does not match sec_patch_ver ${options.patchVersion}: ${hint}; reconnect with that version.`)
    }
    if (options.patchVersion === 1 && new DataView(nonce.buffer, nonce.byteOffset).getUint32(SESSION_ID_LENGTH) === 0) {
      return clientError('invalid-nonce', 'The device nonce counter starts at 0, which the protocol forbids; restart the session.')
    }
    return undefined
  }

  const step = (response: Uint8Array): ClientStep => {
    const decoded = decodeSessionData(response)
    const message = decoded.ok && decoded.value.payload?.scheme === 2 ? decoded.value.payload : undefined
    if (state === 'resp0' && srp) {
      if (message?.type !== 'sr0') return clientError('invalid-message', 'Expected the device key (S2SessionResp0); check the security version.')
      if (message.status !== Status.Success) return clientError('device-status', 'The device refused the session.', message.status)
      const challenge = srp.processChallenge(message.deviceSalt, message.devicePubkey)
      if (!challenge.ok) return clientError('invalid-public-key', challenge.error.message)
      proven = challenge.value
      state = 'resp1'
      return { kind: 'send', request: sessionBytes({ scheme: 2, type: 'sc1', clientProof: challenge.value.proof }) }
    }
    if (state === 'resp1' && proven) {
      if (message?.type !== 'sr1') return clientError('invalid-message', 'Expected the device proof (S2SessionResp1).')
      if (message.status !== Status.Success) return clientError('device-status', 'The device refused the session.', message.status)
      if (!proven.verifyServerProof(message.deviceProof)) {
        return clientError('proof-mismatch', 'The device could not prove it knows the password verifier; it may not be the device on the label.')
      }
      const nonceError = checkNonce(message.deviceNonce)
      if (nonceError) return nonceError
      channel = createGcmChannel(proven.sessionKey, message.deviceNonce, options.patchVersion)
      state = 'done'
      return { kind: 'done' }
    }
    return clientError('invalid-state', 'No session handshake is in progress; call start() first.')
  }

  return {
    version: 2,
    get isEstablished() {
      return state === 'done'
    },
    start() {
      srp = createSrpClient({ username: options.username, password: options.password, privateKey: random(PRIVATE_KEY_LENGTH) })
      proven = undefined
      channel = undefined
      state = 'resp0'
      return sessionBytes({ scheme: 2, type: 'sc0', clientUsername: utf8(options.username), clientPubkey: srp.clientPublic })
    },
    next(response) {
      const result = step(response)
      if (result.kind === 'error') state = 'idle'
      return result
    },
    encrypt: (data) => (state === 'done' && channel ? channel.encrypt(data) : notEstablished()),
    decrypt: (data) => (state === 'done' && channel ? channel.decrypt(data) : notEstablished()),
  }
}
