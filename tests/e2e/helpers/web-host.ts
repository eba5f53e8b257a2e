/**
 * Starts the built web host (`node dist/app/web.js`) as a child process for end-to-end tests, optionally
 * inside a network namespace, and hands back the address it printed. Stops it by PID, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** The repository root (this file lives in tests/e2e/helpers/). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..')

/** Where the build puts the web host's entry. */
export const WEB_HOST_ENTRY = join(REPO_ROOT, 'dist', 'app', 'web.js')

/** What the host prints once it listens; the token rides in the fragment. */
const URL_LINE = /Porchlight is running at (http:\/\/\S+?)\/#token=([A-Za-z0-9_-]+)/

/** Options for {@link startWebHostProcess}. */
export interface WebHostProcessOptions {
  /** Run the host inside this network namespace (`ip netns exec NS node …`); needs root. */
  netns?: string
  /** How long to wait for the URL line before giving up (ms). */
  startTimeoutMs?: number
  /** Extra environment (PORCHLIGHT_DATA_DIR, PORCHLIGHT_LAB_WIFI). */
  env?: Record<string, string>
}

/** A running web host child process. */
export interface WebHostProcess {
  /** The full address it printed, token included. */
  url: string
  /** `http://127.0.0.1:PORT`. */
  origin: string
  token: string
  pid: number
  /** Everything the host wrote to stderr so far (for failure messages). */
  stderr(): string
  /** Everything it wrote to stdout and stderr so far (tests search it for secrets). */
  output(): string
  /** SIGKILL by PID, as a crash would end it (nothing runs on the way out); waits for the exit. */
  kill(): Promise<void>
  /** Sends SIGTERM by PID and waits for the exit (SIGKILL after a bounded grace period). */
  stop(): Promise<void>
}

/** Resolves when the child has exited, or after `ms`; true if it exited. */
function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit)
      resolve(false)
    }, ms)
    const onExit = () => {
      clearTimeout(timer)
      resolve(true)
    }
    child.once('exit', onExit)
  })
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  if (await waitForExit(child, 5_000)) return
  child.kill('SIGKILL')
  if (!(await waitForExit(child, 5_000))) throw new Error(`web host (pid ${String(child.pid)}) did not exit after SIGKILL`)
}

/** Starts the built web host and waits (bounded) for the line with its address. */
export async function startWebHostProcess(options: WebHostProcessOptions = {}): Promise<WebHostProcess> {
  if (!existsSync(WEB_HOST_ENTRY)) {
    throw new Error(`${WEB_HOST_ENTRY} does not exist: build first with \`node build/bundle.mjs\``)
  }
  const node = [process.execPath, WEB_HOST_ENTRY]
  const [command, ...args] = options.netns === undefined ? node : ['ip', 'netns', 'exec', options.netns, ...node]
  const child = spawn(command ?? process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk))
  const timeoutMs = options.startTimeoutMs ?? 10_000
  const describe = (why: string) =>
    new Error(`web host (${[command, ...args].join(' ')}) ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const finish = (error: Error | undefined, found?: RegExpExecArray) => {
      clearTimeout(timer)
      child.stdout?.off('data', check)
      child.off('exit', onExit)
      child.off('error', onError)
      if (found) resolve(found)
      else reject(error ?? describe('failed'))
    }
    const check = () => {
      const found = URL_LINE.exec(stdout)
      if (found) finish(undefined, found)
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(describe(`exited before printing its address (code ${String(code)}, signal ${String(signal)})`))
    const onError = (error: Error) => finish(describe(`could not be started: ${error.message}`))
    const timer = setTimeout(() => finish(describe(`printed no address within ${timeoutMs} ms`)), timeoutMs)
    child.stdout?.on('data', check)
    child.once('exit', onExit)
    child.once('error', onError)
    check()
  }).catch(async (error: unknown) => {
    await stopChild(child)
    throw error
  })

  const [, base = '', token = ''] = match
  return {
    url: `${base}/#token=${token}`,
    origin: new URL(base).origin,
    token,
    pid: child.pid ?? -1,
    stderr: () => stderr,
    output: () => `${stdout}\n${stderr}`,
    stop: () => stopChild(child),
    kill: async () => {
      child.kill('SIGKILL')
      await waitForExit(child, 5_000)
    },
  }
}
