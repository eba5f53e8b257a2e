/**
 * The renderer in Debian's Chromium against the real web host on this machine: loading, navigation by
 * mouse and keyboard, the live interface list against the CLI's view of the same machine, and the page's
 * security properties (no Node globals, CSP in meta and header, token handling, inline scripts blocked).
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test, type Page } from '@playwright/test'
import { z } from 'zod'
import { NetInterface } from '../../shared/net/interfaces'
import { REPO_ROOT, startWebHostProcess, type WebHostProcess } from './helpers/web-host'

const SCREENS = [
  { label: 'Discover', route: 'discover' },
  { label: 'Set up', route: 'setup' },
  { label: 'Monitor', route: 'monitor' },
  { label: 'Diagnose', route: 'diagnose' },
  { label: 'Fleet', route: 'fleet' },
] as const
type ScreenLabel = (typeof SCREENS)[number]['label']

/** Where the README expects its screenshot. */
const SCREENSHOT = join(REPO_ROOT, 'docs', 'screenshot.png')

let running: WebHostProcess | undefined

test.beforeAll(async () => {
  running = await startWebHostProcess()
})

test.afterAll(async () => {
  await running?.stop()
})

function host(): WebHostProcess {
  if (!running) throw new Error('the web host did not start (see the beforeAll failure)')
  return running
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' })
const navLink = (page: Page, label: ScreenLabel) => mainNav(page).getByRole('link', { name: new RegExp(`^${label}`) })
const heading = (page: Page) => page.getByRole('heading', { level: 1 })
/** The footer line appears only once `app:info` came back over the WebSocket: proof the bridge works. */
const hostLine = (page: Page) => page.getByText(/^Porchlight \d+\.\d+\.\d+ · web host · /)

/** Opens the app with its token, waits until it talks to the host, then opens `screen` by its nav link. */
async function openApp(page: Page, screen?: ScreenLabel) {
  const response = await page.goto(host().url)
  await expect(hostLine(page)).toBeVisible()
  if (screen) {
    await navLink(page, screen).click()
    await expect(heading(page)).toHaveText(screen)
  }
  return response
}

/** The machine's interfaces as the CLI reports them (the same handler as `net:interfaces`). */
async function cliInterfaces(): Promise<NetInterface[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/porchlight.js', 'interfaces', '--json'], {
    cwd: REPO_ROOT,
    timeout: 15_000,
  })
  return z.array(NetInterface).parse(JSON.parse(stdout))
}

test('the app loads with its title, the Main navigation and a live connection to the host', async ({ page }) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`)
  })
  await openApp(page)
  await expect(page).toHaveTitle('Discover — Porchlight')
  await expect(heading(page)).toHaveText('Discover')
  const links = mainNav(page).getByRole('link')
  await expect(links).toHaveCount(5)
  await expect(mainNav(page).locator('.nav-label')).toHaveText(SCREENS.map((s) => s.label))
  expect(await links.evaluateAll((all) => all.map((a) => a.getAttribute('href')))).toEqual(SCREENS.map((s) => `#/${s.route}`))
  await expect(navLink(page, 'Discover')).toHaveAttribute('aria-current', 'page')
  await expect(hostLine(page)).toContainText(`web host · ${process.platform}`)
  await expect(page.getByRole('alert')).toHaveCount(0)
  expect(problems, 'no script errors, and the CSP blocks none of the app\'s own resources').toEqual([])
})

test('clicking each nav link opens its screen, updates the address and aria-current; Back returns', async ({ page }) => {
  await openApp(page)
  for (const { label, route } of [...SCREENS.slice(1), SCREENS[0]]) {
    await navLink(page, label).click()
    await expect(page).toHaveURL(new RegExp(`#/${route}$`))
    await expect(heading(page)).toHaveText(label)
    await expect(page).toHaveTitle(`${label} — Porchlight`)
    await expect(navLink(page, label)).toHaveAttribute('aria-current', 'page')
    await expect(mainNav(page).locator('[aria-current="page"]')).toHaveCount(1)
  }
  await page.goBack()
  await expect(page).toHaveURL(/#\/fleet$/)
  await expect(heading(page)).toHaveText('Fleet')
  await expect(navLink(page, 'Fleet')).toHaveAttribute('aria-current', 'page')
})

test('the keyboard reaches the nav with Tab, moves with the arrow keys and opens a screen with Enter', async ({ page }) => {
  await openApp(page)
  const focusIsInNav = () => page.evaluate(() => document.activeElement?.closest('nav[aria-label="Main"]') !== null)
  // Focus starts on the screen heading; Tab onwards (bounded) until focus enters the navigation.
  for (let presses = 0; presses < 10 && !(await focusIsInNav()); presses++) await page.keyboard.press('Tab')
  await expect(navLink(page, 'Discover'), 'Tab enters the nav at its first link').toBeFocused()
  await page.keyboard.press('ArrowUp')
  await expect(navLink(page, 'Fleet'), 'ArrowUp from the first link wraps to the last').toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(navLink(page, 'Discover'), 'ArrowDown from the last link wraps to the first').toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(navLink(page, 'Diagnose')).toBeFocused()
  await expect(page, 'arrow keys only move focus').toHaveURL(/\/$/)
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/#\/diagnose$/)
  await expect(navLink(page, 'Diagnose')).toHaveAttribute('aria-current', 'page')
  await expect(heading(page), 'focus follows to the new screen').toBeFocused()
  await expect(heading(page)).toHaveText('Diagnose')
})

test('Diagnose lists the interfaces of this machine, as the CLI sees them, with their addresses', async ({ page }) => {
  const expected = await cliInterfaces()
  expect(expected.length, 'the CLI reports at least one interface').toBeGreaterThan(0)
  await openApp(page, 'Diagnose')
  const names = page.locator('tbody tr[data-interface] th .if-name')
  await expect.poll(async () => (await names.allTextContents()).sort(), { timeout: 10_000 })
    .toEqual(expected.map((i) => i.name).sort())
  await expect(page.getByText(new RegExp(`^${expected.length} interfaces, \\d+ active with an address`))).toBeVisible()
  const ipv4 = expected.flatMap((i) => i.addresses.filter((a) => a.family === 'IPv4').map((a) => ({ name: i.name, shown: `${a.address}/${a.prefixLength}` })))
  expect(ipv4.length, 'at least one IPv4 address to compare (loopback has 127.0.0.1)').toBeGreaterThan(0)
  for (const { name, shown } of ipv4) {
    await expect(page.locator(`tr[data-interface=${JSON.stringify(name)}]`)).toContainText(shown)
  }
})

test('the page has no Node.js globals', async ({ page }) => {
  await openApp(page)
  const kinds = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>
    return { require: typeof w.require, process: typeof w.process, module: typeof w.module, Buffer: typeof w.Buffer }
  })
  expect(kinds).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' })
})

test('a Content-Security-Policy comes both as a meta tag and as the document response header', async ({ page }) => {
  const response = await openApp(page)
  const header = response?.headers()['content-security-policy']
  expect(header, 'the document response carries a CSP header').toBeDefined()
  expect(header).toContain("default-src 'none'")
  expect(header).toContain("script-src 'self'")
  expect(header).toContain("frame-ancestors 'none'")
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]')
  await expect(meta).toHaveCount(1)
  await expect(meta).toHaveAttribute('content', /default-src 'none'/)
  await expect(meta).toHaveAttribute('content', /script-src 'self'/)
})

test('an inline script injected into the page is blocked by the CSP', async ({ page }) => {
  await openApp(page)
  const outcome = await page.evaluate(() => new Promise<{ directive: string | null; ran: boolean }>((resolve) => {
    const w = window as unknown as { plxInjected?: boolean }
    const timer = setTimeout(() => resolve({ directive: null, ran: w.plxInjected === true }), 3_000)
    document.addEventListener('securitypolicyviolation', (event) => {
      clearTimeout(timer)
      resolve({ directive: event.effectiveDirective, ran: w.plxInjected === true })
    }, { once: true })
    const script = document.createElement('script')
    script.textContent = 'window.plxInjected = true'
    document.body.append(script)
  }))
  expect(outcome.directive, 'a securitypolicyviolation event fired for the script').toMatch(/^script-src/)
  expect(outcome.ran, 'the injected script did not run').toBe(false)
  expect(await page.evaluate(() => typeof (window as unknown as { plxInjected?: boolean }).plxInjected)).toBe('undefined')
})

test('the token leaves the address bar after load, and a reload of the tab still connects', async ({ page }) => {
  await openApp(page)
  await expect(page).toHaveURL(`${host().origin}/`)
  expect(page.url()).not.toContain(host().token)
  await page.reload()
  await expect(hostLine(page)).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
})

for (const [what, suffix] of [['no token', '/'], ['a wrong token', `/#token=${'x'.repeat(43)}`]] as const) {
  test(`opening the page with ${what} shows the access-token alert`, async ({ page }) => {
    await page.goto(host().origin + suffix)
    await expect(page.getByRole('alert')).toContainText('access token was not accepted')
    await expect(hostLine(page), 'nothing came back from the host').toHaveCount(0)
  })
}

test.describe('README screenshot', () => {
  test.use({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' })

  test('a full-page screenshot of Diagnose is saved to docs/screenshot.png', async ({ page }) => {
    await openApp(page, 'Diagnose')
    await expect(page.locator('tbody tr[data-interface]').first()).toBeVisible()
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: light)').matches)).toBe(true)
    await mkdir(join(REPO_ROOT, 'docs'), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    const png = await readFile(SCREENSHOT)
    expect(png.subarray(1, 4).toString('latin1'), 'a PNG file').toBe('PNG')
    expect(png.readUInt32BE(16), 'width').toBe(1280)
    expect(png.readUInt32BE(20), 'height').toBeGreaterThanOrEqual(800)
  })
})
