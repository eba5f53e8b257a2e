/**
 * Real QR images for tests: the `qrcode` package computes the module matrix, and this rasterizes it to RGBA
 * the way a camera or a photo would hand it over — with a quiet zone, a scale, optionally rotated, noisy,
 * inverted, or placed in a larger frame.
 */
import QRCode from 'qrcode'
import type { RgbaImage } from '../../../../renderer/features/setup/code-entry/decode-qr'

/** How to draw the code. */
export interface RasterOptions {
  /** Pixels per module. */
  scale?: number
  /** Quiet zone, in modules. */
  margin?: number
  /** Rotation about the centre, degrees. */
  angle?: number
  /** Gray-level noise amplitude (0–255), deterministic. */
  noise?: number
  /** Light modules on a dark background. */
  invert?: boolean
  /** Place the code in a frame of this size (gray background), centred. */
  frame?: { width: number; height: number }
}

function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Draws `text` as a QR code and returns its pixels. */
export function qrImage(text: string, options: RasterOptions = {}): RgbaImage {
  const { scale = 4, margin = 4, angle = 0, noise = 0, invert = false } = options
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules
  const side = (modules.size + 2 * margin) * scale
  const width = options.frame?.width ?? Math.ceil(side * 1.5)
  const height = options.frame?.height ?? Math.ceil(side * 1.5)
  const data = new Uint8ClampedArray(width * height * 4)
  const rad = (angle * Math.PI) / 180
  const [cos, sin] = [Math.cos(rad), Math.sin(rad)]
  const random = prng(7)
  const dark = invert ? 235 : 20
  const light = invert ? 20 : 235
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse-map this pixel into the unrotated symbol (nearest neighbour).
      const dx = x - width / 2
      const dy = y - height / 2
      const sx = cos * dx + sin * dy + side / 2
      const sy = -sin * dx + cos * dy + side / 2
      let gray = 128
      if (sx >= 0 && sy >= 0 && sx < side && sy < side) {
        const col = Math.floor(sx / scale) - margin
        const row = Math.floor(sy / scale) - margin
        const inSymbol = row >= 0 && col >= 0 && row < modules.size && col < modules.size
        gray = inSymbol && modules.data[row * modules.size + col] ? dark : light
      }
      if (noise > 0) gray += (random() - 0.5) * 2 * noise
      const i = (y * width + x) * 4
      data[i] = data[i + 1] = data[i + 2] = gray
      data[i + 3] = 255
    }
  }
  return { data, width, height }
}

/** An image with no code in it: uniform noise. */
export function noiseImage(width: number, height: number): RgbaImage {
  const random = prng(11)
  const data = new Uint8ClampedArray(width * height * 4)
  for (let i = 0; i < data.length; i += 4) {
    data[i] = data[i + 1] = data[i + 2] = random() * 255
    data[i + 3] = 255
  }
  return { data, width, height }
}
