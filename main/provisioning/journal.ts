/**
 * The onboarding journal: one small file rewritten at every step of a flow, so that if Porchlight crashes
 * or is quit while the computer sits on an accessory's network, the next launch puts the computer back on
 * the user's original network (docs/architecture.md, Provisioning). Written atomically, 0600, validated on
 * read; it holds network names and the step — never a passphrase or setup code.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { AccessoryCategory, SetupStep } from '../../shared/provisioning/view'

/** What the journal remembers about the flow in progress. */
export const JournalEntry = z.object({
  version: z.literal(1),
  id: z.string().max(64),
  pid: z.number().int(),
  category: AccessoryCategory,
  accessoryName: z.string().max(64),
  /** The accessory's AP, when the flow joins one. */
  accessorySsid: z.string().max(32).optional(),
  /** The network to go back to; absent when the computer was not on Wi-Fi. */
  originalSsid: z.string().max(32).optional(),
  /** The AP's OS profile is ours and must be removed. */
  temporaryProfile: z.boolean(),
  onAccessoryNetwork: z.boolean(),
  step: SetupStep,
  /** The network the accessory was told to join (no passphrase). */
  chosenSsid: z.string().max(32).optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
})
/** What the journal remembers about the flow in progress. */
export type JournalEntry = z.infer<typeof JournalEntry>

/** Where the journal lives. */
export interface OnboardingJournal {
  read(): Promise<JournalEntry | undefined>
  write(entry: JournalEntry): Promise<void>
  clear(): Promise<void>
}

/** A journal kept only in memory (CLI one-shots still restore within the process; tests). */
export function memoryJournal(): OnboardingJournal & { current: JournalEntry | undefined } {
  const journal = {
    current: undefined as JournalEntry | undefined,
    read: () => Promise.resolve(journal.current),
    write: (entry: JournalEntry) => {
      journal.current = entry
      return Promise.resolve()
    },
    clear: () => {
      journal.current = undefined
      return Promise.resolve()
    },
  }
  return journal
}

/** A journal in `file`; a damaged file is set aside as `.corrupt` and reported through `log` (never its contents). */
export function fileJournal(file: string, log: (message: string) => void = () => undefined): OnboardingJournal {
  let writing: Promise<void> = Promise.resolve()
  const serial = (job: () => Promise<void>) => (writing = writing.then(job, job))
  return {
    async read() {
      await writing
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`could not read the onboarding journal (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
        return undefined
      }
      let parsed: ReturnType<typeof JournalEntry.safeParse> | undefined
      try {
        parsed = JournalEntry.safeParse(JSON.parse(text))
      } catch {
        parsed = undefined
      }
      if (parsed?.success) return parsed.data
      log('the onboarding journal was damaged; it was kept as .corrupt')
      await rename(file, `${file}.corrupt`).catch(() => undefined)
      return undefined
    },
    write(entry) {
      // Every step is written before the action it announces, in order; a crash leaves the last one.
      return serial(async () => {
        await mkdir(dirname(file), { recursive: true })
        const temp = `${file}.${process.pid}.tmp`
        await writeFile(temp, `${JSON.stringify(entry)}\n`, { mode: 0o600, flush: true })
        await rename(temp, file)
      })
    },
    clear() {
      return serial(() => rm(file, { force: true }))
    },
  }
}
