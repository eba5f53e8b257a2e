import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SessionCryptoError } from '../../../../main/provisioning/esp/security-common'
import { createSecurity1Client, createSecurity1Device } from '../../../../main/provisioning/esp/security1'
import { decodeSessionData, encodeSessionData } from '../../../../main/provisioning/esp/session-messages'
import { decodeWiFiConfig, encodeWiFiConfig } from '../../../../main/provisioning/esp/wifi-messages'
import { exchange, runHandshake } from './handshake'
import { fixedRandom, fromHex, SEC1, toHex, WIFI } from './vectors'

const vectorPair = (devicePop: string = SEC1.pop) => ({
  client: createSecurity1Client({ pop: SEC1.pop, randomBytes: fixedRandom(SEC1.clientPrivate) }),
  device: createSecurity1Device({ pop: devicePop, randomBytes: fixedRandom(SEC1.devicePrivate, SEC1.deviceRandom) }),
})
const sec1Payload = (bytes: Uint8Array) => {
  const decoded = decodeSessionData(bytes)
  if (!decoded.ok || decoded.value.payload?.scheme !== 1) throw new Error('not a security 1 message')
  return decoded.value.payload
}
const keystream = (length: number): Buffer => createCipheriv('aes-256-ctr', fromHex(SEC1.key), SEC1.deviceRandom).update(Buffer.alloc(length))
const xor = (a: Uint8Array, b: Uint8Array): string => toHex(a.map((byte, i) => byte ^ (b[i] as number)))

describe('security 1', () => {
  it('(b)6 security 1 vector: keys, key derivation, verify data and SessionCmd0 bytes match esp_prov', () => {
    const { client, device } = vectorPair()
    const cmd0 = client.start()
    expect(toHex(cmd0)).toBe(SEC1.sessionCmd0Prefix + SEC1.clientPub)
    const resp0 = device.handleSession(cmd0)
    if (!resp0.ok) throw new Error(resp0.reason)
    expect(sec1Payload(resp0.response)).toEqual({ scheme: 1, type: 'sr0', status: 0, devicePubkey: fromHex(SEC1.devicePub), deviceRandom: SEC1.deviceRandom })
    const cmd1 = client.next(resp0.response)
    if (cmd1.kind !== 'send') throw new Error('expected Session_Command1')
    expect(sec1Payload(cmd1.request)).toEqual({ scheme: 1, type: 'sc1', clientVerifyData: fromHex(SEC1.clientVerify) })
    const resp1 = device.handleSession(cmd1.request)
    if (!resp1.ok) throw new Error(resp1.reason)
    expect(sec1Payload(resp1.response)).toMatchObject({ type: 'sr1', status: 0, deviceVerifyData: fromHex(SEC1.deviceVerify) })
    expect(client.next(resp1.response)).toEqual({ kind: 'done' })
    expect(client.isEstablished && device.isEstablished).toBe(true)
    // The vector's own chain: key = shared XOR SHA-256(PoP), and CTR(key, device_random) of device_pub is client_verify.
    expect(createHash('sha256').update(SEC1.pop).digest('hex')).toBe(SEC1.popSha256)
    expect(xor(fromHex(SEC1.shared), fromHex(SEC1.popSha256))).toBe(SEC1.key)
    expect(xor(fromHex(SEC1.devicePub), keystream(32))).toBe(SEC1.clientVerify)
  })

  it('(b)6 the first payload (SetConfig myssid/mypassword) sits at keystream offset 64', () => {
    const { client, device } = vectorPair()
    expect(runHandshake(client, device)).toEqual({ ok: true, rounds: 2 })
    const ciphertext = client.encrypt(fromHex(WIFI.setConfig))
    expect(toHex(ciphertext)).toBe(SEC1.setConfigAt64)
    expect(toHex(device.decrypt(ciphertext))).toBe(WIFI.setConfig)
  })

  it('(b)7 one keystream for both directions: the response continues where the request ended', () => {
    const { client, device } = vectorPair()
    runHandshake(client, device)
    device.decrypt(client.encrypt(fromHex(WIFI.setConfig)))
    const response = encodeWiFiConfig({ type: 'respSetConfig', status: 0 })
    const sealed = device.encrypt(response)
    expect(toHex(sealed)).toBe(xor(response, keystream(64 + 24 + response.length).subarray(64 + 24)))
    expect(toHex(client.decrypt(sealed))).toBe(toHex(response))
  })

  it('round-trips with and without PoP over several alternating exchanges', () => {
    for (const pop of ['abcd1234', '', undefined]) {
      const client = createSecurity1Client(pop === undefined ? {} : { pop })
      const device = createSecurity1Device(pop === undefined ? {} : { pop })
      expect(runHandshake(client, device)).toEqual({ ok: true, rounds: 2 })
      for (let i = 0; i < 5; i++) {
        const reply = exchange(client, device, new Uint8Array(randomBytes(1 + i * 7)), (plain) => plain.map((b) => b ^ 0xff))
        expect(reply).toHaveLength(1 + i * 7)
      }
    }
  })

  it('a wrong PoP fails cleanly: the device reports proof-mismatch at Command1 with no body, nothing is established', () => {
    const { client, device } = vectorPair('abcd1235')
    const outcome = runHandshake(client, device)
    expect(outcome).toEqual({ ok: false, side: 'device', step: { ok: false, reason: 'proof-mismatch' }, round: 2 })
    expect(device.isEstablished || client.isEstablished).toBe(false)
    expect(() => device.decrypt(new Uint8Array(4))).toThrow(SessionCryptoError)
    const noPop = createSecurity1Device()
    expect(runHandshake(createSecurity1Client({ pop: 'abcd1234' }), noPop)).toMatchObject({ ok: false, side: 'device', round: 2 })
  })

  it('the client rejects a device whose verify data does not decrypt to its own key (impersonation)', () => {
    const { client, device } = vectorPair()
    const resp0 = device.handleSession(client.start())
    if (!resp0.ok) throw new Error(resp0.reason)
    const cmd1 = client.next(resp0.response)
    if (cmd1.kind !== 'send') throw new Error('expected Session_Command1')
    const forged = fromHex(SEC1.deviceVerify)
    forged[0] = (forged[0] as number) ^ 1
    const step = client.next(encodeSessionData({ secVer: 1, payload: { scheme: 1, type: 'sr1', status: 0, deviceVerifyData: forged } }))
    expect(step).toMatchObject({ kind: 'error', reason: 'proof-mismatch' })
    expect(client.isEstablished).toBe(false)
    expect(() => client.encrypt(new Uint8Array(1))).toThrow(SessionCryptoError)
  })

  it('desync (a dropped request) turns the next payload into garbage the protobuf decoder rejects', () => {
    const { client, device } = vectorPair()
    runHandshake(client, device)
    client.encrypt(fromHex(WIFI.getStatus)) // lost on the way
    const garbled = device.decrypt(client.encrypt(fromHex(WIFI.setConfig)))
    expect(toHex(garbled)).not.toBe(WIFI.setConfig)
    expect(decodeWiFiConfig(garbled).ok).toBe(false)
    let accepted = 0
    for (let i = 0; i < 200; i++) {
      const c = createSecurity1Client({ pop: 'p' })
      const d = createSecurity1Device({ pop: 'p' })
      runHandshake(c, d)
      c.encrypt(fromHex(WIFI.setConfig))
      if (decodeWiFiConfig(d.decrypt(c.encrypt(fromHex(WIFI.getStatus)))).ok) accepted++
    }
    expect(accepted).toBeLessThan(10) // ~0 in practice; sec1 has no MAC, so this is detection, not proof
  })

  it('a new Command0 restarts an established session; Command1 first, bad keys and bad lengths are refused', () => {
    const { client, device } = vectorPair()
    runHandshake(client, device)
    expect(device.handleSession(client.start()).ok).toBe(true)
    expect(device.isEstablished).toBe(false)
    const fresh = createSecurity1Device({ pop: 'x' })
    const sc1 = encodeSessionData({ secVer: 1, payload: { scheme: 1, type: 'sc1', clientVerifyData: new Uint8Array(32) } })
    expect(fresh.handleSession(sc1)).toEqual({ ok: false, reason: 'invalid-state' })
    const sc0 = (clientPubkey: Uint8Array) => encodeSessionData({ secVer: 1, payload: { scheme: 1, type: 'sc0', clientPubkey } })
    expect(fresh.handleSession(sc0(new Uint8Array(31)))).toEqual({ ok: false, reason: 'invalid-public-key' })
    expect(fresh.handleSession(sc0(new Uint8Array(32)))).toEqual({ ok: false, reason: 'invalid-public-key' }) // low-order point
    expect(fresh.handleSession(encodeSessionData({ secVer: 2, payload: { scheme: 1, type: 'sc0', clientPubkey: new Uint8Array(32).fill(9) } }))).toEqual({ ok: false, reason: 'invalid-message' })
  })

  it('garbage never throws out of handleSession or next, and no error message contains the PoP', () => {
    const pop = 'secret-pop-9f3a'
    const device = createSecurity1Device({ pop })
    const client = createSecurity1Client({ pop })
    const messages: string[] = []
    for (let i = 0; i < 1000; i++) {
      const garbage = new Uint8Array(randomBytes(i % 80))
      const step = device.handleSession(garbage)
      expect(step.ok).toBe(false)
      if (i % 2 === 0) client.start()
      const next = client.next(garbage)
      expect(next.kind).toBe('error')
      if (next.kind === 'error') messages.push(next.message)
    }
    expect(messages.join('\n')).not.toContain(pop)
  })
})
