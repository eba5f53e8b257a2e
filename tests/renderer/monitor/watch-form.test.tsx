import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { fail, ok } from '../../../shared/ipc'
import { WatchRequest } from '../../../shared/session/view'
import { makeSession, renderMonitor } from './fixtures'

afterEach(cleanup)

async function openForm(replies: Parameters<typeof renderMonitor>[1] = {}) {
  const view = renderMonitor([], replies)
  await act(async () => undefined)
  const form = screen.getByRole('form', { name: 'Watch an address' })
  const f = within(form)
  const type = (label: string, value: string) => fireEvent.change(f.getByLabelText(label), { target: { value } })
  const submit = async () => {
    fireEvent.click(f.getByRole('button', { name: 'Watch' }))
    await act(async () => undefined)
  }
  return { ...view, form, f, type, submit }
}

const errorOf = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'))?.textContent

describe('watch an address', () => {
  it('rejects an empty form with a plain-language message per field, focuses the first, and sends nothing', async () => {
    const { bridge, f, type, submit } = await openForm()
    type('Check every (seconds)', '')
    await submit()
    const host = f.getByLabelText('Host or IP address')
    const port = f.getByLabelText('Port')
    expect(host.getAttribute('aria-invalid')).toBe('true')
    expect(errorOf(host)).toBe('Enter the accessory’s host name or IP address (up to 80 characters).')
    expect(errorOf(port)).toBe('Enter a port number from 1 to 65535.')
    expect(errorOf(f.getByLabelText('Check every (seconds)'))).toBe('Enter how often to check, from 0.2 to 60 seconds.')
    expect(document.activeElement).toBe(host)
    expect(bridge.calls).toEqual(['session:list'])
  })

  it.each([
    ['Port', '70000', 'Enter a port number from 1 to 65535.'],
    ['Port', '80.5', 'Enter a port number from 1 to 65535.'],
    ['Port', 'http', 'Enter a port number from 1 to 65535.'],
    ['Check every (seconds)', '0.1', 'Enter how often to check, from 0.2 to 60 seconds.'],
    ['Check every (seconds)', '61', 'Enter how often to check, from 0.2 to 60 seconds.'],
  ])('rejects %s = %j', async (label, value, message) => {
    const { bridge, f, type, submit } = await openForm()
    type('Host or IP address', 'lamp.local')
    type('Port', '80')
    type(label, value)
    await submit()
    expect(errorOf(f.getByLabelText(label))).toBe(message)
    expect(f.getByLabelText('Host or IP address').getAttribute('aria-invalid')).toBe('false')
    expect(bridge.calls).toEqual(['session:list'])
  })

  it('asks for hex bytes with TCP heartbeat and a path with HTTP polling', async () => {
    const { f, type, submit } = await openForm()
    type('Host or IP address', 'lamp.local')
    type('Port', '80')
    fireEvent.change(f.getByLabelText('Check with'), { target: { value: 'tcp-heartbeat' } })
    type('Bytes to send (hex)', 'xyz')
    await submit()
    expect(errorOf(f.getByLabelText('Bytes to send (hex)'))).toBe('Enter the bytes to send as hex pairs, for example 70696e67 (1 to 256 bytes).')
    expect(document.activeElement).toBe(f.getByLabelText('Bytes to send (hex)'))
    fireEvent.change(f.getByLabelText('Check with'), { target: { value: 'http-poll' } })
    expect(f.queryByLabelText('Bytes to send (hex)')).toBeNull()
    type('Path', 'status page')
    await submit()
    expect(errorOf(f.getByLabelText('Path'))).toBe('Enter a path that starts with /, without spaces, for example /status.')
  })

  it('sends a valid WatchRequest and says it is watching; the session appears in the list', async () => {
    const session = makeSession({ id: 'n', label: '10.0.0.9:8080' })
    const { bridge, f, type, submit } = await openForm({ 'session:watch': ok(session) })
    type('Host or IP address', ' 10.0.0.9 ')
    type('Port', '8080')
    fireEvent.change(f.getByLabelText('Check with'), { target: { value: 'tcp-heartbeat' } })
    type('Bytes to send (hex)', '70 69 6E 67')
    type('Check every (seconds)', '2.5')
    await submit()
    const sent = bridge.payloads.at(-1)
    expect(bridge.calls.at(-1)).toBe('session:watch')
    expect(sent).toEqual({
      target: { kind: 'address', host: '10.0.0.9', port: 8080 },
      protocol: { kind: 'tcp-heartbeat', requestHex: '70696E67' },
      intervalMs: 2500,
    })
    expect(WatchRequest.safeParse(sent).success).toBe(true)
    expect(f.getByRole('status').textContent).toBe('Now watching 10.0.0.9:8080.')
    expect(screen.getByRole('region', { name: '10.0.0.9:8080' })).toBeTruthy()
  })

  it.each([
    ['lab-control', { kind: 'lab-control' }],
    ['http-poll', { kind: 'http-poll', path: '/' }],
    ['esp-endpoint', { kind: 'esp-endpoint' }],
  ] as const)('sends the %s protocol as the contract wants it', async (kind, protocol) => {
    const { bridge, f, type, submit } = await openForm({ 'session:watch': ok(makeSession({ id: 'n' })) })
    type('Host or IP address', 'lamp.local')
    type('Port', '7000')
    fireEvent.change(f.getByLabelText('Check with'), { target: { value: kind } })
    await submit()
    expect(bridge.payloads.at(-1)).toEqual({ target: { kind: 'address', host: 'lamp.local', port: 7000 }, protocol, intervalMs: 1000 })
  })

  it('shows the host’s refusal in plain language', async () => {
    const message = 'Nothing answered at lamp.local:7000. Check the address and port.'
    const { f, type, submit } = await openForm({ 'session:watch': fail({ code: 'unavailable', message }) })
    type('Host or IP address', 'lamp.local')
    type('Port', '7000')
    await submit()
    expect(f.getByRole('alert').textContent).toBe(`Could not start watching: ${message}`)
    expect(f.getByRole('status').textContent).toBe('')
  })
})
