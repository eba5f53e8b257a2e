import { readFileSync } from 'node:fs'
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createInterfaceReader, SLOW_TOOL_TTL_MS } from '../../../main/net/interfaces'
import type { CommandOutput, RunCommand } from '../../../main/util/exec'
import { NetInterface } from '../../../shared/net/interfaces'

const fixture = (...path: string[]) => readFileSync(join(import.meta.dirname, 'fixtures', ...path), 'utf8')
const v4 = (address: string, netmask: string, mac = '00:00:00:00:00:00', internal = false): NetworkInterfaceInfo =>
  ({ address, netmask, family: 'IPv4', mac, internal, cidr: null })

const nodeTable = () => ({
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  en0: [
    { address: '198.18.4.2', netmask: '255.255.254.0', family: 'IPv4' as const, mac: 'f0:18:98:00:00:01', internal: false, cidr: '198.18.4.2/23' },
    { address: 'fe80::1c2a:1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' as const, mac: 'f0:18:98:00:00:01', internal: false, cidr: 'fe80::1c2a:1/64', scopeid: 5 },
  ],
})

type Call = { file: string; args: readonly string[]; timeoutMs: number | undefined }

/** A command runner that answers from a table and records what was run. */
function fakeRun(answers: Record<string, CommandOutput | Error>): { run: RunCommand; calls: Call[] } {
  const calls: Call[] = []
  const run: RunCommand = async (file, args, options) => {
    calls.push({ file, args, timeoutMs: options?.timeoutMs })
    const answer = answers[file]
    if (answer === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' })
    if (answer instanceof Error) throw answer
    return answer
  }
  return { run, calls }
}
const ok = (stdout: string): CommandOutput => ({ stdout, stderr: '', exitCode: 0 })
const kinds = (list: NetInterface[]) => Object.fromEntries(list.map((i) => [i.name, i.kind]))

describe('createInterfaceReader', () => {
  it('elsewhere uses Node’s table, marks loopback, and does not guess other kinds from names', async () => {
    const list = await createInterfaceReader({ platform: 'freebsd', nodeTable })()
    expect(list.map((i) => [i.name, i.kind])).toEqual([['en0', 'unknown'], ['lo', 'loopback']])
    expect(list[0]?.addresses[0]).toMatchObject({ prefixLength: 23, scope: 'global' })
    expect(list[0]?.addresses[1]).toMatchObject({ scope: 'link', scopeId: 5 })
  })

  it('on Linux falls back to Node’s table when iproute2 is missing or fails', async () => {
    const missing = createInterfaceReader({ platform: 'linux', nodeTable, run: () => Promise.reject(new Error('spawn ip ENOENT')) })
    expect((await missing()).map((i) => i.name)).toEqual(['en0', 'lo'])
    const failing = createInterfaceReader({ platform: 'linux', nodeTable, run: async () => ({ stdout: '', stderr: 'x', exitCode: 1 }) })
    expect((await failing()).map((i) => i.name)).toEqual(['en0', 'lo'])
  })

  it('reads this machine for real: every interface Node sees is listed, with the same addresses', async () => {
    const list = await createInterfaceReader()()
    for (const i of list) expect(NetInterface.safeParse(i).success).toBe(true)
    const byName = new Map(list.map((i) => [i.name, i]))
    for (const [name, infos = []] of Object.entries(networkInterfaces())) {
      const listed = byName.get(name)
      expect(listed, `interface ${name}`).toBeDefined()
      expect(new Set(listed?.addresses.map((a) => a.address))).toEqual(new Set(infos.map((i) => i.address)))
    }
  })
})

describe('createInterfaceReader on macOS', () => {
  const answers = {
    '/sbin/ifconfig': ok(fixture('darwin', 'ifconfig-v-macbook.txt')),
    '/usr/sbin/networksetup': ok(fixture('darwin', 'networksetup-macbook.txt')),
  }

  it('runs ifconfig -a -v and networksetup by absolute path, with timeouts, and classifies from both', async () => {
    const { run, calls } = fakeRun(answers)
    const list = await createInterfaceReader({ platform: 'darwin', run, nodeTable: () => ({}) })()
    expect(calls).toEqual([
      { file: '/sbin/ifconfig', args: ['-a', '-v'], timeoutMs: 3000 },
      { file: '/usr/sbin/networksetup', args: ['-listallhardwareports'], timeoutMs: 5000 },
    ])
    expect(kinds(list)).toMatchObject({ en0: 'wifi', en7: 'ethernet', awdl0: 'peer-to-peer', bridge0: 'bridge', utun4: 'tunnel', vmenet0: 'virtual' })
    expect(list.map((i) => i.name).slice(0, 4)).toEqual(['anpi0', 'ap1', 'awdl0', 'bridge0'])
  })

  it('falls back to Node’s table with the reason when the tools are missing, and never rejects', async () => {
    const { run } = fakeRun({})
    const list = await createInterfaceReader({ platform: 'darwin', run, nodeTable })()
    expect(list.map((i) => [i.name, i.kind, i.kindReason])).toEqual([
      ['en0', 'unknown', 'link facts unavailable: /sbin/ifconfig is not installed'],
      ['lo', 'loopback', 'internal (loopback) addresses only'],
    ])
  })

  it('says when ifconfig timed out or failed', async () => {
    const killed = Object.assign(new Error('Command failed: /sbin/ifconfig -a -v'), { killed: true, signal: 'SIGTERM' })
    const slow = await createInterfaceReader({ platform: 'darwin', run: fakeRun({ '/sbin/ifconfig': killed }).run, nodeTable })()
    expect(slow[0]?.kindReason).toBe('link facts unavailable: /sbin/ifconfig took longer than 3000 ms')
    const failed = fakeRun({ '/sbin/ifconfig': { stdout: '', stderr: 'ifconfig: getifaddrs: Operation not permitted\n', exitCode: 1 } })
    const list = await createInterfaceReader({ platform: 'darwin', run: failed.run, nodeTable })()
    expect(list[0]?.kindReason).toBe('link facts unavailable: /sbin/ifconfig exited with 1: ifconfig: getifaddrs: Operation not permitted')
  })

  it('uses what ifconfig printed before it failed on one interface', async () => {
    const partial = fixture('darwin', 'ifconfig-v-truncated.txt')
    const { run } = fakeRun({
      '/sbin/ifconfig': { stdout: partial, stderr: 'ifconfig: sysctl IFDATA_SUPPLEMENTAL: Device not configured\n', exitCode: 1 },
      '/usr/sbin/networksetup': ok(fixture('darwin', 'networksetup-macbook.txt')),
    })
    const list = await createInterfaceReader({ platform: 'darwin', run, nodeTable: () => ({}) })()
    expect(kinds(list)).toMatchObject({ lo0: 'loopback', en1: 'ethernet', ap1: 'virtual', en0: 'wifi' })
  })

  it('reuses networksetup’s answer until the links change or it is 30 s old; ifconfig runs every time', async () => {
    let now = 0
    let ifconfig = fixture('darwin', 'ifconfig-v-macbook.txt')
    const calls: string[] = []
    const run: RunCommand = async (file) => {
      calls.push(file)
      return ok(file === '/sbin/ifconfig' ? ifconfig : fixture('darwin', 'networksetup-macbook.txt'))
    }
    const read = createInterfaceReader({ platform: 'darwin', run, nodeTable: () => ({}), now: () => now })
    await read()
    await read()
    expect(calls.filter((f) => f.endsWith('networksetup'))).toHaveLength(1)
    expect(calls.filter((f) => f.endsWith('ifconfig'))).toHaveLength(2)
    ifconfig += 'en9: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500 index 30\n\ttype: USB Ethernet\n'
    await read()
    expect(calls.filter((f) => f.endsWith('networksetup'))).toHaveLength(2)
    now += SLOW_TOOL_TTL_MS
    await read()
    expect(calls.filter((f) => f.endsWith('networksetup'))).toHaveLength(3)
  })
})

describe('createInterfaceReader on Windows', () => {
  const powershell = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'
  const winNode = () => ({
    'Wi-Fi': [v4('198.18.4.21', '255.255.255.0', '00:00:5e:00:53:21')],
    'Loopback Pseudo-Interface 1': [v4('127.0.0.1', '255.0.0.0', undefined, true)],
  })

  it('runs Windows PowerShell from %SystemRoot% without profile and classifies from Get-NetAdapter', async () => {
    const { run, calls } = fakeRun({ [powershell]: ok(fixture('windows', 'get-netadapter-laptop.json')) })
    const list = await createInterfaceReader({ platform: 'win32', run, nodeTable: winNode, systemRoot: 'C:\\Windows' })()
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ file: powershell, timeoutMs: 10_000 })
    expect(calls[0]?.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command'])
    expect(calls[0]?.args[3]).toContain('Get-NetAdapter -IncludeHidden')
    expect(kinds(list)).toEqual({
      Cellular: 'cellular', 'Bluetooth Network Connection': 'peer-to-peer', Ethernet: 'ethernet', 'Ethernet 3': 'ethernet',
      'Loopback Pseudo-Interface 1': 'loopback', 'Wi-Fi': 'wifi',
    })
    // Up but not (yet) in Node's table, e.g. still waiting for DHCP: listed, running, no addresses.
    expect(list.find((i) => i.name === 'Ethernet 3')).toMatchObject({ isRunning: true, addresses: [] })
  })

  it('falls back with the reason when PowerShell fails, and does not respawn it on every poll', async () => {
    let now = 0
    const { run, calls } = fakeRun({ [powershell]: { stdout: '', stderr: "Get-NetAdapter : The term 'Get-NetAdapter' is not recognized\r\nAt line:1", exitCode: 1 } })
    const read = createInterfaceReader({ platform: 'win32', run, nodeTable: winNode, systemRoot: 'C:\\Windows', now: () => now })
    const list = await read()
    expect(list.find((i) => i.name === 'Wi-Fi')?.kindReason)
      .toBe(`link facts unavailable: ${powershell} exited with 1: Get-NetAdapter : The term 'Get-NetAdapter' is not recognized`)
    await read()
    expect(calls).toHaveLength(1)
    now += SLOW_TOOL_TTL_MS
    await read()
    expect(calls).toHaveLength(2)
  })

  it('asks again as soon as Node’s table changes (an adapter came up or went away)', async () => {
    let table: Record<string, NetworkInterfaceInfo[]> = winNode()
    const { run, calls } = fakeRun({ [powershell]: ok(fixture('windows', 'get-netadapter-laptop.json')) })
    const read = createInterfaceReader({ platform: 'win32', run, nodeTable: () => table, systemRoot: 'C:\\Windows', now: () => 0 })
    await read()
    table = { ...table, 'Ethernet 3': [v4('198.18.4.23', '255.255.255.0', '00:00:5e:00:53:23')] }
    const list = await read()
    expect(calls).toHaveLength(2)
    expect(list.find((i) => i.name === 'Ethernet 3')?.kind).toBe('ethernet')
  })
})
