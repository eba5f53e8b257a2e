/**
 * The app's trust-store sealer: Electron `safeStorage` (macOS Keychain, Windows DPAPI, a Linux keyring)
 * when it really encrypts, otherwise the 0600 key file in userData that the CLI and web host use.
 *
 * On Linux without a keyring Electron reports the `basic_text` backend and still "encrypts" — with a
 * password built into Chromium, which is obfuscation, not encryption (https://www.electronjs.org/docs/latest/api/safe-storage).
 *
 * Envelope: `PLSS1` ‖ SHA-256 of the blob (32) ‖ safeStorage blob. The digest tells a damaged file (set aside,
 * backup loaded) from one the keychain cannot decrypt now (kept untouched), which decryptString's throw cannot.
 */
import { createHash } from 'node:crypto'
import type { SafeStorage } from 'electron'
import { createKeyFileSealer, ENVELOPE, envelopeOf, sealerError, type Sealer } from '../../main/pairing/sealer'

/** The parts of Electron's `safeStorage` used here (injected: this module never imports Electron's runtime). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>

/** What the choice depends on; `backend` is Linux's `getSelectedStorageBackend()`. */
export interface SealerFacts {
  platform: NodeJS.Platform
  encryptionAvailable: boolean
  backend?: string
}

/** Which sealer the app uses, and in words why. */
export type SealerChoice = { kind: 'safe-storage'; detail: string } | { kind: 'key-file'; reason: string }

const KEYCHAIN_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'the macOS Keychain', win32: 'Windows DPAPI' }

/** Picks safeStorage only where it protects the data with a real OS secret. */
export function chooseTrustSealer(facts: SealerFacts): SealerChoice {
  if (!facts.encryptionAvailable) return { kind: 'key-file', reason: 'the system keychain is not available' }
  if (facts.platform === 'linux') {
    if (facts.backend === 'basic_text') return { kind: 'key-file', reason: 'no keyring (GNOME Keyring, KWallet) was found, and without one Electron only obfuscates' }
    if (facts.backend === undefined || facts.backend === 'unknown') return { kind: 'key-file', reason: 'the keyring in use could not be determined' }
    return { kind: 'safe-storage', detail: `Electron safeStorage with the ${facts.backend} keyring` }
  }
  return { kind: 'safe-storage', detail: `Electron safeStorage with ${KEYCHAIN_NAMES[facts.platform] ?? 'the system keychain'}` }
}

const MAGIC = Buffer.from(`${ENVELOPE.safeStorage}1`, 'latin1')
const DIGEST_BYTES = 32
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest()

/** A sealer over `safeStorage`; `fallback` opens stores sealed earlier with the key file (then re-sealed here). */
export function createSafeStorageSealer(safeStorage: SafeStorageLike, options: { detail: string; fallback?: Sealer }): Sealer {
  const unavailable = () => sealerError('unavailable', 'The system keychain is locked or unavailable. Unlock it (or sign in again) and retry.')
  return {
    seal(plain) {
      if (!safeStorage.isEncryptionAvailable()) return Promise.resolve(unavailable())
      let blob: Buffer
      try {
        // encryptString takes text; base64 keeps arbitrary bytes intact through it.
        blob = safeStorage.encryptString(Buffer.from(plain).toString('base64'))
      } catch {
        return Promise.resolve(sealerError('unavailable', 'The system keychain refused to encrypt the list of paired accessories. Unlock it and retry.'))
      }
      return Promise.resolve({ ok: true, value: Buffer.concat([MAGIC, sha256(blob), blob]) })
    },
    async open(sealed) {
      const envelope = envelopeOf(sealed)
      if (envelope?.family === 'key-file') {
        return options.fallback ? options.fallback.open(sealed) : sealerError('undecryptable', 'The trust store was sealed with a key file, not the system keychain.')
      }
      if (envelope?.family === 'safe-storage' && envelope.version !== 1) return sealerError('unsupported-version', 'The trust store was written by a newer Porchlight. Update Porchlight to read it.')
      const bytes = Buffer.from(sealed)
      const blob = bytes.subarray(MAGIC.length + DIGEST_BYTES)
      if (!envelope || blob.length === 0 || !sha256(blob).equals(bytes.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES))) {
        return sealerError('corrupt', 'The trust store file is damaged (it failed its integrity check).')
      }
      if (!safeStorage.isEncryptionAvailable()) return unavailable()
      try {
        return { ok: true, value: Buffer.from(safeStorage.decryptString(blob), 'base64') }
      } catch {
        return sealerError('undecryptable', 'The system keychain could not decrypt the list of paired accessories (its key was reset, or this is another user account). Restore the keychain, or start fresh.')
      }
    },
    describe: () => ({ kind: 'safe-storage', detail: options.detail }),
  }
}

/**
 * The app's sealer; call after `app.whenReady()` (before it, safeStorage reports no encryption on Windows
 * and Linux). The key file lives in `userDataDir` either way, so a store sealed with it stays readable.
 */
export function electronTrustSealer(safeStorage: SafeStorageLike, options: { userDataDir: string; platform: NodeJS.Platform }): Sealer {
  const { platform } = options
  // getSelectedStorageBackend is Linux-only.
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined
  const choice = chooseTrustSealer({ platform, encryptionAvailable: safeStorage.isEncryptionAvailable(), ...(backend !== undefined && { backend }) })
  const keyFile = createKeyFileSealer({ dir: options.userDataDir, platform, ...(choice.kind === 'key-file' && { note: `Key file because ${choice.reason}` }) })
  return choice.kind === 'safe-storage' ? createSafeStorageSealer(safeStorage, { detail: choice.detail, fallback: keyFile }) : keyFile
}
