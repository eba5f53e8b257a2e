import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { computeSrpVerifier } from '../../../../main/pairing/srp6a-esp'
import { createGcmChannel } from '../../../../main/provisioning/esp/gcm-channel'
import { SessionCryptoError } from '../../../../main/provisioning/esp/security-common'
import { createSecurity2Client, createSecurity2Device } from '../../../../main/provisioning/esp/security2'
import { decodeSessionData, encodeSessionData, type Sec2Message } from '../../../../main/provisioning/esp/session-messages'
import { exchange, runHandshake } from './handshake'
import { fixedRandom, fromHex, GCM, SRP, toHex, WIFI } from './vectors'

const salt = fromHex(SRP.salt)
const verifier = computeSrpVerifier(salt, SRP.username, SRP.password)
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const sec2 = (bytes: Uint8Array): Sec2Message => {
  const decoded = decodeSessionData(bytes)
  if (!decoded.ok || decoded.value.payload?.scheme !== 2) throw new Error('not a security 2 message')
  return decoded.value.payload
}
const cryptoCode = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (error) {
    return error instanceof SessionCryptoError ? error.code : 'other'
  }
  return undefined
}

/** A device and client that reproduce (b)10/(b)12 exactly (a, b and the session id injected). */
function vectorPair(patchVersion: 0 | 1 = 1, password: string = SRP.password) {
  const nonceRandom = patchVersion === 1 ? fromHex(GCM.sessionId) : new Uint8Array(16).fill(0x5a)
  return {
    client: createSecurity2Client({ username: SRP.username, password, patchVersion, randomBytes: fixedRandom(fromHex(SRP.a)) }),
    device: createSecurity2Device({ salt, verifier, patchVersion, randomBytes: fixedRandom(fromHex(SRP.b), nonceRandom) }),
  }
}

describe('security 2', () => {
  it('(b)10 handshake vector end to end: A, B, M, H_AMK and the patch-1 nonce on the wire', () => {
    const { client, device } = vectorPair()
    const sc0 = sec2(client.start())
    if (sc0.type !== 'sc0') throw new Error('expected S2Session_Command0')
    expect(new TextDecoder().decode(sc0.clientUsername)).toBe('wifiprov')
    expect(sc0.clientPubkey).toHaveLength(384)
    expect(sha256(sc0.clientPubkey)).toBe(SRP.sha256A)
    const resp0 = device.handleSession(encodeSessionData({ secVer: 2, payload: sc0 }))
    if (!resp0.ok) throw new Error(resp0.reason)
    const sr0 = sec2(resp0.response)
    expect(sr0.type === 'sr0' && [sr0.status, sha256(sr0.devicePubkey), toHex(sr0.deviceSalt)]).toEqual([0, SRP.sha256B, SRP.salt])
    const cmd1 = client.next(resp0.response)
    if (cmd1.kind !== 'send') throw new Error('expected S2Session_Command1')
    expect(sec2(cmd1.request)).toEqual({ scheme: 2, type: 'sc1', clientProof: fromHex(SRP.M) })
    const resp1 = device.handleSession(cmd1.request)
    if (!resp1.ok) throw new Error(resp1.reason)
    expect(sec2(resp1.response)).toEqual({ scheme: 2, type: 'sr1', status: 0, deviceProof: fromHex(SRP.hamk), deviceNonce: fromHex(GCM.nonce) })
    expect(client.next(resp1.response)).toEqual({ kind: 'done' })
    expect(client.isEstablished && device.isEstablished).toBe(true)
  })

  it('(b)12 GCM vector: SetConfig under K[0:32] and nonce …00000001 gives the esp_prov ct‖tag; nonce …02 after', () => {
    const { client, device } = vectorPair()
    runHandshake(client, device)
    const sealed = client.encrypt(fromHex(WIFI.setConfig))
    expect(toHex(sealed)).toBe(GCM.setConfigCtTag)
    expect(toHex(device.decrypt(sealed))).toBe(WIFI.setConfig)
    const channel = createGcmChannel(fromHex(SRP.K), fromHex(GCM.nonce), 1)
    expect(toHex(channel.encrypt(fromHex(WIFI.setConfig)))).toBe(GCM.setConfigCtTag)
    expect(toHex(channel.nonce)).toBe(GCM.nonceAfter)
  })

  it('(b)12 the counter advances after every encrypt and decrypt on both sides: request n, response n+1, next request n+2', () => {
    const key = fromHex(SRP.K)
    const clientSide = createGcmChannel(key, fromHex(GCM.nonce), 1)
    const deviceSide = createGcmChannel(key, fromHex(GCM.nonce), 1)
    deviceSide.decrypt(clientSide.encrypt(fromHex(WIFI.getStatus)))
    expect(toHex(deviceSide.nonce)).toBe(GCM.nonceAfter)
    clientSide.decrypt(deviceSide.encrypt(fromHex(WIFI.applyConfig)))
    expect(toHex(clientSide.nonce)).toBe(`${GCM.sessionId}00000003`)
    expect(toHex(deviceSide.nonce)).toBe(`${GCM.sessionId}00000003`)
  })

  it('(b)12 counter 0 is rejected: in the device nonce (client refuses) and after wrap-around (both refuse)', () => {
    const zero = fromHex(`${GCM.sessionId}00000000`)
    const atZero = createGcmChannel(fromHex(SRP.K), zero, 1)
    expect(cryptoCode(() => atZero.encrypt(new Uint8Array(1)))).toBe('nonce-exhausted')
    expect(cryptoCode(() => atZero.decrypt(new Uint8Array(17)))).toBe('nonce-exhausted')
    const last = createGcmChannel(fromHex(SRP.K), fromHex(`${GCM.sessionId}ffffffff`), 1)
    last.encrypt(new Uint8Array(1))
    expect(cryptoCode(() => last.encrypt(new Uint8Array(1)))).toBe('nonce-exhausted')

    const { client, device } = vectorPair()
    const resp0 = device.handleSession(client.start())
    const cmd1 = resp0.ok ? client.next(resp0.response) : undefined
    const resp1 = cmd1?.kind === 'send' ? device.handleSession(cmd1.request) : undefined
    if (!resp1?.ok) throw new Error('handshake failed')
    const sr1 = sec2(resp1.response)
    if (sr1.type !== 'sr1') throw new Error('expected S2Session_Response1')
    const forged = encodeSessionData({ secVer: 2, payload: { ...sr1, deviceNonce: zero } })
    expect(client.next(forged)).toMatchObject({ kind: 'error', reason: 'invalid-nonce' })
  })

  it('(b)12 sec_patch_ver 0: the 16-byte device_nonce is reused unchanged for every message (the legacy IV reuse)', () => {
    const { client, device } = vectorPair(0)
    expect(runHandshake(client, device)).toEqual({ ok: true, rounds: 2 })
    const legacy = createGcmChannel(fromHex(SRP.K), new Uint8Array(16).fill(0x5a), 0)
    const first = client.encrypt(fromHex(WIFI.getStatus))
    const second = client.encrypt(fromHex(WIFI.getStatus))
    expect(toHex(first)).toBe(toHex(second))
    expect(toHex(first)).toBe(toHex(legacy.encrypt(fromHex(WIFI.getStatus))))
    expect(toHex(legacy.nonce)).toBe('5a'.repeat(16))
    expect(toHex(device.decrypt(first))).toBe(WIFI.getStatus)
    expect(toHex(device.decrypt(first))).toBe(WIFI.getStatus) // a replay goes unnoticed without counters
  })

  it('round-trips with both patch versions over alternating exchanges', () => {
    for (const patchVersion of [0, 1] as const) {
      const credentials = { username: 'user', password: 'correct horse' }
      const device = createSecurity2Device({ salt, verifier: computeSrpVerifier(salt, credentials.username, credentials.password), patchVersion })
      const client = createSecurity2Client({ ...credentials, patchVersion })
      expect(runHandshake(client, device)).toEqual({ ok: true, rounds: 2 })
      for (let i = 0; i < 5; i++) {
        const request = new Uint8Array(randomBytes(i * 11))
        expect(toHex(exchange(client, device, request, (plain) => plain.reverse()))).toBe(toHex(request.slice().reverse()))
      }
    }
  })

  it('a mismatched sec_patch_ver is named by the client (12-byte nonce = patched firmware, 16 = legacy)', () => {
    for (const [devicePatch, clientPatch, hint] of [[1, 0, 'sec_patch_ver 1'], [0, 1, 'legacy']] as const) {
      const device = createSecurity2Device({ salt, verifier, patchVersion: devicePatch })
      const client = createSecurity2Client({ username: SRP.username, password: SRP.password, patchVersion: clientPatch })
      const outcome = runHandshake(client, device)
      expect(outcome).toMatchObject({ ok: false, side: 'client', reason: 'invalid-nonce', round: 2 })
      expect(!outcome.ok && outcome.side === 'client' && outcome.message).toContain(hint)
    }
  })

  it('a wrong password fails cleanly: proof-mismatch at Command1, no body, nothing established', () => {
    const { client, device } = vectorPair(1, 'abcd1235')
    expect(runHandshake(client, device)).toEqual({ ok: false, side: 'device', step: { ok: false, reason: 'proof-mismatch' }, round: 2 })
    expect(client.isEstablished || device.isEstablished).toBe(false)
    expect(cryptoCode(() => device.encrypt(new Uint8Array(1)))).toBe('not-established')
    const wrongUser = createSecurity2Client({ username: 'admin', password: SRP.password, patchVersion: 1 })
    expect(runHandshake(wrongUser, createSecurity2Device({ salt, verifier, patchVersion: 1 }))).toMatchObject({ ok: false, side: 'device', round: 2 })
  })

  it('the client rejects a device whose H_AMK is wrong (it does not hold the verifier)', () => {
    const { client, device } = vectorPair()
    const resp0 = device.handleSession(client.start())
    if (!resp0.ok) throw new Error(resp0.reason)
    client.next(resp0.response)
    const forged = fromHex(SRP.hamk)
    forged[63] = (forged[63] as number) ^ 0x80
    const sr1 = encodeSessionData({ secVer: 2, payload: { scheme: 2, type: 'sr1', status: 0, deviceProof: forged, deviceNonce: fromHex(GCM.nonce) } })
    expect(client.next(sr1)).toMatchObject({ kind: 'error', reason: 'proof-mismatch' })
    expect(client.isEstablished).toBe(false)
  })

  it('desync is detected: a dropped request and a replayed request both fail GCM authentication', () => {
    const { client, device } = vectorPair()
    runHandshake(client, device)
    const dropped = client.encrypt(fromHex(WIFI.getStatus))
    const next = client.encrypt(fromHex(WIFI.setConfig))
    expect(cryptoCode(() => device.decrypt(next))).toBe('authentication-failed')
    expect(toHex(device.decrypt(dropped))).toBe(WIFI.getStatus) // a failed decrypt did not advance the counter
    expect(cryptoCode(() => device.decrypt(dropped))).toBe('authentication-failed') // replay
    expect(cryptoCode(() => device.decrypt(new Uint8Array(15)))).toBe('authentication-failed')
  })

  it('the device refuses bad handshake messages: A length, A = 0, empty username, proof length, order, scheme', () => {
    const device = createSecurity2Device({ salt, verifier, patchVersion: 1 })
    const send = (payload: Sec2Message, secVer: 0 | 1 | 2 = 2) => device.handleSession(encodeSessionData({ secVer, payload }))
    const user = new TextEncoder().encode('wifiprov')
    expect(send({ scheme: 2, type: 'sc1', clientProof: new Uint8Array(64) })).toEqual({ ok: false, reason: 'invalid-state' })
    expect(send({ scheme: 2, type: 'sc0', clientUsername: user, clientPubkey: new Uint8Array(383).fill(1) })).toEqual({ ok: false, reason: 'invalid-public-key' })
    expect(send({ scheme: 2, type: 'sc0', clientUsername: user, clientPubkey: new Uint8Array(384) })).toEqual({ ok: false, reason: 'invalid-public-key' })
    expect(send({ scheme: 2, type: 'sc0', clientUsername: new Uint8Array(), clientPubkey: new Uint8Array(384).fill(1) })).toEqual({ ok: false, reason: 'invalid-message' })
    expect(send({ scheme: 2, type: 'sc0', clientUsername: user, clientPubkey: new Uint8Array(384).fill(1) }, 1)).toEqual({ ok: false, reason: 'invalid-message' })
    expect(send({ scheme: 2, type: 'sc0', clientUsername: user, clientPubkey: new Uint8Array(384).fill(1) }).ok).toBe(true)
    expect(send({ scheme: 2, type: 'sc1', clientProof: new Uint8Array(63) })).toEqual({ ok: false, reason: 'invalid-message' })
    expect(send({ scheme: 2, type: 'sr1', status: 0, deviceProof: new Uint8Array(64), deviceNonce: new Uint8Array(12) })).toEqual({ ok: false, reason: 'invalid-message' })
  })

  it('garbage never throws out of handleSession or next, and no error message contains the password', () => {
    const password = 'hunter2-secret'
    const device = createSecurity2Device({ salt, verifier, patchVersion: 1 })
    const client = createSecurity2Client({ username: SRP.username, password, patchVersion: 1 })
    const messages: string[] = []
    for (let i = 0; i < 500; i++) {
      const garbage = new Uint8Array(randomBytes(i % 90))
      expect(device.handleSession(garbage).ok).toBe(false)
      if (i % 50 === 0) client.start()
      const next = client.next(garbage)
      expect(next.kind).toBe('error')
      if (next.kind === 'error') messages.push(next.message)
    }
    const outcome = runHandshake(createSecurity2Client({ username: SRP.username, password, patchVersion: 1 }), device)
    expect(outcome).toMatchObject({ ok: false, side: 'device' })
    expect(messages.join('\n')).not.toContain(password)
  })
})
