/**
 * "DHCP renumbering" seen from the network (issue #7, accessories change addresses): after
 * `{"cmd":"readdress"}` the accessory's mDNS announcements carry the new A record with cache-flush, twice,
 * 1 s apart, and never the old one again; avahi updates to the new address; the control service answers
 * HELLO there; a control connection opened before goes silent (no data, FIN or RST); the old address
 * answers nothing. Timings go to stderr as JSON (`readdress-timings`), not into assertions.
 */
import dnsPacket, { type Packet } from 'dns-packet'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFrameDecoder, encodeFrame, type Frame, PROTOCOL_VERSION } from './accessory/control'
import { bundleEntry, labPath } from './bundle'
import { startLabAccessory, type LabAccessory } from './lab-accessory'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason({ avahi: true })
if (skip) process.stderr.write(`lab readdress tests skipped: ${skip}\n`)
const TYPE = '_esp_local_ctrl._tcp'
const CONTROL_PORT = 7300
const NEW_ADDRESS = '198.18.0.150'
const HOST = 'plx-n0.local'

/** A JSON line a helper child printed, stamped with its arrival time in this process. */
type Line = Record<string, unknown> & { at: number }

// A raw TCP client in a namespace: stdin lines are hex to send (closing stdin ends it); it reports connect, data,
// FIN ('end'), errors (an RST is ECONNRESET) and close, so the test sees exactly what the wire delivered.
const TCP_WATCH = `
const net = require('node:net')
const [host, port, connectMs] = process.argv.slice(1)
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n')
const s = net.connect({ host, port: Number(port) })
const timer = setTimeout(() => { out({ ev: 'connect-timeout' }); process.exit(0) }, Number(connectMs))
s.on('connect', () => { clearTimeout(timer); out({ ev: 'connected' }) })
s.on('data', (d) => out({ ev: 'data', hex: d.toString('hex') }))
s.on('end', () => out({ ev: 'end' }))
s.on('error', (e) => out({ ev: 'error', code: e.code }))
s.on('close', () => { out({ ev: 'close' }); process.exit(0) })
require('node:readline').createInterface({ input: process.stdin })
  .on('line', (l) => s.write(Buffer.from(l, 'hex')))
  .on('close', () => process.exit(0))
`

/** Starts a JSON-lines child in `ns`; lines are collected with their arrival time. */
function spawnLines(lab: Lab, ns: string, args: string[]) {
  const child = lab.spawn(ns, process.execPath, args)
  const lines: Line[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => lines.push({ ...(JSON.parse(l) as Record<string, unknown>), at: performance.now() }))
  child.stderr?.resume()
  const next = async (predicate: (l: Line) => boolean, ms: number, what: string) => {
    const deadline = performance.now() + ms
    for (;;) {
      const hit = lines.find(predicate)
      if (hit) return hit
      if (performance.now() > deadline) throw new Error(`${what}: nothing in ${ms} ms; saw ${JSON.stringify(lines).slice(0, 600)}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  // Ends by closing stdin (every helper exits then), by PID after a grace period; the lab kills leftovers on dispose.
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.stdin?.end()
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  return { lines, next, send: (text: string) => void child.stdin?.write(`${text}\n`), stop }
}

/** A TCP connection from the app host to `host:port`, watched byte for byte. */
function tcpWatch(lab: Lab, host: string, port: number, connectMs = 3000) {
  const w = spawnLines(lab, lab.app.ns, ['-e', TCP_WATCH, host, String(port), String(connectMs)])
  const frames = (): Frame[] => {
    const decoder = createFrameDecoder(4096)
    return w.lines.filter((l) => l.ev === 'data').flatMap((l) => decoder.push(Buffer.from(String(l.hex), 'hex')).frames)
  }
  const sendFrame = (frame: Frame) => w.send(encodeFrame(frame).toString('hex'))
  return { ...w, frames, sendFrame }
}

/** An mDNS socket on the app host (5353, in the group): every A record for HOST it receives, with cache-flush bit. */
async function mdnsListener(lab: Lab) {
  const pump = spawnLines(lab, lab.app.ns, [await bundleEntry(labPath('accessory', 'mdns', 'testing', 'querier-entry.ts'))])
  pump.send(JSON.stringify({ op: 'open', id: 'm', family: 4, address: '0.0.0.0', port: 5353, ifname: lab.app.ifname, ipv4: lab.app.address4, join: true }))
  await pump.next((l) => l.ev === 'opened', 5000, 'mDNS socket')
  const records = () =>
    pump.lines.filter((l) => l.ev === 'packet').flatMap((l) => {
      let packet: Packet
      try {
        packet = dnsPacket.decode(Buffer.from(String(l.hex), 'hex'))
      } catch {
        return [] // not ours to judge here (the fuzz tests cover odd packets)
      }
      if (packet.type !== 'response') return []
      return [...(packet.answers ?? []), ...(packet.additionals ?? [])]
        .flatMap((r) => (r.type === 'A' && r.name.toLowerCase() === HOST
          ? [{ at: l.at, childMs: Number(l.t), address: r.data, flush: r.flush === true, ttl: r.ttl }]
          : []))
    })
  const query = () => pump.send(JSON.stringify({ op: 'send', id: 'm', address: '224.0.0.251', port: 5353,
    hex: dnsPacket.encode({ type: 'query', id: 0, questions: [{ name: HOST, type: 'A' }] }).toString('hex') }))
  return { records, query, stop: pump.stop }
}

describe.skipIf(skip !== undefined)(`lab: accessory renumbered by DHCP${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let acc: LabAccessory
  let oldAddress = ''
  let oldConnection: ReturnType<typeof tcpWatch>
  let mdns: Awaited<ReturnType<typeof mdnsListener>>
  let commandAt = 0
  const timings: Record<string, number> = {}
  const since = (t: number) => Math.round(t - commandAt)
  /** Polls `avahi-browse -rptk` (the daemon's cache) until the device's IPv4 listing is `address` alone; bounded by `ms`. */
  const avahiResolves = async (address: string, ms: number) => {
    const deadline = performance.now() + ms
    let seen: string[] = []
    while (performance.now() < deadline) {
      const started = performance.now()
      const records = (await lab.peers.avahi?.browse(TYPE, 4000)) ?? []
      seen = records.filter((r) => r.protocol === 'IPv4' && r.name === acc.config.name).map((r) => r.address)
      if (seen.join() === address) return { started, done: performance.now() }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`avahi still lists ${acc.config.name} at ${seen.join(', ') || 'nothing'} after ${ms} ms, not ${address}`)
  }

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'n0', hasAp: false, startOnHome: true }], peers: { avahi: true } })
    const node = lab.accessories[0]
    if (!node) throw new Error('no accessory node')
    acc = await startLabAccessory(lab, node, 10, { security: 1, pop: 'abcd1234' })
    oldAddress = node.sta.homeAddress4 ?? ''
    // Before: avahi has the device at its boot address, and a control connection is alive (HELLO, PING → PONG).
    await avahiResolves(oldAddress, 10_000)
    oldConnection = tcpWatch(lab, oldAddress, CONTROL_PORT)
    await oldConnection.next((l) => l.ev === 'connected', 5000, 'old connection')
    oldConnection.sendFrame({ type: 'hello', version: PROTOCOL_VERSION, id: 'lab-readdress' })
    oldConnection.sendFrame({ type: 'ping', seq: 1, timestamp: 1n })
    for (let i = 0; i < 100 && !oldConnection.frames().some((f) => f.type === 'pong'); i++) await new Promise((r) => setTimeout(r, 20))
    expect(oldConnection.frames().map((f) => f.type)).toEqual(['hello', 'pong'])
    mdns = await mdnsListener(lab)

    commandAt = performance.now()
    expect(await acc.readdress(NEW_ADDRESS)).toEqual({ from: oldAddress, to: NEW_ADDRESS })
    timings.readdressedEventMs = since(performance.now())
  }, 60_000)

  afterAll(async () => {
    process.stderr.write(`${JSON.stringify({ 'readdress-timings': timings })}\n`)
    await Promise.allSettled([mdns?.stop(), oldConnection?.stop()])
    await acc?.stop()
    await lab?.dispose()
  }, 30_000)

  it('mDNS: avahi resolves the device to the new address, and a fresh query from the app host gets only the new one', async () => {
    // avahi-browse -r resolves once per listing (a running one never re-resolves), so ask the daemon again: its
    // cache took the new A and flushed the old one (RFC 6762 §10.2) instead of keeping it for the 120 s TTL.
    const resolved = await avahiResolves(NEW_ADDRESS, 10_000)
    timings.avahiBrowseStartedMs = since(resolved.started)
    timings.avahiBrowseDoneMs = since(resolved.done)
    await new Promise((r) => setTimeout(r, 1100)) // a responder multicasts a record at most once a second (§6)
    const asked = performance.now()
    mdns.query()
    const deadline = performance.now() + 3000
    const answers = () => mdns.records().filter((r) => r.at >= asked)
    while (answers().length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(answers().map((r) => r.address)).toEqual([NEW_ADDRESS])
    timings.queryAnswerMs = Math.round((answers()[0]?.at ?? 0) - asked)
  }, 20_000)

  it('mDNS: the new A is announced with cache-flush at least twice, 1 s apart, and the old A never again', async () => {
    const deadline = performance.now() + 5000
    const announced = () => mdns.records().filter((r) => r.at >= commandAt && r.address === NEW_ADDRESS)
    while (announced().length < 2 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const fresh = announced()
    expect(fresh.length).toBeGreaterThanOrEqual(2)
    expect(fresh.every((r) => r.flush)).toBe(true)
    // RFC 6762 §8.3: the second announcement at least one second after the first (stamped by the receiver).
    expect((fresh.at(-1)?.childMs ?? 0) - (fresh[0]?.childMs ?? 0)).toBeGreaterThanOrEqual(950)
    timings.firstAnnouncementAtAppMs = since(fresh[0]?.at ?? 0)
    expect(mdns.records().filter((r) => r.at >= commandAt && r.address === oldAddress)).toEqual([])
  }, 10_000)

  it('a control connection opened before the change goes silent: no data, FIN or RST, even when pinged', async () => {
    oldConnection.sendFrame({ type: 'ping', seq: 2, timestamp: 2n })
    const quietUntil = Math.max(performance.now(), commandAt + 2000) + 2000
    while (performance.now() < quietUntil && !oldConnection.lines.some((l) => l.at >= commandAt)) await new Promise((r) => setTimeout(r, 50))
    expect(oldConnection.lines.filter((l) => l.at >= commandAt)).toEqual([])
    timings.oldConnectionQuietForMs = since(performance.now())
  }, 10_000)

  it('the control service answers HELLO on the new address, same port', async () => {
    const started = performance.now()
    const fresh = tcpWatch(lab, NEW_ADDRESS, CONTROL_PORT)
    try {
      await fresh.next((l) => l.ev === 'data', 5000, 'HELLO on the new address')
      expect(fresh.frames()[0]).toEqual({ type: 'hello', version: PROTOCOL_VERSION, id: acc.config.deviceId })
      timings.helloOnNewAddressMs = Math.round(performance.now() - started)
    } finally {
      await fresh.stop()
    }
  }, 10_000)

  it('the old address answers nothing: a connect there fails or times out', async () => {
    const started = performance.now()
    const stale = tcpWatch(lab, oldAddress, CONTROL_PORT, 3000)
    try {
      const outcome = await stale.next((l) => l.ev === 'connected' || l.ev === 'connect-timeout' || l.ev === 'error', 5000, 'connect to the old address')
      expect(outcome.ev).not.toBe('connected')
      if (outcome.ev === 'error') expect(outcome.code).not.toBe('ECONNREFUSED') // refused would mean someone still holds it
      timings.oldAddressConnectMs = Math.round(performance.now() - started)
    } finally {
      await stale.stop()
    }
  }, 10_000)

  it('refuses addresses outside the renumber pool or the current one, and changes nothing', async () => {
    await expect(acc.readdress(lab.app.address4)).rejects.toThrow(/outside-renumber-pool/)
    await expect(acc.readdress('198.19.0.150')).rejects.toThrow(/outside-home-subnet/)
    await expect(acc.readdress(NEW_ADDRESS)).rejects.toThrow(/same-address/)
    expect(acc.node.sta.homeAddress4).toBe(NEW_ADDRESS)
  }, 10_000)
})
