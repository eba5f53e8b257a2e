import { createHash, getDiffieHellman } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bigIntToBytes, bytesToBigInt } from '../../../main/pairing/bigint-math'
import {
  computeSrpVerifier,
  createSrpClient,
  generateSrpCredentials,
  srpMultiplier,
  srpScrambler,
  startSrpServer,
  SRP_GROUP_3072,
} from '../../../main/pairing/srp6a-esp'
import { fromHex, SRP, toHex } from '../provisioning/esp/vectors'

const sha = (algorithm: 'sha256' | 'sha512', ...parts: Uint8Array[]): string => {
  const hash = createHash(algorithm)
  for (const part of parts) hash.update(part)
  return hash.digest('hex')
}
const salt = fromHex(SRP.salt)
const verifier = computeSrpVerifier(salt, SRP.username, SRP.password)

/** Both halves of the (b)10 handshake with the vector's a and b (or another b). */
function handshake(b: string = SRP.b, password: string = SRP.password) {
  const client = createSrpClient({ username: SRP.username, password, privateKey: fromHex(SRP.a) })
  const server = startSrpServer({ salt, verifier, clientPublic: client.clientPublic, privateKey: fromHex(b) })
  if (!server.ok) throw new Error(server.error.message)
  const challenge = client.processChallenge(salt, server.value.serverPublic)
  if (!challenge.ok) throw new Error(challenge.error.message)
  return { client, server: server.value, session: challenge.value }
}

describe('ESP SRP-6a constants', () => {
  it('(b)8 group: N is the 384-byte RFC 5054 prime (= node:crypto modp15), g = 5, k matches', () => {
    const n = bigIntToBytes(SRP_GROUP_3072.N)
    expect(n).toHaveLength(384)
    expect(toHex(n).startsWith(SRP.nStart)).toBe(true)
    expect(toHex(n).endsWith(SRP.nEnd)).toBe(true)
    expect(toHex(n)).toBe(getDiffieHellman('modp15').getPrime('hex'))
    expect(SRP_GROUP_3072.g).toBe(5n)
    expect(toHex(srpMultiplier())).toBe(SRP.k)
  })

  it('(b)9 verifier: wifiprov / abcd1234 / example salt gives the firmware array (384 bytes)', () => {
    expect(verifier).toHaveLength(384)
    expect(toHex(verifier).startsWith(SRP.verifierStart)).toBe(true)
    expect(toHex(verifier).endsWith(SRP.verifierEnd)).toBe(true)
    const generated = generateSrpCredentials(SRP.username, SRP.password, { salt })
    expect(toHex(generated.verifier)).toBe(toHex(verifier))
    const fresh = generateSrpCredentials('user', 'pass')
    expect(fresh.salt).toHaveLength(16)
    expect(toHex(fresh.verifier)).toBe(toHex(computeSrpVerifier(fresh.salt, 'user', 'pass')))
  })
})

describe('ESP SRP-6a handshake', () => {
  it('(b)10 vector: A, B, u, K, M and H_AMK byte for byte on both sides', () => {
    const { client, server, session } = handshake()
    expect(client.clientPublic).toHaveLength(384)
    expect(sha('sha256', client.clientPublic)).toBe(SRP.sha256A)
    expect(server.serverPublic).toHaveLength(384)
    expect(sha('sha256', server.serverPublic)).toBe(SRP.sha256B)
    // The reference prints u as an integer (127 hex digits): the 64-byte hash starts with a 0x0d byte.
    expect(bytesToBigInt(srpScrambler(client.clientPublic, server.serverPublic))).toBe(BigInt(`0x${SRP.u}`))
    expect(toHex(server.sessionKey)).toBe(SRP.K)
    expect(toHex(session.sessionKey)).toBe(SRP.K)
    expect(toHex(session.proof)).toBe(SRP.M)
    const hamk = server.verifyClientProof(SRP.username, session.proof)
    expect(hamk.ok && toHex(hamk.value)).toBe(SRP.hamk)
    expect(session.verifyServerProof(fromHex(SRP.hamk))).toBe(true)
  })

  it('(b)10 negative: a HAP-style M (unpadded g inside H(N) xor H(g)) is rejected by the device', () => {
    const { client, server } = handshake()
    const hN = createHash('sha512').update(bigIntToBytes(SRP_GROUP_3072.N)).digest()
    const hG = createHash('sha512').update(Uint8Array.of(5)).digest()
    const xor = hN.map((byte, i) => byte ^ (hG[i] as number))
    const hapM = fromHex(sha('sha512', xor, fromHex(sha('sha512', Buffer.from(SRP.username))), salt, client.clientPublic, server.serverPublic, server.sessionKey))
    expect(toHex(hapM).startsWith(SRP.hapStyleMStart)).toBe(true)
    const result = server.verifyClientProof(SRP.username, hapM)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.code).toBe('proof-mismatch')
  })

  it('(b)11 K hashes S at its minimal length (383 bytes here), matching esp_prov, not the padded variant', () => {
    const { server, session } = handshake(SRP.bShortS)
    expect(sha('sha256', server.serverPublic)).toBe(SRP.sha256BShortS)
    expect(toHex(server.sessionKey)).toBe(SRP.kShortS)
    expect(toHex(session.sessionKey)).toBe(SRP.kShortS)
    expect(toHex(server.sessionKey).startsWith(SRP.kShortSPadded)).toBe(false)
    expect(server.verifyClientProof(SRP.username, session.proof).ok).toBe(true)
  })

  it('a wrong password or username gives a proof mismatch; the error names neither', () => {
    const wrong = handshake(SRP.b, 'abcd1235')
    const result = wrong.server.verifyClientProof(SRP.username, wrong.session.proof)
    expect(!result.ok && result.error.code).toBe('proof-mismatch')
    expect(!result.ok && result.error.message).not.toMatch(/abcd123/)
    const right = handshake()
    expect(right.server.verifyClientProof('wifiprov2', right.session.proof).ok).toBe(false)
    expect(right.session.verifyServerProof(fromHex(SRP.M))).toBe(false)
  })

  it('the client always pads A to 384 bytes, and the device accepts the padded A (a = 1 → A = 5)', () => {
    const client = createSrpClient({ username: SRP.username, password: SRP.password, privateKey: Uint8Array.of(1) })
    expect(client.clientPublic).toHaveLength(384)
    expect(bytesToBigInt(client.clientPublic)).toBe(5n)
    const server = startSrpServer({ salt, verifier, clientPublic: client.clientPublic })
    if (!server.ok) throw new Error('server rejected a padded A')
    const session = client.processChallenge(salt, server.value.serverPublic)
    if (!session.ok) throw new Error('client rejected B')
    const hamk = server.value.verifyClientProof(SRP.username, session.value.proof)
    expect(hamk.ok && session.value.verifyServerProof(hamk.value)).toBe(true)
  })

  it('the device rejects A of the wrong length, A = 0 and A = N (A mod N = 0); the client rejects B mod N = 0', () => {
    const n = bigIntToBytes(SRP_GROUP_3072.N)
    const good = createSrpClient({ username: SRP.username, password: SRP.password }).clientPublic
    for (const clientPublic of [good.subarray(1), new Uint8Array(384), n, Uint8Array.of(0, ...good)]) {
      const result = startSrpServer({ salt, verifier, clientPublic })
      expect(!result.ok && result.error.code).toBe('invalid-public-key')
    }
    const client = createSrpClient({ username: SRP.username, password: SRP.password })
    for (const B of [n, new Uint8Array(384), new Uint8Array(), new Uint8Array(385).fill(1)]) {
      const result = client.processChallenge(salt, B)
      expect(!result.ok && result.error.code).toBe('invalid-public-key')
    }
  })
})
