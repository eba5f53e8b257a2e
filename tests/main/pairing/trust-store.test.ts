import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeyFileSealer } from '../../../main/pairing/sealer'
import { createTrustStore, MAX_TRUSTED, type TrustEntry } from '../../../main/pairing/trust-store'
import type { TrustPort } from '../../../main/provisioning/setup-service'

const POP = 'pop-CANARY-7f3a9e'
const SSID = 'HomeNet-CANARY-51c2'
const USER = 'wifiprov-CANARY-user'
const posix = process.platform !== 'win32'

const lamp: TrustEntry = { deviceId: 'lamp-01', name: 'Desk lamp', protocol: 'esp-unified', security: 2, username: USER, pop: POP, network: SSID, address: '192.168.1.40', pairedAt: 1_700_000_000_000 }
const plug: TrustEntry = { deviceId: 'plug-02', name: 'Plug', protocol: 'esp-unified', security: 1, pop: 'plugpop1', pairedAt: 1_700_000_100_000, lastSeenAt: 1_700_000_200_000 }

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'plx-trust-'))
  const file = join(dir, 'trust.sealed')
  const logs: string[] = []
  const open = (sealer = createKeyFileSealer({ dir })) => createTrustStore({ file, sealer, wallNow: () => Date.UTC(2025, 0, 31, 9, 5), log: (m) => logs.push(m) })
  const names = () => readdirSync(dir).sort()
  return { dir, file, logs, open, names }
}

/** The canary as it would appear in clear, hex, or base64 at any of the three byte alignments. */
function forms(canary: string): string[] {
  const b64 = [0, 1, 2].map((pad) => Buffer.from('x'.repeat(pad) + canary).toString('base64').slice(pad === 0 ? 0 : 4, -4))
  return [canary, Buffer.from(canary).toString('hex'), ...b64, Buffer.from(canary, 'utf16le').toString('latin1')]
}

function assertNoSecrets(bytes: Buffer): void {
  const text = bytes.toString('latin1')
  for (const canary of [POP, SSID, USER]) for (const form of forms(canary)) expect(text.toLowerCase()).not.toContain(form.toLowerCase())
}

describe('trust store', () => {
  it('round-trips entries across instances, upserting by deviceId; get carries the secret', async () => {
    const { open } = setup()
    const store = open()
    expect(await store.list()).toEqual([])
    expect(await store.put(lamp)).toMatchObject({ ok: true, value: { deviceId: 'lamp-01' } })
    expect(await store.put(plug)).toMatchObject({ ok: true })
    expect(await store.put({ ...lamp, name: 'Desk lamp 2', lastSeenAt: 1_700_000_300_000 })).toMatchObject({ ok: true })
    const again = open()
    expect((await again.list()).map((v) => [v.deviceId, v.name])).toEqual([['lamp-01', 'Desk lamp 2'], ['plug-02', 'Plug']])
    expect(await again.get('lamp-01')).toEqual({ ...lamp, name: 'Desk lamp 2', lastSeenAt: 1_700_000_300_000 })
    expect(await again.remove('plug-02')).toBe(true)
    expect(await again.remove('plug-02')).toBe(false)
    expect((await open().list()).map((v) => v.deviceId)).toEqual(['lamp-01'])
    expect(await open().describe()).toMatchObject({ state: 'ready', count: 1, notices: [], sealer: { kind: 'key-file' } })
  })

  it('list() carries no credentials', async () => {
    const { open } = setup()
    const store = open()
    await store.put(lamp)
    await store.put(plug)
    const allowed = ['deviceId', 'name', 'protocol', 'security', 'network', 'address', 'pairedAt', 'lastSeenAt']
    for (const view of await store.list()) expect(Object.keys(view).filter((k) => !allowed.includes(k))).toEqual([])
    expect(JSON.stringify(await store.list())).not.toContain(POP)
    expect(JSON.stringify(await store.list())).not.toContain(USER)
  })

  it('no file on disk holds the setup code, username or network name in clear, hex or base64', async () => {
    const { dir, open } = setup()
    const store = open()
    await store.put(lamp)
    await store.put({ ...lamp, lastSeenAt: 1 })
    for (const name of readdirSync(dir)) assertNoSecrets(readFileSync(join(dir, name)))
    expect(readdirSync(dir).sort()).toEqual(['trust.key', 'trust.sealed', 'trust.sealed.bak'])
    // The check itself can fail: the same bytes unsealed do contain them.
    expect(() => assertNoSecrets(Buffer.from(JSON.stringify(lamp)))).toThrow()
  })

  it.skipIf(!posix)('the key, the store and its backup are 0600', async () => {
    const { dir, file, open } = setup()
    const store = open()
    await store.put(lamp)
    await store.put(plug)
    for (const path of [join(dir, 'trust.key'), file, `${file}.bak`]) expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('concurrent puts are all persisted, in order', async () => {
    const { open } = setup()
    const store = open()
    const ids = Array.from({ length: 25 }, (_, i) => `dev-${i}`)
    const results = await Promise.all(ids.map((deviceId, i) => store.put({ ...plug, deviceId, pairedAt: i })))
    expect(results.every((r) => r.ok)).toBe(true)
    expect((await open().list()).map((v) => v.deviceId)).toEqual(ids)
  })

  it('with the wrong key: undecryptable, the file untouched, writes refused', async () => {
    const { dir, file, open, names } = setup()
    await open().put(lamp)
    await open().put(plug)
    const before = readFileSync(file)
    writeFileSync(join(dir, 'trust.key'), randomBytes(32), { mode: 0o600 })
    const store = open()
    expect(await store.list()).toEqual([])
    expect(await store.describe()).toMatchObject({ state: 'locked', error: { code: 'undecryptable' } })
    expect(await store.put(plug)).toMatchObject({ ok: false, error: { code: 'undecryptable' } })
    expect(await store.remove('lamp-01')).toBe(false)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(names()).toEqual(['trust.key', 'trust.sealed', 'trust.sealed.bak'])
  })

  it('with the key gone: key-missing and nothing touched until the user starts fresh', async () => {
    const { dir, file, open, names } = setup()
    await open().put(lamp)
    await open().put(plug)
    unlinkSync(join(dir, 'trust.key'))
    const store = open()
    expect(await store.put(plug)).toMatchObject({ ok: false, error: { code: 'key-missing' } })
    expect(names()).toEqual(['trust.sealed', 'trust.sealed.bak'])
    const fresh = await store.startFresh()
    expect(fresh).toEqual({ ok: true, value: [`${file}.unreadable-2025-01-31T09-05-00-000Z`, `${file}.bak.unreadable-2025-01-31T09-05-00-000Z`] })
    expect(await store.put(plug)).toMatchObject({ ok: true })
    expect((await open().list()).map((v) => v.deviceId)).toEqual(['plug-02'])
    expect(await store.startFresh()).toMatchObject({ ok: false, error: { code: 'not-locked' } })
  })

  it('a truncated or garbage main file is set aside and the backup loaded, with a notice', async () => {
    for (const damage of [(f: string) => truncateSync(f, 30), (f: string) => writeFileSync(f, randomBytes(200))]) {
      const { file, open, names, logs } = setup()
      await open().put(lamp)
      await open().put(plug)
      damage(file)
      const store = open()
      expect((await store.list()).map((v) => v.deviceId)).toEqual(['lamp-01'])
      expect(await store.describe()).toMatchObject({ state: 'ready', recovered: 'backup', notices: [expect.stringMatching(/damaged.*restored from the backup/) as string] })
      expect(names()).toContain('trust.sealed.corrupt-2025-01-31T09-05-00-000Z')
      expect(logs).toHaveLength(1)
      // The good copy is back in place: the next launch loads it without recovering again.
      expect(await open().describe()).toMatchObject({ state: 'ready', count: 1, notices: [] })
    }
  })

  it('both files bad: starts empty with a notice, both bad copies kept, and later writes work', async () => {
    const { file, open, names } = setup()
    await open().put(lamp)
    await open().put(plug)
    const [badMain, badBak] = [randomBytes(100), Buffer.from('garbage')]
    writeFileSync(file, badMain)
    writeFileSync(`${file}.bak`, badBak)
    const store = open()
    expect(await store.list()).toEqual([])
    expect(await store.describe()).toMatchObject({ state: 'ready', recovered: 'empty', notices: [expect.stringMatching(/backup was damaged too/) as string] })
    expect(readFileSync(`${file}.corrupt-2025-01-31T09-05-00-000Z`).equals(badMain)).toBe(true)
    expect(readFileSync(`${file}.bak.corrupt-2025-01-31T09-05-00-000Z`).equals(badBak)).toBe(true)
    await store.put(plug)
    await store.put(lamp)
    expect(names()).toEqual(['trust.key', 'trust.sealed', 'trust.sealed.bak', 'trust.sealed.bak.corrupt-2025-01-31T09-05-00-000Z', 'trust.sealed.corrupt-2025-01-31T09-05-00-000Z'])
    expect((await open().list()).map((v) => v.deviceId)).toEqual(['plug-02', 'lamp-01'])
  })

  it('a main file missing beside a good backup is restored from it', async () => {
    const { file, open } = setup()
    await open().put(lamp)
    await open().put(plug)
    unlinkSync(file)
    expect((await open().list()).map((v) => v.deviceId)).toEqual(['lamp-01'])
    expect(existsSync(file)).toBe(true)
  })

  it('refuses invalid entries and more than the bound, as error values', async () => {
    const { open } = setup()
    const store = open()
    const bad = await store.put({ ...lamp, deviceId: '', pop: 'x'.repeat(65) })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-entry', message: expect.stringMatching(/deviceId, pop/) as string } })
    expect(JSON.stringify(bad)).not.toContain('x'.repeat(65))
    // A full store written directly (a thousand sealed writes would only make the test slow).
    const { dir, file } = setup()
    const sealer = createKeyFileSealer({ dir })
    const entries = Array.from({ length: MAX_TRUSTED }, (_, i) => ({ ...plug, deviceId: `d${i}` }))
    const sealed = await sealer.seal(Buffer.from(JSON.stringify({ version: 1, entries })))
    if (!sealed.ok) throw new Error(sealed.error.message)
    writeFileSync(file, sealed.value)
    const full = createTrustStore({ file, sealer })
    expect(await full.describe()).toMatchObject({ state: 'ready', count: MAX_TRUSTED })
    expect(await full.put({ ...plug, deviceId: 'one-more' })).toMatchObject({ ok: false, error: { code: 'store-full' } })
    expect(await full.put({ ...plug, deviceId: 'd7', name: 'updated' })).toMatchObject({ ok: true })
    expect(await createTrustStore({ file, sealer }).describe()).toMatchObject({ count: MAX_TRUSTED })
    // One more than the bound on disk is not ours: set aside like any damaged file.
    const over = await sealer.seal(Buffer.from(JSON.stringify({ version: 1, entries: [...entries, { ...plug, deviceId: 'extra' }] })))
    if (!over.ok) throw new Error(over.error.message)
    writeFileSync(file, over.value)
    expect(await createTrustStore({ file, sealer }).describe()).toMatchObject({ state: 'ready', count: MAX_TRUSTED, recovered: 'backup' })
  })

  it('serves the Set up service as its TrustPort', async () => {
    const { open } = setup()
    const port: TrustPort = open()
    await port.put({ deviceId: 'x', name: 'X', protocol: 'esp-unified', security: 0, pairedAt: 5 })
    expect(await port.list()).toEqual([{ deviceId: 'x', name: 'X', protocol: 'esp-unified', security: 0, pairedAt: 5 }])
  })
})
