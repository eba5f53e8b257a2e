import { cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeDevice, makeService, renderDiscover, stubListLayout } from './fixtures'

let unstub: () => void = () => undefined
beforeEach(() => {
  unstub = stubListLayout(640)
})
afterEach(() => {
  cleanup()
  unstub()
})

const LAMP = makeDevice({
  id: 'lamp',
  name: 'Kitchen Lamp',
  vendor: 'Acme',
  types: ['_hap._tcp'],
  interfaces: ['wlan0'],
  services: [makeService({ instance: 'Kitchen Lamp HAP', host: 'lamp-1.local', txt: [{ key: 'md', value: 'LightBulb Pro', hex: null, isText: true }] })],
  addresses: [{ address: '192.168.1.50', family: 'IPv4', interface: 'wlan0' }],
})
const PLUG = makeDevice({
  id: 'plug',
  name: 'Desk Plug',
  vendor: 'Shelly',
  types: ['_shelly._tcp', '_http._tcp'],
  interfaces: ['eth0'],
  services: [makeService({ instance: 'shellyplug-s-1A2B', type: '_shelly._tcp', host: 'shellyplug.local', txt: [{ key: 'gen', value: '2', hex: null, isText: true }] })],
  addresses: [{ address: '10.0.0.7', family: 'IPv4', interface: 'eth0' }],
})
const PRINTER = makeDevice({
  id: 'printer',
  name: 'Office Printer',
  types: ['_ipp._tcp'],
  interfaces: ['wlan0', 'eth0'],
  services: [makeService({ instance: 'Office Printer', type: '_ipp._tcp', host: 'printer.local', txt: [] })],
  addresses: [{ address: 'fe80::1234%wlan0', family: 'IPv6', interface: 'wlan0' }],
})

const names = () => within(screen.getByRole('listbox')).queryAllByRole('option').map((o) => o.querySelector('.device-name')?.textContent)
const search = (text: string) => fireEvent.change(screen.getByRole('searchbox'), { target: { value: text } })
const choose = (label: string, value: string) => fireEvent.change(screen.getByRole('combobox', { name: label }), { target: { value } })

async function setup() {
  renderDiscover([PLUG, PRINTER, LAMP])
  await screen.findByRole('listbox')
}

describe('Discover search', () => {
  it('lists every device by name and counts them', async () => {
    await setup()
    expect(names()).toEqual(['Desk Plug', 'Kitchen Lamp', 'Office Printer'])
    expect(screen.getByText('3 of 3 devices')).toBeTruthy()
  })

  it.each([
    ['name', 'kitchen', ['Kitchen Lamp']],
    ['instance', 'shellyplug-s', ['Desk Plug']],
    ['host', 'printer.local', ['Office Printer']],
    ['address', '10.0.0.7', ['Desk Plug']],
    ['IPv6 address', 'fe80::1234', ['Office Printer']],
    ['TXT value', 'lightbulb pro', ['Kitchen Lamp']],
    ['type', '_ipp._tcp', ['Office Printer']],
    ['several words, all required', 'desk _http', ['Desk Plug']],
  ] as const)('matches by %s', async (_what, query, expected) => {
    await setup()
    search(query)
    expect(names()).toEqual(expected)
    expect(screen.getByText(`${expected.length} of 3 devices`)).toBeTruthy()
  })

  it('says when nothing matches and Clear brings everything back', async () => {
    await setup()
    search('nothing like this')
    expect(screen.queryByRole('listbox')).toBeNull()
    expect(screen.getByText('0 of 3 devices')).toBeTruthy()
    const notice = screen.getByText('No device matches the search and filters.').parentElement as HTMLElement
    fireEvent.click(within(notice).getByRole('button', { name: 'Clear search and filters' }))
    expect(names()).toHaveLength(3)
    expect((screen.getByRole('searchbox') as HTMLInputElement).value).toBe('')
  })
})

describe('Discover filters', () => {
  it('offers the service types, interfaces and vendors the devices carry', async () => {
    await setup()
    const options = (label: string) => within(screen.getByRole('combobox', { name: label })).getAllByRole('option').map((o) => o.textContent)
    expect(options('Service type')).toEqual(['Any type', '_hap._tcp', '_http._tcp', '_ipp._tcp', '_shelly._tcp'])
    expect(options('Interface')).toEqual(['Any interface', 'eth0', 'wlan0'])
    expect(options('Vendor')).toEqual(['Any vendor', 'Not stated', 'Acme', 'Shelly'])
  })

  it('filters by service type', async () => {
    await setup()
    choose('Service type', '_http._tcp')
    expect(names()).toEqual(['Desk Plug'])
    expect(screen.getByText('1 of 3 devices')).toBeTruthy()
  })

  it('filters by interface', async () => {
    await setup()
    choose('Interface', 'wlan0')
    expect(names()).toEqual(['Kitchen Lamp', 'Office Printer'])
  })

  it('filters by vendor, and by vendor not stated', async () => {
    await setup()
    choose('Vendor', 'is:Acme')
    expect(names()).toEqual(['Kitchen Lamp'])
    choose('Vendor', 'none')
    expect(names()).toEqual(['Office Printer'])
  })

  it('combines filters with the search, and the toolbar button clears them all', async () => {
    await setup()
    choose('Interface', 'eth0')
    search('printer')
    expect(names()).toEqual(['Office Printer'])
    fireEvent.click(within(screen.getByRole('search')).getByRole('button', { name: 'Clear search and filters' }))
    expect(names()).toHaveLength(3)
    expect((screen.getByRole('combobox', { name: 'Interface' }) as HTMLSelectElement).value).toBe('')
  })
})
