/**
 * The lab's simulated accessory in-process on 127.0.0.1, behind a small TCP relay that lets a test see what
 * the device's httpd saw: how many connections the client opened, and the Cookie header of every request.
 * The relay can also corrupt one reply, as a desynchronised or tampered session would look.
 */
import { connect, createServer, type Socket } from 'node:net'
import type { DriverEndpoint } from '../../../../main/provisioning/driver'
import { systemClock } from '../../../../main/util/clock'
import { AccessoryConfig } from '../../../lab/accessory/config'
import { startAccessory, type DeviceEvent, type NetworkEffects, type SimulatedAccessory } from '../../../lab/accessory/device'

/** The home network every fixture device can join. */
export const HOME = { ssid: 'PorchlightHome', passphrase: 'correct horse battery' }

/** A running loopback device. */
export interface LoopbackDevice {
  endpoint: DriverEndpoint
  device: SimulatedAccessory
  config: AccessoryConfig
  events: DeviceEvent[]
  /** TCP connections opened to the device so far. */
  readonly connections: number
  /** The Cookie header of each request the device received (undefined: none), in order. */
  cookies: (string | undefined)[]
  /** Request lines (`POST /proto-ver`) in order. */
  requests: string[]
  /** Flips the last byte of the next reply (its body's last byte: a GCM tag byte under security 2). */
  corruptNextReply(): void
  /** Rewrites reply bytes (as latin1 text; keep the length, Content-Length is not adjusted). */
  rewriteReplies(rewrite: ((text: string) => string) | undefined): void
  stop(): Promise<void>
}

/** Starts a device with `overrides` over the fixture defaults (security 2, PoP abcd1234, two networks). */
export async function startLoopbackDevice(overrides: Partial<AccessoryConfig> = {}): Promise<LoopbackDevice> {
  const events: DeviceEvent[] = []
  const effects: NetworkEffects = {
    joinHome: async () => '198.18.0.11',
    leaveAp: async () => undefined,
    restoreAp: async () => undefined,
    homeHosts: async () => [],
    startHomeServices: async () => undefined,
    stopHomeServices: async () => undefined,
    applyServiceFaults: () => undefined,
  }
  const config = AccessoryConfig.parse({
    id: 'd1', deviceId: '02706c780001', name: 'PROV_780001', security: 2, pop: 'abcd1234',
    networks: [HOME, { ssid: 'Neighbour', rssi: -80, channel: 11 }], http: { host: '127.0.0.1', port: 0 },
    joinDelayMs: 40, apLingerMs: 5000, ...overrides,
  })
  const device = await startAccessory(config, { effects, clock: systemClock, emit: (e) => events.push(e) })
  const cookies: (string | undefined)[] = []
  const requests: string[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  let corrupt = false
  let rewrite: ((text: string) => string) | undefined

  const relay = createServer((client) => {
    connections++
    const upstream = connect(device.port, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
    client.on('data', (chunk: Buffer) => {
      for (const head of chunk.toString('latin1').match(/^POST [^\r\n]*\r\n[\s\S]*?\r\n\r\n/gm) ?? []) {
        requests.push(head.split(' ').slice(0, 2).join(' '))
        cookies.push(/^cookie: *([^\r\n]*)/im.exec(head)?.[1])
      }
      upstream.write(chunk)
    })
    upstream.on('data', (data: Buffer) => {
      const chunk = rewrite ? Buffer.from(rewrite(data.toString('latin1')), 'latin1') : data
      const headerEnd = chunk.indexOf('\r\n\r\n')
      const hasBody = !chunk.subarray(0, 5).equals(Buffer.from('HTTP/')) || (headerEnd !== -1 && headerEnd + 4 < chunk.length)
      if (corrupt && hasBody) {
        corrupt = false
        chunk[chunk.length - 1] = (chunk[chunk.length - 1] ?? 0) ^ 0x01
      }
      client.write(chunk)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  const address = relay.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    endpoint: { host: '127.0.0.1', port },
    device,
    config,
    events,
    get connections() {
      return connections
    },
    cookies,
    requests,
    corruptNextReply: () => void (corrupt = true),
    rewriteReplies: (next) => void (rewrite = next),
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise((r) => relay.close(r))
      await device.stop()
    },
  }
}

/** Waits until `check` holds (polling every 20 ms, at most `ms`). */
export async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
