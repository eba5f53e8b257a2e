/**
 * The port-conflict check in the lab's app namespace, with real sockets and the real /proc lookup: a TCP
 * listener another process holds (named with its pid; as another user only by uid), a privileged port, and
 * UDP 5353 shared with avahi-daemon, with a second SO_REUSEADDR holder, across users, and held by programs
 * that will not share it (no SO_REUSEADDR; SO_REUSEPORT alone).
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { WantedPort } from '../../main/diagnose/port-check'
import { DiagnoseCheck } from '../../shared/diagnose/view'
import { bundleEntry, labPath } from './bundle'
import { startAvahiPeer, type AvahiPeer } from './peers/avahi'
import { createLab, labUnavailableReason, type Lab } from './topology'
import { captureTail, stopPid, waitForLine } from './topology/shell'

const skip = labUnavailableReason({ avahi: true })
if (skip) process.stderr.write(`lab port-check tests skipped: ${skip}\n`)
const hasSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0
const PYTHON = '/usr/bin/python3'
const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups']

describe.skipIf(skip !== undefined)(`lab: port-conflict check${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: Lab
  let entry: string
  const holders = new Set<ChildProcess>()

  beforeAll(async () => {
    lab = await createLab({ accessories: [] })
    entry = await bundleEntry(labPath('probes', 'port-check-main.ts'))
  }, 30_000)

  // A failed assertion must not leave a holder behind for the next test: stop each by PID.
  afterEach(async () => {
    for (const child of [...holders]) await release(child)
  }, 15_000)

  afterAll(async () => {
    await lab?.dispose()
  }, 30_000)

  /** Runs the check in the app namespace (as root, or as uid 65534) and returns its validated checks. */
  async function check(wanted: WantedPort[], asNobody = false): Promise<DiagnoseCheck[]> {
    const args = [entry, JSON.stringify(wanted)]
    const r = asNobody
      ? await lab.exec(lab.app.ns, 'setpriv', [...AS_NOBODY, process.execPath, ...args], { timeoutMs: 15_000 })
      : await lab.exec(lab.app.ns, process.execPath, args, { timeoutMs: 15_000 })
    if (r.code !== 0) throw new Error(`port-check probe exited ${r.code}: ${r.stderr.slice(-400)}`)
    return z.array(DiagnoseCheck).parse(JSON.parse(r.stdout))
  }

  /** Starts a process holding a port in the app namespace; resolves once it printed READY. */
  async function hold(file: string, args: string[]): Promise<ChildProcess & { pid: number }> {
    const child = lab.spawn(lab.app.ns, file, args)
    holders.add(child)
    await waitForLine(child, /READY/, 5000, `port holder ${args.join(' ').slice(0, 60)}`)
    captureTail(child)
    if (child.pid === undefined) throw new Error('holder has no pid')
    return child as ChildProcess & { pid: number }
  }

  async function release(child: ChildProcess): Promise<void> {
    if (child.pid !== undefined) await stopPid(child.pid)
    holders.delete(child)
  }

  const node = (script: string) => hold(process.execPath, ['-e', `${script}; setInterval(() => {}, 1000)`])
  const tcpHolder = (port: number, host: string) => node(`require('node:net').createServer().listen(${port}, '${host}', () => console.log('READY'))`)
  const udpHolder = (reuseAddr: boolean) =>
    node(`require('node:dgram').createSocket({ type: 'udp4', reuseAddr: ${reuseAddr} }).bind(5353, '0.0.0.0', () => console.log('READY'))`)
  const web = (address?: string): WantedPort => ({
    protocol: 'tcp', port: 8080, purpose: 'the web host', changeHint: 'start the web host with --port 8081', ...(address !== undefined && { address }),
  })
  const mdns: WantedPort = { protocol: 'udp', port: 5353, purpose: 'mDNS discovery' }

  it('a TCP port another process listens on fails, naming the process and its pid; it passes once that process is gone', async () => {
    const listener = await tcpHolder(8080, lab.app.address4)
    const [exact, everywhere, loopback] = await check([web(lab.app.address4), web(), web('127.0.0.1')])
    expect(exact).toMatchObject({ id: 'port-tcp-8080', group: 'ports', status: 'fail' })
    expect(exact?.summary).toBe(`TCP port 8080 on ${lab.app.address4} is already in use by node (pid ${listener.pid}).`)
    expect(exact?.advice).toContain('or start the web host with --port 8081')
    expect(exact?.facts?.holders).toEqual([{ address: lab.app.address4, pid: listener.pid, name: 'node', command: process.execPath, uid: 0, user: 'root' }])
    // Node's default listen (dual-stack ::) collides too; another address does not.
    expect(everywhere?.status).toBe('fail')
    expect(loopback?.status).toBe('pass')
    await release(listener)
    expect((await check([web(lab.app.address4)]))[0]).toMatchObject({ status: 'pass', advice: '' })
  }, 30_000)

  it.skipIf(!hasSetpriv)('as another user: the holder is known by its user only, with the command to see it; ports below 1024 need rights', async () => {
    const listener = await tcpHolder(8080, lab.app.address4)
    const [taken, low] = await check([web(lab.app.address4), { ...web(lab.app.address4), port: 80 }], true)
    expect(taken?.status).toBe('fail')
    expect(taken?.summary).toContain('already in use by another user\'s process (user root)')
    expect(taken?.steps).toEqual(['To see the program yourself, run: sudo ss -ltnp \'sport = :8080\''])
    expect(taken?.facts?.holders).toEqual([expect.objectContaining({ uid: 0, isHidden: true })])
    expect(low).toMatchObject({ status: 'fail', facts: { bind: 'EACCES', unprivilegedPortStart: 1024 } })
    expect(low?.summary).toContain('needs administrator rights here (ports below 1024')
    await release(listener)
  }, 30_000)

  it('UDP 5353: shared with avahi-daemon is normal; another sharer is a warning; a holder that will not share is a failure', async () => {
    expect((await check([mdns]))[0]?.summary).toContain('No other mDNS responder holds it')
    const workDir = await mkdtemp(join(tmpdir(), `plx-${process.pid}-ports-`))
    let avahi: AvahiPeer | undefined
    try {
      avahi = await startAvahiPeer({ exec: lab.exec, spawn: lab.spawn, stop: release }, {
        ns: lab.app.ns, ifname: lab.app.ifname, address4: lab.app.address4, address6: lab.app.address6, hostName: `plx-ports-${process.pid}`, workDir,
      })
      const [withAvahi] = await check([mdns])
      expect(withAvahi).toMatchObject({ status: 'pass', facts: { bind: 'EADDRINUSE', sharedBind: 'ok' } })
      const daemonPid = (withAvahi?.facts?.holders as { name?: string; pid?: number }[]).find((h) => h.name === 'avahi-daemon')?.pid
      expect(avahi.pids()).toContain(daemonPid)
      expect(withAvahi?.summary).toContain(`shared with avahi-daemon (pid ${daemonPid})`)

      const second = await udpHolder(true)
      const [withTwo] = await check([mdns])
      expect(withTwo?.status).toBe('warn')
      expect(withTwo?.summary).toContain(`avahi-daemon (pid ${daemonPid})`)
      expect(withTwo?.summary).toContain(`node (pid ${second.pid})`)
      if (hasSetpriv) {
        // SO_REUSEADDR on both sides shares across users; the other users' sockets are known by uid only.
        expect((await check([mdns], true))[0]).toMatchObject({ status: 'warn', facts: { sharedBind: 'ok' }, summary: expect.stringContaining('another user\'s process (user root)') as string })
      }
      await release(second)
    } finally {
      await avahi?.stop()
      await rm(workDir, { recursive: true, force: true })
    }

    const exclusive = await udpHolder(false)
    expect((await check([mdns]))[0]).toMatchObject({
      status: 'fail', facts: { bind: 'EADDRINUSE', sharedBind: 'EADDRINUSE' },
      summary: `UDP port 5353 is held by node (pid ${exclusive.pid}) without allowing others to share it, so Porchlight cannot listen for mDNS.`,
    })
    await release(exclusive)
    if (existsSync(PYTHON)) {
      // SO_REUSEPORT alone: Node sets only SO_REUSEADDR, so even the same user cannot share.
      const reusePort = await hold(PYTHON, ['-c', 'import socket, time\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n' +
        's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\ns.bind(("0.0.0.0", 5353))\nprint("READY", flush=True)\ntime.sleep(60)'])
      expect((await check([mdns]))[0]).toMatchObject({ status: 'fail', facts: { sharedBind: 'EADDRINUSE' }, summary: expect.stringContaining(`python3 (pid ${reusePort.pid})`) as string })
      await release(reusePort)
    }
    expect((await check([mdns]))[0]?.status).toBe('pass')
  }, 60_000)
})
