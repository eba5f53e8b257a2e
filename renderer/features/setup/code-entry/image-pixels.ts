/**
 * The browser edge of QR reading: image files, pasted images and video frames rasterized to RGBA through a
 * canvas, scaled so the longer side is at most a given size (big photos are slow and, for jsQR, often
 * worse than a smaller copy). Everything that decides is in decode-qr.ts.
 */
import type { RgbaImage } from './decode-qr'

/** Longest side a still is first decoded at. */
export const STILL_SIDE = 1600
/** The downscaled retry for stills, and the size camera frames are grabbed at. */
export const SMALL_SIDE = 640
/** Largest image file read at all (bytes): a phone photo is well under this. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024

function fit(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

function draw(canvas: HTMLCanvasElement, source: CanvasImageSource, width: number, height: number, maxSide: number): RgbaImage | null {
  const size = fit(width, height, maxSide)
  canvas.width = size.width
  canvas.height = size.height
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) return null
  context.drawImage(source, 0, 0, size.width, size.height)
  const pixels = context.getImageData(0, 0, size.width, size.height)
  return { data: pixels.data, width: pixels.width, height: pixels.height }
}

async function decodeImage(blob: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
  if (typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(blob)
    return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() }
  }
  // Fallback: an <img> on a blob: URL (the CSP's img-src allows blob:).
  const url = URL.createObjectURL(blob)
  const img = new Image()
  img.src = url
  try {
    await img.decode()
  } catch (error) {
    URL.revokeObjectURL(url)
    throw error
  }
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) }
}

/** Pixels of an image file or pasted image at each longest-side size asked for; [] when it cannot be read. */
export async function imagePixels(blob: Blob, sides: readonly number[]): Promise<RgbaImage[]> {
  let image: Awaited<ReturnType<typeof decodeImage>>
  try {
    image = await decodeImage(blob)
  } catch {
    return []
  }
  try {
    const canvas = document.createElement('canvas')
    const out: RgbaImage[] = []
    for (const side of sides) {
      // A small image is the same at every size: decode it once.
      const last = out.at(-1)
      const size = fit(image.width, image.height, side)
      if (last && last.width === size.width && last.height === size.height) continue
      const pixels = draw(canvas, image.source, image.width, image.height, side)
      if (pixels) out.push(pixels)
    }
    return out
  } catch {
    return []
  } finally {
    image.close()
  }
}

/** Makes a frame grabber with its own canvas: the current video frame's pixels, or null before there is one. */
export function createFrameGrabber(maxSide: number = SMALL_SIDE): (video: HTMLVideoElement) => RgbaImage | null {
  let canvas: HTMLCanvasElement | undefined
  return (video) => {
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0 || video.videoHeight === 0) return null
    canvas ??= document.createElement('canvas')
    return draw(canvas, video, video.videoWidth, video.videoHeight, maxSide)
  }
}
