/**
 * Small-file persistence that survives crashes and power loss: a write lands whole or not at all, and a
 * damaged file is moved out of the way under a new name instead of being overwritten. Shared by the
 * stores that keep state on disk (trust store; the watch list and journal can adopt it).
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/** True when a file-system error means the file is not there. */
export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

/** The errno code of a file-system error, for messages that must not echo paths' contents. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'error'
}

/**
 * Flushes a directory entry (a rename or a create) to disk. Windows cannot open a directory and some
 * file systems refuse to fsync one (EINVAL); there the rename's own durability is all we get.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(dir, constants.O_RDONLY)
    await handle.sync()
  } catch {
    // Best effort by design (see above): the data itself was already fsynced.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

/**
 * Replaces `file` with `data` atomically: a temp file in the same directory (so the rename cannot cross
 * file systems), created exclusively with `mode` (0600 unless told), fsynced, renamed over `file`, and the
 * directory fsynced so the rename itself survives a power cut. On failure the temp file is removed.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(file)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', options.mode ?? 0o600)
  try {
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
  await syncDirectory(dir)
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/**
 * Moves `file` to `<file><suffix>` (adding `-2`, `-3`… rather than replacing a file already there) and
 * returns the new path; undefined when `file` does not exist. Used to keep a damaged or unreadable copy
 * for the user instead of deleting it.
 */
export async function setAside(file: string, suffix: string): Promise<string | undefined> {
  if (!(await exists(file))) return undefined
  let target = `${file}${suffix}`
  for (let n = 2; await exists(target); n++) target = `${file}${suffix}-${n}`
  try {
    await rename(file, target)
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
  await syncDirectory(dirname(file))
  return target
}

/** A wall-clock time as a file-name-safe stamp (`2025-01-31T09-05-00-000Z`), for set-aside copies. */
export function fileStamp(wallMs: number): string {
  return new Date(wallMs).toISOString().replace(/[:.]/g, '-')
}
