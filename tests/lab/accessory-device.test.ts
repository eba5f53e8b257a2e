/**
 * The simulated accessory in-process on loopback (no namespaces needed): the provisioning protocol as a
 * client meets it, driven by the spec client, and every device-side fault switch's effect.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { Status, WifiConnectFailedReason, WifiStationState } from '../../main/provisioning/esp/constants'
import { systemClock } from '../../main/util/clock'
import { AccessoryConfig } from './accessory/config'
import { startAccessory, type DeviceEvent, type NetworkEffects, type SimulatedAccessory } from './accessory/device'
import { SpecClient } from './spec-client'

const HOME = { ssid: 'PorchlightHome', passphrase: 'correct horse battery' }
const running: SimulatedAccessory[] = []

afterEach(async () => {
  for (const device of running.splice(0)) await device.stop()
})

async function start(overrides: Partial<AccessoryConfig> = {}) {
  const calls: string[] = []
  const events: DeviceEvent[] = []
  const effects: NetworkEffects = {
    joinHome: async () => (calls.push('joinHome'), '198.18.0.11'),
    leaveAp: async () => void calls.push('leaveAp'),
    restoreAp: async () => void calls.push('restoreAp'),
    homeHosts: async () => ['127.0.0.1'],
    startHomeServices: async () => void calls.push('startHomeServices'),
    stopHomeServices: async (how) => void calls.push(`stopHomeServices:${how}`),
    applyServiceFaults: () => undefined,
  }
  const config = AccessoryConfig.parse({
    id: 'a1', deviceId: '02706c780001', name: 'PROV_780001', security: 2, pop: 'abcd1234',
    networks: [HOME, { ssid: 'Neighbour', rssi: -80, channel: 11 }], http: { host: '127.0.0.1', port: 0 },
    joinDelayMs: 50, apLingerMs: 50, ...overrides,
  })
  const device = await startAccessory(config, { effects, clock: systemClock, emit: (e) => events.push(e) })
  running.push(device)
  return { url: `http://127.0.0.1:${device.port}`, calls, events, device }
}

const waitFor = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

function rawPost(url: string, path: string, body: Buffer, method = 'POST') {
  return new Promise<number>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { 'Content-Length': body.length } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe.each([
  { security: 0 as const, pop: undefined },
  { security: 1 as const, pop: 'abcd1234' },
  { security: 2 as const, pop: 'abcd1234', secPatchVersion: 1 as const },
  { security: 2 as const, pop: 'abcd1234', secPatchVersion: 0 as const },
])('security $security (patch $secPatchVersion): a full provisioning run', (variant) => {
  it('proto-ver, session, scan, credentials, Connected, then the AP goes and home services start', async () => {
    const { url, calls } = await start(variant)
    const client = new SpecClient(url)
    await client.open({ ...(variant.pop && { pop: variant.pop }) })
    expect(client.info?.secVer).toBe(variant.security)
    expect(client.info?.capabilities).toContain('wifi_scan')
    if (variant.security === 0) expect(client.info?.capabilities).toContain('no_sec')
    expect((await client.scan()).map((n) => n.ssid)).toEqual(['PorchlightHome', 'Neighbour'])
    expect(await client.sendCredentials(HOME.ssid, HOME.passphrase)).toEqual({ set: Status.Success, apply: Status.Success })
    const outcome = await client.waitForOutcome(30)
    expect(outcome.staState).toBe(WifiStationState.Connected)
    expect(outcome.connected?.ip4Addr).toBe('198.18.0.11')
    await waitFor(() => calls.includes('leaveAp'))
    expect(calls).toEqual(['joinHome', 'startHomeServices', 'leaveAp'])
  })
})

describe('esp_local_ctrl on the home network after provisioning', () => {
  it('version, a session with the same security, properties (status read-only, power writable)', async () => {
    const { url, device } = await start({ security: 1 })
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    await client.sendCredentials(HOME.ssid, HOME.passphrase)
    await client.waitForOutcome(30)
    await waitFor(() => device.homePort !== undefined)
    const local = new SpecClient(`http://127.0.0.1:${device.homePort}`)
    expect(await local.openLocalCtrl({ pop: 'abcd1234' })).toEqual({ ver: 'v1.0', sec_ver: 1, sec_patch_ver: 0 })
    const props = await local.properties()
    expect(props.map((p) => [p.name, p.flags])).toEqual([['status', 1], ['power', 0]])
    expect(JSON.parse(props[0]?.value ?? '{}')).toMatchObject({ id: '02706c780001', ssid: HOME.ssid, ip4: '198.18.0.11' })
    expect(await local.setProperty(1, new Uint8Array([0]))).toBe(Status.Success)
    expect((await local.properties())[1]?.value).toBe('00')
    expect(await local.setProperty(0, new Uint8Array([1]))).toBe(Status.InvalidArgument)
    await expect(new SpecClient(`http://127.0.0.1:${device.homePort}`).open({ pop: 'abcd1234' })).rejects.toThrow(/HTTP 404/)
    local.close()
  })
})

describe('the protocol details a client must get right', () => {
  it('sets the session cookie once and keeps the secure session across requests bound by it', async () => {
    const { url, events } = await start({ security: 1 })
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    expect(await client.custom('hello')).toBe('SUCCESS\0')
    const requests = events.filter((e): e is Extract<DeviceEvent, { event: 'request' }> => e.event === 'request')
    expect(new Set(requests.map((r) => r.session)).size).toBe(1)
    expect(requests.filter((r) => r.isNew)).toHaveLength(1)
  })

  it('a wrong proof of possession cannot open a session: the device drops the connection, as the firmware does', async () => {
    for (const security of [1, 2] as const) {
      const { url, events } = await start({ security })
      await expect(new SpecClient(url).open({ pop: 'wrong-secret' })).rejects.toThrow(/prov-session: (socket hang up|read ECONNRESET)/)
      expect(events).toContainEqual({ event: 'refused', endpoint: 'prov-session', status: 'drop', reason: 'connection dropped' })
    }
  })

  it('refuses empty and over-long bodies, other methods, and unknown endpoints', async () => {
    const { url } = await start()
    expect(await rawPost(url, '/proto-ver', Buffer.alloc(0))).toBe(400)
    expect(await rawPost(url, '/proto-ver', Buffer.alloc(4096, 1))).toBe(400)
    expect(await rawPost(url, '/proto-ver', Buffer.alloc(4095, 1))).toBe(200)
    expect(await rawPost(url, '/proto-ver', Buffer.from('x'), 'PUT')).toBe(405)
    expect(await rawPost(url, '/nope', Buffer.from('x'))).toBe(404)
  })

  it('refuses encrypted endpoints before a session exists', async () => {
    const { url } = await start()
    expect(await rawPost(url, '/prov-config', Buffer.from([1, 2, 3]))).toBe(500)
  })
})

describe('fault switches and failure reasons', () => {
  it('wrong password → ConnectionFailed AuthError; prov-ctrl reset then the right one → Connected', async () => {
    const { url } = await start()
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    await client.sendCredentials(HOME.ssid, 'not the passphrase')
    const failed = await client.waitForOutcome(30)
    expect(failed).toMatchObject({ staState: WifiStationState.ConnectionFailed, failReason: WifiConnectFailedReason.AuthError })
    expect((await client.sendCredentials(HOME.ssid, HOME.passphrase)).set).toBe(Status.InternalError)
    expect(await client.reset()).toBe(Status.Success)
    await client.sendCredentials(HOME.ssid, HOME.passphrase)
    expect((await client.waitForOutcome(30)).staState).toBe(WifiStationState.Connected)
  })

  it('unknown SSID → ConnectionFailed NetworkNotFound', async () => {
    const { url } = await start()
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    await client.sendCredentials('NoSuchNetwork', 'whatever123')
    expect(await client.waitForOutcome(30)).toMatchObject({ staState: WifiStationState.ConnectionFailed, failReason: WifiConnectFailedReason.NetworkNotFound })
  })

  it('with retries configured, attempts_remaining counts down while Connecting', async () => {
    const { url } = await start({ connectAttempts: 2, joinDelayMs: 400 })
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    await client.sendCredentials(HOME.ssid, 'not the passphrase')
    const seen = new Set<number>()
    let status = await client.status()
    while (status.staState === WifiStationState.Connecting) {
      if (status.attemptFailed) seen.add(status.attemptFailed.attemptsRemaining)
      await new Promise((r) => setTimeout(r, 25))
      status = await client.status()
    }
    expect([...seen].sort()).toEqual([0, 1])
    expect(status.failReason).toBe(WifiConnectFailedReason.AuthError)
  })

  it('AP vanishes right after Apply: the AP goes at once, and the device still joins home', async () => {
    const { url, calls } = await start({ faults: { ...AccessoryConfig.shape.faults.parse(undefined), apVanishesAfterApply: true } })
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    await client.sendCredentials(HOME.ssid, HOME.passphrase)
    await waitFor(() => calls.includes('leaveAp'))
    expect(calls[0]).toBe('leaveAp')
    await waitFor(() => calls.includes('joinHome'))
  })

  it('reboot mid-session: the request dies, the session is gone, a new session works after boot', async () => {
    const { url, events, device } = await start()
    device.setFaults({ rebootOn: 'prov-config', rebootMs: 200 })
    const client = new SpecClient(url)
    await client.open({ pop: 'abcd1234' })
    await expect(client.sendCredentials(HOME.ssid, HOME.passphrase)).rejects.toThrow(/prov-config: (socket hang up|read ECONNRESET)/)
    await waitFor(() => events.some((e) => e.event === 'booted'))
    const again = new SpecClient(url)
    await again.open({ pop: 'abcd1234' })
    // Nothing was applied before the reboot: a stock device reports Connecting (its zeroed state) until Apply.
    expect((await again.status()).staState).toBe(WifiStationState.Connecting)
    expect(await again.sendCredentials(HOME.ssid, HOME.passphrase)).toEqual({ set: Status.Success, apply: Status.Success })
  })

  it('slow responses delay every reply by the configured time', async () => {
    const { url, device } = await start({ security: 0 })
    device.setFaults({ slowResponsesMs: 300 })
    const started = performance.now()
    await new SpecClient(url).open({})
    expect(performance.now() - started).toBeGreaterThanOrEqual(600)
  })
})
