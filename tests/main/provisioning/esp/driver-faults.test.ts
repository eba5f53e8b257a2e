/**
 * The ESP driver when things go wrong on loopback: a reboot mid-session, another client taking the
 * device's only socket, a corrupted reply, slow and aborted requests, nothing listening, the wrong local
 * address, and endpoints that are not ESP provisioning at all.
 */
import { createServer, type Server } from 'node:http'
import { networkInterfaces } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProvisioningSession } from '../../../../main/provisioning/driver'
import { createEspDriver, type EspDriver } from '../../../../main/provisioning/esp/driver'
import type { AccessoryConfig } from '../../../lab/accessory/config'
import { HOME, startLoopbackDevice, waitFor, type LoopbackDevice } from './driver-fixture'

const running: { stop(): Promise<void> | void }[] = []
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop()
})

async function setup(overrides: Partial<AccessoryConfig> = {}, requestTimeoutMs = 3000): Promise<{ dev: LoopbackDevice; driver: EspDriver }> {
  const dev = await startLoopbackDevice(overrides)
  const driver = createEspDriver({ requestTimeoutMs })
  running.push(dev, { stop: () => driver.dispose() })
  return { dev, driver }
}

async function open(driver: EspDriver, endpoint: LoopbackDevice['endpoint']): Promise<ProvisioningSession> {
  const opened = await driver.openSession(endpoint, { pop: 'abcd1234' })
  if (!opened.ok) throw new Error(`openSession failed: ${opened.error.code} ${opened.error.message}`)
  running.push({ stop: () => opened.value.close() })
  return opened.value
}

async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  running.push({ stop: () => new Promise<void>((r) => server.close(() => r())) })
  return { server, port: (server.address() as { port: number }).port }
}

describe('lost connections and sessions', () => {
  it('a reboot mid-request is connection-lost, the session stays unusable, and a fresh session works after boot', async () => {
    const { dev, driver } = await setup({ faults: { rebootOn: 'prov-config', rebootMs: 300 } as AccessoryConfig['faults'] })
    const session = await open(driver, dev.endpoint)
    expect(await session.sendCredentials(HOME)).toMatchObject({ ok: false, error: { code: 'connection-lost' } })
    expect(await session.status()).toMatchObject({ ok: false, error: { code: 'session-lost' } })
    await waitFor(() => dev.events.some((e) => e.event === 'booted'))
    const again = await open(driver, dev.endpoint)
    expect(await again.sendCredentials(HOME)).toEqual({ ok: true, value: undefined })
  })

  it('another client taking the device’s only socket ends our session: session-lost, then reopening works', async () => {
    const { dev, driver } = await setup()
    const session = await open(driver, dev.endpoint)
    const intruder = createEspDriver()
    running.push({ stop: () => intruder.dispose() })
    const other = await open(intruder, dev.endpoint)
    expect((await other.status()).ok).toBe(true)
    expect(await session.status()).toMatchObject({ ok: false, error: { code: 'session-lost' } })
    other.close()
    const reopened = await open(driver, dev.endpoint)
    expect((await reopened.status()).ok).toBe(true)
  })

  it('a reply that fails authentication (security 2 GCM tag) is session-lost', async () => {
    const { dev, driver } = await setup({ security: 2, secPatchVersion: 1 })
    const session = await open(driver, dev.endpoint)
    dev.corruptNextReply()
    expect(await session.status()).toEqual({ ok: false, error: { code: 'session-lost', message: expect.any(String) as string } })
    expect(await session.status()).toMatchObject({ ok: false, error: { code: 'session-lost' } })
  })

  it('a device that stops answering mid-request is connection-lost after the request timeout', async () => {
    const { dev, driver } = await setup({}, 250)
    const session = await open(driver, dev.endpoint)
    dev.device.setFaults({ slowResponsesMs: 1000 })
    expect(await session.status()).toMatchObject({ ok: false, error: { code: 'connection-lost', detail: 'timeout' } })
  })

  it('an aborted status poll is aborted; the session re-keys and carries on', async () => {
    const { dev, driver } = await setup()
    const session = await open(driver, dev.endpoint)
    dev.device.setFaults({ slowResponsesMs: 300 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    expect(await session.status({ signal: controller.signal })).toMatchObject({ ok: false, error: { code: 'aborted' } })
    dev.device.setFaults({ slowResponsesMs: 0 })
    expect(await session.status()).toEqual({ ok: true, value: { state: 'connecting' } })
    const already = new AbortController()
    already.abort()
    expect(await driver.probe(dev.endpoint, { signal: already.signal })).toMatchObject({ ok: false, error: { code: 'aborted' } })
  })

  it('close() is idempotent and later calls say the session is closed', async () => {
    const { dev, driver } = await setup()
    const session = await open(driver, dev.endpoint)
    session.close()
    session.close()
    expect(await session.status()).toMatchObject({ ok: false, error: { code: 'invalid-state' } })
  })
})

describe('reaching the device', () => {
  it('binds the local address: 127.0.0.1 works, an address this machine lacks is unreachable (EADDRNOTAVAIL)', async () => {
    const { dev, driver } = await setup()
    expect((await driver.probe({ ...dev.endpoint, localAddress: '127.0.0.1' })).ok).toBe(true)
    const missing = await driver.probe({ ...dev.endpoint, localAddress: '198.18.255.254' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'unreachable', detail: 'EADDRNOTAVAIL' } })
    expect(dev.requests.filter((r) => r === 'POST /proto-ver')).toHaveLength(1)
  })

  it('nothing listening is unreachable (ECONNREFUSED)', async () => {
    const closed = await httpServer(() => undefined)
    await new Promise<void>((r) => closed.server.close(() => r()))
    const probed = await createEspDriver().probe({ host: '127.0.0.1', port: closed.port })
    expect(probed).toMatchObject({ ok: false, error: { code: 'unreachable', detail: 'ECONNREFUSED' } })
  })

  it('an HTTP server that is not ESP provisioning is unsupported (404, or a reply that is not proto-ver JSON)', async () => {
    const { port } = await httpServer((req, res) => {
      if (req.url === '/proto-ver') return void res.writeHead(200).end('<html>router login</html>')
      res.writeHead(404).end()
    })
    const driver = createEspDriver()
    expect(await driver.probe({ host: '127.0.0.1', port })).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect(await driver.probe({ host: '127.0.0.1', port, pathPrefix: 'other/' })).toMatchObject({ ok: false, error: { code: 'unsupported', detail: 'http-404' } })
    expect(await driver.openSession({ host: '127.0.0.1', port }, { pop: 'x' })).toMatchObject({ ok: false, error: { code: 'unsupported' } })
  })

  it('serves endpoints under a path prefix for on-network firmware', async () => {
    const { port } = await httpServer((req, res) => {
      if (req.url === '/prov/proto-ver') return void res.writeHead(200).end('{"prov":{"ver":"v1.1","sec_ver":0,"cap":["no_sec","wifi_scan"]}}')
      res.writeHead(404).end()
    })
    const driver = createEspDriver()
    expect(await driver.probe({ host: '127.0.0.1', port, pathPrefix: '/prov/' })).toMatchObject({ ok: true, value: { security: 0, needsCode: false } })
    driver.dispose()
  })

  it.skipIf(!Object.values(networkInterfaces()).flat().some((a) => a?.address === '::1'))('reaches an IPv6 address given with a %zone', async () => {
    const { dev, driver } = await setup({ http: { host: '::1', port: 0 } })
    const probed = await driver.probe({ host: '::1%lo', port: dev.device.port })
    expect(probed).toMatchObject({ ok: true, value: { protocol: 'esp-unified' } })
  })
})
