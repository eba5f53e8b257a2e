// The start form with the real CodeEntry (the other tests use a stand-in with the same props).
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ok } from '../../../shared/ipc'
import { lastPayload, makeView, radio, renderSetup, settle, storeText } from './fixtures'

afterEach(cleanup)

describe('the start form with CodeEntry', () => {
  it('starts with a typed code, which stays out of the store and the page text', async () => {
    const { bridge, store } = await renderSetup({ 'setup:start': ok(makeView()) })
    fireEvent.click(radio('PROV_AB12'))
    fireEvent.change(screen.getByLabelText('Setup code (proof of possession)'), { target: { value: 'abcd1234' } })
    fireEvent.click(screen.getByRole('button', { name: 'Use this code' }))
    await settle()
    fireEvent.click(screen.getByRole('button', { name: 'Start setup' }))
    await settle()
    const payload = lastPayload(bridge, 'setup:start') as { target: unknown; code: { pop?: string }; category: string }
    expect(payload.target).toEqual({ kind: 'softap', ssid: 'PROV_AB12' })
    expect(payload.code.pop).toBe('abcd1234')
    expect(payload.category).toBe('bound')
    expect(storeText(store)).not.toContain('abcd1234')
    expect(document.body.textContent).not.toContain('abcd1234')
  })
})
