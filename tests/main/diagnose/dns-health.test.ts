/**
 * DNS health: reading the servers in effect (Linux, systemd-resolved, macOS, Windows fixtures), choosing
 * questions without inventing internet names, and UDP against TCP with a real DNS server on 127.0.0.1 that
 * answers each transport as the test says.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Answer } from 'dns-packet'
import { afterEach, describe, expect, it } from 'vitest'
import { nameQuestion, questionsFor, reverseName, runDnsHealth } from '../../../main/diagnose/dns-health'
import { takeFrames } from '../../../main/diagnose/dns-transport'
import { parseResolvConf, parseResolvectlDns, parseScutilDns, parseServerToken, parseWindowsDns, readDnsConfig, scutilServers } from '../../../main/diagnose/dns-resolvers'
import type { RunCommand } from '../../../main/util/exec'
import { DiagnoseCheck } from '../../../shared/diagnose/view'
import { startSplitDnsServer, type ServerReply, type SplitDnsOptions, type SplitDnsServer } from './fixtures/resolver/split-dns-server'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'resolver', name), 'utf8')
const noRun: RunCommand = () => Promise.reject(new Error('no command should run'))

describe('servers in effect', () => {
  it('reads resolv.conf: nameservers in order, the last search/domain line, comments ignored', () => {
    expect(parseResolvConf(fixture('resolv.conf.plain'))).toEqual({
      nameservers: ['198.18.0.1', 'fe80::1%wlan0', 'not-an-address', '198.18.0.1'], searchDomains: ['home.arpa', 'lab.example'],
    })
  })

  it('understands the server spellings of resolvectl and of overrides; rejects host names', () => {
    expect(parseServerToken('198.19.0.53#dns.lab.example')).toEqual({ address: '198.19.0.53', port: 53 })
    expect(parseServerToken('[fd00::53]:5353')).toEqual({ address: 'fd00::53', port: 5353 })
    expect(parseServerToken('198.18.0.1:5300')).toEqual({ address: '198.18.0.1', port: 5300 })
    expect(parseServerToken('fe80::1%wlan0')).toEqual({ address: 'fe80::1%wlan0', port: 53 })
    expect(parseServerToken('dns.example')).toBeUndefined()
    expect(parseServerToken('198.18.0.1:70000')).toBeUndefined()
    expect(parseResolvectlDns(fixture('resolvectl-dns.txt'))).toEqual([
      { link: 'global', servers: ['198.19.0.53#dns.lab.example'] }, { link: 'eth0', servers: [] },
      { link: 'wlan0', servers: ['198.18.0.1', 'fe80::1%wlan0'] }, { link: 'tun0', servers: ['198.19.8.1', '[fd00::53]:5353'] },
    ])
  })

  it('Linux behind systemd-resolved: the stub and its upstreams from `resolvectl dns`', async () => {
    const calls: string[][] = []
    const run: RunCommand = (file, args) => {
      calls.push([file, ...args])
      return Promise.resolve({ stdout: fixture('resolvectl-dns.txt'), stderr: '', exitCode: 0 })
    }
    const config = await readDnsConfig({ platform: 'linux', run, readFile: () => Promise.resolve(fixture('resolv.conf.stub')) })
    expect(calls).toEqual([['resolvectl', '--no-pager', 'dns']])
    expect(config?.servers.map((s) => `${s.address}:${s.port} ${s.source}`)).toEqual([
      '127.0.0.53:53 /etc/resolv.conf', '198.19.0.53:53 systemd-resolved, global', '198.18.0.1:53 systemd-resolved, wlan0',
      'fe80::1%wlan0:53 systemd-resolved, wlan0', '198.19.8.1:53 systemd-resolved, tun0', 'fd00::53:5353 systemd-resolved, tun0',
    ])
    expect(config?.searchDomains).toEqual(['home.arpa'])
  })

  it('Linux: when resolvectl cannot answer, resolved’s own resolv.conf is read and the reason kept', async () => {
    const run: RunCommand = () => Promise.resolve({ stdout: '', stderr: 'Failed to get global data: Unit dbus-org.freedesktop.resolve1.service not found.\n', exitCode: 1 })
    const files: Record<string, string> = { '/etc/resolv.conf': fixture('resolv.conf.stub'), '/run/systemd/resolve/resolv.conf': 'nameserver 198.18.0.1\n' }
    const config = await readDnsConfig({ platform: 'linux', run, readFile: (p) => (files[p] !== undefined ? Promise.resolve(files[p]) : Promise.reject(new Error('ENOENT'))) })
    expect(config?.servers.map((s) => s.address)).toEqual(['127.0.0.53', '198.18.0.1'])
    expect(config?.notes[0]).toContain('resolvectl exited with 1: Failed to get global data')
  })

  it('Linux without the stub runs no tool, and repeated or invalid nameservers drop out', async () => {
    const config = await readDnsConfig({ platform: 'linux', run: noRun, readFile: () => Promise.resolve(fixture('resolv.conf.plain')) })
    expect(config?.servers.map((s) => s.address)).toEqual(['198.18.0.1', 'fe80::1%wlan0'])
  })

  it('macOS scutil --dns: the VPN default resolver and a per-domain one; mDNS blocks and scoped queries left out', async () => {
    const resolvers = parseScutilDns(fixture('scutil-dns-vpn.txt'))
    expect(resolvers.map((r) => r.index)).toEqual([1, 2, 3, 4])
    expect(scutilServers(resolvers)).toEqual([
      { address: '198.19.8.1', port: 53, source: 'scutil resolver #1, utun4' },
      { address: '198.18.0.1', port: 53, source: 'scutil resolver #4, en0', domains: ['home.arpa'] },
      { address: 'fe80::1%en0', port: 53, source: 'scutil resolver #4, en0', domains: ['home.arpa'] },
    ])
    const run: RunCommand = (file, args) => Promise.resolve({ stdout: file === '/usr/sbin/scutil' && args[0] === '--dns' ? fixture('scutil-dns-vpn.txt') : '', stderr: '', exitCode: 0 })
    expect((await readDnsConfig({ platform: 'darwin', run }))?.searchDomains).toEqual(['corp.example', 'home.arpa'])
  })

  it('Windows: servers per adapter, placeholders dropped; Windows PowerShell 5.1’s wrapped arrays understood', async () => {
    expect(parseWindowsDns(fixture('windows-dns.json'))).toEqual({
      servers: [
        { address: '198.18.0.1', port: 53, source: 'Wi-Fi, IPv4' }, { address: '198.18.0.2', port: 53, source: 'Wi-Fi, IPv4' },
        { address: 'fd00::1', port: 53, source: 'Wi-Fi, IPv6' },
      ],
      searchDomains: ['home.arpa'],
    })
    expect(parseWindowsDns(fixture('windows-dns-ps51.json'))).toEqual({ servers: [{ address: '198.18.0.1', port: 53, source: 'Ethernet 2, IPv4' }], searchDomains: [] })
    expect(parseWindowsDns('Get-DnsClientServerAddress : not recognized')).toBeUndefined()
    const run: RunCommand = (file) => Promise.resolve({ stdout: fixture('windows-dns.json'), stderr: '', exitCode: file.endsWith('powershell.exe') ? 0 : 1 })
    expect((await readDnsConfig({ platform: 'win32', run, systemRoot: 'C:\\Windows' }))?.servers).toHaveLength(3)
  })
})

describe('what is asked', () => {
  const server = { address: '198.18.0.1', port: 53, source: 'test' }

  it('asks the caller’s names (at most three), PTR for addresses and arpa names', () => {
    expect(questionsFor(server, ['home.arpa'], ['router.home.arpa', '198.18.0.7', '9.0.18.198.in-addr.arpa', 'fourth', 'fifth'])).toEqual([
      { name: 'router.home.arpa', type: 'A' }, { name: '7.0.18.198.in-addr.arpa', type: 'PTR' }, { name: '9.0.18.198.in-addr.arpa', type: 'PTR' },
    ])
  })

  it('without names: the search domain (never .local) and the server’s own reverse name, no internet names', () => {
    expect(questionsFor(server, ['local', 'home.arpa'])).toEqual([{ name: 'home.arpa', type: 'SOA' }, { name: '1.0.18.198.in-addr.arpa', type: 'PTR' }])
    expect(questionsFor({ ...server, domains: ['corp.example'] }, ['home.arpa'])).toEqual([{ name: 'corp.example', type: 'SOA' }, { name: '1.0.18.198.in-addr.arpa', type: 'PTR' }])
    expect(questionsFor(server, [])).toEqual([{ name: '1.0.18.198.in-addr.arpa', type: 'PTR' }])
    expect(reverseName('fd00::53%en0')).toBe(`3.5.0.0.${'0.'.repeat(26)}d.f.ip6.arpa`)
    expect(nameQuestion('2001:db8::1').type).toBe('PTR')
  })
})

describe('UDP against TCP, with a real DNS server on 127.0.0.1', () => {
  let server: SplitDnsServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const a = (data: string, ttl = 60): Answer => ({ name: 'porch.test', type: 'A', ttl, data })
  async function check(answer: (transport: 'udp' | 'tcp') => ServerReply, extra: Partial<SplitDnsOptions> = {}, names = ['porch.test']) {
    server = await startSplitDnsServer({ host: '127.0.0.1', answer: (q, t) => (q.name === 'porch.test' ? answer(t) : { rcode: 'NXDOMAIN' }), ...extra })
    const checks = await runDnsHealth({ platform: 'linux', run: noRun, resolvers: [`127.0.0.1:${server.port}`], names, timeoutMs: 400 })
    for (const c of checks) DiagnoseCheck.parse(c)
    expect(checks[0]).toMatchObject({ id: 'dns-servers', group: 'dns', status: 'pass', facts: { servers: [{ address: '127.0.0.1', port: server.port, source: 'given' }] } })
    return checks[1] as DiagnoseCheck
  }

  it('the same records in another order and with other TTLs pass; decoys and junk before the answer are ignored', async () => {
    const c = await check((t) => ({ answers: t === 'udp' ? [a('198.18.0.50', 60), a('198.18.0.51', 60)] : [a('198.18.0.51', 300), a('198.18.0.50', 5)] }), { decoys: true })
    expect(c).toMatchObject({ id: `dns-127-0-0-1-${server?.port}`, status: 'pass', advice: '' })
    expect(c.summary).toContain('gives the same answers over UDP and TCP (porch.test (A): NOERROR with 198.18.0.50 and 198.18.0.51)')
    expect(server?.queries.map((q) => q.transport).sort()).toEqual(['tcp', 'udp'])
  })

  it('a different answer over TCP is a mismatch warning naming both answers and the VPN proxy case', async () => {
    const c = await check((t) => ({ answers: [a(t === 'udp' ? '198.18.0.50' : '198.18.0.51')] }))
    expect(c.status).toBe('warn')
    expect(c.summary).toContain('answers differently over UDP and TCP: for porch.test (A) UDP gave NOERROR with 198.18.0.50 but TCP gave NOERROR with 198.18.0.51')
    expect(c.summary).toContain('VPN’s DNS proxy (reported on macOS 15.4)')
    expect(c.advice).toContain('disconnect it and run Diagnose again')
    expect(c.facts?.questions).toEqual([expect.objectContaining({ finding: 'mismatch', udp: expect.objectContaining({ answers: ['porch.test IN A 198.18.0.50'] }) as unknown })])
  })

  it('a different response code is a mismatch too', async () => {
    expect((await check((t) => (t === 'udp' ? { answers: [a('198.18.0.50')] } : { rcode: 'NXDOMAIN' }))).status).toBe('warn')
  })

  it('TCP refused while UDP works is a warning about DNS over TCP', async () => {
    const c = await check(() => ({ answers: [a('198.18.0.50')] }), { tcp: false })
    expect(c).toMatchObject({ status: 'warn', facts: { questions: [expect.objectContaining({ finding: 'tcp-failed', tcp: expect.objectContaining({ error: 'refused' }) as unknown })] } })
    expect(c.summary).toContain('answers over UDP, but over TCP it gave refused')
    expect(c.advice).toContain('Allow DNS over TCP (port 53)')
  })

  it('TCP accepted but silent times out within the bound', async () => {
    const c = await check((t) => (t === 'tcp' ? 'silent' : { answers: [a('198.18.0.50')] }))
    expect(c.summary).toContain('over TCP it gave no answer (timed out)')
    expect((c.facts?.questions as { tcp: { message: string } }[])[0]?.tcp.message).toBe('connected, but no TCP answer within 400 ms')
  })

  it('UDP failing while TCP works is the macOS 15.4 VPN pattern', async () => {
    const c = await check((t) => (t === 'udp' ? 'silent' : { answers: [a('198.18.0.50')] }))
    expect(c.status).toBe('warn')
    expect(c.summary).toContain('answers over TCP but not over UDP (no answer (timed out))')
  })

  it('no answer at all over either transport fails, and says when that is fine', async () => {
    const c = await check(() => ({}), { udp: false, tcp: false })
    expect(c.status).toBe('fail')
    expect(c.summary).toContain('did not answer porch.test (A) over UDP (refused) or over TCP (refused)')
    expect(c.advice).toContain('Porchlight finds devices with mDNS and does not need DNS')
  })

  it('a UDP answer too big for 512 bytes comes back truncated and TCP completes it: pass with a note', async () => {
    const many = Array.from({ length: 40 }, (_, i) => a(`198.18.1.${i + 1}`))
    const c = await check(() => ({ answers: many }))
    expect(c.status).toBe('pass')
    expect(c.summary).toContain('NOERROR with 198.18.1.1, 198.18.1.10, 198.18.1.11 and 37 more')
    expect(c.summary).toContain('was truncated (TC) and TCP carried the full answer')
  })

  it('never more than three questions (six queries) per server, each with a random ID', async () => {
    await check(() => ({ answers: [a('198.18.0.50')] }), {}, ['porch.test', 'b.test', 'c.test', 'd.test', 'e.test'])
    expect(server?.queries).toHaveLength(6)
    expect(new Set(server?.queries.map((q) => q.id)).size).toBeGreaterThan(1)
  })

  it('without names it asks only the server’s own reverse name, which a LAN server can answer', async () => {
    server = await startSplitDnsServer({ host: '127.0.0.1', answer: () => ({ rcode: 'NXDOMAIN' }) })
    const [, c] = await runDnsHealth({ platform: 'linux', run: noRun, resolvers: [`127.0.0.1:${server.port}`], timeoutMs: 400 })
    expect(server.queries.map((q) => `${q.transport} ${q.name} ${q.type}`).sort()).toEqual(['tcp 1.0.0.127.in-addr.arpa PTR', 'udp 1.0.0.127.in-addr.arpa PTR'])
    expect(c).toMatchObject({ status: 'pass', summary: expect.stringContaining('1.0.0.127.in-addr.arpa (PTR): NXDOMAIN') as unknown })
  })
})

describe('the report', () => {
  it('no servers configured is a warning; an override that is not an address is noted; other platforms skip', async () => {
    const [none] = await runDnsHealth({ platform: 'linux', run: noRun, readFile: () => Promise.resolve('# empty\n') })
    expect(none).toMatchObject({ id: 'dns-servers', status: 'warn', summary: expect.stringContaining('No DNS server is configured') as unknown })
    const [bad] = await runDnsHealth({ platform: 'linux', run: noRun, resolvers: ['dns.example'] })
    expect(bad?.facts?.notes).toEqual(['"dns.example" is not an IP address and was left out'])
    expect((await runDnsHealth({ platform: 'aix', run: noRun }))[0]).toMatchObject({ status: 'skip' })
  })

  it('answer text from the network reaches the summary without control characters', async () => {
    const [, c] = await runDnsHealth({
      platform: 'linux', run: noRun, resolvers: ['198.18.0.1'], names: ['198.18.0.9'],
      query: () => Promise.resolve({ ok: true, value: { rcode: 'NOERROR', truncated: false, answers: ['9.0.18.198.in-addr.arpa IN PTR evil\nline\u001b[31m'], ms: 1 } }),
    })
    expect(c?.summary).toContain('NOERROR with evil?line?[31m')
  })

  it('TCP frames are taken whole, whatever the segment boundaries', () => {
    const stream = Buffer.from([0, 2, 0xaa, 0xbb, 0, 3, 1, 2])
    expect(takeFrames(stream)).toEqual({ messages: [Buffer.from([0xaa, 0xbb])], rest: Buffer.from([0, 3, 1, 2]) })
    expect(takeFrames(Buffer.from([0]))).toEqual({ messages: [], rest: Buffer.from([0]) })
  })

  it('the injected transport sees every server in effect, up to six', async () => {
    const asked = new Set<string>()
    const resolvers = Array.from({ length: 8 }, (_, i) => `198.18.0.${i + 1}`)
    const checks = await runDnsHealth({
      platform: 'linux', run: noRun, resolvers, names: ['porch.test'],
      query: (s, _q, transport) => {
        asked.add(s.address)
        return Promise.resolve(transport === 'udp' ? { ok: true, value: { rcode: 'NOERROR', truncated: false, answers: [], ms: 1 } } : { ok: false, error: { code: 'timeout', message: 'x' } })
      },
    })
    expect(asked.size).toBe(6)
    expect(checks).toHaveLength(7)
    expect(checks[0]?.summary).toContain('The first 6 were tested.')
  })
})
