/**
 * QR decoding as a pure function of pixels (jsQR), so it runs the same on a camera frame, an image file and
 * in a unit test. No DOM: the caller rasterizes (image-pixels.ts). Loaded on demand (code-entry-io.ts):
 * jsQR is about 130 kB that only setup-code entry needs.
 */
import jsQR from 'jsqr'

/** Pixels as canvas `getImageData` gives them: RGBA, 4 bytes a pixel, row by row. */
export interface RgbaImage {
  data: Uint8ClampedArray
  width: number
  height: number
}

/** How hard to look. */
export interface DecodeOptions {
  /** Also try light-on-dark codes: twice the work, so stills use it and camera frames do not. Default true. */
  tryInverted?: boolean
}

/** A decoder: the text of the QR code in the image, or null when there is none (or it cannot be read). */
export type QrDecoder = (image: RgbaImage, options?: DecodeOptions) => string | null

/** Returns the text of the QR code in `image`, or null. Never throws; malformed pixel buffers give null. */
export const decodeQr: QrDecoder = (image, options = {}) => {
  const { data, width, height } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 4) return null
  try {
    const found = jsQR(data, width, height, { inversionAttempts: options.tryInverted === false ? 'dontInvert' : 'attemptBoth' })
    return found && found.data !== '' ? found.data : null
  } catch {
    return null
  }
}
