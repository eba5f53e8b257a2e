/**
 * Running an OS tool at the edge: bounded in time and output, never through a shell.
 */
import { execFile } from 'node:child_process'

/** What a finished command returned. */
export interface CommandOutput {
  stdout: string
  stderr: string
  exitCode: number
}

/** Runs a command; the port services receive so tests can replay recorded outputs. */
export type RunCommand = (file: string, args: readonly string[], options?: { timeoutMs?: number }) => Promise<CommandOutput>

/** Runs `file` with `args` (no shell, so nothing in an argument is interpreted); rejects if it cannot start. */
export const runCommand: RunCommand = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs ?? 5000, maxBuffer: 8 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error)
        resolve({ stdout, stderr, exitCode: error ? Number(error.code) : 0 })
      },
    )
  })
