/**
 * Monitor against the real session manager in the lab: the web host and Chromium run in the app host's
 * namespace, a simulated accessory serves its control/heartbeat service on br-home. From Discover the
 * user starts monitoring; the card shows Connected with the address and RTTs and draws the sparkline;
 * a silent stall on the accessory turns it Stalled and raises the notice on another screen; the device
 * recovers by itself and the timeline shows the gap. Addresses stay in the lab (docs/lab.md).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { startLabAccessory, type LabAccessory } from '../lab/lab-accessory'
import { createLab, labUnavailableReason, type Lab } from '../lab/topology'
import { launchChromiumInNetns, type NetnsBrowser } from './helpers/chromium-in-netns'
import { installPageProbe, readPageProbe, watchForHarm } from './helpers/page-watch'
import { REPO_ROOT, startWebHostProcess, type WebHostProcess } from './helpers/web-host'

const UI = { timeout: 15_000 }
const SCREENSHOT = join(REPO_ROOT, 'docs', 'monitor.png')

test('Monitor: watch from Discover, Connected with RTTs and a chart, a silent stall noticed on any screen, recovery in the timeline', async () => {
  test.setTimeout(120_000)
  const unusable = labUnavailableReason()
  if (unusable !== undefined) {
    process.stderr.write(`monitor lab test skipped: ${unusable}\n`)
    test.skip(true, unusable)
    return
  }
  let lab: Lab | undefined
  let acc: LabAccessory | undefined
  let host: WebHostProcess | undefined
  let chromium: NetnsBrowser | undefined
  try {
    lab = await createLab({ accessories: [{ id: 'w0', hasAp: false, startOnHome: true }] })
    const node = lab.accessories[0]
    if (!node) throw new Error('lab without its accessory')
    acc = await startLabAccessory(lab, node, 40, { security: 1, pop: 'abcd1234' })
    const accessory = acc
    host = await startWebHostProcess({ netns: lab.app.ns })
    chromium = await launchChromiumInNetns(lab.app.ns)
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' })
    await installPageProbe(context)
    const page = await context.newPage()
    const harm = watchForHarm(page, 'x')
    const name = accessory.config.name
    const card = page.getByRole('region', { name, exact: true })
    const badge = card.locator('.session-state')

    await test.step('Discover finds the accessory; "Monitor connection" opens Monitor with a live session', async () => {
      await page.goto(host?.url ?? '')
      await page.getByRole('option').filter({ hasText: name }).first().click(UI)
      await page.getByRole('button', { name: 'Monitor connection' }).click()
      await expect(page).toHaveURL(/#\/monitor$/)
      await expect(badge).toHaveText('Connected', UI)
      await expect(card.locator('.session-facts')).toContainText(node.sta.homeAddress4 ?? 'missing')
      await expect(card.locator('.session-facts')).toContainText(/ms/)
      // uPlot draws into a canvas once a few samples exist (the chart is loaded on demand).
      await expect(card.locator('canvas').first()).toBeVisible(UI)
    })

    await test.step('a silent stall turns the session Stalled and raises a notice on another screen', async () => {
      await page.getByRole('link', { name: /^Discover/ }).click()
      await accessory.setFaults({ stallControl: true })
      const alert = page.getByRole('alert').filter({ hasText: name })
      await expect(alert).toBeVisible(UI)
      await expect(alert).toContainText(/stopped answering.*Nothing received/)
      await alert.getByRole('button', { name: 'Show' }).click()
      await expect(page).toHaveURL(/#\/monitor$/)
      await expect(badge).toHaveText('Stalled')
      await expect(card.locator('.session-cause')).toContainText('although sends succeed')
    })

    await test.step('the accessory recovers by itself; the timeline shows the stall and its gap', async () => {
      await accessory.setFaults({ stallControl: false })
      await expect(badge).toHaveText('Connected', UI)
      const timeline = card.locator('.session-timeline li')
      await expect(timeline.filter({ hasText: /stall/i }).first()).toBeVisible()
      await expect(card.locator('.session-timeline')).toContainText(/\d+(\.\d)? s/)
      await mkdir(join(REPO_ROOT, 'docs'), { recursive: true })
      await page.screenshot({ path: SCREENSHOT, fullPage: true })
    })

    await test.step('Stop watching removes it; nothing untoward happened in the page', async () => {
      await card.getByRole('button', { name: /Stop watching/ }).click()
      await expect(card).toHaveCount(0, UI)
      expect(harm).toEqual([])
      expect((await readPageProbe(page)).violations).toEqual([])
    })
  } finally {
    await chromium?.close().catch(() => undefined)
    await host?.stop().catch(() => undefined)
    await acc?.stop().catch(() => undefined)
    await lab?.dispose()
  }
})
