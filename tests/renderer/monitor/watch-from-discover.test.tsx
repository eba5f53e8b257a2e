import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { makeDevice, renderDiscover, stubListLayout } from '../discover/fixtures'
import { makeSession } from './fixtures'

let unstub: () => void = () => undefined
beforeEach(() => {
  unstub = stubListLayout(640)
  window.location.hash = '#/discover'
})
afterEach(() => {
  cleanup()
  unstub()
})

const LAMP = makeDevice({ id: 'lamp', name: 'Porch Lamp' })

async function openLamp(replies: Parameters<typeof renderDiscover>[2]) {
  const view = renderDiscover([LAMP], undefined, replies)
  await act(async () => undefined)
  fireEvent.click(within(screen.getByRole('listbox')).getByText('Porch Lamp'))
  return { ...view, detail: screen.getByRole('region', { name: 'Porch Lamp' }) }
}

describe('Monitor connection in the device detail', () => {
  it('watches the device by id, then opens the Monitor screen', async () => {
    const { bridge, store, detail } = await openLamp({ 'session:watch': ok(makeSession({ id: 's1', label: 'Porch Lamp' })) })
    fireEvent.click(within(detail).getByRole('button', { name: 'Monitor connection' }))
    await act(async () => undefined)
    expect(bridge.calls.at(-1)).toBe('session:watch')
    expect(bridge.payloads.at(-1)).toEqual({ target: { kind: 'device', deviceId: 'lamp' } })
    expect(store.getState().monitorSessions.has('s1')).toBe(true)
    expect(store.getState().screen).toBe('monitor')
    expect(window.location.hash).toBe('#/monitor')
  })

  it('stays on Discover and says why when the host refuses', async () => {
    const message = 'This device announces no service Porchlight can check. Watch it by address in Monitor.'
    const { store, detail } = await openLamp({ 'session:watch': fail({ code: 'not-supported', message }) })
    fireEvent.click(within(detail).getByRole('button', { name: 'Monitor connection' }))
    await act(async () => undefined)
    expect(store.getState().screen).toBe('discover')
    expect(within(detail).getByRole('alert').textContent).toBe(`Could not start monitoring: ${message}`)
  })
})
