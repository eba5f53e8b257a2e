/**
 * `net:interfacesChanged` against a real kernel: the CLI's `interfaces --watch` runs inside a network
 * namespace this test owns, and the test adds and removes a link there (never touching the host's links).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNamespace, deleteNamespace, ip, namespaceExists, netnsUnavailableReason, ownedName } from '../../helpers/netns'

const skipReason = netnsUnavailableReason()
const root = join(import.meta.dirname, '..', '..', '..')

describe.skipIf(skipReason !== undefined)(`interfaces --watch in a namespace${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const ns = ownedName('plxw')
  let child: ChildProcessWithoutNullStreams | undefined
  const lines: Record<string, unknown>[] = []

  const waitFor = async (predicate: (line: Record<string, unknown>) => boolean, ms = 8000) => {
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      const hit = lines.find(predicate)
      if (hit) return hit
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`no matching line within ${ms} ms; got ${lines.length} lines`)
  }

  beforeAll(async () => {
    createNamespace(ns)
    child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(root, 'bin', 'porchlight.js'), 'interfaces', '--watch'])
    let buffer = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() ?? ''
      for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>)
    })
    await waitFor((l) => l.event === 'net:interfaces')
  })

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    deleteNamespace(ns)
    expect(namespaceExists(ns)).toBe(false)
  })

  it('starts with the namespace’s only interface, loopback', () => {
    const first = lines[0] as { interfaces: { name: string }[] }
    expect(first.interfaces.map((i) => i.name)).toEqual(['lo'])
  })

  it('reports a link and its address when they appear, then when the link goes', async () => {
    const link = ownedName('plxa')
    ip('-n', ns, 'link', 'add', link, 'type', 'veth', 'peer', 'name', ownedName('plxb'))
    ip('-n', ns, 'addr', 'add', '198.18.77.1/24', 'dev', link)
    ip('-n', ns, 'link', 'set', link, 'up')
    const hasAddress = (l: Record<string, unknown>) =>
      l.event === 'net:interfacesChanged' &&
      (l.interfaces as { name: string; addresses: { address: string }[] }[]).some(
        (i) => i.name === link && i.addresses.some((a) => a.address === '198.18.77.1'),
      )
    const added = await waitFor(hasAddress)
    expect([...(added.added as string[]), ...(added.changed as string[])]).toContain(link)
    ip('-n', ns, 'link', 'del', link)
    const removed = await waitFor((l) => l.event === 'net:interfacesChanged' && (l.removed as string[]).includes(link))
    expect((removed.interfaces as { name: string }[]).map((i) => i.name)).not.toContain(link)
  })

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)))
    child?.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
