/**
 * Test support for the OS Wi-Fi adapters: recorded/reconstructed outputs from tests/fixtures/wifi, a
 * RunCommand that answers from a handler and records every argv (so tests assert exactly what would run
 * and that no passphrase is among it), and a driver that advances a fake clock until a promise settles.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandOutput, RunCommand } from '../../../main/util/exec'
import type { FakeClock } from '../../helpers/fake-clock'

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'wifi')

/** A fixture's text, e.g. `fixture('linux/wifi-list.txt')`. */
export const fixture = (path: string) => readFileSync(join(ROOT, path), 'utf8')

/** Shorthand for a command's output. */
export const out = (stdout: string, exitCode = 0, stderr = ''): CommandOutput => ({ stdout, stderr, exitCode })

/** One recorded call: the program and its arguments. */
export type Call = [file: string, ...args: string[]]

/** A RunCommand backed by `handler`; `calls` holds every argv in order. */
export function fakeRun(handler: (args: readonly string[], file: string) => CommandOutput | Promise<CommandOutput>) {
  const calls: Call[] = []
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args])
    return handler(args, file)
  }
  return { run, calls }
}

/**
 * Resolves `promise`, moving the fake clock forward in `stepMs` steps (up to `maxMs`) only while the code
 * waits on it: real I/O in between (temp files) must not cost fake time, or deadlines would pass spuriously.
 */
export async function settle<T>(clock: FakeClock, promise: Promise<T>, maxMs = 120_000, stepMs = 100): Promise<T> {
  let done = false
  void promise.then(() => (done = true), () => (done = true))
  for (let t = 0, idle = 0; t < maxMs && idle < 2000 && !done;) {
    if (clock.pendingTimers() > 0) {
      await clock.advance(stepMs)
      t += stepMs
      idle = 0
    } else {
      await new Promise((resolve) => setTimeout(resolve, 1))
      idle++
    }
  }
  return promise
}
