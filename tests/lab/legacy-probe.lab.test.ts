/**
 * Legacy discovery in the lab: two accessories on the home LAN run a non-mDNS UDP responder; the app's
 * broadcast probe, from its namespace, finds both on wlan0 via the directed broadcast 198.18.0.255, and a
 * namespace without a responder (or a port nobody serves) gives no replies and no crash.
 */
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BroadcastProbeResult, BroadcastTarget, ProbeMatch } from '../../main/discovery/legacy-probe'
import { bundleEntry, labPath } from './bundle'
import { createLab, labUnavailableReason, type Lab } from './topology'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab legacy-probe tests skipped: ${skip}\n`)
const PORT = 48_899
const MAGIC = 'PLX-LEGACY-DISCOVER'

type ProbeOutput = BroadcastProbeResult<ProbeMatch & { id: string }> & { targets: BroadcastTarget[] }

/** Starts the responder in `ns` and waits until it listens. */
async function startResponder(lab: Lab, ns: string, id: string): Promise<ChildProcess> {
  const child = lab.spawn(ns, process.execPath, [await bundleEntry(labPath('probes', 'legacy-responder-main.ts')), id, String(PORT), MAGIC])
  child.stderr?.resume()
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`responder ${id} did not listen within 5 s`)), 5000)
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if ((JSON.parse(line) as { ev?: string }).ev === 'listening') {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`responder ${id} exited (${code})`)))
  })
  return child
}

/** Stops one responder by PID and waits for it. */
async function stopResponder(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

describe.skipIf(skip !== undefined)(`lab: legacy UDP broadcast probe${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  const responders = new Map<string, ChildProcess>()

  const probe = async (ns: string, port: number, magic = MAGIC): Promise<ProbeOutput> => {
    const entry = await bundleEntry(labPath('probes', 'legacy-probe-main.ts'))
    const run = await lab.exec(ns, process.execPath, [entry, String(port), magic, '800'], { timeoutMs: 10_000 })
    expect(run, run.stderr).toMatchObject({ code: 0 })
    return JSON.parse(run.stdout) as ProbeOutput
  }
  const found = (out: ProbeOutput) => out.replies.map((r) => [r.interfaceName, r.from.address, r.match.id]).sort()

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'l0', hasAp: false, startOnHome: true }, { id: 'l1', hasAp: false, startOnHome: true }] })
    for (const node of lab.accessories) responders.set(node.id, await startResponder(lab, node.ns, node.id))
  }, 60_000)

  afterAll(async () => {
    for (const child of responders.values()) await stopResponder(child)
    await lab?.dispose()
  }, 30_000)

  it('finds both devices on wlan0 through the directed broadcast, once each despite repeated probes', async () => {
    const out = await probe(lab.app.ns, PORT)
    expect(out.targets).toEqual([{ interfaceName: 'wlan0', localAddress: lab.app.address4, broadcast: '198.18.0.255' }])
    expect(out.errors).toEqual([])
    expect(found(out)).toEqual(lab.accessories.map((a) => ['wlan0', a.sta.homeAddress4, a.id]).sort())
    expect(out.replies.every((r) => r.from.port === PORT)).toBe(true)
  }, 20_000)

  it('no replies and no crash where nobody serves the port or the payload is not the magic one', async () => {
    const unserved = await probe(lab.app.ns, PORT + 1)
    expect(unserved).toMatchObject({ replies: [], errors: [] })
    const wrongMagic = await probe(lab.app.ns, PORT, 'HELLO?')
    expect(wrongMagic).toMatchObject({ replies: [], errors: [] })
  }, 20_000)

  it('a namespace whose responder stopped no longer answers; the other one still does', async () => {
    const [l0, l1] = lab.accessories
    await stopResponder(responders.get(l1?.id ?? '') as ChildProcess)
    const out = await probe(lab.app.ns, PORT)
    expect(out.errors).toEqual([])
    expect(found(out)).toEqual([['wlan0', l0?.sta.homeAddress4, l0?.id]])
  }, 20_000)
})
