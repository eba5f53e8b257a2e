/**
 * jsdom has no canvas, no Path2D and no matchMedia. This installs just enough for uPlot to run for real:
 * a 2D context that accepts every call (measureText answers a width), a Path2D that records its segments
 * (so a test can see where a line breaks), and a matchMedia that never matches. Returns the recorder and undo.
 */

/** One recorded path: its segments in order, e.g. ['M', 'L', 'L', 'M', 'L']. */
export type PathLog = string[]

/** What the fake records while installed. */
export interface FakeCanvas {
  paths: PathLog[]
  restore: () => void
}

function fakeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const state: Record<PropertyKey, unknown> = { canvas }
  const noop = () => undefined
  return new Proxy(state, {
    get(target, key) {
      if (key in target) return target[key]
      if (key === 'measureText') return (text: string) => ({ width: text.length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 })
      if (key === 'getLineDash') return () => []
      return noop
    },
    set(target, key, value) {
      target[key] = value
      return true
    },
  }) as unknown as CanvasRenderingContext2D
}

/** Installs the fakes; call `restore` in afterEach. */
export function installFakeCanvas(): FakeCanvas {
  const paths: PathLog[] = []
  class RecordingPath2D {
    readonly log: PathLog = []
    constructor() {
      paths.push(this.log)
    }
    moveTo() { this.log.push('M') }
    lineTo() { this.log.push('L') }
    rect() { this.log.push('R') }
    arc() { this.log.push('A') }
    closePath() { this.log.push('Z') }
    addPath() { this.log.push('P') }
    bezierCurveTo() { this.log.push('C') }
  }
  const saved = {
    getContext: Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, 'getContext'),
    matchMedia: Object.getOwnPropertyDescriptor(window, 'matchMedia'),
    Path2D: Object.getOwnPropertyDescriptor(globalThis, 'Path2D'),
  }
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
    configurable: true,
    value(this: HTMLCanvasElement, kind: string) {
      return kind === '2d' ? fakeContext(this) : null
    },
  })
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (query: string) => ({ matches: false, media: query, addEventListener: () => undefined, removeEventListener: () => undefined }),
  })
  Object.defineProperty(globalThis, 'Path2D', { configurable: true, value: RecordingPath2D })
  return {
    paths,
    restore: () => {
      for (const [key, target] of [['getContext', HTMLCanvasElement.prototype], ['matchMedia', window], ['Path2D', globalThis]] as const) {
        const descriptor = saved[key]
        if (descriptor) Object.defineProperty(target, key, descriptor)
        else Reflect.deleteProperty(target, key)
      }
    },
  }
}
