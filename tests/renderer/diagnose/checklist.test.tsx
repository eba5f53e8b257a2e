/**
 * The report as support staff read it on a call: the verdict first, then the checklist grouped by part,
 * statuses as words, what to do with numbered steps, why a check was skipped, and the facts on request.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ok } from '../../../shared/ipc'
import { makeCheck, makeReport, renderDiagnose } from './fixtures'

afterEach(cleanup)

async function runWith(report = makeReport()) {
  const view = renderDiagnose({ 'diagnose:run': ok(report) })
  fireEvent.click(screen.getByRole('button', { name: 'Run checks' }))
  await act(async () => undefined)
  return view
}

const checklist = () => screen.getByRole('region', { name: 'Checklist' })
const checkItem = (title: string) => screen.getByText(title, { selector: '.check-title-text' }).closest('li') as HTMLElement

describe('before the first run', () => {
  it('says no checks ran yet, and runs nothing on its own (a run sends probes)', async () => {
    const { bridge } = renderDiagnose()
    await act(async () => undefined)
    expect(screen.getByRole('region', { name: 'No checks run yet' })).toBeTruthy()
    expect(bridge.calls).toEqual(['net:interfaces'])
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Diagnose')
    // This computer's interfaces stay on the screen, live.
    expect(await screen.findByRole('table')).toBeTruthy()
  })
})

describe('the verdict', () => {
  it('leads with the worst status in words, the counts, and what needs attention first', async () => {
    await runWith()
    const verdict = screen.getByRole('region', { name: 'Something needs fixing' })
    const v = within(verdict)
    expect(v.getByText('Fail', { selector: '.check-status' }).textContent).toBe('✕ Fail')
    expect(v.getByText('1 failed, 1 warning, 3 passed, 1 skipped.')).toBeTruthy()
    expect(v.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Multicast on wlan0 (Fail)', 'VPN or tunnel (Warning)'])
    expect(v.getByText(/Porchlight 0\.1\.0, web host, linux 6\.8\.0 \(x64\)/).textContent).toMatch(/in 4\.2 s/)
  })

  it('says so when everything passed, with no attention list', async () => {
    await runWith(makeReport({ status: 'pass', checks: [makeCheck({ id: 'a' }), makeCheck({ id: 'b', group: 'dns' })] }))
    const verdict = screen.getByRole('region', { name: 'All checks passed' })
    expect(within(verdict).getByText('2 passed.')).toBeTruthy()
    expect(within(verdict).queryByRole('list')).toBeNull()
  })
})

describe('the checklist', () => {
  it('groups checks by part in a fixed order, each group with its worst status and counts', async () => {
    await runWith()
    const groups = within(checklist()).getAllByRole('region')
    expect(groups.map((g) => within(g).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'This computer', 'Multicast and broadcast', 'System resolver', 'DNS', 'Ports',
    ])
    const host = groups[0] as HTMLElement
    expect(within(host).getAllByRole('heading', { level: 4 }).map((h) => h.textContent)).toEqual(['✓ Pass Default route', '! Warning VPN or tunnel'])
    expect(host.querySelector('.check-group-header')?.textContent).toBe('This computer! Warning1 warning, 1 passed')
  })

  it('names each check by its status in words and its title; the icon is hidden from screen readers', async () => {
    await runWith()
    const c = within(checklist())
    for (const name of ['Fail Multicast on wlan0', 'Warning VPN or tunnel', 'Pass Default route', 'Skipped System resolver']) {
      expect(c.getByRole('heading', { level: 4, name })).toBeTruthy()
    }
    for (const icon of checklist().querySelectorAll('.status-icon')) expect(icon.getAttribute('aria-hidden')).toBe('true')
  })

  it('shows what to do with numbered steps, and no "What to do" for a pass', async () => {
    await runWith()
    const failed = within(checkItem('Multicast on wlan0'))
    expect(failed.getByText('Our own multicast probe did not come back on wlan0; broadcast did.')).toBeTruthy()
    expect(failed.getByText('What to do')).toBeTruthy()
    expect(failed.getByText('Allow Porchlight under Local Network.')).toBeTruthy()
    const steps = failed.getByRole('list')
    expect(steps.tagName).toBe('OL')
    expect(within(steps).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Open System Settings › Privacy & Security › Local Network.', 'Turn Porchlight on.', 'Quit and reopen Porchlight.',
    ])
    expect(within(checkItem('VPN or tunnel')).getByText('If devices go missing, disconnect the VPN and try again.')).toBeTruthy()
    expect(within(checkItem('Default route')).queryByText('What to do')).toBeNull()
  })

  it('says why a skipped check could not run', async () => {
    await runWith()
    expect(checkItem('System resolver').querySelector('.check-summary')?.textContent).toBe('Not checked: dns-sd is not installed on this computer.')
  })

  it('shows a check’s facts on request as a readable definition list, nested for objects and lists', async () => {
    await runWith()
    const item = checkItem('Multicast on wlan0')
    const toggle = within(item).getByRole('button', { name: 'Show details' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(item.querySelector('dl')).toBeNull()
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(toggle.textContent).toBe('Hide details')
    const box = document.getElementById(toggle.getAttribute('aria-controls') ?? '') as HTMLElement
    expect(box.hidden).toBe(false)
    const outer = box.querySelector('dl') as HTMLElement
    const terms = [...outer.children].filter((el) => el.tagName === 'DT').map((dt) => dt.textContent)
    expect(terms).toEqual(['Interface', 'Multicast', 'Broadcast', 'Error'])
    const multicast = [...outer.children].find((el) => el.textContent === 'Multicast')?.nextElementSibling as HTMLElement
    expect([...multicast.querySelectorAll('dt')].map((dt) => `${dt.textContent}=${dt.nextElementSibling?.textContent}`)).toEqual(['Sent=3', 'Received=0'])
    expect([...outer.children].find((el) => el.textContent === 'Error')?.nextElementSibling?.textContent).toBe('None')

    const route = checkItem('Default route')
    fireEvent.click(within(route).getByRole('button', { name: 'Show details' }))
    const routeFacts = within(route.querySelector('.check-facts-box') as HTMLElement)
    expect(routeFacts.getByText('Default route v4')).toBeTruthy()
    expect(routeFacts.getByText('Via vpn').nextElementSibling?.textContent).toBe('No')
    expect(routeFacts.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['192.168.1.1', 'fe80::1%wlan0'])

    fireEvent.click(toggle)
    expect(box.hidden).toBe(true)
    expect(box.querySelector('dl')).toBeNull()
  })

  it('offers no details button for a check without facts', async () => {
    await runWith()
    expect(within(checkItem('VPN or tunnel')).queryByRole('button')).toBeNull()
  })
})
