/** `porchlight monitor`: flag parsing, and a real session streamed as JSON lines against a loopback peer. */
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../app/cli/cli'
import { parseHostPort, parseMonitorFlags } from '../../../app/cli/monitor'
import { createCore } from '../../../main/core'
import { createControlServer } from '../../lab/accessory/control'
import { socketlessTransport } from '../../helpers/quiet-discovery'

async function run(argv: string[], stopAfterMs = 0) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    makeCore: ({ watch }) => createCore({ host: { kind: 'cli', name: 'Porchlight', version: '1.0.0' }, watch, discovery: { transport: socketlessTransport } }),
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    stopSignal: new Promise((r) => setTimeout(r, stopAfterMs)),
  })
  return { code, out, err: err.join('\n') }
}

describe('porchlight monitor: command line', () => {
  it('parses HOST:PORT including bracketed IPv6 with a zone', () => {
    expect(parseHostPort('198.18.0.11:7300')).toEqual({ host: '198.18.0.11', port: 7300 })
    expect(parseHostPort('[fe80::1%wlan0]:80')).toEqual({ host: 'fe80::1%wlan0', port: 80 })
    expect(parseHostPort('plx-h0.local:7300')).toEqual({ host: 'plx-h0.local', port: 7300 })
    for (const bad of ['fe80::1:80', '1.2.3.4', '1.2.3.4:0', '1.2.3.4:70000', ':80']) expect(parseHostPort(bad)).toBeUndefined()
  })

  it('builds the watch request and refuses contradictions with a reason', () => {
    expect(parseMonitorFlags({ device: 'abc', interval: '500' })).toEqual({ ok: true, request: { target: { kind: 'device', deviceId: 'abc' }, intervalMs: 500 } })
    expect(parseMonitorFlags({ address: '10.0.0.1:80', protocol: 'http', path: '/health' })).toMatchObject({ ok: true, request: { protocol: { kind: 'http-poll', path: '/health' } } })
    expect(parseMonitorFlags({ address: '10.0.0.1:80', protocol: 'tcp', requestHex: '70696e67' })).toMatchObject({ ok: true, request: { protocol: { kind: 'tcp-heartbeat', requestHex: '70696e67' } } })
    expect(parseMonitorFlags({})).toMatchObject({ ok: false, message: /exactly one of/ })
    expect(parseMonitorFlags({ device: 'a', address: '1.2.3.4:5' })).toMatchObject({ ok: false })
    expect(parseMonitorFlags({ device: 'a', interval: '50' })).toMatchObject({ ok: false, message: /--interval/ })
    expect(parseMonitorFlags({ device: 'a', protocol: 'carrier-pigeon' })).toMatchObject({ ok: false, message: /--protocol must be one of/ })
    expect(parseMonitorFlags({ address: '1.2.3.4:5', protocol: 'tcp', requestHex: 'xyz' })).toMatchObject({ ok: false, message: /requestHex/ })
  })

  it('exits 2 with one line for a bad command line', async () => {
    expect(await run(['monitor'])).toMatchObject({ code: 2, err: expect.stringMatching(/exactly one of --device ID or --address/) })
    expect(await run(['discover', '--device', 'x'])).toMatchObject({ code: 2, err: expect.stringMatching(/only for 'monitor'/) })
  })
})

describe('porchlight monitor: streaming', () => {
  it('--json prints one JSON object per line: the state changes, the timeline and every sample; exit 0 while connected', async () => {
    const server = await createControlServer({ host: '127.0.0.1', port: 0, deviceId: 'plx-cli' })
    try {
      const { code, out } = await run(['monitor', '--address', `127.0.0.1:${server.port}`, '--interval', '200', '--timeout', '1.2', '--json'], 60_000)
      const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(code).toBe(0)
      expect(lines[0]).toMatchObject({ event: 'state', state: 'connecting' })
      expect(lines.find((l) => l.event === 'state' && l.state === 'connected')).toMatchObject({ protocol: 'lab-control', remote: { address: '127.0.0.1', port: server.port } })
      expect(lines.find((l) => l.event === 'timeline')).toMatchObject({ kind: 'connected' })
      const samples = lines.filter((l) => l.event === 'sample')
      expect(samples.length).toBeGreaterThanOrEqual(4)
      expect(samples.every((s) => typeof s.rttMs === 'number')).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('exits 1 and says why when the accessory never answers', async () => {
    const server = await createControlServer({ host: '127.0.0.1', port: 0, deviceId: 'plx-gone' })
    const port = server.port
    await server.close()
    const { code, out, err } = await run(['monitor', '--address', `127.0.0.1:${port}`, '--timeout', '0.8'], 60_000)
    expect(code).toBe(1)
    expect(out.join('\n')).toMatch(/refused/i)
    expect(err).toMatch(/0 stalls, 0 reconnects/)
  })
})
