/**
 * The edges CodeEntry reads QR codes through — decoder, image rasterizer, video frame grabber — as one
 * replaceable bundle (tests inject their own), and reading a still image (file or clipboard) with them.
 */
import type { QrDecoder, RgbaImage } from './decode-qr'
import { createFrameGrabber, imagePixels, MAX_IMAGE_BYTES, SMALL_SIDE, STILL_SIDE } from './image-pixels'

/** How CodeEntry turns images and video into QR text. */
export interface CodeEntryIo {
  /** Decodes pixels; answers null until the decoder has loaded. */
  decode: QrDecoder
  /** Settles once the decoder is loaded: true, or false if it could not be. */
  ready: Promise<boolean>
  /** Pixels of an image at each longest-side size asked for, largest first; [] when it cannot be read. */
  imagePixels: (blob: Blob, sides: readonly number[]) => Promise<RgbaImage[]>
  /** Pixels of the video's current frame, or null before it has one. */
  grabFrame: (video: HTMLVideoElement) => RgbaImage | null
}

/** What a caller (a test) may replace. */
export type CodeEntryIoOverrides = Partial<Pick<CodeEntryIo, 'decode' | 'imagePixels' | 'grabFrame'>>

/** jsQR, fetched as its own chunk when code entry first appears (the pattern the charts use). */
function lazyDecoder(): Pick<CodeEntryIo, 'decode' | 'ready'> {
  let real: QrDecoder | null = null
  const ready = import('./decode-qr').then(
    (module) => ((real = module.decodeQr), true),
    () => false,
  )
  return { decode: (image, options) => (real ? real(image, options) : null), ready }
}

/** The real edges (jsQR, canvas rasterizing, a frame grabber with its own canvas), with any overrides. */
export function createCodeEntryIo(overrides: CodeEntryIoOverrides = {}): CodeEntryIo {
  const decoder = overrides.decode ? { decode: overrides.decode, ready: Promise.resolve(true) } : lazyDecoder()
  return { ...decoder, imagePixels: overrides.imagePixels ?? imagePixels, grabFrame: overrides.grabFrame ?? createFrameGrabber() }
}

/** Decodes the first of several renderings of one image that yields a code (full size, then downscaled). */
export function decodeFirst(images: readonly RgbaImage[], decode: QrDecoder): string | null {
  for (const image of images) {
    const text = decode(image)
    if (text !== null) return text
  }
  return null
}

/** Why a still image gave no code, said so the user knows what to try next. */
export const STILL_MESSAGES = {
  'not-image': 'That file is not an image. Choose a photo or screenshot of the QR code (PNG or JPEG).',
  'too-large': 'That image is too large to read (over 25 MB). Choose a smaller photo or a screenshot of the QR code.',
  unreadable: 'Porchlight could not open that image. Choose a PNG or JPEG photo or screenshot of the QR code.',
  'no-code': 'No QR code was found in that image. Choose a sharper photo where the whole code is visible and flat, or type the code printed next to it.',
  'no-reader': 'Porchlight could not load its QR code reader. Reload the window and try again, or type the code printed next to the QR code.',
} as const

/**
 * Reads the QR code in a still image: full size (at most STILL_SIDE) first, then a downscaled copy, which
 * jsQR often reads when a large noisy photo defeats it.
 */
export async function readStill(blob: Blob, io: CodeEntryIo): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  if (blob.type !== '' && !blob.type.startsWith('image/')) return { ok: false, message: STILL_MESSAGES['not-image'] }
  if (blob.size > MAX_IMAGE_BYTES) return { ok: false, message: STILL_MESSAGES['too-large'] }
  if (!(await io.ready)) return { ok: false, message: STILL_MESSAGES['no-reader'] }
  const images = await io.imagePixels(blob, [STILL_SIDE, SMALL_SIDE])
  if (images.length === 0) return { ok: false, message: STILL_MESSAGES.unreadable }
  const text = decodeFirst(images, io.decode)
  return text === null ? { ok: false, message: STILL_MESSAGES['no-code'] } : { ok: true, text }
}
