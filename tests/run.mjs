// `npm test`: build, then the unit/integration suites (Vitest) and the end-to-end suites (Playwright in
// Debian Chromium), each printing its own summary; then one combined line, listing every skipped test with
// its reason so a skip is never mistaken for a pass. Exit code is non-zero if anything failed.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { labLeftovers } from './lab-leftovers.mjs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const results = join(root, 'tests', '.results')
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })
const bin = (name) => join(root, 'node_modules', '.bin', name)

function run(label, command, args, env = {}) {
  process.stdout.write(`\n=== ${label} ===\n`)
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return res.status ?? 1
}

// Namespaces and processes that existed before this run (someone's `npm run lab -- up`) are not ours.
const preexisting = new Set(labLeftovers().left)

const buildStatus = run('build', process.execPath, [join(root, 'build/bundle.mjs'), '--quiet'])
if (buildStatus !== 0) process.exit(buildStatus)

const vitestJson = join(results, 'vitest.json')
const unitStatus = run('unit and integration (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`])
const e2eJson = join(results, 'playwright.json')
const e2eStatus = run('end to end (playwright)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson })

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

function vitestCounts(report) {
  if (!report) return { passed: 0, failed: 1, skipped: 0, skips: ['vitest wrote no report'] }
  const skips = report.testResults.flatMap((file) =>
    file.assertionResults.filter((t) => t.status === 'skipped' || t.status === 'pending' || t.status === 'todo')
      .map((t) => `${t.fullName}`))
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numFailedTestSuites ?? 0), skipped: skips.length, skips }
}

function playwrightCounts(report) {
  if (!report) return { passed: 0, failed: 1, skipped: 0, skips: ['playwright wrote no report'] }
  const skips = []
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue
        const reason = (test.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given'
        skips.push(`${spec.title} — ${reason}`)
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of report.suites ?? []) walk(suite)
  const s = report.stats ?? {}
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: (s.unexpected ?? 0) + (report.errors?.length ?? 0), skipped: skips.length, skips }
}

const found = labLeftovers()
const leftovers = { checked: found.checked, left: found.left.filter((item) => !preexisting.has(item)) }
process.stdout.write('\n=== lab cleanliness ===\n')
if (!leftovers.checked) process.stdout.write('not checked: needs root on Linux\n')
else if (leftovers.left.length === 0) process.stdout.write('no namespace or process of the lab is left\n')
else for (const item of leftovers.left) process.stdout.write(`left behind: ${item}\n`)

const unit = vitestCounts(readJson(vitestJson))
const e2e = playwrightCounts(readJson(e2eJson))
if (unitStatus !== 0 && unit.failed === 0) unit.failed = 1
if (e2eStatus !== 0 && e2e.failed === 0) e2e.failed = 1

process.stdout.write('\n=== summary ===\n')
process.stdout.write(`unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped\n`)
process.stdout.write(`e2e: ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped\n`)
for (const skip of [...unit.skips, ...e2e.skips]) process.stdout.write(`  skipped: ${skip}\n`)
const cleanPassed = leftovers.checked && leftovers.left.length === 0 ? 1 : 0
const cleanFailed = leftovers.left.length > 0 ? 1 : 0
process.stdout.write(`lab cleanliness: ${cleanPassed} passed, ${cleanFailed} failed\n`)
const passed = unit.passed + e2e.passed + cleanPassed
const failed = unit.failed + e2e.failed + cleanFailed
const skipped = unit.skipped + e2e.skipped
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`)
process.exit(failed > 0 ? 1 : 0)
