/**
 * Set up, end to end in the lab (issue #5 point 8): the web host and Chromium run in the app host's namespace
 * with the lab's host Wi-Fi; four simulated ESP accessories publish their setup APs. Through the wizard:
 * security 2 from a QR image with a wrong home password then corrected; security 1 from a typed code whose
 * AP vanishes right after Apply ("probably succeeded" → confirmed); cancel mid-flow (back on the home
 * network), then the same accessory rebooting mid-session and still confirmed; the host killed mid-flow and
 * the next launch restoring the network. Every step ends in the true state, checked against the lab itself.
 * Canary secrets are searched for in everything captured: host output, every frame the page received
 * (responses and events), the console, the trust store on disk and the support bundle export.
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import QRCode from 'qrcode'
import { startLabAccessory, type LabAccessory } from '../lab/lab-accessory'
import { createLab, labUnavailableReason, type Lab } from '../lab/topology'
import { launchChromiumInNetns, type NetnsBrowser } from './helpers/chromium-in-netns'
import { installPageProbe, readPageProbe } from './helpers/page-watch'
import { REPO_ROOT, startWebHostProcess, type WebHostProcess } from './helpers/web-host'

const UI = { timeout: 20_000 }
const LONG = { timeout: 60_000 }
const POP = 'canary-pop-3d9e71'
const HOME_PASS = 'canary-home-pass-8b24'
const WRONG_PASS = 'canary-wrong-pass-c0f1'
const CANARIES = [POP, HOME_PASS, WRONG_PASS]

test('Set up: QR and typed codes, wrong password corrected, AP vanishing, cancel, reboot, crash recovery, manual join — confirmed on the LAN, no secret leaks', async () => {
  test.setTimeout(300_000)
  const unusable = labUnavailableReason()
  if (unusable !== undefined) {
    process.stderr.write(`setup lab test skipped: ${unusable}\n`)
    test.skip(true, unusable)
    return
  }
  let lab: Lab | undefined
  const accessories: LabAccessory[] = []
  const hosts: WebHostProcess[] = []
  let chromium: NetnsBrowser | undefined
  const received: string[] = []
  const consoleText: string[] = []
  try {
    lab = await createLab({ accessories: [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }, { id: 'e4' }, { id: 'e5' }], home: { passphrase: HOME_PASS }, wifi: { wrongPassphraseDelayMs: 200 } })
    const l = lab
    const configs = [
      { security: 2 as const, secPatchVersion: 1 as const, pop: POP },
      { security: 1 as const, pop: POP, faults: { apVanishesAfterApply: true } as never },
      { security: 2 as const, secPatchVersion: 0 as const, pop: POP, faults: { rebootOn: 'prov-config' } as never },
      { security: 1 as const, pop: POP },
      { security: 1 as const, pop: POP },
    ]
    for (const [i, node] of l.accessories.entries()) accessories.push(await startLabAccessory(l, node, 70 + i, configs[i]))
    const [s2, s1, reboot, crash, manual] = accessories as [LabAccessory, LabAccessory, LabAccessory, LabAccessory, LabAccessory]
    const dir = await mkdtemp(join(tmpdir(), 'plx-setup-e2e-'))
    const env = { PORCHLIGHT_LAB_WIFI: join(dir, 'wifi.json'), PORCHLIGHT_DATA_DIR: join(dir, 'data') }
    await writeFile(env.PORCHLIGHT_LAB_WIFI, JSON.stringify(l.wifiConfig()), { mode: 0o600 })
    const qrImage = join(dir, 'qr.png')
    await QRCode.toFile(qrImage, JSON.stringify({ ver: 'v1', name: s2.config.name, pop: POP, transport: 'softap', username: 'wifiprov', security: 2 }))
    const currentSsid = async () => {
      const current = await l.wifi.current()
      return current.ok ? current.value?.ssid ?? null : `error: ${current.error.message}`
    }

    hosts.push(await startWebHostProcess({ netns: l.app.ns, env }))
    chromium = await launchChromiumInNetns(l.app.ns)
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true })
    await installPageProbe(context)
    let page = await context.newPage()
    const watch = (p: Page) => {
      p.on('websocket', (ws) => ws.on('framereceived', (frame) => void received.push(String(frame.payload))))
      p.on('console', (message) => void consoleText.push(message.text()))
    }
    watch(page)
    const openSetup = async (url: string) => {
      await page.goto(url)
      await page.getByRole('link', { name: /^Set up/ }).click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up')
    }
    const pick = (name: string) => page.locator('label.candidate-option').filter({ hasText: name }).locator('input')
    const chooser = page.getByRole('heading', { name: 'Choose the network for the accessory' })
    const homeOption = () => page.locator('label.network-option').filter({ hasText: l.home.ssid }).locator('input')
    const password = () => page.getByLabel(`Password for “${l.home.ssid}”`)
    const send = () => page.getByRole('button', { name: 'Send to the accessory' }).click()
    const done = page.getByRole('heading', { name: /Set up and confirmed/ })
    const start = async (name: string) => {
      await pick(name).check(UI)
      await page.getByRole('button', { name: 'Start setup' }).click()
    }
    const typeCode = async () => {
      await page.getByLabel('Setup code (proof of possession)').fill(POP)
      await page.getByRole('button', { name: 'Use this code' }).click()
    }

    await test.step('security 2 from a QR image: a wrong home password is reported and re-entered, then confirmed on the LAN', async () => {
      await openSetup(hosts[0]?.url ?? '')
      await expect(pick(s2.config.name)).toBeVisible(LONG)
      await page.locator('input[type=file]').first().setInputFiles(qrImage)
      await expect(page.locator('.setup-code-state')).toContainText(`Code for “${s2.config.name}” (security 2)`, UI)
      await start(s2.config.name)
      await expect(chooser).toBeVisible(LONG)
      await expect(page.locator('.setup-notices, .setup-flow').first()).toContainText(/no internet/i)
      expect(await currentSsid()).toBe(s2.config.name)
      await homeOption().check()
      await password().fill(WRONG_PASS)
      await page.getByRole('button', { name: 'Show password' }).click()
      await expect(password()).toHaveAttribute('type', 'text')
      await send()
      const alert = page.getByRole('alert').filter({ hasText: /password was not accepted/ })
      await expect(alert).toBeVisible(LONG)
      await alert.getByRole('button', { name: 'Re-enter the password' }).click()
      await expect(password()).toBeFocused()
      await password().fill(HOME_PASS)
      await send()
      await expect(done).toBeVisible(LONG)
      await expect(page.locator('.setup-done')).toContainText(s2.node.sta.homeAddress4 ?? 'missing')
      expect(await currentSsid()).toBe(l.home.ssid)
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'setup.png'), fullPage: true })
    })

    await test.step('security 1 with a typed code: the AP vanishes right after Apply — "probably succeeded", then confirmed', async () => {
      await page.getByRole('button', { name: 'Set up another' }).first().click()
      await expect(pick(s1.config.name)).toBeVisible(LONG)
      await pick(s1.config.name).check()
      await typeCode()
      await start(s1.config.name)
      await expect(chooser).toBeVisible(LONG)
      await homeOption().check()
      await password().fill(HOME_PASS)
      await send()
      await expect(done).toBeVisible(LONG)
      await expect(page.locator('main')).toContainText(/probably succeeded/i)
      expect(await currentSsid()).toBe(l.home.ssid)
    })

    await test.step('cancel mid-flow: the computer returns to the home network', async () => {
      await page.getByRole('button', { name: 'Set up another' }).first().click()
      await pick(reboot.config.name).check(LONG)
      await typeCode()
      await start(reboot.config.name)
      await expect(chooser).toBeVisible(LONG)
      expect(await currentSsid()).toBe(reboot.config.name)
      await page.getByRole('button', { name: 'Cancel setup' }).click()
      await expect(page.getByRole('heading', { name: 'Setup cancelled' })).toBeVisible(LONG)
      expect(await currentSsid()).toBe(l.home.ssid)
    })

    await test.step('the accessory reboots mid-session (on receiving the network): reconnected, resent, confirmed', async () => {
      await page.getByRole('button', { name: 'Set up another' }).first().click()
      await pick(reboot.config.name).check(LONG)
      await typeCode()
      await start(reboot.config.name)
      await expect(chooser).toBeVisible(LONG)
      await homeOption().check()
      await password().fill(HOME_PASS)
      await send()
      await expect(done).toBeVisible(LONG)
      await expect(page.locator('main')).toContainText(/Reconnected to the accessory/)
      expect(reboot.events.some((e) => e.event === 'reboot' || e.event === 'rebooting')).toBe(true)
    })

    await test.step('the host is killed mid-flow: the next launch puts the computer back on the home network', async () => {
      await page.getByRole('button', { name: 'Set up another' }).first().click()
      await pick(crash.config.name).check(LONG)
      await typeCode()
      await start(crash.config.name)
      await expect(chooser).toBeVisible(LONG)
      expect(await currentSsid()).toBe(crash.config.name)
      await hosts[0]?.kill()
      expect(await currentSsid()).toBe(crash.config.name)
      hosts.push(await startWebHostProcess({ netns: l.app.ns, env }))
      await page.close()
      page = await context.newPage()
      watch(page)
      await openSetup(hosts[1]?.url ?? '')
      await expect(page.locator('main')).toContainText(/closed while setting up/, LONG)
      await expect.poll(currentSsid, LONG).toBe(l.home.ssid)
      const data = await readdir(env.PORCHLIGHT_DATA_DIR)
      expect(data).not.toContain('onboarding.json')
    })

    await test.step('a host that cannot switch Wi-Fi: the user joins by hand, Porchlight notices, asks them back home, and confirms', async () => {
      // No lab Wi-Fi and no nmcli on PATH: this host has no Wi-Fi adapter, like a machine without NetworkManager.
      // The test plays the user, joining networks through the lab's Wi-Fi as they would from the Wi-Fi menu.
      const noWifi = { PORCHLIGHT_DATA_DIR: join(dir, 'data-manual'), PATH: '/usr/sbin:/sbin' }
      hosts.push(await startWebHostProcess({ netns: l.app.ns, env: noWifi }))
      await openSetup(hosts[2]?.url ?? '')
      await expect(page.locator('.setup-wifi-note')).toContainText(/join its network from your Wi-Fi menu yourself/, LONG)
      await page.locator('label.candidate-option').filter({ hasText: 'Other setup network…' }).locator('input').check()
      await page.getByLabel('Accessory network name').fill(manual.config.name)
      await typeCode()
      await page.getByRole('button', { name: 'Start setup' }).click()
      await expect(page.getByRole('heading', { name: 'Join the accessory’s network yourself' })).toBeVisible(LONG)
      await expect(page.locator('.manual-join-steps')).toContainText(manual.config.name)
      expect(await currentSsid()).toBe(l.home.ssid)
      expect(await l.wifi.join(manual.config.name, undefined)).toMatchObject({ ok: true })
      // `page` is the one opened after the crash step: locators made from the first page would not find anything.
      await expect(page.getByRole('heading', { name: 'Choose the network for the accessory' })).toBeVisible(LONG)
      await homeOption().check()
      await password().fill(HOME_PASS)
      await send()
      await expect(page.locator('main')).toContainText(/Rejoin your usual network/, LONG)
      expect(await l.wifi.join(l.home.ssid, l.home.passphrase)).toMatchObject({ ok: true })
      await expect(page.getByRole('heading', { name: /Set up and confirmed/ })).toBeVisible(LONG)
      await expect(page.locator('.setup-done')).toContainText(manual.node.sta.homeAddress4 ?? 'missing')
    })

    await test.step('no canary secret in host output, received frames, console, the trust store or a support bundle', async () => {
      await page.getByRole('link', { name: /^Diagnose/ }).click()
      await page.getByRole('button', { name: 'Run checks' }).click()
      await expect(page.locator('.diagnose-verdict h2')).toBeVisible(LONG)
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Export support bundle' }).click()
      const bundle = await readFile(await (await download).path(), 'utf8')
      const trust = await readFile(join(env.PORCHLIGHT_DATA_DIR, 'trusted.keyfile.bin'))
      const trustManual = await readFile(join(dir, 'data-manual', 'trusted.keyfile.bin'))
      const captured = { hosts: hosts.map((h) => h.output()).join('\n'), frames: received.join('\n'), console: consoleText.join('\n'), bundle,
        trust: trust.toString('latin1'), trustManual: trustManual.toString('latin1') }
      expect(received.length).toBeGreaterThan(20)
      for (const secret of CANARIES) {
        for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')]) {
          for (const [where, text] of Object.entries(captured)) expect(text.includes(form), `${where} contains a canary`).toBe(false)
        }
      }
      expect((await readPageProbe(page)).violations).toEqual([])
    })
  } finally {
    await chromium?.close().catch(() => undefined)
    for (const h of hosts) await h.stop().catch(() => undefined)
    for (const a of accessories) await a.stop().catch(() => undefined)
    await lab?.dispose()
  }
})
