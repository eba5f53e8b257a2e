// What a test run of the lab left behind: namespaces named plx… (every lab and namespace test uses that
// prefix) and processes of the lab (bundled lab entries, the python peers and shaper, daemons whose
// config lives in a plx- work dir). `node tests/lab-leftovers.mjs` prints them and exits 1 if any.
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'

const LAB_PROCESS = /porchlight-lab|zeroconf_peer\.py|shaper\.py|\/tmp\/plx-/

/** Lists leftovers; `checked` is false where namespaces cannot exist (not root on Linux). */
export function labLeftovers() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { checked: false, left: [] }
  const left = []
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  for (const line of (netns.stdout ?? '').split('\n')) if (line.startsWith('plx')) left.push(`namespace ${line.split(' ')[0]}`)
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)) {
    let cmdline = ''
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch {
      continue
    }
    if (LAB_PROCESS.test(cmdline)) left.push(`process ${pid}: ${cmdline.slice(0, 120)}`)
  }
  return { checked: true, left }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { checked, left } = labLeftovers()
  for (const item of left) process.stdout.write(`left behind: ${item}\n`)
  if (!checked) process.stdout.write('not checked: needs root on Linux\n')
  process.exit(left.length > 0 ? 1 : 0)
}
