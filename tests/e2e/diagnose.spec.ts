/**
 * Diagnose against the real checks in the lab: the web host and Chromium run in the app host's namespace
 * with a simulated accessory on br-home. From the accessory's detail in Discover the user opens Diagnose
 * for it; the run reports progress, a verdict, the host checklist and the device drill-down with a link
 * chart; the support bundle downloads as JSON and HTML without the device's hardware ids when asked; the
 * error decoder explains a pasted errno. Addresses stay in the lab (docs/lab.md).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { startLabAccessory, type LabAccessory } from '../lab/lab-accessory'
import { createLab, labUnavailableReason, type Lab } from '../lab/topology'
import { launchChromiumInNetns, type NetnsBrowser } from './helpers/chromium-in-netns'
import { installPageProbe, readPageProbe, watchForHarm } from './helpers/page-watch'
import { REPO_ROOT, startWebHostProcess, type WebHostProcess } from './helpers/web-host'

const UI = { timeout: 15_000 }

test('Diagnose: a device drill-down with a measured link, a redacted support bundle, and the error decoder', async () => {
  test.setTimeout(150_000)
  const unusable = labUnavailableReason()
  if (unusable !== undefined) {
    process.stderr.write(`diagnose lab test skipped: ${unusable}\n`)
    test.skip(true, unusable)
    return
  }
  let lab: Lab | undefined
  let acc: LabAccessory | undefined
  let host: WebHostProcess | undefined
  let chromium: NetnsBrowser | undefined
  try {
    lab = await createLab({ accessories: [{ id: 'q0', hasAp: false, startOnHome: true }] })
    const node = lab.accessories[0]
    if (!node) throw new Error('lab without its accessory')
    acc = await startLabAccessory(lab, node, 60, { security: 1, pop: 'abcd1234' })
    const accessory = acc
    host = await startWebHostProcess({ netns: lab.app.ns })
    chromium = await launchChromiumInNetns(lab.app.ns)
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    await installPageProbe(context)
    const page = await context.newPage()
    const harm = watchForHarm(page, 'x')
    const name = accessory.config.name

    await test.step('Discover → the accessory → Diagnose runs the checks for it', async () => {
      await page.goto(host?.url ?? '')
      await page.getByRole('option').filter({ hasText: name }).first().click(UI)
      await page.getByRole('button', { name: 'Diagnose', exact: true }).click()
      await expect(page).toHaveURL(/#\/diagnose$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Diagnose')
      await expect(page.locator('.diagnose-verdict h2')).toHaveText(/All checks passed|Working, with warnings|Something needs fixing/, { timeout: 60_000 })
    })

    const device = page.locator('.device-report')
    await test.step('the report: host checks with their advice, and the device with reachability and a link chart', async () => {
      await expect(page.getByText(/owns the IPv4 default route|default route/).first()).toBeVisible()
      await expect(device.locator('.device-report-title')).toContainText(name)
      await expect(device).toContainText(/reachable/i)
      await expect(device.locator('.link-quality')).toContainText(/% lost/)
      await expect(device.locator('.link-quality canvas').first()).toBeVisible(UI)
    })

    await test.step('the support bundle downloads as JSON and HTML, without the device id when asked', async () => {
      await page.getByRole('checkbox', { name: /Also hide hardware identifiers/ }).check()
      const firstDownload = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Export support bundle' }).click()
      let json = await firstDownload
      if (!json.suggestedFilename().endsWith('.json')) {
        // The first file was the HTML; the page offers each file again (a browser may hold back the second).
        const again = page.waitForEvent('download')
        await page.getByRole('button', { name: /^Save porchlight-support-.*\.json again$/ }).click()
        json = await again
      }
      expect(json.suggestedFilename()).toMatch(/^porchlight-support-.*\.json$/)
      const text = await readFile(await json.path(), 'utf8')
      expect(JSON.parse(text)).toMatchObject({ format: 'porchlight-support-bundle', hardwareIdsRedacted: true })
      expect(text).not.toContain(accessory.config.deviceId)
      expect(text).not.toContain('abcd1234')
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'diagnose.png'), fullPage: true })
    })

    await test.step('the error decoder explains a pasted error', async () => {
      await page.getByLabel('Paste an error code or message').fill('Error: connect ECONNREFUSED 198.18.0.11:80')
      await page.getByRole('button', { name: 'Explain' }).click()
      await expect(page.locator('.decoder-reading-title').first()).toContainText('ECONNREFUSED')
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
