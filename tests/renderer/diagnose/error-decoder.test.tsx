/** The error decoder: what is sent, how readings read, "Unknown code", and the host's failure. */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { DecodedErrorView } from '../../../shared/diagnose/view'
import { fail, ok } from '../../../shared/ipc'
import { renderDiagnose } from './fixtures'

afterEach(cleanup)

const EHOSTUNREACH: DecodedErrorView = {
  source: 'errno (macOS)',
  code: '65',
  name: 'EHOSTUNREACH',
  meaning: 'No route to host. On a local address, macOS says this when Local Network access is off for the app.',
  nextStep: 'Allow Porchlight under Local Network.',
  steps: ['Open System Settings › Privacy & Security › Local Network.', 'Turn Porchlight on.'],
}
const ENOPKG: DecodedErrorView = { source: 'errno (Linux)', code: '65', name: 'ENOPKG', meaning: 'Package not installed.', nextStep: 'Unlikely on a network call.' }

const field = () => screen.getByRole('textbox', { name: 'Paste an error code or message' })
const explain = () => screen.getByRole('button', { name: 'Explain' })
const panel = () => screen.getByRole('region', { name: 'Error decoder' })

async function decode(text: string) {
  fireEvent.change(field(), { target: { value: text } })
  fireEvent.click(explain())
  await act(async () => undefined)
}

describe('the error decoder', () => {
  it('sends the pasted text (trimmed) and shows every reading with its meaning and next step', async () => {
    const { bridge } = renderDiagnose({ 'diagnose:decode': ok([EHOSTUNREACH, ENOPKG]) })
    await decode('  65\n')
    expect(bridge.calls.at(-1)).toBe('diagnose:decode')
    expect(bridge.payloads.at(-1)).toEqual({ text: '65' })
    const p = within(panel())
    expect(p.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['EHOSTUNREACH 65', 'ENOPKG 65'])
    const first = p.getByRole('heading', { level: 3, name: 'EHOSTUNREACH 65' }).closest('li') as HTMLElement
    expect(within(first).getByText('errno (macOS)')).toBeTruthy()
    expect(within(first).getByText(EHOSTUNREACH.meaning)).toBeTruthy()
    expect(first.querySelector('.check-advice-text')?.textContent).toBe('Next step: Allow Porchlight under Local Network.')
    expect([...first.querySelectorAll('ol li')].map((li) => li.textContent)).toEqual(EHOSTUNREACH.steps)
    expect(panel().querySelector('[aria-live]')?.textContent).toBe('2 readings found.')
  })

  it('says "Unknown code" when nothing matched, quoting what was pasted', async () => {
    renderDiagnose({ 'diagnose:decode': ok([]) })
    await decode('the frobnicator is sad')
    const unknown = within(panel()).getByRole('heading', { level: 3, name: 'Unknown code' }).parentElement as HTMLElement
    expect(unknown.textContent).toMatch(/Porchlight does not recognise “the frobnicator is sad”/)
    expect(panel().querySelector('[aria-live]')?.textContent).toBe('Unknown code.')
  })

  it('asks for text instead of sending an empty one', async () => {
    const { bridge } = renderDiagnose({ 'diagnose:decode': ok([]) })
    await decode('   ')
    expect(bridge.calls).not.toContain('diagnose:decode')
    expect(field().getAttribute('aria-invalid')).toBe('true')
    expect(field().getAttribute('aria-describedby')).toMatch(/-error$/)
    expect(screen.getByText('Paste a code or message first.')).toBeTruthy()
    await decode('ECONNREFUSED')
    expect(field().getAttribute('aria-invalid')).toBe('false')
    expect(screen.queryByText('Paste a code or message first.')).toBeNull()
  })

  it('shows the host’s reason when it could not decode', async () => {
    renderDiagnose({ 'diagnose:decode': fail({ code: 'invalid-request', message: 'The text is longer than 4096 characters.' }) })
    await decode('x')
    expect(within(panel()).getByRole('alert').textContent).toBe('Could not look it up: The text is longer than 4096 characters.')
  })

  it('keeps the field within what the channel accepts', () => {
    renderDiagnose()
    expect(field().getAttribute('maxlength')).toBe('4096')
  })
})
