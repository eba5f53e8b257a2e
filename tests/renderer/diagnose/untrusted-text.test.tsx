/**
 * Reports carry text from the network (device names, TXT values, addresses in facts) and from other programs'
 * output: all of it renders as literal text, creates no element, runs nothing, and never lands in an
 * attribute that could load or style anything.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ok } from '../../../shared/ipc'
import { makeDevice } from '../discover/fixtures'
import { HOSTILE_IMG as IMG, HOSTILE_SCRIPT as SCRIPT, makeCheck, makeDeviceReport, makeLink, makeReport, renderDiagnose } from './fixtures'

declare global {
  interface Window {
    __xss?: number
  }
}

beforeEach(() => {
  delete window.__xss
})
afterEach(cleanup)

const HOSTILE_CHECK = makeCheck({
  id: IMG,
  group: 'device',
  title: SCRIPT,
  status: 'fail',
  summary: IMG,
  advice: SCRIPT,
  steps: [IMG, SCRIPT],
  facts: { [IMG]: SCRIPT, nested: { [SCRIPT]: [IMG, { deeper: IMG }] }, list: [SCRIPT] },
})

const HOSTILE_REPORT = makeReport({
  checks: [{ ...HOSTILE_CHECK, group: 'host' }],
  devices: [
    makeDeviceReport({
      deviceId: IMG,
      name: SCRIPT,
      checks: [HOSTILE_CHECK],
      link: makeLink({ method: IMG, summary: SCRIPT, periodic: { periodMs: 30_000, explanation: IMG } }),
    }),
  ],
})

function expectInert(container: HTMLElement) {
  expect(container.querySelector('img, script, [onerror]')).toBeNull()
  expect(document.querySelector('img, script')).toBeNull()
  expect(window.__xss).toBeUndefined()
}

describe('untrusted text in a report', () => {
  it('renders summaries, advice, steps, facts, device names and link figures as literal text', async () => {
    const { container } = renderDiagnose({ 'diagnose:run': ok(HOSTILE_REPORT) }, [makeDevice({ id: 'evil', name: IMG })])
    expect(within(screen.getByRole('combobox', { name: 'Device to check' })).getByRole('option', { name: IMG })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Run checks' }))
    await act(async () => undefined)
    expectInert(container)

    const device = within(screen.getByRole('region', { name: SCRIPT }))
    expect(device.getByRole('heading', { level: 2 }).textContent).toBe(SCRIPT)
    expect(device.getByText(IMG, { selector: '.mono' })).toBeTruthy()
    expect(device.getByText(SCRIPT, { selector: '.link-summary' })).toBeTruthy()
    expect(device.getByText(`About every 30 s: ${IMG}`)).toBeTruthy()

    for (const button of screen.getAllByRole('button', { name: 'Show details' })) fireEvent.click(button)
    expectInert(container)
    const item = container.querySelector('.check-item') as HTMLElement
    expect(item.querySelector('.check-title-text')?.textContent).toBe(SCRIPT)
    expect(item.querySelector('.check-summary')?.textContent).toBe(IMG)
    expect([...item.querySelectorAll('.check-steps li')].map((li) => li.textContent)).toEqual([IMG, SCRIPT])
    const facts = within(item.querySelector('.check-facts-box') as HTMLElement)
    expect(facts.getByText(IMG, { selector: 'dt' }).nextElementSibling?.textContent).toBe(SCRIPT)
    expect(facts.getByText(SCRIPT, { selector: 'dt' })).toBeTruthy()
    expect(facts.getAllByText(IMG, { selector: '.fact-value' }).length).toBeGreaterThanOrEqual(2)
    expect(screen.getByRole('region', { name: 'Something needs fixing' }).querySelector('li')?.textContent).toBe(`${SCRIPT} (Fail)`)
    expect(container.innerHTML).toContain('&lt;img src=x onerror=window.__xss=1&gt;')
  })

  it('never puts report text into href, src or style attributes', async () => {
    const { container } = renderDiagnose({ 'diagnose:run': ok(HOSTILE_REPORT) })
    fireEvent.click(screen.getByRole('button', { name: 'Run checks' }))
    await act(async () => undefined)
    for (const button of screen.getAllByRole('button', { name: 'Show details' })) fireEvent.click(button)
    for (const el of container.querySelectorAll('*')) {
      for (const name of ['href', 'src', 'style']) expect(el.getAttribute(name) ?? '').not.toMatch(/xss|script|img/i)
    }
  })

  it('shows decoded readings and the pasted text as text', async () => {
    const reading = { source: SCRIPT, code: IMG, name: SCRIPT, meaning: IMG, nextStep: SCRIPT, steps: [IMG] }
    const { container, bridge } = renderDiagnose({ 'diagnose:decode': ok([reading]) })
    const field = screen.getByRole('textbox', { name: 'Paste an error code or message' })
    fireEvent.change(field, { target: { value: IMG } })
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }))
    await act(async () => undefined)
    expect(screen.getByRole('heading', { level: 3, name: `${SCRIPT} ${IMG}` })).toBeTruthy()
    expectInert(container)
    bridge.replies['diagnose:decode'] = ok([])
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }))
    await act(async () => undefined)
    expect(screen.getByText(IMG, { selector: '.decoder-unknown .mono' })).toBeTruthy()
    expectInert(container)
  })
})
