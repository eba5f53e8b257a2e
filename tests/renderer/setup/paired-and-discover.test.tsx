import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { makeDevice, makeService, renderDiscover, stubListLayout } from '../discover/fixtures'
import { idleReplies, LAN, NOW, radio, renderSetup, renderSetupApp, settle } from './fixtures'

vi.mock('../../../renderer/features/setup/code-entry/code-entry', () => import('./fake-code-entry'))

let unstub: () => void = () => undefined
beforeEach(() => {
  unstub = stubListLayout(640)
  window.location.hash = '#/discover'
})
afterEach(() => {
  cleanup()
  unstub()
})

describe('Paired accessories', () => {
  const lamp = { deviceId: 'd1', name: 'Porch Lamp', protocol: 'esp-unified', security: 1, network: 'HomeNet', address: '192.168.1.9', pairedAt: NOW }

  it('lists them with where they are, and Forget removes one', async () => {
    const { bridge } = await renderSetup({ 'trust:list': ok([lamp]), 'trust:forget': ok({ removed: true }) })
    const region = screen.getByRole('region', { name: 'Paired accessories' })
    expect(within(region).getByText('Porch Lamp')).toBeTruthy()
    expect(within(region).getByText(/on “HomeNet” at 192\.168\.1\.9/)).toBeTruthy()
    fireEvent.click(within(region).getByRole('button', { name: 'Forget' }))
    await settle()
    expect(bridge.payloads[bridge.calls.lastIndexOf('trust:forget')]).toEqual({ deviceId: 'd1' })
    expect(within(region).queryByText('Porch Lamp')).toBeNull()
  })

  it('says when Forget failed and keeps the accessory', async () => {
    await renderSetup({ 'trust:list': ok([lamp]), 'trust:forget': fail({ code: 'internal', message: 'Could not write the trust store.' }) })
    const region = screen.getByRole('region', { name: 'Paired accessories' })
    fireEvent.click(within(region).getByRole('button', { name: 'Forget' }))
    await settle()
    expect(within(region).getByRole('alert').textContent).toBe('Could not write the trust store.')
    expect(within(region).getByText('Porch Lamp')).toBeTruthy()
  })
})

describe('Set up from Discover', () => {
  const prov = makeService({ instance: 'Porch Sensor', type: '_esp_wifi_prov._tcp', port: 80, txt: [{ key: 'id', value: 'AB12', hex: '', isText: true }] })

  it('offers Set up only for a device that can be provisioned on the network, and opens Set up with it selected', async () => {
    const sensor = makeDevice({ id: 'sensor', name: 'Porch Sensor', services: [prov] })
    const { store } = renderDiscover([sensor, makeDevice({ id: 'lamp', name: 'Porch Lamp' })], undefined, idleReplies())
    await act(async () => undefined)
    fireEvent.click(within(screen.getByRole('listbox')).getByText('Porch Lamp'))
    expect(within(screen.getByRole('region', { name: 'Porch Lamp' })).queryByRole('button', { name: 'Set up' })).toBeNull()
    fireEvent.click(within(screen.getByRole('listbox')).getByText('Porch Sensor'))
    fireEvent.click(within(screen.getByRole('region', { name: 'Porch Sensor' })).getByRole('button', { name: 'Set up' }))
    expect(store.getState().screen).toBe('setup')
    expect(window.location.hash).toBe('#/setup')
    expect(store.getState().setupPreselect?.key).toBe('lan:sensor')
  })

  it('the start form selects the device Discover asked for (listed once when the host lists it too)', async () => {
    const { store } = await renderSetupApp({}, 'discover')
    act(() => {
      store.getState().preselectSetup({ ...LAN })
      store.getState().navigate('setup')
    })
    await settle()
    expect(radio('Porch Sensor').checked).toBe(true)
    expect(store.getState().setupPreselect).toBeNull()
  })
})
