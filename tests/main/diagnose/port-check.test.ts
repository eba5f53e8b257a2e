import { spawnSync } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  checkPorts, conflictingHolders, judgePort, type BindAttempts, type PortHolder, type PortHoldersResult, type WantedPort,
} from '../../../main/diagnose/port-check'
import { darwinPortHolders, lsofArgs, parseLsofFields } from '../../../main/diagnose/port-owners-darwin'
import { hexToAddress, linuxPortHolders, parseProcNet, type ProcFs } from '../../../main/diagnose/port-owners-linux'
import { parseWindowsOwners, windowsOwnerScript } from '../../../main/diagnose/port-owners-windows'
import { runCommand, type RunCommand } from '../../../main/util/exec'
import { DiagnoseCheck } from '../../../shared/diagnose/view'

const dir = join(import.meta.dirname, 'fixtures', 'ports')
const text = (...parts: string[]) => readFileSync(join(dir, ...parts), 'utf8')
type Snapshot = Record<string, { text?: string; entries?: string[]; link?: string; error?: string }>
const snapshot = (who: 'root' | 'nobody') => JSON.parse(text('linux', `proc-${who}.json`)) as Snapshot

/** A /proc that answers from a recorded snapshot; anything not recorded is ENOENT, a recorded error is thrown as recorded. */
function recordedProc(snap: Snapshot, edit: (path: string) => string | undefined = () => undefined): ProcFs {
  const get = <K extends 'text' | 'entries' | 'link'>(path: string, key: K) => {
    const e = snap[path]
    const code = edit(path) ?? e?.error ?? (e?.[key] === undefined ? 'ENOENT' : undefined)
    if (code) return Promise.reject(Object.assign(new Error(`${code}: ${path}`), { code }))
    return Promise.resolve(e?.[key] as NonNullable<Snapshot[string][K]>)
  }
  return { readFile: (p) => get(p, 'text'), readdir: (p) => get(p, 'entries'), readlink: (p) => get(p, 'link') }
}
const table = (file: string) => snapshot('root')[`/proc/net/${file}`]?.text ?? ''
const brief = (h: PortHolder) => [h.name ?? (h.user ? `user:${h.user}` : '?'), h.pid ?? null, h.address]
const holdersOf = (r: PortHoldersResult) => (r.ok ? r.value.holders.map(brief) : r.error.code)

describe('Linux /proc parsing (recorded in a namespace)', () => {
  it('reads TCP sockets: LISTEN, TIME_WAIT with inode 0, and the uid', () => {
    expect(parseProcNet(table('tcp'), 'tcp')).toEqual([
      { protocol: 'tcp', address: '0.0.0.0', port: 8090, state: '0A', uid: 65534, inode: 981604 },
      { protocol: 'tcp', address: '198.18.7.1', port: 8080, state: '0A', uid: 0, inode: 991483 },
      { protocol: 'tcp', address: '198.18.7.1', port: 8080, state: '06', uid: 0, inode: 0 },
    ])
  })

  it('reads IPv6 sockets, IPv4-mapped addresses as IPv4, in RFC 5952 form', () => {
    expect(parseProcNet(table('tcp6'), 'tcp').map((s) => `${s.address} ${s.port} ${s.state}`)).toEqual([
      ':: 8443 0A', '::1 9000 0A', 'fd00:7::1 8081 0A', '198.18.7.1 8082 0A', '::1 53828 01', '::1 8443 01',
    ])
    expect(parseProcNet(table('udp6'), 'udp').map((s) => [s.address, s.port, s.inode])).toEqual([['::', 5353, 991489], ['::', 5353, 977929]])
  })

  it('decodes host byte order on both endiannesses, and ports as big-endian hex', () => {
    expect(hexToAddress('010712C6')).toBe('198.18.7.1')
    expect(hexToAddress('C6120701', false)).toBe('198.18.7.1')
    expect(hexToAddress('0000000000000000FFFF0000010712C6')).toBe('198.18.7.1')
    expect(hexToAddress('000080FE00000000FF00871408A785FE')).toBe('fe80::1487:ff:fe85:a708')
    expect(parseProcNet('  0: 0100007F:FFFF 00000000:0000 0a 0:0 00:0 0 1000 0 42 1 0', 'tcp')[0]).toMatchObject({ port: 65535, state: '0A', uid: 1000 })
  })

  it('skips headers, truncated and malformed lines instead of guessing', () => {
    const lines = [
      table('tcp').split('\n')[1]?.slice(0, 95) ?? '', // cut inside the inode
      '   1: 010712C6:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0',
      '   2: 010712C6:1F9 00000000:0000 0A 0:0 0:0 0 0 0 7 1 0', // port not 4 hex digits
      '   3: 0107ZZC6:1F90 00000000:0000 0A 0:0 0:0 0 0 0 7 1 0',
      '\u0000\u0000garbage', '',
    ]
    expect(parseProcNet(lines.join('\n'), 'tcp')).toEqual([])
    expect(parseProcNet(table('udp'), 'udp')).toHaveLength(3)
  })
})

describe('Linux owner lookup from recorded /proc', () => {
  it('names listeners only (not the TIME_WAIT or established sockets on the same port)', async () => {
    const proc = recordedProc(snapshot('root'))
    expect(holdersOf(await linuxPortHolders('tcp', 8080, proc))).toEqual([['node', 20870, '198.18.7.1']])
    expect(holdersOf(await linuxPortHolders('tcp', 8443, proc))).toEqual([['node', 20870, '::']])
    expect(await linuxPortHolders('tcp', 8090, proc)).toMatchObject({ ok: true, value: { holders: [{ name: 'python3', pid: 16212, uid: 65534, user: 'nobody', command: '/usr/bin/python3' }] } })
  })

  it('names every process sharing UDP 5353, by comm (avahi rewrites its argv)', async () => {
    const r = await linuxPortHolders('udp', 5353, recordedProc(snapshot('root')))
    expect(holdersOf(r)).toEqual([['node', 20870, '198.18.7.1'], ['node', 20870, '0.0.0.0'], ['avahi-daemon', 15155, '0.0.0.0'], ['node', 20870, '::'], ['avahi-daemon', 15155, '::']])
    expect(r.ok && r.value.deniedCount).toBe(0)
  })

  it('as another user: root’s sockets are known by uid only, its own are named', async () => {
    const proc = recordedProc(snapshot('nobody'))
    const r = await linuxPortHolders('tcp', 8080, proc)
    expect(r).toMatchObject({ ok: true, value: { deniedCount: 3, holders: [{ address: '198.18.7.1', uid: 0, user: 'root', isHidden: true }] } })
    expect(r.ok && r.value.holders[0]?.pid).toBeUndefined()
    expect(holdersOf(await linuxPortHolders('tcp', 8090, proc))).toEqual([['python3', 16212, '0.0.0.0']])
  })

  it('copes with IPv6 disabled, vanished processes and unreadable links; fails only without any table', async () => {
    const noV6 = recordedProc(snapshot('root'), (p) => (p.endsWith('tcp6') || p === '/proc/20870/fd/19' ? 'ENOENT' : undefined))
    expect(holdersOf(await linuxPortHolders('tcp', 8090, noV6))).toEqual([['python3', 16212, '0.0.0.0']])
    expect(await linuxPortHolders('tcp', 8080, noV6)).toMatchObject({ ok: true, value: { deniedCount: 0, holders: [{ isHidden: true }] } })
    const gone = recordedProc(snapshot('root'), (p) => (p === '/proc/16212/fd' ? 'ENOENT' : undefined))
    expect(await linuxPortHolders('tcp', 8090, gone)).toMatchObject({ ok: true, value: { deniedCount: 0, holders: [{ isHidden: true, user: 'nobody' }] } })
    const none = recordedProc(snapshot('root'), (p) => (p.startsWith('/proc/net/') ? 'EACCES' : undefined))
    expect(await linuxPortHolders('tcp', 8080, none)).toMatchObject({ ok: false, error: { code: 'owner-lookup-failed' } })
  })
})

describe('macOS owner lookup: lsof -F', () => {
  it('parses the recorded field output (lsof 4.95 on Linux, same format)', () => {
    expect(parseLsofFields(text('lsof', 'tcp-8080.txt'), 'tcp', 8080).map(brief)).toEqual([['node', 20870, '198.18.7.1']])
    expect(parseLsofFields(text('lsof', 'tcp-8443.txt'), 'tcp', 8443).map(brief)).toEqual([['node', 20870, '*']])
    expect(parseLsofFields(text('lsof', 'udp-5353-with-fd.txt'), 'udp', 5353).map(brief)).toEqual([['avahi-daemon', 15155, '*'], ['node', 20870, '*'], ['node', 20870, '198.18.7.1']])
    expect(parseLsofFields(text('lsof', 'udp-5353-as-nobody.txt'), 'udp', 5353)).toEqual([])
  })

  it('parses reconstructed macOS output: IPv6 brackets and zones, spaces in names, connected sockets, truncation', () => {
    expect(parseLsofFields(text('darwin', 'lsof-tcp-8080-ipv6.txt'), 'tcp', 8080).map(brief)).toEqual([['node', 4242, '::1'], ['node', 4242, '127.0.0.1'], ['node', 4243, 'fe80::1%lo0']])
    expect(parseLsofFields(text('darwin', 'lsof-udp-5353-sudo.txt'), 'udp', 5353).map(brief)).toEqual([['mDNSResponder', 389, '*'], ['Google Chrome He', 1203, '*'], ['Google Chrome He', 1203, '198.18.0.2']])
    expect(parseLsofFields(text('darwin', 'lsof-tcp-8080-truncated.txt'), 'tcp', 8080)).toEqual([])
  })

  it('runs /usr/sbin/lsof with the documented arguments; exit 1 with no output is "nobody visible", a failed start is tool-missing', async () => {
    const calls: string[][] = []
    const run = (exitCode: number, stdout = ''): RunCommand => (file, args) => (calls.push([file, ...args]), Promise.resolve({ stdout, stderr: '', exitCode }))
    expect(await darwinPortHolders('tcp', 5000, run(0, text('darwin', 'lsof-tcp-5000-airplay.txt')))).toMatchObject({ ok: true, value: { holders: [{ name: 'ControlCenter', pid: 512 }] } })
    expect(calls[0]).toEqual(['/usr/sbin/lsof', '-nP', '-iTCP:5000', '-sTCP:LISTEN', '-F', 'pcn'])
    expect(lsofArgs('udp', 5353)).toEqual(['-nP', '-iUDP:5353', '-F', 'pcn'])
    expect(await darwinPortHolders('udp', 5353, run(1))).toEqual({ ok: true, value: { holders: [], source: 'lsof' } })
    expect(await darwinPortHolders('udp', 5353, () => Promise.reject(new Error('spawn ENOENT')))).toMatchObject({ ok: false, error: { code: 'tool-missing' } })
  })
})

describe('Windows owner lookup: Get-NetTCPConnection / Get-NetUDPEndpoint → Get-Process', () => {
  it('accepts one object, an array, and the 5.1 {value,Count} wrapper; BOM and CRLF', () => {
    expect(holdersOf(parseWindowsOwners(text('windows', 'tcp-8080-single.txt'), 'tcp', 8080))).toEqual([['node', 5124, '::']])
    expect(holdersOf(parseWindowsOwners(text('windows', 'tcp-80-system.txt'), 'tcp', 80))).toEqual([['System', 4, '::'], ['System', 4, '0.0.0.0']])
    const shared = parseWindowsOwners(text('windows', 'udp-5353-shared.txt'), 'udp', 5353)
    expect(holdersOf(shared)).toEqual([['svchost', 2260, '::'], ['svchost', 2260, '0.0.0.0'], ['mDNSResponder', 3380, '0.0.0.0'], ['?', 9120, '198.18.0.2']])
    expect(shared.ok && shared.value.holders[3]?.isHidden).toBe(true)
  })

  it('reads empty results as no holders and unreadable output as an error value', () => {
    for (const f of ['none.txt', 'none-empty.txt']) expect(parseWindowsOwners(text('windows', f), 'tcp', 80)).toMatchObject({ ok: true, value: { holders: [] } })
    for (const f of ['truncated.txt', 'no-nettcpip.txt']) expect(parseWindowsOwners(text('windows', f), 'tcp', 80)).toMatchObject({ ok: false, error: { code: 'owner-lookup-failed' } })
  })

  it('asks for listeners on exactly the port, with one JSON document per marked line', () => {
    expect(windowsOwnerScript('tcp', 8080)).toContain('Get-NetTCPConnection -State Listen -LocalPort 8080 |')
    expect(windowsOwnerScript('udp', 5353)).toContain('Get-NetUDPEndpoint -LocalPort 5353 |')
    expect(() => windowsOwnerScript('tcp', 1.5)).toThrow()
  })
})

const web: WantedPort = { protocol: 'tcp', port: 8080, address: '127.0.0.1', purpose: 'the web host', changeHint: 'start the web host with --port 8081' }
const mdns: WantedPort = { protocol: 'udp', port: 5353, purpose: 'mDNS discovery' }
const inUse = { ok: false, code: 'EADDRINUSE', message: 'address already in use' } as const
const found = (...holders: PortHolder[]): PortHoldersResult => ({ ok: true, value: { holders, source: 'test' } })
const h = (name: string | undefined, pid: number | undefined, extra: Partial<PortHolder> = {}): PortHolder =>
  ({ protocol: 'udp', address: '0.0.0.0', port: 5353, ...(name !== undefined && { name }), ...(pid !== undefined && { pid }), ...extra })
const judge = (w: WantedPort, a: BindAttempts, r?: PortHoldersResult, platform: NodeJS.Platform = 'linux', start?: number) => {
  const check = judgePort(w, a, r, { platform, ...(start !== undefined && { unprivilegedPortStart: start }) })
  expect(DiagnoseCheck.safeParse(check).success).toBe(true)
  return check
}

describe('the verdict', () => {
  it('passes a free port, and says when 5353 is ours alone', () => {
    expect(judge(web, { exclusive: { ok: true } })).toMatchObject({ id: 'port-tcp-8080', group: 'ports', status: 'pass', advice: '' })
    expect(judge(mdns, { exclusive: { ok: true } }).summary).toMatch(/unicast replies reach Porchlight/)
  })

  it('fails a taken port, names the program and says what to do without stopping anything', () => {
    const c = judge({ ...web, address: '0.0.0.0' }, { exclusive: inUse }, found(h('node', 20870, { protocol: 'tcp', port: 8080 })))
    expect(c).toMatchObject({ status: 'fail', summary: 'TCP port 8080 on 0.0.0.0 is already in use by node (pid 20870).' })
    expect(c.advice).toBe('Quit node (pid 20870) if you do not need it, or start the web host with --port 8081.')
    expect(c.facts?.holders).toEqual([{ address: '0.0.0.0', pid: 20870, name: 'node' }])
  })

  it('says "another user’s process" when the OS hides it, and how to see it with rights', () => {
    const c = judge(web, { exclusive: inUse }, found(h(undefined, undefined, { uid: 0, user: 'root', isHidden: true })))
    expect(c.summary).toContain('another user\'s process (user root)')
    expect(c.steps).toEqual(['To see the program yourself, run: sudo ss -ltnp \'sport = :8080\''])
    const failed = judge(web, { exclusive: inUse }, { ok: false, error: { code: 'tool-missing', message: 'could not run lsof' } }, 'darwin')
    expect(failed).toMatchObject({ status: 'fail', facts: { ownerLookup: 'could not run lsof' } })
    expect(failed.steps?.[0]).toContain('sudo lsof -nP -iTCP:8080 -sTCP:LISTEN')
  })

  it('shared 5353: pass with a system responder, warn with anything else, fail when it will not share', () => {
    const shared: BindAttempts = { exclusive: inUse, shared: { ok: true } }
    expect(judge(mdns, shared, found(h('avahi-daemon', 812)))).toMatchObject({ status: 'pass', summary: expect.stringContaining('shared with avahi-daemon (pid 812)') as string })
    expect(judge(mdns, shared, found(h(undefined, undefined, { user: 'avahi', uid: 105, isHidden: true }))).status).toBe('pass')
    expect(judge(mdns, shared, found(), 'darwin').summary).toContain('most likely macOS’s own mDNSResponder')
    expect(judge(mdns, shared, found(h('svchost', 2260), h('mDNSResponder', 3380)), 'win32').status).toBe('pass')
    const warn = judge(mdns, shared, found(h('avahi-daemon', 812), h('spotify', 4000)))
    expect(warn).toMatchObject({ status: 'warn', summary: expect.stringContaining('avahi-daemon (pid 812) and spotify (pid 4000)') as string })
    expect(judge(mdns, shared, found(), 'linux').status).toBe('warn')
    const exclusive = judge(mdns, { exclusive: inUse, shared: inUse }, found(h('mdnsd-rs', 77)))
    expect(exclusive).toMatchObject({ status: 'fail', summary: expect.stringContaining('held by mdnsd-rs (pid 77) without allowing others to share') as string })
  })

  it('decodes EACCES, EADDRNOTAVAIL and anything else into plain advice', () => {
    const denied = { exclusive: { ok: false, code: 'EACCES', message: 'permission denied' } } as const
    const low = { ...web, port: 80 }
    expect(judge(low, denied, found(), 'linux', 1024)).toMatchObject({ status: 'fail', summary: expect.stringContaining('needs administrator rights here (ports below 1024') as string, facts: { unprivilegedPortStart: 1024 } })
    expect(judge(low, denied, found(), 'linux', 0).summary).toContain('permission denied')
    expect(judge({ ...web, port: 50_000 }, denied, found(), 'win32').advice).toContain('netsh interface ipv4 show excludedportrange protocol=tcp')
    expect(judge({ ...web, port: 50_000 }, denied, found(h('svc', 9, { protocol: 'tcp' })), 'win32').summary).toContain('held exclusively by svc (pid 9)')
    expect(judge(web, { exclusive: { ok: false, code: 'EADDRNOTAVAIL', message: '' } }).summary).toContain('127.0.0.1 is not an address of this computer')
    expect(judge(web, { exclusive: { ok: false, code: 'EMFILE', message: 'too many open files' } }).summary).toContain('EMFILE (too many open files)')
  })

  it('names only holders whose address can collide with ours (IPv4-mapped counts as IPv4)', () => {
    const holders = [h('a', 1, { address: '198.18.7.1' }), h('b', 2, { address: '*' }), h('c', 3, { address: '127.0.0.1' })]
    expect(conflictingHolders({ ...web, address: '::ffff:127.0.0.1' }, holders).map((x) => x.name)).toEqual(['b', 'c'])
    expect(conflictingHolders({ ...web, address: '0.0.0.0' }, holders)).toHaveLength(3)
    expect(conflictingHolders(web, [holders[0] as PortHolder]).map((x) => x.name)).toEqual(['a'])
  })
})

const linuxDeps = { platform: 'linux' as const, run: runCommand }
const isLinux = process.platform === 'linux'

describe('checkPorts with real sockets on loopback', () => {
  it('rejects nonsense without binding, skips port 0', async () => {
    const checks = await checkPorts([{ ...web, port: 70_000 }, { ...web, address: 'localhost' }, { ...web, port: 0 }], { ...linuxDeps, bind: () => Promise.reject(new Error('must not bind')) })
    expect(checks.map((c) => c.status)).toEqual(['fail', 'fail', 'skip'])
  })

  it('mDNS: tries an exclusive bind, then a shared one, then names the sharers from /proc', async () => {
    const calls: boolean[] = []
    const proc = recordedProc(snapshot('root'))
    const bind = (_w: WantedPort, reuseAddr: boolean) => (calls.push(reuseAddr), Promise.resolve(reuseAddr ? { ok: true as const } : inUse))
    const [c] = await checkPorts([mdns], { ...linuxDeps, ...proc, bind })
    expect(calls).toEqual([false, true])
    expect(c).toMatchObject({ status: 'warn', facts: { bind: 'EADDRINUSE', sharedBind: 'ok', ownerSource: '/proc' } })
    expect(c?.summary).toContain('shared with node (pid 20870) and avahi-daemon (pid 15155)')
  })

  it.skipIf(!isLinux)('names this very process as the holder of a TCP port, then passes once it is closed', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const wanted = { ...web, port: (server.address() as AddressInfo).port }
    const [taken] = await checkPorts([wanted], linuxDeps)
    const comm = readFileSync('/proc/self/comm', 'utf8').trim()
    expect(taken).toMatchObject({ status: 'fail', summary: expect.stringContaining(`${comm} (pid ${process.pid})`) as string })
    await new Promise((resolve) => server.close(resolve))
    const [free] = await checkPorts([wanted], linuxDeps)
    expect(free?.status).toBe('pass')
    // The check released the port: we can take it again.
    await new Promise<void>((resolve) => server.listen(wanted.port, '127.0.0.1', resolve))
    await new Promise((resolve) => server.close(resolve))
  })

  it.skipIf(!isLinux)('names the holder of a UDP port bound without SO_REUSEADDR; lsof agrees where installed', async () => {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    const port = socket.address().port
    const [check] = await checkPorts([{ protocol: 'udp', port, address: '127.0.0.1', purpose: 'a test' }], linuxDeps)
    expect(check?.facts?.holders).toEqual([expect.objectContaining({ pid: process.pid, address: '127.0.0.1' })])
    if (spawnSync('lsof', ['-v']).error === undefined) {
      const viaLsof = await darwinPortHolders('udp', port, (_file, args) => runCommand('lsof', args))
      expect(viaLsof.ok && viaLsof.value.holders.map((x) => x.pid)).toEqual([process.pid])
    }
    await new Promise<void>((resolve) => socket.close(resolve))
  })
})
