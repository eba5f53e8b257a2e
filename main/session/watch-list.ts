/**
 * The accessories the user watches, kept on disk so monitoring resumes after a restart. One JSON file,
 * validated on read (a damaged file is set aside as `.corrupt` and the list starts empty, with a log line
 * rather than a crash), written atomically (temp file + rename) so a crash mid-write never loses it.
 * It holds targets and protocol settings only — no secrets.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { WatchRequest } from '../../shared/session/view'

const FileShape = z.object({ version: z.literal(1), watched: z.array(WatchRequest).max(500) })

/** Where watched sessions are remembered. */
export interface WatchListStore {
  load(): Promise<WatchRequest[]>
  save(list: readonly WatchRequest[]): Promise<void>
}

/** A store in `file`; `log` hears about a damaged file (never its contents). */
export function fileWatchList(file: string, log: (message: string) => void = () => undefined): WatchListStore {
  let writing: Promise<void> = Promise.resolve()
  return {
    async load() {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`could not read the watch list (${(error as NodeJS.ErrnoException).code ?? 'error'}); starting empty`)
        return []
      }
      let parsed: ReturnType<typeof FileShape.safeParse> | undefined
      try {
        parsed = FileShape.safeParse(JSON.parse(text))
      } catch {
        parsed = undefined
      }
      if (parsed?.success) return parsed.data.watched
      log('the watch list was damaged; it was kept as .corrupt and monitoring starts empty')
      await rename(file, `${file}.corrupt`).catch(() => undefined)
      return []
    },
    save(list) {
      // Serialised: two quick changes must land in order, the last one winning.
      writing = writing.then(async () => {
        await mkdir(dirname(file), { recursive: true })
        const temp = `${file}.${process.pid}.tmp`
        await writeFile(temp, `${JSON.stringify({ version: 1, watched: list }, null, 2)}\n`, { mode: 0o600 })
        await rename(temp, file)
      }).catch((error: unknown) => log(`could not save the watch list: ${(error as Error).message}`))
      return writing
    },
  }
}
