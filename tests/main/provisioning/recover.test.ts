import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileJournal, memoryJournal, type JournalEntry } from '../../../main/provisioning/journal'
import { recoverInterrupted } from '../../../main/provisioning/recover'
import { AP, FakeWifi, HOME } from './flow-fakes'

const entry = (patch: Partial<JournalEntry> = {}): JournalEntry => ({
  version: 1, id: 'f1', pid: 4242, category: 'bound', accessoryName: AP, accessorySsid: AP, originalSsid: HOME,
  temporaryProfile: true, onAccessoryNetwork: true, step: 'choose-network', startedAt: 1, updatedAt: 2, ...patch,
})

describe('recovery after a crash or quit mid-flow', () => {
  it('puts the computer back on the original network, removes the AP profile, clears the journal and explains', async () => {
    const journal = memoryJournal()
    await journal.write(entry({ step: 'device-connecting', chosenSsid: HOME }))
    const wifi = new FakeWifi()
    wifi.current_ = AP
    const view = await recoverInterrupted({ journal, wifi })
    expect(wifi.calls).toEqual([`rejoin ${HOME}`, `forget ${AP}`])
    expect(wifi.current_).toBe(HOME)
    expect(journal.current).toBeUndefined()
    expect(view).toMatchObject({ step: 'failed', outcome: 'failed', error: { code: 'interrupted', action: 'retry' } })
    expect(view?.error?.message).toMatch(/closed while setting up .*back on “Home-Net”.*may already have joined/)
  })

  it('does not rejoin when the computer is already on the original network, but still removes our profile', async () => {
    const journal = memoryJournal()
    await journal.write(entry({ step: 'join-accessory', onAccessoryNetwork: false }))
    const wifi = new FakeWifi()
    await recoverInterrupted({ journal, wifi })
    expect(wifi.calls).toEqual([`forget ${AP}`])
  })

  it('a journal of a finished flow is cleared without touching the network', async () => {
    const journal = memoryJournal()
    await journal.write(entry({ step: 'done' }))
    const wifi = new FakeWifi()
    expect(await recoverInterrupted({ journal, wifi })).toBeUndefined()
    expect(wifi.calls).toEqual([])
    expect(journal.current).toBeUndefined()
  })

  it('nothing to do without a journal', async () => {
    expect(await recoverInterrupted({ journal: memoryJournal(), wifi: new FakeWifi() })).toBeUndefined()
  })
})

describe('journal file', () => {
  it('is written 0600 and read back; a damaged file is set aside, never trusted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plj-'))
    const file = join(dir, 'onboarding.json')
    const journal = fileJournal(file)
    await journal.write(entry())
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await journal.read()).toEqual(entry())
    await writeFile(file, '{"version":1,"id":')
    const logs: string[] = []
    expect(await fileJournal(file, (m) => logs.push(m)).read()).toBeUndefined()
    expect(await readFile(`${file}.corrupt`, 'utf8')).toContain('"id"')
    expect(logs.join()).toMatch(/damaged/)
    await journal.write(entry())
    await journal.clear()
    expect(await journal.read()).toBeUndefined()
  })
})
