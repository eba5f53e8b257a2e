import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chooseTrustSealer, createSafeStorageSealer, electronTrustSealer, type SafeStorageLike } from '../../../app/electron/safe-storage-sealer'
import { createKeyFileSealer, envelopeOf, type SealerResult } from '../../../main/pairing/sealer'

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>

/** A stand-in for Electron's safeStorage (no Electron binary here): AES-GCM under a key the "keychain" holds. */
function fakeSafeStorage(backend: Backend = 'gnome_libsecret') {
  const fake = {
    key: randomBytes(32),
    available: true,
    isEncryptionAvailable: () => fake.available,
    getSelectedStorageBackend: () => backend,
    encryptString(text: string) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', fake.key, iv)
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()])
      return Buffer.concat([Buffer.from('v11'), iv, body, c.getAuthTag()])
    },
    decryptString(blob: Buffer) {
      const d = createDecipheriv('aes-256-gcm', fake.key, blob.subarray(3, 15))
      d.setAuthTag(blob.subarray(blob.length - 16))
      return Buffer.concat([d.update(blob.subarray(15, blob.length - 16)), d.final()]).toString('utf8')
    },
  }
  return fake
}

const plain = new Uint8Array([0, 1, 2, 250, 255, ...Buffer.from('{"pop":"secret-pop"}')])
const value = (r: SealerResult) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return Buffer.from(r.value)
}
const code = (r: SealerResult) => (r.ok ? 'ok' : r.error.code)

describe('chooseTrustSealer', () => {
  it('uses safeStorage on macOS and Windows when encryption is available', () => {
    expect(chooseTrustSealer({ platform: 'darwin', encryptionAvailable: true })).toEqual({ kind: 'safe-storage', detail: 'Electron safeStorage with the macOS Keychain' })
    expect(chooseTrustSealer({ platform: 'win32', encryptionAvailable: true })).toMatchObject({ kind: 'safe-storage', detail: expect.stringContaining('DPAPI') as string })
  })

  it('uses safeStorage on Linux only with a real keyring', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(chooseTrustSealer({ platform: 'linux', encryptionAvailable: true, backend })).toMatchObject({ kind: 'safe-storage', detail: expect.stringContaining(backend) as string })
    }
  })

  it('falls back to the key file for basic_text (obfuscation), an unknown backend, or no encryption', () => {
    expect(chooseTrustSealer({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' })).toMatchObject({ kind: 'key-file', reason: expect.stringContaining('only obfuscates') as string })
    expect(chooseTrustSealer({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).toMatchObject({ kind: 'key-file' })
    expect(chooseTrustSealer({ platform: 'linux', encryptionAvailable: true })).toMatchObject({ kind: 'key-file' })
    expect(chooseTrustSealer({ platform: 'darwin', encryptionAvailable: false })).toMatchObject({ kind: 'key-file', reason: expect.stringContaining('not available') as string })
  })
})

describe('safeStorage sealer', () => {
  it('round-trips binary bytes in a PLSS1 envelope', async () => {
    const sealer = createSafeStorageSealer(fakeSafeStorage(), { detail: 'test keyring' })
    const sealed = value(await sealer.seal(plain))
    expect(envelopeOf(sealed)).toEqual({ family: 'safe-storage', version: 1 })
    expect(sealed.includes(Buffer.from('secret-pop'))).toBe(false)
    expect(value(await sealer.open(sealed)).equals(Buffer.from(plain))).toBe(true)
    expect(sealer.describe()).toEqual({ kind: 'safe-storage', detail: 'test keyring' })
  })

  it('tells damage (corrupt) from a keychain that cannot decrypt (undecryptable) or is locked (unavailable)', async () => {
    const storage = fakeSafeStorage()
    const sealer = createSafeStorageSealer(storage, { detail: 'x' })
    const sealed = value(await sealer.seal(plain))
    expect(code(await sealer.open(sealed.subarray(0, sealed.length - 3)))).toBe('corrupt')
    expect(code(await sealer.open(Buffer.from('garbage bytes')))).toBe('corrupt')
    storage.available = false
    expect(code(await sealer.open(sealed))).toBe('unavailable')
    expect(code(await sealer.seal(plain))).toBe('unavailable')
    storage.available = true
    storage.key = randomBytes(32)
    expect(code(await sealer.open(sealed))).toBe('undecryptable')
  })

  it('opens a store sealed earlier with the key file through its fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plx-safe-'))
    const keyFile = createKeyFileSealer({ dir })
    const old = value(await keyFile.seal(plain))
    expect(code(await createSafeStorageSealer(fakeSafeStorage(), { detail: 'x' }).open(old))).toBe('undecryptable')
    expect(value(await createSafeStorageSealer(fakeSafeStorage(), { detail: 'x', fallback: keyFile }).open(old)).equals(Buffer.from(plain))).toBe(true)
  })
})

describe('electronTrustSealer', () => {
  it('on Linux with basic_text seals with a key file in userData and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plx-safe-'))
    const sealer = electronTrustSealer(fakeSafeStorage('basic_text'), { userDataDir: dir, platform: 'linux' })
    expect(sealer.describe()).toMatchObject({ kind: 'key-file', detail: expect.stringMatching(/no keyring.*trust\.key/) as string })
    expect(envelopeOf(value(await sealer.seal(plain)))?.family).toBe('key-file')
    expect(existsSync(join(dir, 'trust.key'))).toBe(true)
  })

  it('with a keyring seals with safeStorage and creates no key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plx-safe-'))
    const sealer = electronTrustSealer(fakeSafeStorage('kwallet6'), { userDataDir: dir, platform: 'linux' })
    expect(sealer.describe().kind).toBe('safe-storage')
    expect(envelopeOf(value(await sealer.seal(plain)))?.family).toBe('safe-storage')
    expect(existsSync(join(dir, 'trust.key'))).toBe(false)
  })
})
