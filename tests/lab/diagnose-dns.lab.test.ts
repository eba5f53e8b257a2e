/**
 * DNS health across the lab: a DNS server in an accessory namespace (on its home address, port 53) and the
 * check in the app namespace, over real UDP and TCP between them. A server that answers one name
 * differently over TCP is flagged as a mismatch; a consistent one passes, also with no names given (it is
 * asked only its own reverse name); one without TCP is a TCP warning.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DiagnoseCheck } from '../../shared/diagnose/view'
import { bundleEntry, labPath } from './bundle'
import { createLab, labUnavailableReason, type Lab } from './topology'
import { captureTail, stopPid, waitForLine } from './topology/shell'

const skip = labUnavailableReason()
if (skip) process.stderr.write(`lab DNS health tests skipped: ${skip}\n`)

describe.skipIf(skip !== undefined)(`lab: DNS health${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let entry: string
  let server: ChildProcess | undefined
  const address = () => lab.accessories[0]?.sta.homeAddress4 ?? ''

  beforeAll(async () => {
    lab = await createLab({ accessories: [{ id: 'n0', hasAp: false, startOnHome: true }] })
    entry = await bundleEntry(labPath('probes', 'dns-health-main.ts'))
  }, 30_000)

  // Stopped by PID after each test, so a failed assertion never leaves a server for the next one.
  afterEach(async () => {
    if (server?.pid !== undefined) await stopPid(server.pid)
    server = undefined
  }, 10_000)

  afterAll(async () => {
    await lab?.dispose()
  }, 30_000)

  async function serve(mode: 'split' | 'consistent' | 'udp-only'): Promise<void> {
    const node = lab.accessories[0]
    if (!node) throw new Error('no accessory namespace')
    server = lab.spawn(node.ns, process.execPath, [entry, 'serve', address(), '53', mode])
    await waitForLine(server, /READY/, 5000, `DNS server (${mode})`)
    captureTail(server)
  }

  async function check(options: { names?: string[] }): Promise<DiagnoseCheck[]> {
    const r = await lab.exec(lab.app.ns, process.execPath, [entry, 'check', JSON.stringify({ resolvers: [address()], timeoutMs: 1000, ...options })], { timeoutMs: 20_000 })
    if (r.code !== 0) throw new Error(`dns-health probe exited ${r.code}: ${r.stderr.slice(-400)}`)
    return z.array(DiagnoseCheck).parse(JSON.parse(r.stdout))
  }

  it('a server answering porch.lab differently over TCP: mismatch warning with both answers', async () => {
    await serve('split')
    const [servers, c] = await check({ names: ['porch.lab', 'other.lab'] })
    expect(servers).toMatchObject({ id: 'dns-servers', status: 'pass', facts: { servers: [{ address: address(), port: 53, source: 'given' }] } })
    expect(c).toMatchObject({ id: `dns-${address().replace(/\./g, '-')}`, group: 'dns', status: 'warn' })
    expect(c?.summary).toContain(`${address()} answers differently over UDP and TCP: for porch.lab (A) UDP gave NOERROR with 198.18.0.50 but TCP gave NOERROR with 198.18.0.51`)
    expect(c?.facts?.questions).toEqual([
      expect.objectContaining({ name: 'porch.lab', finding: 'mismatch' }),
      expect.objectContaining({ name: 'other.lab', finding: 'agree', udp: expect.objectContaining({ rcode: 'NXDOMAIN' }) as unknown }),
    ])
  }, 30_000)

  it('a consistent server passes, and with no names it is asked only its own reverse name', async () => {
    await serve('consistent')
    const [, named] = await check({ names: ['porch.lab'] })
    expect(named).toMatchObject({ status: 'pass', summary: `${address()} gives the same answers over UDP and TCP (porch.lab (A): NOERROR with 198.18.0.50).` })
    const [, unnamed] = await check({})
    const ptr = `${address().split('.').reverse().join('.')}.in-addr.arpa`
    expect(unnamed).toMatchObject({ status: 'pass', facts: { questions: [expect.objectContaining({ name: ptr, type: 'PTR', finding: 'agree' })] } })
  }, 30_000)

  it('a server without DNS over TCP: UDP works, TCP is refused — a warning', async () => {
    await serve('udp-only')
    const [, c] = await check({ names: ['porch.lab'] })
    expect(c).toMatchObject({ status: 'warn', facts: { questions: [expect.objectContaining({ finding: 'tcp-failed', tcp: expect.objectContaining({ error: 'refused' }) as unknown })] } })
  }, 30_000)
})
