/**
 * Encryption at rest for the trust store (docs/architecture.md, Secrets). A `Sealer` turns the store's
 * plain bytes into a sealed envelope and back; the app seals with the OS keychain (Electron safeStorage,
 * app/electron/safe-storage-sealer.ts), the CLI and web host with a 0600 key file (here).
 *
 * Key-file envelope: `PLTS1` ‖ key id (8) ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16). The magic and
 * key id are the AAD, so the version byte cannot be swapped; the key id (an HMAC of the key, useless to an
 * attacker) tells "sealed with another key" (undecryptable: keep the file) from "damaged" (corrupt: set it
 * aside and fall back to the backup) — AES-GCM alone cannot tell the two apart.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { mkdir, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { errorCode, isMissing, syncDirectory } from '../util/atomic-file'

/** Why sealing or opening failed; only `corrupt` means the sealed bytes themselves are damaged. */
export type SealerErrorCode = 'key-missing' | 'key-insecure' | 'key-invalid' | 'undecryptable' | 'corrupt' | 'unsupported-version' | 'unavailable' | 'io-error'
/** A sealing failure, with a message that says what to do. Never contains plain text or key bytes. */
export interface SealerError {
  code: SealerErrorCode
  message: string
}
/** Sealed or opened bytes, or why not. */
export type SealerResult = { ok: true; value: Uint8Array } | { ok: false; error: SealerError }
/** What protects the store, for Settings and support bundles. */
export interface SealerDescription {
  kind: 'safe-storage' | 'key-file'
  detail: string
}

/** Encrypts and decrypts the trust store's bytes. */
export interface Sealer {
  seal(plain: Uint8Array): Promise<SealerResult>
  open(sealed: Uint8Array): Promise<SealerResult>
  describe(): SealerDescription
}

/** Envelope families: key file (`PLTS`) and OS keychain (`PLSS`), each followed by one version digit. */
export const ENVELOPE = { keyFile: 'PLTS', safeStorage: 'PLSS' } as const

/** Which family and version an envelope claims, or undefined for bytes that are no envelope of ours. */
export function envelopeOf(bytes: Uint8Array): { family: 'key-file' | 'safe-storage'; version: number } | undefined {
  if (bytes.length < 5) return undefined
  const magic = Buffer.from(bytes.subarray(0, 4)).toString('latin1')
  const version = (bytes[4] ?? 0) - 0x30
  if (version < 0 || version > 9) return undefined
  if (magic === ENVELOPE.keyFile) return { family: 'key-file', version }
  if (magic === ENVELOPE.safeStorage) return { family: 'safe-storage', version }
  return undefined
}

/** A failed result. */
export function sealerError(code: SealerErrorCode, message: string): { ok: false; error: SealerError } {
  return { ok: false, error: { code, message } }
}

const KEY_BYTES = 32
const ID_BYTES = 8
const NONCE_BYTES = 12
const TAG_BYTES = 16
const MAGIC = Buffer.from(`${ENVELOPE.keyFile}1`, 'latin1')
const HEADER_BYTES = MAGIC.length + ID_BYTES

/** Where the key file lives and how to judge it. */
export interface KeyFileSealerOptions {
  /** Directory of the key (created 0700 if missing). */
  dir: string
  /** Default `trust.key`. */
  fileName?: string
  /** Default `process.platform`; decides whether POSIX mode bits are checked. */
  platform?: NodeJS.Platform
  /** Prepended to describe()'s detail (why the key file is used, e.g. no keyring). */
  note?: string
}

type KeyResult = { ok: true; value: Buffer } | { ok: false; error: SealerError }

function keyId(key: Buffer): Buffer {
  return createHmac('sha256', key).update('porchlight trust-store key id').digest().subarray(0, ID_BYTES)
}

async function readKey(path: string, platform: NodeJS.Platform): Promise<KeyResult> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (isMissing(error)) return sealerError('key-missing', `The trust store key ${path} is missing, so the paired accessories cannot be read. Restore the key, or start fresh.`)
    return sealerError('io-error', `Could not open the trust store key ${path} (${errorCode(error)}).`)
  }
  try {
    const stat = await handle.stat()
    // Windows has no POSIX mode bits (Node derives 0o666/0o444 from the read-only flag); the user profile's
    // ACLs protect the key there, so the check would only refuse every Windows key.
    if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
      return sealerError('key-insecure', `The trust store key ${path} can be read by other users (mode ${mode}). Run: chmod 600 "${path}"`)
    }
    const key = Buffer.alloc(KEY_BYTES)
    const { bytesRead } = stat.isFile() && stat.size === KEY_BYTES ? await handle.read(key, 0, KEY_BYTES, 0) : { bytesRead: 0 }
    if (bytesRead !== KEY_BYTES) return sealerError('key-invalid', `The trust store key ${path} is not a ${KEY_BYTES}-byte key. Restore the original key; if there is none, move it away and start fresh.`)
    return { ok: true, value: key }
  } finally {
    await handle.close()
  }
}

async function createKey(dir: string, path: string, platform: NodeJS.Platform): Promise<KeyResult> {
  const key = randomBytes(KEY_BYTES)
  let handle: Awaited<ReturnType<typeof open>>
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    // O_EXCL: never replace a key that appeared meanwhile (another process, a restore) — use that one.
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return readKey(path, platform)
    return sealerError('io-error', `Could not create the trust store key ${path} (${errorCode(error)}).`)
  }
  try {
    await handle.writeFile(key)
    await handle.sync()
  } catch (error) {
    // A short key would lock the store for good (key-invalid); a key we failed to write is nobody's yet.
    await handle.close()
    await rm(path, { force: true }).catch(() => undefined)
    return sealerError('io-error', `Could not write the trust store key ${path} (${errorCode(error)}).`)
  }
  await handle.close()
  await syncDirectory(dir)
  return { ok: true, value: key }
}

/** The CLI and web host's sealer: AES-256-GCM under a random key in a 0600 file, created on first seal. */
export function createKeyFileSealer(options: KeyFileSealerOptions): Sealer {
  const platform = options.platform ?? process.platform
  const path = join(options.dir, options.fileName ?? 'trust.key')
  let cached: Buffer | undefined
  const key = async (create: boolean): Promise<KeyResult> => {
    if (cached) return { ok: true, value: cached }
    const found = await readKey(path, platform)
    const result = !found.ok && found.error.code === 'key-missing' && create ? await createKey(options.dir, path, platform) : found
    if (result.ok) cached = result.value
    return result
  }
  return {
    async seal(plain) {
      const k = await key(true)
      if (!k.ok) return k
      const header = Buffer.concat([MAGIC, keyId(k.value)])
      const nonce = randomBytes(NONCE_BYTES)
      const cipher = createCipheriv('aes-256-gcm', k.value, nonce, { authTagLength: TAG_BYTES })
      cipher.setAAD(header)
      const body = Buffer.concat([cipher.update(plain), cipher.final()])
      return { ok: true, value: Buffer.concat([header, nonce, body, cipher.getAuthTag()]) }
    },
    async open(sealed) {
      const envelope = envelopeOf(sealed)
      if (envelope?.family === 'safe-storage') return sealerError('undecryptable', 'The trust store was sealed with the system keychain, which is not in use here now. Open it where the keychain is available (the Porchlight app, with the keyring unlocked), or start fresh.')
      if (envelope?.family === 'key-file' && envelope.version !== 1) return sealerError('unsupported-version', 'The trust store was written by a newer Porchlight. Update Porchlight to read it.')
      if (!envelope || sealed.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES) return sealerError('corrupt', 'The trust store file is damaged (not a sealed Porchlight store).')
      const k = await key(false)
      if (!k.ok) return k
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      if (!keyId(k.value).equals(bytes.subarray(MAGIC.length, HEADER_BYTES))) {
        return sealerError('undecryptable', `The trust store was sealed with a different key than ${path} (the key was replaced or comes from another installation). Restore the original key, or start fresh.`)
      }
      const decipher = createDecipheriv('aes-256-gcm', k.value, bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES), { authTagLength: TAG_BYTES })
      decipher.setAAD(bytes.subarray(0, HEADER_BYTES))
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
      try {
        return { ok: true, value: Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]) }
      } catch {
        return sealerError('corrupt', 'The trust store file is damaged (it failed its integrity check).')
      }
    },
    describe: () => ({ kind: 'key-file', detail: `${options.note ? `${options.note}; ` : ''}AES-256-GCM with the key in ${path} (readable only by you)` }),
  }
}
