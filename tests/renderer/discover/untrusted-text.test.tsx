import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ok } from '../../../shared/ipc'
import { makeDevice, makePacket, makeService, makeStatus, renderDiscover, stubListLayout } from './fixtures'

const IMG = '<img src=x onerror=window.__xss=1>'
const SCRIPT = '<script>window.__xss=2</script>'

declare global {
  interface Window {
    __xss?: number
  }
}

let unstub: () => void = () => undefined
beforeEach(() => {
  unstub = stubListLayout(640)
  delete window.__xss
})
afterEach(() => {
  cleanup()
  unstub()
})

const HOSTILE = makeDevice({
  id: 'evil',
  name: IMG,
  vendor: SCRIPT,
  model: IMG,
  types: [`_x${SCRIPT}._tcp`],
  interfaces: ['wlan0'],
  services: [
    makeService({
      instance: SCRIPT,
      host: `${IMG}.local`,
      subtypes: [IMG],
      txt: [
        { key: IMG, value: SCRIPT, hex: null, isText: true },
        { key: 'note', value: IMG, hex: null, isText: true },
      ],
    }),
  ],
  history: [{ at: Date.now(), event: 'changed', detail: IMG }],
})

function expectInert(container: HTMLElement) {
  expect(container.querySelector('img')).toBeNull()
  expect(container.querySelector('script')).toBeNull()
  expect(container.querySelector('[onerror]')).toBeNull()
  expect(document.querySelector('img, script')).toBeNull()
  expect(window.__xss).toBeUndefined()
}

describe('names, TXT and everything else from devices are untrusted', () => {
  it('render as literal text in the list, the filters and the detail, creating no element and running nothing', async () => {
    const { container } = renderDiscover([HOSTILE], makeStatus(), {
      'discovery:packets': ok([makePacket({ from: IMG, interface: SCRIPT, lines: [IMG, SCRIPT] })]),
    })
    const list = await screen.findByRole('listbox')
    expect(within(list).getByText(IMG).className).toBe('device-name')
    expectInert(container)

    const vendors = within(screen.getByRole('combobox', { name: 'Vendor' })).getAllByRole('option').map((o) => o.textContent)
    expect(vendors).toContain(SCRIPT)

    fireEvent.click(within(list).getByText(IMG))
    const detail = screen.getByRole('region', { name: IMG })
    const d = within(detail)
    expect(d.getByRole('heading', { level: 2 }).textContent).toBe(IMG)
    expect(d.getByRole('heading', { level: 4 }).textContent).toBe(SCRIPT)
    expect(d.getByText(`${IMG}.local:8080`)).toBeTruthy()
    expect(d.getByRole('rowheader', { name: IMG }).closest('tr')?.querySelector('td')?.textContent).toBe(SCRIPT)
    expect(d.getByRole('rowheader', { name: 'note' }).closest('tr')?.querySelector('td')?.textContent).toBe(IMG)
    expect(d.getAllByText(SCRIPT).length).toBeGreaterThan(1)
    expectInert(container)

    fireEvent.click(d.getByRole('button', { name: 'Show raw packets' }))
    await act(async () => undefined)
    const packets = within(screen.getByRole('region', { name: 'Raw packets' }))
    expect(packets.getByText(`from ${IMG}`)).toBeTruthy()
    expect(packets.getByLabelText('Decoded records').textContent).toBe(`${IMG}\n${SCRIPT}`)
    expectInert(container)
    expect(container.innerHTML).toContain('&lt;img src=x onerror=window.__xss=1&gt;')
  })

  it('never puts device data into href, src or style attributes', async () => {
    const { container } = renderDiscover([HOSTILE])
    await screen.findByRole('listbox')
    fireEvent.click(within(screen.getByRole('listbox')).getByText(IMG))
    for (const el of container.querySelectorAll('*')) {
      for (const name of ['href', 'src', 'style']) {
        const value = el.getAttribute(name) ?? ''
        expect(value).not.toMatch(/xss|script|img/i)
      }
    }
  })

  it('search text with markup is only a search term', async () => {
    const { container } = renderDiscover([HOSTILE, makeDevice({ id: 'ok', name: 'Plain' })])
    await screen.findByRole('listbox')
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: '<script>' } })
    const names = within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.querySelector('.device-name')?.textContent)
    expect(names).toEqual([IMG])
    expectInert(container)
  })
})
