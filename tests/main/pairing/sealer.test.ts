import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeyFileSealer, envelopeOf, type SealerResult } from '../../../main/pairing/sealer'

const dir = () => mkdtempSync(join(tmpdir(), 'plx-sealer-'))
const plain = Buffer.from('{"version":1,"entries":[{"pop":"abcd1234"}]}')
const posix = process.platform !== 'win32'

function value(result: SealerResult): Uint8Array {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`)
  return result.value
}

describe('key-file sealer', () => {
  it('round-trips through a PLTS1 envelope with a fresh nonce per seal', async () => {
    const sealer = createKeyFileSealer({ dir: dir() })
    const a = value(await sealer.seal(plain))
    const b = value(await sealer.seal(plain))
    expect(envelopeOf(a)).toEqual({ family: 'key-file', version: 1 })
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false)
    expect(Buffer.from(value(await sealer.open(a))).equals(plain)).toBe(true)
    expect(Buffer.from(a).includes(Buffer.from('abcd1234'))).toBe(false)
    expect(sealer.describe()).toMatchObject({ kind: 'key-file', detail: expect.stringContaining('trust.key') as string })
  })

  it.skipIf(!posix)('creates a 32-byte key readable only by the user, in a 0700 folder it creates', async () => {
    const keyDir = join(dir(), 'new', 'home')
    value(await createKeyFileSealer({ dir: keyDir }).seal(plain))
    const key = join(keyDir, 'trust.key')
    expect(readFileSync(key)).toHaveLength(32)
    expect(statSync(key).mode & 0o777).toBe(0o600)
    expect(statSync(keyDir).mode & 0o777).toBe(0o700)
  })

  it('a reopened sealer reads what an earlier one sealed; another key is undecryptable, not corrupt', async () => {
    const d = dir()
    const sealed = value(await createKeyFileSealer({ dir: d }).seal(plain))
    expect(Buffer.from(value(await createKeyFileSealer({ dir: d }).open(sealed))).equals(plain)).toBe(true)
    writeFileSync(join(d, 'trust.key'), randomBytes(32), { mode: 0o600 })
    const result = await createKeyFileSealer({ dir: d }).open(sealed)
    expect(result).toMatchObject({ ok: false, error: { code: 'undecryptable' } })
  })

  it('opening never creates a key: a missing key is key-missing', async () => {
    const d = dir()
    const sealed = value(await createKeyFileSealer({ dir: d }).seal(plain))
    const other = dir()
    expect(await createKeyFileSealer({ dir: other }).open(sealed)).toMatchObject({ ok: false, error: { code: 'key-missing', message: expect.stringContaining('start fresh') as string } })
    expect(existsSync(join(other, 'trust.key'))).toBe(false)
  })

  it.skipIf(!posix)('refuses a key other users can read, saying to chmod 600, for sealing and opening', async () => {
    const d = dir()
    const sealed = value(await createKeyFileSealer({ dir: d }).seal(plain))
    chmodSync(join(d, 'trust.key'), 0o640)
    const sealer = createKeyFileSealer({ dir: d })
    for (const result of [await sealer.seal(plain), await sealer.open(sealed)]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'key-insecure', message: expect.stringContaining('chmod 600') as string } })
    }
    // Windows has no mode bits to judge; the same file is accepted there.
    expect(Buffer.from(value(await createKeyFileSealer({ dir: d, platform: 'win32' }).open(sealed))).equals(plain)).toBe(true)
  })

  it('refuses a key of the wrong size', async () => {
    const d = dir()
    writeFileSync(join(d, 'trust.key'), randomBytes(16), { mode: 0o600 })
    expect(await createKeyFileSealer({ dir: d }).seal(plain)).toMatchObject({ ok: false, error: { code: 'key-invalid' } })
  })

  it('tells damage from other failures: flipped, truncated, garbage, newer version, keychain envelope', async () => {
    const sealer = createKeyFileSealer({ dir: dir() })
    const sealed = Buffer.from(value(await sealer.seal(plain)))
    const flipped = Buffer.from(sealed)
    flipped[sealed.length - 20] = (flipped[sealed.length - 20] ?? 0) ^ 1
    const newer = Buffer.from(sealed)
    newer[4] = 0x32
    const code = async (bytes: Uint8Array) => {
      const result = await sealer.open(bytes)
      return result.ok ? 'ok' : result.error.code
    }
    expect(await code(flipped)).toBe('corrupt')
    expect(await code(sealed.subarray(0, sealed.length - 1))).toBe('corrupt')
    expect(await code(sealed.subarray(0, 20))).toBe('corrupt')
    expect(await code(Buffer.from('not a store at all'))).toBe('corrupt')
    expect(await code(newer)).toBe('unsupported-version')
    expect(await code(Buffer.concat([Buffer.from('PLSS1'), randomBytes(40)]))).toBe('undecryptable')
  })

  it('two sealers racing to create the key end up sharing one key', async () => {
    const d = dir()
    const [a, b] = [createKeyFileSealer({ dir: d }), createKeyFileSealer({ dir: d })]
    const [sa, sb] = await Promise.all([a.seal(plain), b.seal(plain)])
    expect(Buffer.from(value(await a.open(value(sb)))).equals(plain)).toBe(true)
    expect(Buffer.from(value(await b.open(value(sa)))).equals(plain)).toBe(true)
  })
})
