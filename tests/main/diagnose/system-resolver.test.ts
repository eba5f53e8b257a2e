/**
 * The OS's DNS-SD view against Porchlight's: avahi-browse output recorded in the lab (hostile names
 * included), dns-sd output rebuilt from dns-sd.c's formats, the comparison, the reasons a tool is
 * unavailable, and the bounded runner stopping a process that never exits.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { crossCheckSystemResolver, spawnBounded, type BoundedOutput, type SpawnBounded } from '../../../main/diagnose/system-resolver'
import { parseAvahiBrowse, parseDnsSdBrowse, unescapeAvahiLabel } from '../../../main/diagnose/system-resolver-parse'
import { compareInstances } from '../../../main/diagnose/system-resolver-verdict'
import type { RunCommand } from '../../../main/util/exec'
import { DiagnoseCheck } from '../../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../../shared/discovery/view'

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'resolver', name), 'utf8')
const TYPE = '_esp_local_ctrl._tcp'
const RECORDED = ['Back\\slash', 'Dot.ted name', 'Line\nbreak', 'Porch Lamp', 'Quote"d <b>x</b>', 'Semi;colon', 'Tab\there', 'Ünïcødé 💡']
const noRun: RunCommand = () => Promise.reject(new Error('no command should run'))

function device(instances: string[], status: 'up' | 'down' = 'up', type = TYPE): DiscoveredDevice {
  return {
    id: `dev-${instances.join('-')}`, name: instances[0] ?? 'x', groupedBy: 'host', types: [type], interfaces: ['wlan0'], addresses: [], status,
    firstSeenAt: 0, lastChangeAt: 0, history: [],
    services: instances.map((instance) => ({
      instance, type, domain: 'local', subtypes: [], host: 'h.local', port: 80, txt: [], txtRaw: [], addresses: [], interfaces: ['wlan0'], resolved: true,
    })),
  }
}

/** A SpawnBounded that replays `outputs[file]` (or rejects with ENOENT) and records the calls. */
function replay(outputs: Record<string, Partial<BoundedOutput>>, calls: unknown[][] = []): SpawnBounded {
  return (file, args, options) => {
    calls.push([file, ...args, options.timeoutMs])
    const out = outputs[file]
    if (!out) return Promise.reject(Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' }))
    return Promise.resolve({ stdout: '', stderr: '', exitCode: 0, timedOut: false, ...out })
  }
}

async function linux(ours: DiscoveredDevice[], stdout = fixture('avahi-browse-kprt-esp.txt')) {
  const checks = await crossCheckSystemResolver({ platform: 'linux', run: noRun, spawn: replay({ 'avahi-browse': { stdout } }), ours, types: [TYPE], timeoutMs: 3000 })
  for (const c of checks) DiagnoseCheck.parse(c)
  return checks
}

describe('reading the OS tools', () => {
  it('avahi-browse (recorded): escaped names decoded exactly, one per name across interfaces and protocols', () => {
    const found = parseAvahiBrowse(fixture('avahi-browse-kprt-esp.txt'))
    expect([...new Set(found.map((f) => f.name))].sort()).toEqual(RECORDED)
    expect(found.find((f) => f.name === 'Semi;colon' && f.protocol === 'IPv4')).toMatchObject({ type: TYPE, interface: 'wlan0', address: '198.18.0.3', port: 8080 })
    expect(unescapeAvahiLabel('\\195\\156n\\032\\.\\\\')).toBe('Ün .\\')
    expect(parseAvahiBrowse(fixture('avahi-browse-kprt-empty.txt'))).toEqual([])
  })

  it('avahi-browse (recorded): a `-` line removes the instance it names', () => {
    const names = new Set(parseAvahiBrowse(fixture('avahi-browse-kpr-removal.txt')).map((f) => f.name))
    expect(names.has('Porch Lamp')).toBe(false)
    expect(names.size).toBe(RECORDED.length - 1)
  })

  it('dns-sd -B: names after the padded columns (a leading space kept), Rmv removes, error lines apart from names', () => {
    const esp = parseDnsSdBrowse(fixture('dns-sd-browse-esp.txt'))
    expect(esp.instances.map((i) => `${i.interface}|${i.name}`).sort()).toEqual(['14| Leading space', '14|Porch Lamp', '14|Semi;colon', '14|Ünïcødé 💡', '4|Porch Lamp'])
    expect(esp.errors).toEqual([])
    const hap = parseDnsSdBrowse(fixture('dns-sd-browse-hap.txt'))
    expect(hap.instances.map((i) => [i.type, i.name])).toEqual([['_hap._tcp', 'Porch Lamp'], ['_hap._tcp', 'Error code -65537 in a name']])
    expect(hap.errors).toEqual(['Error code -65570'])
  })

  it('compares names with ASCII case folded only', () => {
    expect(compareInstances('_x._tcp.', ['Porch Lamp', 'ÄB'], ['porch lamp', 'äb'])).toEqual({ type: '_x._tcp', os: ['Porch Lamp', 'ÄB'], ours: ['porch lamp', 'äb'], osOnly: ['ÄB'], oursOnly: ['äb'] })
  })
})

describe('the cross-check', () => {
  it('the OS sees services Porchlight does not: a warning naming them (as safe text) and pointing at the firewall', async () => {
    const [c] = await linux([device(['Porch Lamp'])])
    expect(c).toMatchObject({ id: 'resolver-esp-local-ctrl-tcp', group: 'resolver', status: 'warn', facts: { tool: 'avahi-browse', osOnly: RECORDED.filter((n) => n !== 'Porch Lamp') } })
    expect(c?.summary).toContain(`The OS (avahi-browse) sees 7 ${TYPE} services that Porchlight does not: "Back\\slash", "Dot.ted name", "Line?break", "Quote"d <b>x</b>", "Semi;colon" and 2 more. Both see 1 other service.`)
    expect(c?.advice).toContain('sudo firewall-cmd --add-service=mdns')
  })

  it('both agree: pass; Porchlight seeing more is a pass with a note; a device that is down does not count', async () => {
    expect((await linux([device(RECORDED)]))[0]).toMatchObject({ status: 'pass', advice: '', summary: expect.stringContaining(`see the same 8 ${TYPE} services`) as unknown })
    const more = (await linux([device([...RECORDED, 'Only Ours'])]))[0]
    expect(more).toMatchObject({ status: 'pass', facts: { porchlightOnly: ['Only Ours'] } })
    expect(more?.summary).toContain('Porchlight sees 1 _esp_local_ctrl._tcp service the OS (avahi-browse) does not list: "Only Ours". That is fine')
    expect((await linux([device(RECORDED, 'down')]))[0]?.status).toBe('warn')
    expect((await linux([], ''))[0]).toMatchObject({ status: 'pass', summary: `Neither the OS (avahi-browse) nor Porchlight sees any ${TYPE} service.` })
  })

  it('avahi missing or its daemon not running: one skip with the reason from avahi-browse itself', async () => {
    const missing = await crossCheckSystemResolver({ platform: 'linux', run: noRun, spawn: replay({}), ours: [], types: [TYPE], timeoutMs: 3000 })
    expect(missing).toEqual([expect.objectContaining({ id: 'resolver-system', status: 'skip', summary: expect.stringContaining('avahi-browse is not installed') as unknown })])
    const stopped = await crossCheckSystemResolver({
      platform: 'linux', run: noRun, spawn: replay({ 'avahi-browse': { stderr: fixture('avahi-browse-daemon-not-running.stderr.txt'), exitCode: 1 } }), ours: [], types: [TYPE, '_hap._tcp'], timeoutMs: 3000,
    })
    expect(stopped).toHaveLength(1)
    expect(stopped[0]?.summary).toContain('avahi-daemon is not running (avahi-browse: Failed to create client object: Daemon not running)')
    expect(stopped[0]?.advice).toContain('sudo systemctl start avahi-daemon')
  })

  it('macOS: dns-sd runs for the bounded time per type (stopped by its runner); a miss points at Local Network permission', async () => {
    const calls: unknown[][] = []
    const checks = await crossCheckSystemResolver({
      platform: 'darwin', run: noRun, spawn: replay({ '/usr/bin/dns-sd': { stdout: fixture('dns-sd-browse-esp.txt'), exitCode: null, timedOut: true } }, calls),
      ours: [device(['Porch Lamp'])], types: ['_ESP_local_ctrl._tcp.local.', 'not a type'], timeoutMs: 2500,
    })
    expect(calls).toEqual([['/usr/bin/dns-sd', '-B', TYPE, 'local.', 2500]])
    expect(checks).toHaveLength(1)
    expect(checks[0]).toMatchObject({ status: 'warn', facts: { tool: 'dns-sd', osOnly: [' Leading space', 'Semi;colon', 'Ünïcødé 💡'] } })
    expect(checks[0]?.steps?.[0]).toContain('Privacy & Security › Local Network')
  })

  it('Windows: no dns-sd.exe means no Bonjour; a stopped Bonjour Service is named', async () => {
    const sc = (text: string): RunCommand => (file, args) => Promise.resolve(file === 'sc.exe' && args[1] === 'Bonjour Service' ? { stdout: text, stderr: '', exitCode: 1060 } : { stdout: '', stderr: '', exitCode: 1 })
    const missing = await crossCheckSystemResolver({ platform: 'win32', systemRoot: 'C:\\Windows', run: sc(fixture('sc-query-bonjour-missing.txt')), spawn: replay({}), ours: [], types: [TYPE], timeoutMs: 1000 })
    expect(missing[0]).toMatchObject({ status: 'skip', summary: expect.stringContaining('dns-sd.exe is not there, so Bonjour is not installed') as unknown })
    const dnsSd = 'C:\\Windows\\System32\\dns-sd.exe'
    const stopped = await crossCheckSystemResolver({
      platform: 'win32', systemRoot: 'C:\\Windows', run: sc(fixture('sc-query-bonjour-stopped.txt')), ours: [], types: [TYPE], timeoutMs: 1000,
      spawn: replay({ [dnsSd]: { stdout: fixture('dns-sd-windows-not-running.stdout.txt'), stderr: fixture('dns-sd-windows-not-running.stderr.txt'), exitCode: 4294967295 } }),
    })
    expect(stopped[0]?.summary).toContain('dns-sd failed: the Bonjour service (mDNSResponder) is not running (DNSService call failed -65563 (Service Not Running)); the Bonjour Service is stopped')
  })

  it('nothing to compare without types; other platforms skip', async () => {
    expect((await crossCheckSystemResolver({ platform: 'linux', run: noRun, spawn: replay({}), ours: [], types: [], timeoutMs: 1 }))[0]?.status).toBe('skip')
    expect((await crossCheckSystemResolver({ platform: 'freebsd', run: noRun, spawn: replay({}), ours: [], types: [TYPE], timeoutMs: 1 }))[0]?.summary).toContain('no supported DNS-SD browser on freebsd')
  })
})

describe('the bounded runner', () => {
  it('stops a process that never exits at the deadline, by its PID, and keeps what it printed', async () => {
    // 3 s: a loaded CI machine can take over 500 ms just to start Node, and the line must be printed first.
    const out = await spawnBounded(process.execPath, ['-e', 'console.log("Add one"); console.error(process.pid); setInterval(() => {}, 1000)'], { timeoutMs: 3000 })
    expect(out).toMatchObject({ stdout: 'Add one\n', exitCode: null, timedOut: true })
    expect(() => process.kill(Number(out.stderr.trim()), 0)).toThrow()
  })

  it('a process that ends by itself reports its exit code; a missing program rejects with ENOENT', async () => {
    expect(await spawnBounded(process.execPath, ['-e', 'process.exit(3)'], { timeoutMs: 5000 })).toMatchObject({ exitCode: 3, timedOut: false })
    await expect(spawnBounded('/nonexistent/porchlight-tool', [], { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
