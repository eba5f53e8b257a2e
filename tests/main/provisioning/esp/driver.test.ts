/**
 * The ESP driver against the lab's simulated accessory on loopback: probe, every security scheme and nonce
 * variant, a whole onboarding on one connection with the cookie echoed, wrong codes, failure statuses and
 * the prov-ctrl reset.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { DeviceStatus, ProvisioningSession } from '../../../../main/provisioning/driver'
import { createEspDriver, type EspDriver } from '../../../../main/provisioning/esp/driver'
import type { AccessoryConfig } from '../../../lab/accessory/config'
import { HOME, startLoopbackDevice, type LoopbackDevice } from './driver-fixture'

const running: { stop(): Promise<void> | void }[] = []
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
})

async function setup(overrides: Partial<AccessoryConfig> = {}): Promise<{ dev: LoopbackDevice; driver: EspDriver }> {
  const dev = await startLoopbackDevice(overrides)
  const driver = createEspDriver({ requestTimeoutMs: 3000 })
  running.push(dev, { stop: () => driver.dispose() })
  return { dev, driver }
}

async function open(driver: EspDriver, dev: LoopbackDevice, pop = 'abcd1234'): Promise<ProvisioningSession> {
  const opened = await driver.openSession(dev.endpoint, { pop })
  if (!opened.ok) throw new Error(`openSession failed: ${opened.error.code} ${opened.error.message}`)
  running.push({ stop: () => opened.value.close() })
  return opened.value
}

/** Polls status until it is no longer `connecting` (bounded). */
async function outcome(session: ProvisioningSession): Promise<DeviceStatus> {
  for (let i = 0; i < 100; i++) {
    const status = await session.status()
    if (!status.ok) throw new Error(`status failed: ${status.error.code}`)
    if (status.value.state !== 'connecting') return status.value
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('still connecting')
}

const variants = [
  { name: 'security 0', config: { security: 0 as const, pop: undefined }, expect: { security: 0, securityPatch: 0, needsCode: false } },
  { name: 'security 1', config: { security: 1 as const }, expect: { security: 1, securityPatch: 0, needsCode: true } },
  { name: 'security 2 patch 0', config: { security: 2 as const, secPatchVersion: 0 as const }, expect: { security: 2, securityPatch: 0, needsCode: true } },
  { name: 'security 2 patch 1', config: { security: 2 as const, secPatchVersion: 1 as const }, expect: { security: 2, securityPatch: 1, needsCode: true } },
]

describe.each(variants)('$name', (variant) => {
  it('probe reports security, nonce scheme, capabilities and the app-info device id', async () => {
    const { dev, driver } = await setup(variant.config)
    const probed = await driver.probe(dev.endpoint)
    expect(probed).toEqual({
      ok: true,
      value: {
        protocol: 'esp-unified', version: 'v1.1', ...variant.expect, canScan: true, canReset: null, deviceId: '02706c780001',
        capabilities: variant.config.security === 0 ? ['no_sec', 'wifi_scan'] : ['wifi_scan'],
      },
    })
  })

  it('probe, session, scan, credentials and status to Connected run on one connection with the cookie echoed', async () => {
    const { dev, driver } = await setup(variant.config)
    expect((await driver.probe(dev.endpoint)).ok).toBe(true)
    const session = await open(driver, dev)
    const scanned = await session.scanNetworks()
    expect(scanned).toEqual({
      ok: true,
      value: [
        { ssid: HOME.ssid, rssi: -55, channel: 6, security: 'wpa2-psk', bssid: '02:70:6c:78:00:00' },
        { ssid: 'Neighbour', rssi: -80, channel: 11, security: 'open', bssid: '02:70:6c:78:00:01' },
      ],
    })
    expect(await session.sendCredentials(HOME)).toEqual({ ok: true, value: undefined })
    expect(await outcome(session)).toEqual({ state: 'connected', ip4: '198.18.0.11', ssid: HOME.ssid, channel: 6 })
    expect(dev.connections).toBe(1)
    // The device set its cookie on the first reply (proto-ver); every later request carried it back.
    const cookie = dev.cookies[1]
    expect(cookie).toMatch(/^session=\d+$/)
    expect(dev.cookies[0]).toBeUndefined()
    expect(dev.cookies.slice(1).every((c) => c === cookie)).toBe(true)
    const sessions = new Set(dev.events.flatMap((e) => (e.event === 'request' ? [e.session] : [])))
    expect(sessions.size).toBe(1)
  })
})

describe('setup codes', () => {
  it.each([
    { security: 1 as const, secPatchVersion: 1 as const },
    { security: 2 as const, secPatchVersion: 1 as const },
    { security: 2 as const, secPatchVersion: 0 as const },
  ])('a wrong code is wrong-code (security $security), the message has no code in it, and the right one then works', async (config) => {
    const { dev, driver } = await setup(config)
    const wrong = await driver.openSession(dev.endpoint, { pop: 'wrong-pop-9' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong-code' } })
    expect(JSON.stringify(wrong)).not.toContain('wrong-pop-9')
    expect(JSON.stringify(wrong)).not.toContain('abcd1234')
    const session = await open(driver, dev)
    expect((await session.status()).ok).toBe(true)
  })

  it('a missing code is wrong-code without contacting the session endpoint; no_pop needs none', async () => {
    const { dev, driver } = await setup({ security: 1 })
    expect(await driver.openSession(dev.endpoint, {})).toMatchObject({ ok: false, error: { code: 'wrong-code' } })
    expect(dev.requests).toEqual(['POST /proto-ver'])
    const noPop = await setup({ security: 1, pop: undefined })
    expect(await noPop.driver.probe(noPop.dev.endpoint)).toMatchObject({ ok: true, value: { security: 1, needsCode: false, capabilities: ['no_pop', 'wifi_scan'] } })
    // A code typed anyway is ignored: the device has none, and using one would derive another key.
    const opened = await noPop.driver.openSession(noPop.dev.endpoint, { pop: 'typed anyway' })
    expect(opened.ok).toBe(true)
    if (opened.ok) opened.value.close()
  })

  it('a custom SRP username is used; a forced security version overrides proto-ver', async () => {
    const { dev, driver } = await setup({ security: 2, username: 'porch' })
    expect(await driver.openSession(dev.endpoint, { pop: 'abcd1234' })).toMatchObject({ ok: false, error: { code: 'wrong-code' } })
    const custom = await driver.openSession(dev.endpoint, { pop: 'abcd1234', username: 'porch', security: 2 })
    expect(custom).toMatchObject({ ok: true, value: { info: { security: 2 } } })
    if (custom.ok) custom.value.close()
    const forced = await driver.openSession(dev.endpoint, { pop: 'abcd1234', security: 1 })
    expect(forced).toMatchObject({ ok: false, error: { code: 'unsupported' } })
  })

  it.each([
    { actual: 1 as const, announced: 0 },
    { actual: 0 as const, announced: 1 },
  ])('security 2 whose nonce scheme ($actual) differs from its announced sec_patch_ver ($announced) still opens', async ({ actual, announced }) => {
    const { dev, driver } = await setup({ security: 2, secPatchVersion: actual })
    dev.rewriteReplies((text) => text.replace(`"sec_patch_ver": ${actual}`, `"sec_patch_ver": ${announced}`))
    const probed = await driver.probe(dev.endpoint)
    expect(probed).toMatchObject({ ok: true, value: { securityPatch: announced } })
    const session = await open(driver, dev)
    expect(await session.status()).toEqual({ ok: true, value: { state: 'connecting' } })
    expect(await session.sendCredentials(HOME)).toEqual({ ok: true, value: undefined })
  })

  it('a device without the app-info id gives no deviceId', async () => {
    const { dev, driver } = await setup({ appInfoId: false })
    const probed = await driver.probe(dev.endpoint)
    expect(probed.ok && probed.value.deviceId).toBeUndefined()
  })
})

describe('status and reset', () => {
  it('a wrong passphrase is failed/auth; an unknown network is failed/network-not-found', async () => {
    const { dev, driver } = await setup({ resetOnFailure: true })
    const session = await open(driver, dev)
    expect(await session.sendCredentials({ ssid: HOME.ssid, passphrase: 'not the password' })).toEqual({ ok: true, value: undefined })
    expect(await outcome(session)).toEqual({ state: 'failed', reason: 'auth' })
    expect(await session.sendCredentials({ ssid: 'Nowhere', passphrase: 'whatever-123' })).toEqual({ ok: true, value: undefined })
    expect(await outcome(session)).toEqual({ state: 'failed', reason: 'network-not-found' })
  })

  it('retries show attempts remaining while connecting', async () => {
    const { dev, driver } = await setup({ connectAttempts: 2, joinDelayMs: 150 })
    const session = await open(driver, dev)
    await session.sendCredentials({ ssid: HOME.ssid, passphrase: 'not the password' })
    const seen: DeviceStatus[] = []
    for (let i = 0; i < 100; i++) {
      const status = await session.status()
      if (!status.ok) throw new Error(status.error.code)
      seen.push(status.value)
      if (status.value.state !== 'connecting') break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(seen).toContainEqual({ state: 'connecting', attemptsRemaining: 1 })
    expect(seen).toContainEqual({ state: 'connecting', attemptsRemaining: 0 })
    expect(seen.at(-1)).toEqual({ state: 'failed', reason: 'auth' })
  })

  it('after a failure new credentials are refused until prov-ctrl reset; then they are accepted', async () => {
    const { dev, driver } = await setup({ resetOnFailure: false })
    const session = await open(driver, dev)
    await session.sendCredentials({ ssid: HOME.ssid, passphrase: 'not the password' })
    expect(await outcome(session)).toEqual({ state: 'failed', reason: 'auth' })
    expect(await session.sendCredentials(HOME)).toMatchObject({ ok: false, error: { code: 'invalid-state' } })
    expect(session.info.canReset).toBeNull()
    expect(await session.reset()).toEqual({ ok: true, value: undefined })
    expect(session.info.canReset).toBe(true)
    expect(await session.sendCredentials(HOME)).toEqual({ ok: true, value: undefined })
    expect(await outcome(session)).toMatchObject({ state: 'connected', ip4: '198.18.0.11' })
  })

  it('reset on firmware without prov-ctrl (404) is unsupported, canReset false, and the session still works', async () => {
    const { dev, driver } = await setup({ provCtrl: false })
    const session = await open(driver, dev)
    expect(await session.reset()).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(session.info.canReset).toBe(false)
    // Our cipher moved on while the device never read the message: the next call re-keys first.
    expect(await session.status()).toEqual({ ok: true, value: { state: 'connecting' } })
    expect(await session.sendCredentials(HOME)).toEqual({ ok: true, value: undefined })
    expect(await outcome(session)).toMatchObject({ state: 'connected' })
    // ESP's httpd closes the socket after a 404 (httpd_req_handle_err); the cookie carries the session over.
    expect(dev.connections).toBe(2)
    expect(new Set(dev.events.flatMap((e) => (e.event === 'request' ? [e.session] : []))).size).toBe(1)
  })

  it('passphrases the firmware would truncate are refused before sending, without echoing them', async () => {
    const { dev, driver } = await setup()
    const session = await open(driver, dev)
    const hex = 'a'.repeat(64)
    const tooLong = await session.sendCredentials({ ssid: HOME.ssid, passphrase: hex })
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(JSON.stringify(tooLong)).not.toContain(hex)
    expect(await session.sendCredentials({ ssid: 'x'.repeat(33), passphrase: HOME.passphrase })).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(await session.sendCredentials({ ssid: HOME.ssid, passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(dev.requests.filter((r) => r === 'POST /prov-config')).toHaveLength(0)
  })
})
