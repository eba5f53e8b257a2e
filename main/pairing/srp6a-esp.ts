/**
 * SRP-6a exactly as ESP-IDF's `esp_srp.c` (protocomm security 2) computes it, both roles.
 *
 * Ours because the npm SRP libraries are flavoured for other protocols: fast-srp-hap (HomeKit) hashes
 * g unpadded inside M and pads S before hashing K, so its M is rejected by ESP devices and its K differs
 * in ≈1/256 of sessions (reference (b)10–11). Formulas: reference §1.5 "Security 2"; RFC 5054 group.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { bigIntToBytes, bytesToBigInt, modPow } from './bigint-math'

/** The RFC 5054 3072-bit group (prime = RFC 3526 group 15) with g = 5: the only group `esp_srp_init` accepts. */
export const SRP_GROUP_3072 = {
  N: BigInt(
    '0x' +
      'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
      'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
      'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
      '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
      'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
      '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
      'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
      'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
  ),
  g: 5n,
  /** Byte length of N: the PAD() width and the only accepted length of A. */
  length: 384,
} as const

/** Length of M and H_AMK (SHA-512). */
export const SRP_PROOF_LENGTH = 64

/** Why an SRP step failed; messages never contain keys, proofs or the password. */
export interface SrpError {
  code: 'invalid-public-key' | 'proof-mismatch' | 'invalid-parameter'
  message: string
}

/** A value or an SrpError. */
export type SrpResult<T> = { ok: true; value: T } | { ok: false; error: SrpError }

const { N, g, length: NLEN } = SRP_GROUP_3072
const textBytes = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s)
const pad = (value: bigint): Uint8Array => bigIntToBytes(value, NLEN)
const fail = (code: SrpError['code'], message: string): { ok: false; error: SrpError } => ({ ok: false, error: { code, message } })

function sha512(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha512')
  for (const part of parts) hash.update(part)
  return new Uint8Array(hash.digest())
}

/** k = H(N ‖ PAD(g)), as `calculate_k` in esp_srp.c. */
export function srpMultiplier(): Uint8Array {
  return sha512(pad(N), pad(g))
}
const k = bytesToBigInt(srpMultiplier())

/** u = H(PAD(A) ‖ PAD(B)); the device hashes A as received (384 bytes) and left-pads its minimal B. */
export function srpScrambler(clientPublic: Uint8Array, serverPublic: Uint8Array): Uint8Array {
  return sha512(pad(bytesToBigInt(clientPublic)), pad(bytesToBigInt(serverPublic)))
}

/** x = H(salt ‖ H(username ‖ ":" ‖ password)). */
function privateX(salt: Uint8Array, username: Uint8Array, password: Uint8Array): bigint {
  const inner = sha512(username, new TextEncoder().encode(':'), password)
  return bytesToBigInt(sha512(salt, inner))
}

/** v = g^x mod N as minimal big-endian bytes (what `esp_srp_gen_salt_verifier` stores). */
export function computeSrpVerifier(salt: Uint8Array, username: string | Uint8Array, password: string | Uint8Array): Uint8Array {
  return bigIntToBytes(modPow(g, privateX(salt, textBytes(username), textBytes(password)), N))
}

/** A fresh salt and verifier for a device (esp_prov `--sec2_gen_cred`); `salt` may be passed for vectors. */
export function generateSrpCredentials(
  username: string | Uint8Array,
  password: string | Uint8Array,
  options: { saltLength?: number; salt?: Uint8Array } = {},
): { salt: Uint8Array; verifier: Uint8Array } {
  const salt = options.salt ?? new Uint8Array(randomBytes(options.saltLength ?? 16))
  return { salt, verifier: computeSrpVerifier(salt, username, password) }
}

/** M = H(H(N) XOR H(PAD(g)) ‖ H(username) ‖ salt ‖ A ‖ B ‖ K), over the bytes exactly as exchanged. */
function clientProof(username: Uint8Array, salt: Uint8Array, A: Uint8Array, B: Uint8Array, K: Uint8Array): Uint8Array {
  const hN = sha512(pad(N))
  const hG = sha512(pad(g))
  const nXorG = hN.map((byte, i) => byte ^ (hG[i] as number))
  return sha512(nXorG, sha512(username), salt, A, B, K)
}

/** The device half of a handshake after it received A. */
export interface SrpServerSession {
  /** B, minimal big-endian like `esp_mpi_to_bin` (383 bytes or fewer in ≈1/256 of sessions). */
  readonly serverPublic: Uint8Array
  /** K = H(S as minimal big-endian bytes), 64 bytes; security 2 keys AES-GCM with its first 32. */
  readonly sessionKey: Uint8Array
  /** Checks the client's M (constant time); on success returns H_AMK = H(A ‖ M ‖ K). */
  verifyClientProof(username: string | Uint8Array, proof: Uint8Array): SrpResult<Uint8Array>
}

/**
 * Device side, as `esp_srp_srv_pubkey_from_salt_verifier` + `esp_srp_get_session_key`: picks b, computes B
 * and K from the client's A. Rejects A that is not 384 bytes, A mod N = 0 (RFC 5054 §2.5.4) and u = 0.
 * `privateKey` (b, 32 random bytes by default) is injectable for test vectors.
 */
export function startSrpServer(params: {
  salt: Uint8Array
  verifier: Uint8Array
  clientPublic: Uint8Array
  privateKey?: Uint8Array
}): SrpResult<SrpServerSession> {
  const { salt, clientPublic: A } = params
  if (A.length !== NLEN) return fail('invalid-public-key', `The client public key must be ${NLEN} bytes; restart the session.`)
  const aValue = bytesToBigInt(A)
  if (aValue % N === 0n) return fail('invalid-public-key', 'The client public key is degenerate (A mod N = 0); restart the session.')
  if (salt.length === 0 || params.verifier.length === 0) return fail('invalid-parameter', 'The device has no SRP salt or verifier.')
  const v = bytesToBigInt(params.verifier)
  const b = bytesToBigInt(params.privateKey ?? randomBytes(32))
  const B = bigIntToBytes((k * v + modPow(g, b, N)) % N)
  const u = bytesToBigInt(srpScrambler(A, B))
  if (u === 0n) return fail('invalid-public-key', 'The key exchange produced u = 0; restart the session.')
  const S = modPow((aValue * modPow(v, u, N)) % N, b, N)
  const K = sha512(bigIntToBytes(S))
  return {
    ok: true,
    value: {
      serverPublic: B,
      sessionKey: K,
      verifyClientProof(username, proof) {
        const expected = clientProof(textBytes(username), salt, A, B, K)
        if (proof.length !== expected.length || !timingSafeEqual(proof, expected)) {
          return fail('proof-mismatch', 'The client proof does not match: wrong username or password.')
        }
        return { ok: true, value: sha512(A, expected, K) }
      },
    },
  }
}

/** The client half of a handshake after it received salt and B. */
export interface SrpClientSession {
  /** M, sent as `S2SessionCmd1.client_proof`. */
  readonly proof: Uint8Array
  /** K = H(S as minimal big-endian bytes). */
  readonly sessionKey: Uint8Array
  /** True when the device's H_AMK proves it knows the verifier (constant-time compare). */
  verifyServerProof(serverProof: Uint8Array): boolean
}

/** A client that has picked a and computed A. */
export interface SrpClient {
  /** A, always left-padded to 384 bytes: the device rejects any other length. */
  readonly clientPublic: Uint8Array
  /** Consumes the device's salt and B (bytes exactly as received); rejects B mod N = 0 and u = 0. */
  processChallenge(salt: Uint8Array, serverPublic: Uint8Array): SrpResult<SrpClientSession>
}

/**
 * Client side, matching esp_prov's `Srp6a` except that A is always padded to 384 bytes (esp_prov sends
 * it minimal and fails ≈1/256 sessions, reference §1.5). `privateKey` (a) is injectable for vectors.
 */
export function createSrpClient(params: { username: string | Uint8Array; password: string | Uint8Array; privateKey?: Uint8Array }): SrpClient {
  const username = textBytes(params.username)
  const a = bytesToBigInt(params.privateKey ?? randomBytes(32))
  const A = pad(modPow(g, a, N))
  return {
    clientPublic: A,
    processChallenge(salt, B) {
      const bValue = bytesToBigInt(B)
      if (B.length === 0 || B.length > NLEN || bValue % N === 0n) {
        return fail('invalid-public-key', 'The device public key is invalid; restart the session.')
      }
      const u = bytesToBigInt(srpScrambler(A, B))
      if (u === 0n) return fail('invalid-public-key', 'The key exchange produced u = 0; restart the session.')
      const x = privateX(salt, username, textBytes(params.password))
      const base = (((bValue - k * modPow(g, x, N)) % N) + N) % N
      const S = modPow(base, a + u * x, N)
      const K = sha512(bigIntToBytes(S))
      const M = clientProof(username, salt, A, B, K)
      const hamk = sha512(A, M, K)
      return {
        ok: true,
        value: {
          proof: M,
          sessionKey: K,
          verifyServerProof: (serverProof) => serverProof.length === hamk.length && timingSafeEqual(serverProof, hamk),
        },
      }
    },
  }
}
