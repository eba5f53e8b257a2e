/**
 * The trust store: accessories the user paired, with the setup code kept for re-provisioning and local
 * control. One file holding only a sealed blob (sealer.ts); the JSON inside is validated after opening.
 *
 * Durability: writes are serialized and atomic, and before each one the last good copy is written to
 * `<file>.bak`. A damaged main file is set aside as `.corrupt-<time>` and the backup loaded; a file that
 * cannot be opened for a key reason (key missing, another key, keychain unavailable) is never touched:
 * the store is locked until the cause is fixed or the user starts fresh (set aside as `.unreadable-<time>`).
 */
import { open } from 'node:fs/promises'
import { z } from 'zod'
import type { TrustedAccessoryView } from '../../shared/provisioning/view'
import { errorCode, fileStamp, isMissing, setAside, writeFileAtomic } from '../util/atomic-file'
import type { Sealer, SealerDescription, SealerErrorCode } from './sealer'

/** Most accessories one store keeps; a home with more is not one we design for. */
export const MAX_TRUSTED = 1000
// 1,000 full entries seal to ~400 KB; anything far larger is not ours and is not read into memory.
const MAX_FILE_BYTES = 2 * 1024 * 1024

const Time = z.number().int().nonnegative()

/** A paired accessory as stored: metadata plus its credential (`pop`, `username`: secret). */
export const TrustEntry = z
  .object({
    deviceId: z.string().min(1).max(64),
    name: z.string().min(1).max(128),
    protocol: z.literal('esp-unified'),
    security: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    /** SRP username (security 2). */
    username: z.string().min(1).max(64).optional(),
    /** Proof of possession / SRP password. Secret. */
    pop: z.string().min(1).max(64).optional(),
    /** SSID of the network the accessory joined. */
    network: z.string().min(1).max(32).optional(),
    address: z.string().min(1).max(100).optional(),
    pairedAt: Time,
    lastSeenAt: Time.optional(),
  })
  .strict()
/** A paired accessory as stored. */
export type TrustEntry = z.infer<typeof TrustEntry>

const StoreFile = z
  .object({ version: z.literal(1), entries: z.array(TrustEntry).max(MAX_TRUSTED) })
  .strict()
  .refine((f) => new Set(f.entries.map((e) => e.deviceId)).size === f.entries.length, 'duplicate deviceId')

/** Why a trust-store operation failed. */
export type TrustStoreErrorCode = SealerErrorCode | 'invalid-entry' | 'store-full' | 'read-failed' | 'write-failed' | 'not-locked'
/** A trust-store failure; the message says what to do and never carries a secret. */
export interface TrustStoreError {
  code: TrustStoreErrorCode
  message: string
}
/** A value or why not. */
export type TrustStoreResult<T> = { ok: true; value: T } | { ok: false; error: TrustStoreError }

/** The store's condition, for Settings, the CLI and support bundles. */
export interface TrustStoreStatus {
  file: string
  sealer: SealerDescription
  /** `locked`: the file exists but cannot be opened now (see `error`); nothing is listed or written. */
  state: 'ready' | 'locked'
  count: number
  /** This launch found the main file damaged and loaded the backup, or had to start empty. */
  recovered?: 'backup' | 'empty'
  /** Plain-language notes about recovery (file names only). */
  notices: string[]
  error?: TrustStoreError
}

/** Paired accessories on disk. */
export interface TrustStore {
  /** Every paired accessory without credentials. */
  list(): Promise<TrustedAccessoryView[]>
  /** One accessory with its credential (re-provisioning, local control). */
  get(deviceId: string): Promise<TrustEntry | undefined>
  /** Adds or replaces the entry for `entry.deviceId`. */
  put(entry: TrustEntry): Promise<TrustStoreResult<TrustedAccessoryView>>
  /** Forgets an accessory; false when it was not there or could not be saved. */
  remove(deviceId: string): Promise<boolean>
  /** Loads if needed and reports state, sealer and recovery notices. */
  describe(): Promise<TrustStoreStatus>
  /** For a locked store the user gives up on: sets its files aside as `.unreadable-<time>`; returns their new paths. */
  startFresh(): Promise<TrustStoreResult<string[]>>
}

/** What the store needs. */
export interface TrustStoreDeps {
  file: string
  sealer: Sealer
  /** Wall-clock ms for set-aside names (default Date.now). */
  wallNow?: () => number
  /** Hears recovery notices and failed saves (never contents). */
  log?: (message: string) => void
}

type Ready = { state: 'ready'; entries: Map<string, TrustEntry>; lastGood: Uint8Array | undefined; recovered?: 'backup' | 'empty' }
type Locked = { state: 'locked'; error: TrustStoreError }
type Read = { kind: 'missing' } | { kind: 'good'; sealed: Uint8Array; entries: TrustEntry[] } | { kind: 'bad'; error: TrustStoreError; damaged: boolean }

// Key problems can be fixed outside Porchlight; starting fresh would not help these.
const FIX_ELSEWHERE: readonly TrustStoreErrorCode[] = ['key-insecure', 'key-invalid', 'unavailable', 'read-failed', 'io-error']

/** Only the listed fields: a view must never carry `pop` or `username`. */
export function trustedView(e: TrustEntry): TrustedAccessoryView {
  const view: TrustedAccessoryView = { deviceId: e.deviceId, name: e.name, protocol: e.protocol, security: e.security, pairedAt: e.pairedAt }
  if (e.network !== undefined) view.network = e.network
  if (e.address !== undefined) view.address = e.address
  if (e.lastSeenAt !== undefined) view.lastSeenAt = e.lastSeenAt
  return view
}

async function readBounded(path: string): Promise<Uint8Array | 'missing' | 'too-large'> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    if (isMissing(error)) return undefined
    throw error
  })
  if (!handle) return 'missing'
  try {
    if ((await handle.stat()).size > MAX_FILE_BYTES) return 'too-large'
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

async function readSealed(path: string, sealer: Sealer): Promise<Read> {
  const damaged = (what: string): Read => ({ kind: 'bad', damaged: true, error: { code: 'corrupt', message: `The list of paired accessories is damaged (${what}).` } })
  let bytes: Awaited<ReturnType<typeof readBounded>>
  try {
    bytes = await readBounded(path)
  } catch (error) {
    return { kind: 'bad', damaged: false, error: { code: 'read-failed', message: `Could not read ${path} (${errorCode(error)}). Check its permissions.` } }
  }
  if (bytes === 'missing') return { kind: 'missing' }
  if (bytes === 'too-large') return damaged('far larger than any list Porchlight writes')
  const opened = await sealer.open(bytes)
  if (!opened.ok) return { kind: 'bad', damaged: opened.error.code === 'corrupt', error: opened.error }
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(opened.value).toString('utf8'))
  } catch {
    return damaged('not JSON')
  }
  const version = (json as { version?: unknown } | null)?.version
  if (typeof version === 'number' && version > 1) return { kind: 'bad', damaged: false, error: { code: 'unsupported-version', message: 'The list of paired accessories was written by a newer Porchlight. Update Porchlight to read it.' } }
  const parsed = StoreFile.safeParse(json)
  return parsed.success ? { kind: 'good', sealed: bytes, entries: parsed.data.entries } : damaged('unexpected contents')
}

/** Builds the store; nothing is read until the first call. */
export function createTrustStore(deps: TrustStoreDeps): TrustStore {
  const { file, sealer } = deps
  const backup = `${file}.bak`
  const wallNow = deps.wallNow ?? Date.now
  const log = deps.log ?? (() => undefined)
  const notices: string[] = []
  const notice = (text: string) => {
    notices.push(text)
    log(text)
  }
  let state: Ready | Locked | undefined
  let tail: Promise<unknown> = Promise.resolve()
  // One operation at a time, in call order: a put must see the previous put's entries and file.
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job)
    tail = run.catch(() => undefined)
    return run
  }
  const ready = (entries: TrustEntry[], lastGood: Uint8Array | undefined, recovered?: 'backup' | 'empty'): Ready => ({
    state: 'ready',
    entries: new Map(entries.map((e) => [e.deviceId, e])),
    lastGood,
    ...(recovered && { recovered }),
  })

  async function load(): Promise<Ready | Locked> {
    const main = await readSealed(file, sealer)
    if (main.kind === 'good') return ready(main.entries, main.sealed)
    if (main.kind === 'bad' && !main.damaged) return { state: 'locked', error: main.error }
    const stamp = fileStamp(wallNow())
    const mainAside = main.kind === 'bad' ? await setAside(file, `.corrupt-${stamp}`) : undefined
    const lost = mainAside ? `The list of paired accessories was damaged; it was kept as ${mainAside}` : 'The list of paired accessories was missing'
    const bak = await readSealed(backup, sealer)
    if (bak.kind === 'missing') {
      if (main.kind === 'missing') return ready([], undefined)
      notice(`${lost}, and there is no backup: the list starts empty.`)
      return ready([], undefined, 'empty')
    }
    if (bak.kind === 'good') {
      notice(`${lost}; the previous copy was restored from the backup (a change made just before may be missing).`)
      // Put the good copy back in place now, so the next launch does not recover (and notify) again.
      await writeFileAtomic(file, bak.sealed).catch((error: unknown) => log(`could not restore the trust store from its backup (${errorCode(error)})`))
      return ready(bak.entries, bak.sealed, 'backup')
    }
    if (!bak.damaged) return { state: 'locked', error: bak.error }
    const bakAside = await setAside(backup, `.corrupt-${stamp}`)
    notice(`${lost}, and its backup was damaged too (kept as ${bakAside ?? backup}): the list starts empty.`)
    return ready([], undefined, 'empty')
  }

  async function current(): Promise<Ready | Locked> {
    // A locked store is retried on every call: the keychain may unlock, the key may come back or be chmod'ed.
    if (state?.state === 'ready') return state
    try {
      state = await load()
    } catch (error) {
      // Setting a damaged file aside failed (permissions): keep everything as it is and say so.
      state = { state: 'locked', error: { code: 'read-failed', message: `Could not recover ${file} (${errorCode(error)}). Check that its folder can be written.` } }
    }
    return state
  }

  async function save(target: Ready, next: Map<string, TrustEntry>): Promise<TrustStoreResult<undefined>> {
    const plain = Buffer.from(JSON.stringify({ version: 1, entries: [...next.values()] }), 'utf8')
    const sealed = await sealer.seal(plain)
    plain.fill(0)
    if (!sealed.ok) return sealed
    try {
      // The backup is written from bytes we opened or wrote ourselves, so it is never a bad copy.
      if (target.lastGood) await writeFileAtomic(backup, target.lastGood)
      await writeFileAtomic(file, sealed.value)
    } catch (error) {
      const code = errorCode(error)
      log(`could not save the trust store (${code})`)
      return { ok: false, error: { code: 'write-failed', message: `Could not save the list of paired accessories (${code}). Check that ${file} can be written.` } }
    }
    target.entries = next
    target.lastGood = sealed.value
    return { ok: true, value: undefined }
  }

  return {
    list: () => serial(async () => {
      const s = await current()
      return s.state === 'ready' ? [...s.entries.values()].map(trustedView) : []
    }),
    get: (deviceId) => serial(async () => {
      const s = await current()
      const entry = s.state === 'ready' ? s.entries.get(deviceId) : undefined
      return entry && { ...entry }
    }),
    put: (entry) => serial(async (): Promise<TrustStoreResult<TrustedAccessoryView>> => {
      const parsed = TrustEntry.safeParse(entry)
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'entry'))].join(', ')
        return { ok: false, error: { code: 'invalid-entry', message: `The accessory record is not valid (${fields}).` } }
      }
      const s = await current()
      if (s.state === 'locked') return { ok: false, error: s.error }
      if (!s.entries.has(parsed.data.deviceId) && s.entries.size >= MAX_TRUSTED) {
        return { ok: false, error: { code: 'store-full', message: `Porchlight remembers at most ${MAX_TRUSTED} accessories. Forget some you no longer use.` } }
      }
      const saved = await save(s, new Map(s.entries).set(parsed.data.deviceId, parsed.data))
      return saved.ok ? { ok: true, value: trustedView(parsed.data) } : saved
    }),
    remove: (deviceId) => serial(async () => {
      const s = await current()
      if (s.state === 'locked' || !s.entries.has(deviceId)) return false
      const next = new Map(s.entries)
      next.delete(deviceId)
      return (await save(s, next)).ok
    }),
    describe: () => serial(async (): Promise<TrustStoreStatus> => {
      const s = await current()
      const base = { file, sealer: sealer.describe(), notices: [...notices] }
      if (s.state === 'locked') return { ...base, state: 'locked', count: 0, error: s.error }
      return { ...base, state: 'ready', count: s.entries.size, ...(s.recovered && { recovered: s.recovered }) }
    }),
    startFresh: () => serial(async (): Promise<TrustStoreResult<string[]>> => {
      const s = await current()
      if (s.state === 'ready') return { ok: false, error: { code: 'not-locked', message: 'The list of paired accessories can be read; forget accessories one at a time instead.' } }
      if (FIX_ELSEWHERE.includes(s.error.code)) return { ok: false, error: s.error }
      const stamp = fileStamp(wallNow())
      try {
        const kept = [await setAside(file, `.unreadable-${stamp}`), await setAside(backup, `.unreadable-${stamp}`)].filter((p): p is string => p !== undefined)
        notice(`Started a new list of paired accessories; the unreadable one was kept as ${kept.join(' and ')}.`)
        state = ready([], undefined)
        return { ok: true, value: kept }
      } catch (error) {
        return { ok: false, error: { code: 'write-failed', message: `Could not move the unreadable list aside (${errorCode(error)}). Check that ${file} can be renamed.` } }
      }
    }),
  }
}
