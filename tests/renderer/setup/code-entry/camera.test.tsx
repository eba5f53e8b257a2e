/**
 * Scanning with the camera, against a stubbed navigator.mediaDevices.getUserMedia (the browser API, not the
 * component): what is asked for, what each failure says, and that every track is stopped on success, stop,
 * unmount and disable. Frames come from an injected grabber returning real QR images.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { CAMERA_MESSAGES, cameraProblem } from '../../../../renderer/features/setup/code-entry/camera-errors'
import { CodeEntry } from '../../../../renderer/features/setup/code-entry/code-entry'
import type { DecodeOptions, RgbaImage } from '../../../../renderer/features/setup/code-entry/decode-qr'
import { CANARY_POP, PAYLOAD, PAYLOAD_CODE, pageText, renderCodeEntry, guardConsoleAgainstCanaries } from './fixtures'
import { qrImage } from './qr-raster'

function fakeStream() {
  const tracks = [{ kind: 'video', stop: vi.fn() }]
  return { stream: { getTracks: () => tracks, getVideoTracks: () => tracks } as unknown as MediaStream, tracks }
}

function stubCamera(getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>) {
  const spy = vi.fn(getUserMedia)
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: spy } })
  return spy
}

/** A grabber that shows `frames` in turn, then keeps showing the last one. */
function frames(...images: (RgbaImage | null)[]) {
  let i = 0
  return vi.fn(() => images[Math.min(i++, images.length - 1)] ?? null)
}

const startButton = () => screen.getByRole('button', { name: 'Scan with camera' })
const denied = (name: string) => () => Promise.reject(new DOMException('camera refused', name))

guardConsoleAgainstCanaries('mediaDevices')

describe('camera failures', () => {
  it.each([
    ['NotAllowedError', 'denied', /not allowed to use the camera\. Allow camera access/],
    ['SecurityError', 'denied', /not allowed to use the camera/],
    ['NotFoundError', 'no-camera', /^No camera was found\. .*“Choose an image”/],
    ['OverconstrainedError', 'no-camera', /^No camera was found/],
    ['NotReadableError', 'in-use', /^The camera is in use by another app/],
    ['AbortError', 'in-use', /^The camera is in use by another app/],
    ['TypeError', 'failed', /^The camera could not start/],
  ] as const)('%s says what happened and what to do instead', async (name, problem, message) => {
    stubCamera(denied(name))
    renderCodeEntry()
    fireEvent.click(startButton())
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(message))
    expect(cameraProblem(new DOMException('x', name))).toBe(problem)
    expect(screen.queryByLabelText('Camera preview')).toBeNull()
    expect(startButton()).toBeTruthy()
  })

  it('says the window cannot use a camera when there is no mediaDevices at all', () => {
    renderCodeEntry()
    fireEvent.click(startButton())
    expect(screen.getByRole('alert').textContent).toBe(CAMERA_MESSAGES.unavailable)
  })

  it('classifies values that are not errors as a plain failure', () => {
    expect(cameraProblem(undefined)).toBe('failed')
    expect(cameraProblem('NotAllowedError')).toBe('failed')
  })
})

describe('scanning', () => {
  it('asks for the rear camera and video only, shows a preview, and stops every track once a code is read', async () => {
    const { stream, tracks } = fakeStream()
    const getUserMedia = stubCamera(async () => stream)
    const grabFrame = frames(null, null, qrImage(PAYLOAD))
    const { codes } = renderCodeEntry({ io: { grabFrame } })
    fireEvent.click(startButton())
    expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: 'environment' }, audio: false })
    const video = (await screen.findByLabelText('Camera preview')) as HTMLVideoElement & { srcObject: unknown }
    await waitFor(() => expect(video.srcObject).toBe(stream))
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
    expect(tracks[0]?.stop).toHaveBeenCalledTimes(1)
    expect(screen.queryByLabelText('Camera preview')).toBeNull()
    expect(screen.getByRole('status').textContent).toBe('Read: Setup code for PROV_CE03C0, with the password of its setup network.')
    expect(pageText()).not.toContain(CANARY_POP)
    const calls = grabFrame.mock.calls.length
    await act(() => new Promise((r) => setTimeout(r, 300)))
    expect(grabFrame.mock.calls.length).toBe(calls)
  })

  it('keeps scanning past a QR code that is not a setup code, says what it is, and takes the next good one', async () => {
    const { stream, tracks } = fakeStream()
    stubCamera(async () => stream)
    const homekit = qrImage('X-HM://00713L3UQ7OSX')
    const decode = vi.fn((image: RgbaImage, _options?: DecodeOptions) => (image === homekit ? 'X-HM://00713L3UQ7OSX' : image.width > 0 ? PAYLOAD : null))
    const good: RgbaImage = { data: new Uint8ClampedArray(4), width: 1, height: 1 }
    const { codes } = renderCodeEntry({ io: { grabFrame: frames(homekit, homekit, homekit, good), decode } })
    fireEvent.click(startButton())
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/HomeKit setup code/))
    expect(tracks[0]?.stop).not.toHaveBeenCalled()
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
    expect(tracks[0]?.stop).toHaveBeenCalled()
    expect(decode.mock.calls.every(([, options]) => options?.tryInverted === false)).toBe(true)
  })

  it('stops every track on Stop camera', async () => {
    const { stream, tracks } = fakeStream()
    stubCamera(async () => stream)
    renderCodeEntry({ io: { grabFrame: frames(null) } })
    fireEvent.click(startButton())
    fireEvent.click(await screen.findByRole('button', { name: 'Stop camera' }))
    expect(tracks[0]?.stop).toHaveBeenCalledTimes(1)
    expect(screen.queryByLabelText('Camera preview')).toBeNull()
  })

  it('stops every track on unmount, and when disabled', async () => {
    const first = fakeStream()
    stubCamera(async () => first.stream)
    const view = renderCodeEntry({ io: { grabFrame: frames(null) } })
    fireEvent.click(startButton())
    await screen.findByRole('button', { name: 'Stop camera' })
    view.unmount()
    expect(first.tracks[0]?.stop).toHaveBeenCalledTimes(1)

    const second = fakeStream()
    stubCamera(async () => second.stream)
    const onCode = vi.fn()
    const again = renderCodeEntry({ onCode, io: { grabFrame: frames(null) } })
    fireEvent.click(startButton())
    await screen.findByRole('button', { name: 'Stop camera' })
    again.rerender(<CodeEntry onCode={onCode} disabled />)
    await waitFor(() => expect(second.tracks[0]?.stop).toHaveBeenCalledTimes(1))
    expect(startButton()).toHaveProperty('disabled', true)
  })

  it('releases a camera that arrives after the component is gone', async () => {
    const { stream, tracks } = fakeStream()
    let grant: (s: MediaStream) => void = () => undefined
    stubCamera(() => new Promise((resolve) => (grant = resolve)))
    const view = renderCodeEntry()
    fireEvent.click(startButton())
    view.unmount()
    await act(async () => grant(stream))
    expect(tracks[0]?.stop).toHaveBeenCalledTimes(1)
  })

  it('warns about a code for another accessory and waits for the user', async () => {
    const { stream } = fakeStream()
    stubCamera(async () => stream)
    const { codes } = renderCodeEntry({ expectedName: 'PROV_AAAAAA', io: { grabFrame: frames(qrImage(PAYLOAD)) } })
    fireEvent.click(startButton())
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('This code is for PROV_CE03C0, not PROV_AAAAAA.'))
    expect(codes).toEqual([])
    fireEvent.click(screen.getByRole('button', { name: 'Use it anyway' }))
    expect(codes).toEqual([PAYLOAD_CODE])
  })
})
