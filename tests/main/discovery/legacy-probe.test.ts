/**
 * The legacy UDP broadcast probe: directed-broadcast math and target choice (pure), the probe's behaviour
 * through a fake socket (errors, repeats, dedupe, closing), and real udp4 sockets on 127.0.0.1 (unicast
 * only: broadcasts happen in the lab's namespaces, never on this machine).
 */
import { createSocket, type Socket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import {
  broadcastTargets, directedBroadcast, runBroadcastProbe, type BroadcastTarget, type ProbeSocket, type ProbeSender,
} from '../../../main/discovery/legacy-probe'
import type { NetInterface } from '../../../shared/net/interfaces'

const nic = (name: string, addresses: [string, number][], over: Partial<NetInterface> = {}): NetInterface => ({
  name, kind: 'ethernet', kindReason: 'test', isUp: true, isInternal: false,
  addresses: addresses.map(([address, prefixLength]) => ({
    address, prefixLength, family: address.includes(':') ? 'IPv6' : 'IPv4', netmask: '', scope: 'global',
  })),
  ...over,
})

describe('directedBroadcast', () => {
  it.each([
    ['198.18.0.2', 24, '198.18.0.255'],
    ['198.18.7.9', 16, '198.18.255.255'],
    ['10.1.2.3', 8, '10.255.255.255'],
    ['198.18.0.5', 30, '198.18.0.7'],
    ['198.19.3.130', 25, '198.19.3.255'],
    ['198.19.3.12', 25, '198.19.3.127'],
    ['192.0.2.1', 0, '255.255.255.255'],
  ])('%s/%i broadcasts to %s', (address, prefix, expected) => {
    expect(directedBroadcast(address, prefix)).toBe(expected)
  })

  it('has none for /31 (point-to-point, RFC 3021) and /32, nor for malformed input', () => {
    expect(directedBroadcast('198.18.0.2', 31)).toBeUndefined()
    expect(directedBroadcast('198.18.0.2', 32)).toBeUndefined()
    expect(directedBroadcast('198.18.0.256', 24)).toBeUndefined()
    expect(directedBroadcast('198.18.0', 24)).toBeUndefined()
    expect(directedBroadcast('fd00::1', 64)).toBeUndefined()
    expect(directedBroadcast('198.18.0.2', 33)).toBeUndefined()
  })
})

describe('broadcastTargets', () => {
  it('keeps up, external IPv4 subnets of /30 or wider, one target per address', () => {
    const targets = broadcastTargets([
      nic('lo', [['127.0.0.1', 8]], { kind: 'loopback', isInternal: true }),
      nic('eth0', [['198.18.0.2', 24], ['fd00::2', 64]]),
      nic('eth1', [['198.19.1.2', 24]], { isUp: false }),
      nic('tun0', [['198.19.9.1', 32]], { kind: 'tunnel' }),
      nic('ptp0', [['198.19.8.0', 31]]),
      nic('v6only', [['fe80::1', 64]]),
      nic('wlan0', [['198.19.2.9', 16], ['198.18.4.1', 30]]),
    ])
    expect(targets).toEqual([
      { interfaceName: 'eth0', localAddress: '198.18.0.2', broadcast: '198.18.0.255' },
      { interfaceName: 'wlan0', localAddress: '198.19.2.9', broadcast: '198.19.255.255' },
      { interfaceName: 'wlan0', localAddress: '198.18.4.1', broadcast: '198.18.4.3' },
    ])
  })
})

/** A scripted network behind the ProbeSocket port: every send may be answered by the `answer` hook. */
function fakeNetwork(script: {
  bindError?: Record<string, string>
  sendError?: Record<string, string>
  answer?: (to: string, local: string) => { data: string; from: ProbeSender }[]
}) {
  const log: string[] = []
  const factory = (): ProbeSocket => {
    let local = ''
    let listener: ((data: Uint8Array, from: ProbeSender) => void) | undefined
    let broadcastOn = false
    const fail = (code: string) => Object.assign(new Error(`${code} from the fake`), { code })
    return {
      bind: async (port, address) => {
        local = address
        log.push(`bind ${address}:${port}`)
        const code = script.bindError?.[address]
        if (code) throw fail(code)
      },
      setBroadcast: (on) => void (broadcastOn = on),
      send: async (data, port, address) => {
        log.push(`send ${local}->${address}:${port} ${Buffer.from(data).toString()}`)
        if (!broadcastOn) throw fail('EACCES')
        const code = script.sendError?.[local]
        if (code) throw fail(code)
        for (const r of script.answer?.(address, local) ?? []) setImmediate(() => listener?.(Buffer.from(r.data), r.from))
      },
      onMessage: (l) => void (listener = l),
      onError: () => undefined,
      close: () => void log.push(`close ${local}`),
    }
  }
  return { factory, log }
}

const T = (name: string, local: string, broadcast: string): BroadcastTarget => ({ interfaceName: name, localAddress: local, broadcast })
const jsonId = (reply: Uint8Array) => {
  const parsed = JSON.parse(Buffer.from(reply).toString()) as { id?: unknown }
  return typeof parsed.id === 'string' ? { key: parsed.id, id: parsed.id } : undefined
}

describe('runBroadcastProbe (fake sockets)', () => {
  it('sends to each directed broadcast `repeats` times, dedupes repeat answers, and closes every socket', async () => {
    const net = fakeNetwork({
      answer: (to) => (to === '198.18.0.255'
        ? [{ data: '{"id":"a"}', from: { address: '198.18.0.10', port: 9999 } }, { data: '{"id":"b"}', from: { address: '198.18.0.11', port: 9999 } }]
        : [{ data: 'not json', from: { address: '198.19.0.7', port: 9999 } }, { data: '{"other":1}', from: { address: '198.19.0.8', port: 9999 } }]),
    })
    const result = await runBroadcastProbe({
      interfaces: [nic('eth0', [['198.18.0.2', 24]]), nic('wlan0', [['198.19.0.2', 24]])],
      port: 9999, payload: Buffer.from('HELLO'), match: jsonId, timeoutMs: 120, repeats: 3, intervalMs: 10, socketFactory: net.factory,
    })
    expect(result.errors).toEqual([])
    expect(result.replies).toEqual([
      { interfaceName: 'eth0', from: { address: '198.18.0.10', port: 9999 }, match: { key: 'a', id: 'a' } },
      { interfaceName: 'eth0', from: { address: '198.18.0.11', port: 9999 }, match: { key: 'b', id: 'b' } },
    ])
    expect(net.log.filter((l) => l.startsWith('send 198.18.0.2->198.18.0.255:9999 HELLO'))).toHaveLength(3)
    expect(net.log.filter((l) => l.startsWith('send 198.19.0.2->198.19.0.255:9999'))).toHaveLength(3)
    expect(net.log).toContain('bind 198.18.0.2:0')
    expect(net.log.filter((l) => l.startsWith('close')).sort()).toEqual(['close 198.18.0.2', 'close 198.19.0.2'])
  })

  it('turns EACCES, EADDRNOTAVAIL and ENETUNREACH into per-interface errors and still probes the rest', async () => {
    const net = fakeNetwork({
      bindError: { '198.18.1.2': 'EADDRNOTAVAIL' },
      sendError: { '198.18.2.2': 'EACCES', '198.18.3.2': 'ENETUNREACH' },
      answer: (to) => (to === '198.18.0.255' ? [{ data: '{"id":"ok"}', from: { address: '198.18.0.10', port: 7 } }] : []),
    })
    const result = await runBroadcastProbe({
      interfaces: [], port: 7, payload: new Uint8Array([1]), match: jsonId, timeoutMs: 60, repeats: 2, intervalMs: 5, socketFactory: net.factory,
      targets: [T('a', '198.18.1.2', '198.18.1.255'), T('b', '198.18.2.2', '198.18.2.255'), T('c', '198.18.3.2', '198.18.3.255'), T('d', '198.18.0.2', '198.18.0.255')],
    })
    expect(result.replies.map((r) => r.match.key)).toEqual(['ok'])
    expect(result.errors.map((e) => [e.interfaceName, e.code, e.osCode])).toEqual([
      ['a', 'address-not-available', 'EADDRNOTAVAIL'], ['b', 'broadcast-not-permitted', 'EACCES'], ['c', 'network-unreachable', 'ENETUNREACH'],
    ])
    for (const e of result.errors) expect(e.message).toMatch(new RegExp(e.interfaceName === 'a' ? 'Search again' : e.interfaceName))
    expect(net.log.filter((l) => l.startsWith('send 198.18.2.2'))).toHaveLength(1)
    expect(net.log.filter((l) => l.startsWith('close'))).toHaveLength(4)
  })

  it('survives a matcher that throws and a socket factory that throws', async () => {
    let calls = 0
    const result = await runBroadcastProbe({
      interfaces: [], targets: [T('x', '198.18.0.2', '198.18.0.255')], port: 7, payload: new Uint8Array(), timeoutMs: 10,
      match: () => { throw new Error('bad matcher') },
      socketFactory: () => { calls++; throw Object.assign(new Error('no sockets'), { code: 'EMFILE' }) },
    })
    expect(calls).toBe(1)
    expect(result).toMatchObject({ replies: [], errors: [{ interfaceName: 'x', code: 'socket-failed', osCode: 'EMFILE' }] })
  })

  it('rejects impossible options as programmer errors', async () => {
    const base = { interfaces: [], payload: new Uint8Array(), match: () => undefined, timeoutMs: 10 }
    await expect(runBroadcastProbe({ ...base, port: 0 })).rejects.toThrow(RangeError)
    await expect(runBroadcastProbe({ ...base, port: 7, repeats: 0 })).rejects.toThrow(RangeError)
  })
})

describe('runBroadcastProbe (real udp4 sockets on 127.0.0.1, unicast)', () => {
  let responder: Socket | undefined
  afterEach(() => {
    responder?.close()
    responder = undefined
  })

  it('binds, sends with SO_BROADCAST set, and collects a real reply once despite repeats', async () => {
    const seen: string[] = []
    responder = createSocket('udp4')
    responder.on('message', (msg, rinfo) => {
      seen.push(`${rinfo.address} ${msg.toString()}`)
      if (msg.toString() === 'PLX?') responder?.send('{"id":"loop"}', rinfo.port, rinfo.address)
    })
    const port = await new Promise<number>((r) => responder?.bind(0, '127.0.0.1', () => r(responder?.address().port ?? 0)))
    const result = await runBroadcastProbe({
      interfaces: [], targets: [T('lo', '127.0.0.1', '127.0.0.1')], port, payload: Buffer.from('PLX?'),
      match: jsonId, timeoutMs: 300, repeats: 3, intervalMs: 20,
    })
    expect(result.errors).toEqual([])
    expect(result.replies).toEqual([{ interfaceName: 'lo', from: { address: '127.0.0.1', port }, match: { key: 'loop', id: 'loop' } }])
    expect(seen).toEqual(['127.0.0.1 PLX?', '127.0.0.1 PLX?', '127.0.0.1 PLX?'])
  })

  it('reports a local address this machine does not have as address-not-available', async () => {
    const result = await runBroadcastProbe({
      interfaces: [], targets: [T('gone0', '198.18.0.77', '198.18.0.255')], port: 9, payload: Buffer.from('x'), match: jsonId, timeoutMs: 50,
    })
    expect(result).toMatchObject({ replies: [], errors: [{ interfaceName: 'gone0', code: 'address-not-available', osCode: 'EADDRNOTAVAIL' }] })
  })
})
