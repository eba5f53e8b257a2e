import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSessionManager } from '../../../main/session/manager'
import { fileWatchList } from '../../../main/session/watch-list'
import { createFakeClock } from '../../helpers/fake-clock'
import type { WatchRequest } from '../../../shared/session/view'

const dir = () => mkdtempSync(join(tmpdir(), 'plx-watch-'))
const lamp: WatchRequest = { target: { kind: 'device', deviceId: 'id-abc' }, intervalMs: 1000 }
const plug: WatchRequest = { target: { kind: 'address', host: '198.18.0.9', port: 7300 }, protocol: { kind: 'lab-control' } }

describe('watch list on disk', () => {
  it('round-trips, writes 0600 and leaves no temp file behind', async () => {
    const file = join(dir(), 'sub', 'watched.json')
    const store = fileWatchList(file)
    expect(await store.load()).toEqual([])
    await store.save([lamp, plug])
    expect(await fileWatchList(file).load()).toEqual([lamp, plug])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('"version": 1')
  })

  it('a damaged file is set aside as .corrupt, reported once, and the list starts empty', async () => {
    const file = join(dir(), 'watched.json')
    writeFileSync(file, '{"version":1,"watched":[{"target":{"kind":"device"}}]}')
    const logs: string[] = []
    expect(await fileWatchList(file, (m) => logs.push(m)).load()).toEqual([])
    expect(existsSync(`${file}.corrupt`)).toBe(true)
    expect(logs).toEqual([expect.stringMatching(/damaged/)])
    writeFileSync(file, 'not json at all')
    expect(await fileWatchList(file, (m) => logs.push(m)).load()).toEqual([])
  })

  it('the manager saves on watch and unwatch and restores at launch', async () => {
    const file = join(dir(), 'watched.json')
    const base = {
      clock: createFakeClock(),
      discovery: { device: async () => undefined, devices: async () => [], reconfirm: () => undefined },
      readInterfaces: async () => [],
      emit: () => undefined,
      dial: async () => ({ ok: false as const, error: { code: 'aborted' as const, message: 'test', attempts: [], skipped: [], elapsedMs: 0 } }),
    }
    const first = createSessionManager({ ...base, store: fileWatchList(file) })
    const a = await first.watch(lamp)
    await first.watch(plug)
    first.unwatch(a.id)
    first.dispose()
    await new Promise((r) => setTimeout(r, 50))
    const second = createSessionManager({ ...base, store: fileWatchList(file) })
    await second.restore()
    expect(second.list().map((s) => s.id)).toEqual(['address:198.18.0.9:7300'])
    second.dispose()
  })
})
