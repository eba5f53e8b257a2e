/**
 * Minimal network-namespace helpers for tests that need a real kernel (docs/lab.md rules: test-owned
 * names with our pid, addresses only from 198.18.0.0/15, teardown by name). The full lab builds on these.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { skipReasonOrFail } from './require-lab'

/** Why namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailableReason(): string | undefined {
  return skipReasonOrFail(unavailable())
}

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'network namespaces need root (run the tests as root, as CI does)'
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) return `\`ip netns\` is unusable: ${probe.error?.message ?? probe.stderr.trim()}`
  return undefined
}

/** Runs `ip` with arguments; throws with ip's own message on failure. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 })
}

/** A unique, test-owned name: prefix + pid + counter, within the 15-character interface limit. */
let counter = 0
export function ownedName(prefix: string): string {
  return `${prefix}${process.pid % 100000}${(counter++).toString(36)}`.slice(0, 15)
}

/** Creates a namespace with loopback up; delete it with `deleteNamespace`. */
export function createNamespace(name: string): void {
  ip('netns', 'add', name)
  ip('-n', name, 'link', 'set', 'lo', 'up')
}

/** Deletes a namespace by name (its links go with it); never throws. */
export function deleteNamespace(name: string): void {
  spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 10_000 })
}

/** True if a namespace of that name exists. */
export function namespaceExists(name: string): boolean {
  return ip('netns', 'list').split('\n').some((line) => line.split(' ')[0] === name)
}
