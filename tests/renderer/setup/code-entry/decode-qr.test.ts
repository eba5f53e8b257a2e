/**
 * decodeQr on real QR images (drawn by the `qrcode` package, rasterized here): upright, rotated, noisy,
 * inverted, in a larger frame — and nothing from images without a code or from malformed buffers.
 */
import { describe, expect, it } from 'vitest'
import { decodeFirst } from '../../../../renderer/features/setup/code-entry/code-entry-io'
import { decodeQr, type RgbaImage } from '../../../../renderer/features/setup/code-entry/decode-qr'
import { parseSetupPayload } from '../../../../shared/pairing/setup-code'
import { noiseImage, qrImage } from './qr-raster'

const PAYLOAD = '{"ver":"v1","name":"PROV_CE03C0","pop":"abcd1234","transport":"softap"}'

describe('decodeQr', () => {
  it('reads the IDF example payload, and the parser accepts what it read', () => {
    const text = decodeQr(qrImage(PAYLOAD))
    expect(text).toBe(PAYLOAD)
    expect(parseSetupPayload(text ?? '').ok).toBe(true)
  })

  it('reads the esp-jumpstart link and a security 2 payload with a password', () => {
    const link = `https://espressif.github.io/esp-jumpstart/qrcode.html?data=${encodeURIComponent(PAYLOAD)}`
    expect(decodeQr(qrImage(link, { scale: 3 }))).toBe(link)
    const sec2 = '{"ver":"v1","name":"PROV_1A2B3C","username":"wifiprov","pop":"abcd1234","transport":"softap","password":"ap-pass-123"}'
    expect(decodeQr(qrImage(sec2))).toBe(sec2)
  })

  it.each([15, 90, 200])('reads a code rotated by %i°', (angle) => {
    expect(decodeQr(qrImage(PAYLOAD, { angle }))).toBe(PAYLOAD)
  })

  it('reads a noisy code inside a larger camera-sized frame', () => {
    expect(decodeQr(qrImage(PAYLOAD, { scale: 5, noise: 50, frame: { width: 640, height: 480 } }))).toBe(PAYLOAD)
  })

  it('reads a light-on-dark code only when asked to try inverted (stills do, camera frames do not)', () => {
    const inverted = qrImage(PAYLOAD, { invert: true })
    expect(decodeQr(inverted)).toBe(PAYLOAD)
    expect(decodeQr(inverted, { tryInverted: false })).toBeNull()
  })

  it('finds nothing in noise, in a blank image, or in a code without its quiet zone drowned in noise', () => {
    expect(decodeQr(noiseImage(320, 240))).toBeNull()
    const blank: RgbaImage = { data: new Uint8ClampedArray(200 * 100 * 4).fill(255), width: 200, height: 100 }
    expect(decodeQr(blank)).toBeNull()
    expect(decodeQr(qrImage(PAYLOAD, { scale: 1, margin: 0, noise: 200 }))).toBeNull()
  })

  it('returns null for malformed buffers instead of throwing', () => {
    expect(decodeQr({ data: new Uint8ClampedArray(10), width: 10, height: 10 })).toBeNull()
    expect(decodeQr({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toBeNull()
    expect(decodeQr({ data: new Uint8ClampedArray(16), width: 2.5, height: 1.6 })).toBeNull()
    expect(decodeQr({ data: new Uint8ClampedArray(16), width: -2, height: -2 })).toBeNull()
  })
})

describe('decodeFirst', () => {
  it('tries renderings in order and stops at the first that yields a code', () => {
    const seen: number[] = []
    const decode = (image: RgbaImage) => (seen.push(image.width), image.width === 400 ? 'found' : null)
    const at = (width: number): RgbaImage => ({ data: new Uint8ClampedArray(width * 4), width, height: 1 })
    expect(decodeFirst([at(1600), at(400), at(200)], decode)).toBe('found')
    expect(seen).toEqual([1600, 400])
    expect(decodeFirst([], decode)).toBeNull()
  })

  it('with the real decoder, skips an image without a code', () => {
    expect(decodeFirst([noiseImage(100, 100), qrImage(PAYLOAD)], decodeQr)).toBe(PAYLOAD)
  })
})
