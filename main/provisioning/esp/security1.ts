/**
 * Protocomm security 1 (`security1.c`, esp_prov `security1.py`): X25519, optional proof of possession,
 * then AES-256-CTR with IV = device_random (reference §1.5, (b)6–7).
 *
 * The CTR keystream is ONE stream for the whole session and both directions: handshake verify data uses
 * offsets 0..31 and 32..63, then every request and response takes the next bytes in order. A lost or
 * repeated message therefore turns everything after it into garbage (the firmware's `sec1_crypt` serves
 * as both encrypt and decrypt); the only cure is a new session.
 *
 * Ours because no npm package speaks protocomm: the only TypeScript SDK found (esp-idf-provisioning-web)
 * implements neither security 1 nor 2 (reference §1.12), and the simulator needs the device role too.
 */
import { createCipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, timingSafeEqual, type Cipher, type KeyObject } from 'node:crypto'
import { Status } from './constants'
import { clientError, notEstablished, secureRandomBytes, utf8, type ClientStep, type EspClientSecurity, type RandomBytes } from './security-common'
import type { DeviceSecurity, SessionStep } from './security-types'
import { decodeSessionData, encodeSessionData, type Sec1Message } from './session-messages'

const KEY_LENGTH = 32
const RANDOM_LENGTH = 16
// DER headers that turn raw 32-byte X25519 keys into PKCS#8 / SPKI, the forms node:crypto imports (RFC 8410).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex')

/** An X25519 key pair from a raw private scalar (clamped by X25519 itself, as in mbedtls and Python). */
function keyPair(privateRaw: Uint8Array): { privateKey: KeyObject; publicRaw: Uint8Array } {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateRaw]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return { privateKey, publicRaw: new Uint8Array(spki.subarray(SPKI_X25519.length)) }
}

/** The AES key: X25519 shared secret, XORed with SHA-256(PoP) when a PoP is set; undefined for a bad peer key. */
function sessionKey(privateKey: KeyObject, peerRaw: Uint8Array, pop: Uint8Array): Uint8Array | undefined {
  try {
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_X25519, peerRaw]), format: 'der', type: 'spki' })
    const shared = new Uint8Array(diffieHellman({ privateKey, publicKey }))
    if (pop.length === 0) return shared
    const popHash = createHash('sha256').update(pop).digest()
    return shared.map((byte, i) => byte ^ (popHash[i] as number))
  } catch {
    // OpenSSL refuses low-order points (all-zero shared secret); treat as an invalid key.
    return undefined
  }
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && timingSafeEqual(a, b)
const sessionBytes = (message: Sec1Message): Uint8Array => encodeSessionData({ secVer: 1, payload: message })
const invalid = (reason: Extract<SessionStep, { ok: false }>['reason']): SessionStep => ({ ok: false, reason })

/** Options of both security 1 roles. */
export interface Security1Options {
  /** Proof of possession; empty or absent means "no PoP" (the device then advertises `no_pop`). */
  pop?: string | Uint8Array
  /** Randomness port. Device draws per session: private key (32), then device_random (16); client: private key (32). */
  randomBytes?: RandomBytes
}

/** Device side of security 1; failures carry no response body, like the firmware (the transport closes). */
export function createSecurity1Device(options: Security1Options = {}): DeviceSecurity {
  const pop = utf8(options.pop ?? '')
  const random = options.randomBytes ?? secureRandomBytes
  let pending: { key: Uint8Array; iv: Uint8Array; devicePub: Uint8Array; clientPub: Uint8Array } | undefined
  let stream: Cipher | undefined

  const command0 = (clientPub: Uint8Array): SessionStep => {
    // A Session_Command0 in any state restarts the session (security1.c: "Restarting session").
    pending = undefined
    stream = undefined
    if (clientPub.length !== KEY_LENGTH) return invalid('invalid-public-key')
    const { privateKey, publicRaw } = keyPair(random(KEY_LENGTH))
    const key = sessionKey(privateKey, clientPub, pop)
    if (!key) return invalid('invalid-public-key')
    const iv = random(RANDOM_LENGTH)
    pending = { key, iv, devicePub: publicRaw, clientPub: Uint8Array.from(clientPub) }
    return { ok: true, response: sessionBytes({ scheme: 1, type: 'sr0', status: Status.Success, devicePubkey: publicRaw, deviceRandom: iv }) }
  }

  const command1 = (verifyData: Uint8Array): SessionStep => {
    if (!pending || stream) return invalid('invalid-state')
    if (verifyData.length !== KEY_LENGTH) return invalid('invalid-message')
    // Each attempt restarts the keystream at offset 0, as the firmware re-initialises its CTR context.
    const cipher = createCipheriv('aes-256-ctr', pending.key, pending.iv)
    // "Key mismatch": the client derived another key, i.e. a wrong PoP (or a tampered exchange).
    if (!equal(cipher.update(verifyData), pending.devicePub)) return invalid('proof-mismatch')
    const deviceVerifyData = cipher.update(pending.clientPub)
    stream = cipher
    return { ok: true, response: sessionBytes({ scheme: 1, type: 'sr1', status: Status.Success, deviceVerifyData }) }
  }

  const crypt = (data: Uint8Array): Uint8Array => new Uint8Array((stream ?? notEstablished()).update(data))
  return {
    version: 1,
    get isEstablished() {
      return stream !== undefined
    },
    handleSession(request) {
      const decoded = decodeSessionData(request)
      if (!decoded.ok || decoded.value.secVer !== 1) return invalid('invalid-message')
      const message = decoded.value.payload
      if (message?.scheme !== 1) return invalid('invalid-message')
      if (message.type === 'sc0') return command0(message.clientPubkey)
      if (message.type === 'sc1') return command1(message.clientVerifyData)
      return invalid('invalid-message')
    },
    encrypt: crypt,
    decrypt: crypt,
  }
}

/** Client side of security 1. A wrong PoP is detected by the device at Session_Command1. */
export function createSecurity1Client(options: Security1Options = {}): EspClientSecurity {
  const pop = utf8(options.pop ?? '')
  const random = options.randomBytes ?? secureRandomBytes
  let state: 'idle' | 'resp0' | 'resp1' | 'done' = 'idle'
  let own: ReturnType<typeof keyPair> | undefined
  let stream: Cipher | undefined

  const decode = (response: Uint8Array): Sec1Message | undefined => {
    const decoded = decodeSessionData(response)
    const payload = decoded.ok ? decoded.value.payload : undefined
    return payload?.scheme === 1 ? payload : undefined
  }
  const step = (response: Uint8Array): ClientStep => {
    const message = decode(response)
    if (state === 'resp0' && own) {
      if (message?.type !== 'sr0') return clientError('invalid-message', 'Expected the device key (SessionResp0); check the security version.')
      if (message.status !== Status.Success) return clientError('device-status', 'The device refused the session.', message.status)
      const key = message.deviceRandom.length === RANDOM_LENGTH ? sessionKey(own.privateKey, message.devicePubkey, pop) : undefined
      if (!key) return clientError('invalid-public-key', 'The device sent an invalid public key or random; restart the session.')
      stream = createCipheriv('aes-256-ctr', key, message.deviceRandom)
      state = 'resp1'
      const clientVerifyData = new Uint8Array(stream.update(message.devicePubkey))
      return { kind: 'send', request: sessionBytes({ scheme: 1, type: 'sc1', clientVerifyData }) }
    }
    if (state === 'resp1' && own && stream) {
      if (message?.type !== 'sr1') return clientError('invalid-message', 'Expected the device proof (SessionResp1).')
      if (message.status !== Status.Success) return clientError('device-status', 'The device refused the session.', message.status)
      if (!equal(stream.update(message.deviceVerifyData), own.publicRaw)) {
        return clientError('proof-mismatch', 'The device could not prove it knows the proof of possession; check the PoP on the label.')
      }
      state = 'done'
      return { kind: 'done' }
    }
    return clientError('invalid-state', 'No session handshake is in progress; call start() first.')
  }

  return {
    version: 1,
    get isEstablished() {
      return state === 'done'
    },
    start() {
      own = keyPair(random(KEY_LENGTH))
      stream = undefined
      state = 'resp0'
      return sessionBytes({ scheme: 1, type: 'sc0', clientPubkey: own.publicRaw })
    },
    next(response) {
      const result = step(response)
      // A failed step ends the attempt: the device has dropped it too, so only start() can follow.
      if (result.kind === 'error') state = 'idle'
      return result
    },
    encrypt: (data) => (state === 'done' && stream ? new Uint8Array(stream.update(data)) : notEstablished()),
    decrypt: (data) => (state === 'done' && stream ? new Uint8Array(stream.update(data)) : notEstablished()),
  }
}
