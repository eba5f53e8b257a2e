/**
 * CodeEntry without a camera: typing the code, pasting a payload or an image, choosing an image file (the
 * rasterizer injected, the QR decoder real), the clipboard button, and a code for another accessory.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import type { RgbaImage } from '../../../../renderer/features/setup/code-entry/decode-qr'
import { SMALL_SIDE, STILL_SIDE } from '../../../../renderer/features/setup/code-entry/image-pixels'
import { CANARY_AP, CANARY_POP, PAYLOAD, PAYLOAD_CODE, pageText, renderCodeEntry, guardConsoleAgainstCanaries } from './fixtures'
import { noiseImage, qrImage } from './qr-raster'

guardConsoleAgainstCanaries('clipboard')

const manual = () => within(screen.getByRole('form', { name: 'Type the code' }))
const codeField = () => manual().getByLabelText('Setup code (proof of possession)') as HTMLInputElement
const describedError = (input: HTMLElement) =>
  (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'))?.textContent

function paste(target: Element, data: { text?: string; files?: File[] }) {
  fireEvent.paste(target, { clipboardData: { getData: (type: string) => (type === 'text/plain' ? (data.text ?? '') : ''), files: data.files ?? [] } })
}

describe('typing the code', () => {
  it('hides the code by default, shows it on request, and hides it again', () => {
    renderCodeEntry()
    expect(codeField().type).toBe('password')
    const toggle = manual().getByRole('button', { name: 'Show code' })
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    fireEvent.click(toggle)
    expect(codeField().type).toBe('text')
    expect(manual().getByRole('button', { name: 'Hide code' }).getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(manual().getByRole('button', { name: 'Hide code' }))
    expect(codeField().type).toBe('password')
  })

  it('hands over the trimmed code, clears the field, and says what was read without the code', () => {
    const { codes } = renderCodeEntry()
    fireEvent.change(codeField(), { target: { value: `  ${CANARY_POP} ` } })
    fireEvent.click(manual().getByRole('button', { name: 'Use this code' }))
    expect(codes).toEqual([{ pop: CANARY_POP }])
    expect(codeField().value).toBe('')
    expect(screen.getByRole('status').textContent).toBe('Read: Setup code (typed).')
    expect(pageText()).not.toContain(CANARY_POP)
  })

  it('a username makes it a security 2 code', () => {
    const { codes } = renderCodeEntry()
    fireEvent.change(codeField(), { target: { value: CANARY_POP } })
    fireEvent.change(manual().getByLabelText('Username (security 2 only, optional)'), { target: { value: 'wifiprov' } })
    fireEvent.click(manual().getByRole('button', { name: 'Use this code' }))
    expect(codes).toEqual([{ pop: CANARY_POP, username: 'wifiprov', security: 2 }])
    expect(screen.getByRole('status').textContent).toBe('Read: Security 2 code (typed).')
  })

  it.each([
    ['nothing', '', 'Scan the accessory’s QR code, or type the setup code printed on its label.'],
    ['65 characters', `${CANARY_POP}${'x'.repeat(65 - CANARY_POP.length)}`, 'A setup code has 1 to 64 characters, with no line breaks or invisible characters. Check the code on the label and type it again.'],
    ['an invisible character', `${CANARY_POP}\u200B`, 'A setup code has 1 to 64 characters, with no line breaks or invisible characters. Check the code on the label and type it again.'],
  ])('refuses %s with a message on the field, focuses it, and hands nothing over', (_label, value, message) => {
    const { codes } = renderCodeEntry()
    fireEvent.change(codeField(), { target: { value } })
    fireEvent.click(manual().getByRole('button', { name: 'Use this code' }))
    expect(codes).toEqual([])
    expect(codeField().getAttribute('aria-invalid')).toBe('true')
    expect(describedError(codeField())).toBe(message)
    expect(document.activeElement).toBe(codeField())
    expect(document.body.textContent).not.toContain(CANARY_POP)
  })

  it('puts a username problem on the username field', () => {
    renderCodeEntry()
    const user = manual().getByLabelText('Username (security 2 only, optional)')
    fireEvent.change(codeField(), { target: { value: CANARY_POP } })
    fireEvent.change(user, { target: { value: 'u'.repeat(65) } })
    fireEvent.click(manual().getByRole('button', { name: 'Use this code' }))
    expect(user.getAttribute('aria-invalid')).toBe('true')
    expect(codeField().getAttribute('aria-invalid')).toBe('false')
    expect(document.activeElement).toBe(user)
  })

  it('explains where the code is printed on an accessory without a screen', () => {
    renderCodeEntry()
    const help = screen.getByRole('complementary', { name: /No screen on the accessory/ })
    for (const place of ['underneath', 'box', 'quick-start card', 'battery compartment', 'same secret']) expect(help.textContent).toContain(place)
  })

  it('disables every control while disabled', () => {
    renderCodeEntry({ disabled: true })
    for (const control of [...screen.getAllByRole('button'), ...Array.from(document.querySelectorAll('input'))]) {
      if (control.textContent === 'Try another code') continue
      expect((control as HTMLButtonElement | HTMLInputElement).disabled, control.outerHTML).toBe(true)
    }
  })
})

describe('pasting', () => {
  it('reads a payload pasted anywhere in the component and shows what it is for, not the secrets', () => {
    const { codes } = renderCodeEntry()
    paste(screen.getByRole('region', { name: 'Scan the QR code' }), { text: `\n${PAYLOAD}\n` })
    expect(codes).toEqual([PAYLOAD_CODE])
    expect(screen.getByRole('status').textContent).toBe('Read: Setup code for PROV_CE03C0, with the password of its setup network.')
    expect(pageText()).not.toContain(CANARY_POP)
    expect(pageText()).not.toContain(CANARY_AP)
  })

  it('reads a payload pasted into the code field as a payload, but leaves a plain code to the field', () => {
    const { codes } = renderCodeEntry()
    paste(codeField(), { text: CANARY_POP })
    expect(codes).toEqual([])
    expect(screen.queryByRole('alert')).toBeNull()
    paste(codeField(), { text: `https://espressif.github.io/esp-jumpstart/qrcode.html?data=${encodeURIComponent(PAYLOAD)}` })
    expect(codes).toEqual([PAYLOAD_CODE])
  })

  it('says plainly what a pasted HomeKit code or random text is, without echoing it', () => {
    const { codes } = renderCodeEntry()
    const region = screen.getByRole('region', { name: 'Scan the QR code' })
    paste(region, { text: 'X-HM://00713L3UQ7OSX' })
    expect(screen.getByRole('alert').textContent).toMatch(/HomeKit setup code\. Porchlight does not pair HomeKit accessories yet/)
    paste(region, { text: `my code is ${CANARY_POP}` })
    expect(screen.getByRole('alert').textContent).toMatch(/^This is not an Espressif setup code/)
    expect(codes).toEqual([])
    expect(pageText()).not.toContain(CANARY_POP)
  })

  it('decodes a pasted image', async () => {
    const imagePixels = vi.fn(async () => [qrImage(PAYLOAD)])
    const { codes } = renderCodeEntry({ io: { imagePixels } })
    paste(screen.getByRole('region', { name: 'Scan the QR code' }), { files: [new File([new Uint8Array(8)], 'shot.png', { type: 'image/png' })] })
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
  })
})

describe('choosing an image', () => {
  const choose = (file: File) => fireEvent.change(screen.getByLabelText('Choose an image…'), { target: { files: [file] } })
  const png = () => new File([new Uint8Array(16)], 'label.png', { type: 'image/png' })

  it('decodes the QR code in the image at full size first', async () => {
    const imagePixels = vi.fn(async (_blob: Blob, _sides: readonly number[]) => [qrImage(PAYLOAD, { scale: 5, noise: 30 })])
    const { codes } = renderCodeEntry({ io: { imagePixels } })
    choose(png())
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
    expect(imagePixels.mock.calls[0]?.[1]).toEqual([STILL_SIDE, SMALL_SIDE])
  })

  it('tries the downscaled copy when the full-size one has no readable code', async () => {
    const decoded: number[] = []
    const small = qrImage(PAYLOAD)
    const { codes } = renderCodeEntry({
      io: {
        imagePixels: async () => [noiseImage(400, 300), small],
        decode: (image: RgbaImage) => (decoded.push(image.width), image === small ? PAYLOAD : null),
      },
    })
    choose(png())
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
    expect(decoded).toEqual([400, small.width])
  })

  it.each([
    ['no code in it', async () => [noiseImage(200, 200)], png, /^No QR code was found in that image/],
    ['it cannot be opened', async () => [], png, /^Porchlight could not open that image/],
    ['it is not an image', async () => [qrImage(PAYLOAD)], () => new File(['x'], 'notes.txt', { type: 'text/plain' }), /^That file is not an image/],
  ])('says so when %s', async (_label, imagePixels, file, message) => {
    const { codes } = renderCodeEntry({ io: { imagePixels } })
    choose(file())
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(message))
    expect(codes).toEqual([])
  })
})

describe('the clipboard button', () => {
  function clipboard(value: Partial<Clipboard>) {
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value })
  }

  it('reads an image from the clipboard when there is one', async () => {
    clipboard({ read: async () => [{ types: ['text/html', 'image/png'], getType: async () => new Blob([new Uint8Array(4)], { type: 'image/png' }) } as unknown as ClipboardItem] })
    const { codes } = renderCodeEntry({ io: { imagePixels: async () => [qrImage(PAYLOAD)] } })
    fireEvent.click(screen.getByRole('button', { name: 'Paste from clipboard' }))
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
  })

  it('reads a text payload, with readText where read is missing', async () => {
    clipboard({ readText: async () => PAYLOAD })
    const { codes } = renderCodeEntry()
    fireEvent.click(screen.getByRole('button', { name: 'Paste from clipboard' }))
    await waitFor(() => expect(codes).toEqual([PAYLOAD_CODE]))
  })

  it('falls back to Ctrl+V advice when reading is refused (Electron denies clipboard-read)', async () => {
    clipboard({ read: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) })
    renderCodeEntry()
    fireEvent.click(screen.getByRole('button', { name: 'Paste from clipboard' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/press Ctrl\+V \(⌘V on a Mac\)/))
  })

  it('is not offered where the browser has no clipboard API', () => {
    renderCodeEntry()
    expect(screen.queryByRole('button', { name: 'Paste from clipboard' })).toBeNull()
  })
})

describe('a code for another accessory', () => {
  it('warns with both names, hands nothing over until the user chooses to continue', async () => {
    const { codes } = renderCodeEntry({ expectedName: 'PROV_AAAAAA' })
    paste(screen.getByRole('region', { name: 'Scan the QR code' }), { text: PAYLOAD })
    expect(screen.getByRole('alert').textContent).toContain('This code is for PROV_CE03C0, not PROV_AAAAAA.')
    expect(codes).toEqual([])
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Use it anyway' })))
    expect(codes).toEqual([PAYLOAD_CODE])
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('lets the user try another code instead, and a matching or typed code needs no confirmation', () => {
    const { codes } = renderCodeEntry({ expectedName: 'PROV_CE03C0' })
    const region = screen.getByRole('region', { name: 'Scan the QR code' })
    paste(region, { text: PAYLOAD.replace('PROV_CE03C0', 'PROV_OTHER1') })
    fireEvent.click(screen.getByRole('button', { name: 'Try another code' }))
    expect(screen.queryByRole('alert')).toBeNull()
    paste(region, { text: PAYLOAD })
    fireEvent.change(codeField(), { target: { value: 'abcd1234' } })
    fireEvent.click(manual().getByRole('button', { name: 'Use this code' }))
    expect(codes).toEqual([PAYLOAD_CODE, { pop: 'abcd1234' }])
  })
})
