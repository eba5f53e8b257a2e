/**
 * The support bundle: made by the host from the current report with the "hide hardware identifiers" choice,
 * then both files handed to the browser as Blob downloads (jsdom has no object URLs, so they are recorded).
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SupportBundle } from '../../../shared/diagnose/view'
import { fail, ok } from '../../../shared/ipc'
import { REVOKE_AFTER_MS } from '../../../renderer/features/diagnose/save-file'
import { makeReport, renderDiagnose } from './fixtures'

const BUNDLE: SupportBundle = {
  jsonName: 'porchlight-diagnose-2023-11-14.json',
  json: '{"checks":[]}',
  htmlName: 'porchlight-diagnose-2023-11-14.html',
  html: '<!doctype html><title>Report</title>',
}

interface Download { href: string; download: string; inDocument: boolean }

let blobs: Blob[] = []
let revoked: string[] = []
let downloads: Download[] = []
const saved = {
  create: Object.getOwnPropertyDescriptor(URL, 'createObjectURL'),
  revoke: Object.getOwnPropertyDescriptor(URL, 'revokeObjectURL'),
}

beforeEach(() => {
  blobs = []
  revoked = []
  downloads = []
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: (blob: Blob) => `blob:test/${blobs.push(blob)}` })
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: (url: string) => void revoked.push(url) })
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ href: this.getAttribute('href') ?? '', download: this.download, inDocument: document.body.contains(this) })
  })
})

afterEach(() => {
  cleanup()
  vi.runOnlyPendingTimers()
  vi.useRealTimers()
  vi.restoreAllMocks()
  for (const [key, descriptor] of [['createObjectURL', saved.create], ['revokeObjectURL', saved.revoke]] as const) {
    if (descriptor) Object.defineProperty(URL, key, descriptor)
    else Reflect.deleteProperty(URL, key)
  }
})

const panel = () => within(screen.getByRole('region', { name: 'Support bundle' }))
const exportButton = () => panel().getByRole('button', { name: 'Export support bundle' })
const hideIds = () => panel().getByRole('checkbox', { name: 'Also hide hardware identifiers (MAC addresses, device ids)' })

async function renderWithReport(bundle = ok(BUNDLE)) {
  const report = makeReport()
  const view = renderDiagnose({ 'diagnose:run': ok(report), 'diagnose:bundle': bundle })
  fireEvent.click(screen.getByRole('button', { name: 'Run checks' }))
  await act(async () => undefined)
  return { ...view, report }
}

describe('the support bundle', () => {
  it('cannot be exported before a run, and says why', async () => {
    renderDiagnose()
    await act(async () => undefined)
    expect(exportButton()).toHaveProperty('disabled', true)
    const hint = document.getElementById(exportButton().getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toBe('Run the checks first: the bundle is made from their report.')
  })

  it('asks the host with the report and the redact choice, then downloads both files', async () => {
    const { bridge, report } = await renderWithReport()
    expect(hideIds()).toHaveProperty('checked', false)
    fireEvent.click(hideIds())
    fireEvent.click(exportButton())
    await act(async () => undefined)
    expect(bridge.calls.at(-1)).toBe('diagnose:bundle')
    expect(bridge.payloads.at(-1)).toEqual({ report, redactHardwareIds: true })

    expect(downloads).toEqual([
      { href: 'blob:test/1', download: BUNDLE.jsonName, inDocument: true },
      { href: 'blob:test/2', download: BUNDLE.htmlName, inDocument: true },
    ])
    expect(await Promise.all(blobs.map((b) => b.text()))).toEqual([BUNDLE.json, BUNDLE.html])
    // HTML goes as opaque bytes, so it is saved rather than ever rendered in this page's origin.
    expect(blobs.map((b) => b.type)).toEqual(['application/json', 'application/octet-stream'])
    expect(document.querySelector('a[download]')).toBeNull()
    expect(panel().getByText(`Saving ${BUNDLE.jsonName} and ${BUNDLE.htmlName}. If either does not arrive, save it again below.`).getAttribute('aria-live')).toBe('polite')

    expect(revoked).toEqual([])
    vi.advanceTimersByTime(REVOKE_AFTER_MS)
    expect(revoked).toEqual(['blob:test/1', 'blob:test/2'])
  })

  it('sends redactHardwareIds false when the box is left clear, and saves one file again on request', async () => {
    const { bridge } = await renderWithReport()
    fireEvent.click(exportButton())
    await act(async () => undefined)
    expect(bridge.payloads.at(-1)).toMatchObject({ redactHardwareIds: false })
    fireEvent.click(panel().getByRole('button', { name: `Save ${BUNDLE.htmlName} again` }))
    expect(downloads.map((d) => d.download)).toEqual([BUNDLE.jsonName, BUNDLE.htmlName, BUNDLE.htmlName])
    expect(bridge.calls.filter((c) => c === 'diagnose:bundle')).toHaveLength(1)
  })

  it('says why when the host could not make it, and downloads nothing', async () => {
    await renderWithReport(fail({ code: 'internal', message: 'Could not read the interfaces.' }))
    fireEvent.click(exportButton())
    await act(async () => undefined)
    expect(panel().getByRole('alert').textContent).toBe('Could not make the support bundle: Could not read the interfaces.')
    expect(downloads).toEqual([])
  })

  it('a new run replaces the report, so the old bundle is gone', async () => {
    const { store } = await renderWithReport()
    fireEvent.click(exportButton())
    await act(async () => undefined)
    expect(store.getState().diagnoseBundle).toEqual(BUNDLE)
    fireEvent.click(screen.getByRole('button', { name: 'Run checks again' }))
    await act(async () => undefined)
    expect(store.getState().diagnoseBundle).toBeNull()
    expect(panel().queryByRole('button', { name: /again$/ })).toBeNull()
  })
})
