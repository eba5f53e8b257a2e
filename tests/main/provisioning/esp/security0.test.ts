import { describe, expect, it } from 'vitest'
import { createSecurity0Client, createSecurity0Device } from '../../../../main/provisioning/esp/security0'
import { decodeSessionData, encodeSessionData } from '../../../../main/provisioning/esp/session-messages'
import { exchange, runHandshake } from './handshake'
import { fromHex, SEC0_REQUEST, toHex, WIFI } from './vectors'

describe('security 0', () => {
  it('(b)4 the client sends 5203a20100 and the device answers sr{Success}; payloads stay plaintext', () => {
    const client = createSecurity0Client()
    const device = createSecurity0Device()
    expect(toHex(client.start())).toBe(SEC0_REQUEST)
    const step = device.handleSession(fromHex(SEC0_REQUEST))
    expect(step.ok && decodeSessionData(step.response)).toEqual({ ok: true, value: { secVer: 0, payload: { scheme: 0, type: 'sr', status: 0 } } })
    expect(client.isEstablished).toBe(false)
    expect(runHandshake(client, device)).toEqual({ ok: true, rounds: 1 })
    expect(client.isEstablished).toBe(true)
    const reply = exchange(client, device, fromHex(WIFI.getStatus), (plain) => plain)
    expect(toHex(reply)).toBe(WIFI.getStatus)
  })

  it('the device ignores the payload like security0.c but refuses another sec_ver and non-protobuf', () => {
    const device = createSecurity0Device()
    expect(device.handleSession(encodeSessionData({ secVer: 0 })).ok).toBe(true)
    expect(device.handleSession(encodeSessionData({ secVer: 1, payload: { scheme: 1, type: 'sc0', clientPubkey: new Uint8Array(32) } }))).toEqual({ ok: false, reason: 'invalid-message' })
    expect(device.handleSession(fromHex('ffff'))).toEqual({ ok: false, reason: 'invalid-message' })
  })

  it('the client rejects a reply of another scheme and reports a non-success status', () => {
    const client = createSecurity0Client()
    client.start()
    expect(client.next(encodeSessionData({ secVer: 1, payload: { scheme: 1, type: 'sr1', status: 0, deviceVerifyData: new Uint8Array(32) } }))).toMatchObject({ kind: 'error', reason: 'invalid-message' })
    client.start()
    expect(client.next(encodeSessionData({ secVer: 0, payload: { scheme: 0, type: 'sr', status: 3 } }))).toMatchObject({ kind: 'error', reason: 'device-status', status: 3 })
  })
})
