/**
 * Linux: `ip -oneline monitor link address` turns rtnetlink notifications into prompt hints, so a change
 * is seen within the debounce instead of at the next poll. Missing iproute2 just means polling alone.
 */
import { spawn } from 'node:child_process'
import type { ChangeMonitor } from './interface-watcher'

/** Hints on every link or address notification; stops the child on dispose. */
export const ipMonitor: ChangeMonitor = (onHint) => {
  const child = spawn('ip', ['-oneline', 'monitor', 'link', 'address'], { stdio: ['ignore', 'pipe', 'ignore'] })
  child.on('error', () => undefined)
  child.stdout.on('data', () => onHint())
  return () => {
    child.kill()
  }
}
