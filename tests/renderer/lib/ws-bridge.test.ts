import { describe, expect, it } from 'vitest'
import { ok, type Channel, type EventName, type Result } from '../../../shared/ipc'
import { createWebSocketBridge, type BridgeStatus } from '../../../renderer/lib/ws-bridge'
import { APP_INFO, LO, TUN0 } from '../fake-bridge'

type Listener = (event: unknown) => void

/** The part of a browser WebSocket the bridge uses; `send` throws before open, as the real one does. */
class FakeSocket {
  readonly sent: string[] = []
  private readonly listeners = new Map<string, Listener[]>()
  private isOpen = false

  constructor(readonly url: string, readonly protocols: string[]) {}

  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  send(data: string) {
    if (!this.isOpen) throw new Error('InvalidStateError: still connecting')
    this.sent.push(data)
  }

  close() {
    this.serverClose(1000)
  }

  open() {
    this.isOpen = true
    this.dispatch('open', {})
  }

  serverClose(code: number) {
    this.isOpen = false
    this.dispatch('close', { code })
  }

  receive(data: unknown) {
    this.dispatch('message', { data: typeof data === 'string' ? data : JSON.stringify(data) })
  }

  /** The invoke envelopes sent so far, parsed. */
  invokes(): { t: string; id: number; channel: string }[] {
    return this.sent.map((text) => JSON.parse(text) as { t: string; id: number; channel: string })
  }

  private dispatch(type: string, event: object) {
    this.listeners.get(type)?.forEach((l) => l(event))
  }
}

function connect(origin = 'http://127.0.0.1:5000', token = 'abc_-1') {
  const sockets: FakeSocket[] = []
  const bridge = createWebSocketBridge(origin, token, (url, protocols) => {
    const socket = new FakeSocket(url, protocols)
    sockets.push(socket)
    return socket as unknown as WebSocket
  })
  const socket = sockets[0]
  if (!socket || sockets.length !== 1) throw new Error('expected exactly one socket')
  return { bridge, socket }
}

/** Reports whether a promise has settled yet, without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending')
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker
}

const change = { interfaces: [LO, TUN0], added: ['tun0'], removed: [], changed: [] }

describe('createWebSocketBridge', () => {
  it('connects to /ipc offering the protocol and the token subprotocol', () => {
    const { bridge, socket } = connect('http://127.0.0.1:5000', 'abc_-1')
    expect(socket.url).toBe('ws://127.0.0.1:5000/ipc')
    expect(socket.protocols).toEqual(['porchlight.v1', 'porchlight-token.abc_-1'])
    expect(bridge.status()).toBe('connecting')
  })

  it('uses wss for an https origin', () => {
    expect(connect('https://localhost:8443').socket.url).toBe('wss://localhost:8443/ipc')
  })

  it('queues invokes made before open and sends them in order once open', async () => {
    const { bridge, socket } = connect()
    const info = bridge.invoke('app:info')
    const interfaces = bridge.invoke('net:interfaces')
    expect(socket.sent).toEqual([])
    socket.open()
    expect(bridge.status()).toBe('open')
    expect(socket.invokes().map(({ t, channel }) => ({ t, channel }))).toEqual([
      { t: 'invoke', channel: 'app:info' },
      { t: 'invoke', channel: 'net:interfaces' },
    ])
    expect(await isSettled(info)).toBe(false)
    expect(await isSettled(interfaces)).toBe(false)
  })

  it('sends at once when already open, with a fresh id each time', () => {
    const { bridge, socket } = connect()
    socket.open()
    void bridge.invoke('app:info')
    void bridge.invoke('app:info')
    const ids = socket.invokes().map((m) => m.id)
    expect(ids).toHaveLength(2)
    expect(new Set(ids).size).toBe(2)
  })

  it('routes each result to the invoke with its id, whatever the order', async () => {
    const { bridge, socket } = connect()
    socket.open()
    const info = bridge.invoke('app:info')
    const interfaces = bridge.invoke('net:interfaces')
    const [infoId, interfacesId] = socket.invokes().map((m) => m.id)
    socket.receive({ t: 'result', id: 9999, result: ok('stray') })
    socket.receive({ t: 'result', id: interfacesId, result: ok([LO]) })
    socket.receive({ t: 'result', id: infoId, result: ok(APP_INFO) })
    expect(await info).toEqual(ok(APP_INFO))
    expect(await interfaces).toEqual(ok([LO]))
  })

  it('passes events to on() listeners until they unsubscribe', () => {
    const { bridge, socket } = connect()
    socket.open()
    const first: unknown[] = []
    const second: unknown[] = []
    const offFirst = bridge.on('net:interfacesChanged', (p) => first.push(p))
    bridge.on('net:interfacesChanged', (p) => second.push(p))
    socket.receive({ t: 'event', event: 'net:interfacesChanged', payload: change })
    offFirst()
    socket.receive({ t: 'event', event: 'net:interfacesChanged', payload: change })
    expect(first).toEqual([change])
    expect(second).toEqual([change, change])
  })

  it('resolves a result that is not a Result envelope to an internal error instead of passing it on', async () => {
    const { bridge, socket } = connect()
    socket.open()
    const pending = bridge.invoke('net:interfaces')
    socket.receive({ t: 'result', id: 1, result: null })
    const result = await pending
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('internal')
    const errorWithoutCode = bridge.invoke('app:info')
    socket.receive({ t: 'result', id: 2, result: { ok: false, error: { message: 'no code' } } })
    expect((await errorWithoutCode).ok).toBe(false)
  })

  it('drops an event whose payload does not match the contract’s schema', () => {
    const { bridge, socket } = connect()
    socket.open()
    const seen: unknown[] = []
    bridge.on('net:interfacesChanged', (p) => seen.push(p))
    socket.receive({ t: 'event', event: 'net:interfacesChanged', payload: { ...change, interfaces: null } })
    socket.receive({ t: 'event', event: 'net:interfacesChanged', payload: { ...change, added: 'tun0' } })
    socket.receive({ t: 'event', event: 'net:somethingElse', payload: change })
    expect(seen).toEqual([])
    socket.receive({ t: 'event', event: 'net:interfacesChanged', payload: change })
    expect(seen).toEqual([change])
  })

  it('ignores malformed and non-JSON server messages and keeps working', async () => {
    const { bridge, socket } = connect()
    socket.open()
    const seen: unknown[] = []
    bridge.on('net:interfacesChanged', (p) => seen.push(p))
    const info = bridge.invoke('app:info')
    const [id] = socket.invokes().map((m) => m.id)
    for (const bad of ['not json', '', 'null', '42', '{"t":"nope"}', '{"t":"result","id":"1","result":{}}', '{"t":"event","payload":{}}']) {
      expect(() => socket.receive(bad)).not.toThrow()
    }
    expect(() => socket.receive({ t: 'result', id: 1.5, result: ok(APP_INFO) })).not.toThrow()
    expect(await isSettled(info)).toBe(false)
    expect(seen).toEqual([])
    socket.receive({ t: 'result', id, result: ok(APP_INFO) })
    expect(await info).toEqual(ok(APP_INFO))
  })

  it('on close, resolves pending and later invokes to unavailable without sending', async () => {
    const { bridge, socket } = connect()
    const queued = bridge.invoke('app:info')
    socket.open()
    const sent = bridge.invoke('net:interfaces')
    socket.serverClose(1006)
    const results: Result<unknown>[] = [await queued, await sent, await bridge.invoke('app:info')]
    for (const result of results) {
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.error.code).toBe('unavailable')
        expect(result.error.message).toMatch(/npm run web/)
      }
    }
    expect(socket.sent).toHaveLength(2)
  })

  it('a close before open still resolves the queued invokes', async () => {
    const { bridge, socket } = connect()
    const queued = bridge.invoke('app:info')
    socket.serverClose(1006)
    expect(await queued).toMatchObject({ ok: false, error: { code: 'unavailable' } })
    expect(socket.sent).toEqual([])
  })

  it.each([
    [4401, 'unauthorized'],
    [1006, 'closed'],
    [1000, 'closed'],
    [4000, 'closed'],
  ] as const)('close code %i sets status %s and tells onStatus listeners', (code, expected) => {
    const { bridge, socket } = connect()
    const told: BridgeStatus[] = []
    const dropped: BridgeStatus[] = []
    bridge.onStatus((s) => told.push(s))
    const off = bridge.onStatus((s) => dropped.push(s))
    socket.open()
    off()
    socket.serverClose(code)
    expect(bridge.status()).toBe(expected)
    expect(told).toEqual(['open', expected])
    expect(dropped).toEqual(['open'])
  })

  it('resolves an unknown channel to unknown-channel without sending it', async () => {
    const { bridge, socket } = connect()
    socket.open()
    for (const channel of ['net:nope', '__proto__', 'toString']) {
      const result = await bridge.invoke(channel as Channel as 'app:info')
      expect(result).toEqual({ ok: false, error: { code: 'unknown-channel', message: 'unknown channel', channel } })
    }
    expect(socket.sent).toEqual([])
  })

  it('throws when subscribing to an event that is not in the contract', () => {
    const { bridge } = connect()
    for (const event of ['net:nope', '__proto__']) {
      expect(() => bridge.on(event as EventName, () => undefined)).toThrow(/unknown event/)
    }
  })
})
