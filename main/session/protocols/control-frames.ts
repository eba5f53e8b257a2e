/**
 * Wire format of the lab control protocol (tests/lab/accessory/control/PROTOCOL.md): pure encode and an incremental decoder that
 * copes with frames split or merged across TCP reads and turns garbage into a close reason, never a throw.
 */

/** Protocol version carried in HELLO; a peer speaking another version is closed with `unsupported-version`. */
export const PROTOCOL_VERSION = 1
/** Magic at the start of every HELLO payload, so a stray client (HTTP, telnet) fails on its first frame. */
export const HELLO_MAGIC = Buffer.from('PLXC', 'ascii')
/** Bytes of the frame header: type (u8) and payload length (u16 big-endian). */
export const HEADER_BYTES = 3
/** Default cap on a frame's payload; the u16 length field allows up to 65 535. */
export const DEFAULT_MAX_PAYLOAD = 4096
/** Longest device or client id, in UTF-8 bytes. */
export const MAX_ID_BYTES = 64

/** Frame type codes on the wire. */
export const FRAME_TYPE = { hello: 0x01, ping: 0x02, pong: 0x03, data: 0x04, close: 0x05 } as const

/** Close codes on the wire, by name (PROTOCOL.md "Close codes"). */
export const CLOSE_CODE = {
  normal: 0,
  'going-away': 1,
  'protocol-error': 2,
  'frame-too-large': 3,
  'unsupported-version': 4,
  'hello-required': 5,
} as const

/** A close reason's kebab-case name. */
export type CloseCode = keyof typeof CLOSE_CODE

/** One decoded frame. Timestamps are opaque u64 values the receiver echoes unchanged. */
export type Frame =
  | { type: 'hello'; version: number; id: string }
  | { type: 'ping'; seq: number; timestamp: bigint }
  | { type: 'pong'; seq: number; timestamp: bigint }
  | { type: 'data'; payload: Buffer }
  | { type: 'close'; code: CloseCode; reason: string }

/** Why a byte stream stopped being a valid frame sequence. */
export interface FrameError {
  code: Exclude<CloseCode, 'normal' | 'going-away'>
  reason: string
}

/** What one `push` produced: the complete frames so far, and an error once the stream is invalid. */
export interface DecodeResult {
  frames: Frame[]
  error?: FrameError
}

/** An incremental decoder for one connection. */
export interface FrameDecoder {
  push(chunk: Buffer): DecodeResult
}

const CODE_BY_NUMBER = new Map<number, CloseCode>(Object.entries(CLOSE_CODE).map(([k, v]) => [v, k as CloseCode]))

/** Encodes a frame; throws only for programmer errors (an id too long, a payload over the u16 limit). */
export function encodeFrame(frame: Frame): Buffer {
  const payload = encodePayload(frame)
  if (payload.length > 0xffff) throw new RangeError(`payload of ${payload.length} bytes does not fit a frame`)
  const header = Buffer.alloc(HEADER_BYTES)
  header[0] = FRAME_TYPE[frame.type]
  header.writeUInt16BE(payload.length, 1)
  return Buffer.concat([header, payload])
}

function encodePayload(frame: Frame): Buffer {
  switch (frame.type) {
    case 'hello': {
      const id = Buffer.from(frame.id, 'utf8')
      if (id.length === 0 || id.length > MAX_ID_BYTES) throw new RangeError(`id must be 1–${MAX_ID_BYTES} UTF-8 bytes`)
      return Buffer.concat([HELLO_MAGIC, Buffer.from([frame.version, id.length]), id])
    }
    case 'ping':
    case 'pong': {
      const out = Buffer.alloc(12)
      out.writeUInt32BE(frame.seq >>> 0, 0)
      out.writeBigUInt64BE(BigInt.asUintN(64, frame.timestamp), 4)
      return out
    }
    case 'data':
      return frame.payload
    case 'close':
      return Buffer.concat([Buffer.from([CLOSE_CODE[frame.code]]), Buffer.from(frame.reason, 'utf8')])
  }
}

/** Decodes one payload of a known type, or says why it is malformed. */
function decodePayload(type: number, p: Buffer): { frame: Frame } | { error: FrameError } {
  const bad = (reason: string) => ({ error: { code: 'protocol-error', reason } as FrameError })
  switch (type) {
    case FRAME_TYPE.hello: {
      if (p.length < 6 || !p.subarray(0, 4).equals(HELLO_MAGIC)) return bad('HELLO without the PLXC magic')
      const idLength = p[5] ?? 0
      if (idLength === 0 || idLength > MAX_ID_BYTES || p.length !== 6 + idLength) return bad('HELLO id length does not match')
      return { frame: { type: 'hello', version: p[4] ?? 0, id: p.subarray(6).toString('utf8') } }
    }
    case FRAME_TYPE.ping:
    case FRAME_TYPE.pong: {
      if (p.length !== 12) return bad(`${type === FRAME_TYPE.ping ? 'PING' : 'PONG'} payload must be 12 bytes, got ${p.length}`)
      const kind = type === FRAME_TYPE.ping ? 'ping' : 'pong'
      return { frame: { type: kind, seq: p.readUInt32BE(0), timestamp: p.readBigUInt64BE(4) } }
    }
    case FRAME_TYPE.data:
      return { frame: { type: 'data', payload: Buffer.from(p) } }
    case FRAME_TYPE.close: {
      const code = CODE_BY_NUMBER.get(p[0] ?? -1)
      if (p.length < 1 || code === undefined) return bad('CLOSE with an unknown code')
      return { frame: { type: 'close', code, reason: p.subarray(1).toString('utf8') } }
    }
    default:
      return bad(`unknown frame type 0x${type.toString(16).padStart(2, '0')}`)
  }
}

/** Creates a decoder; after the first error it stays failed and yields no more frames. */
export function createFrameDecoder(maxPayload = DEFAULT_MAX_PAYLOAD): FrameDecoder {
  let pending: Buffer = Buffer.alloc(0)
  let failed: FrameError | undefined
  return {
    push(chunk) {
      if (failed) return { frames: [], error: failed }
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      const frames: Frame[] = []
      while (pending.length >= HEADER_BYTES) {
        const type = pending[0] ?? 0
        const length = pending.readUInt16BE(1)
        if (!Object.values(FRAME_TYPE).includes(type as never)) {
          failed = { code: 'protocol-error', reason: `unknown frame type 0x${type.toString(16).padStart(2, '0')}` }
          break
        }
        // Reject on the header alone: waiting for an oversized body would let a peer pin memory.
        if (length > maxPayload) {
          failed = { code: 'frame-too-large', reason: `frame of ${length} bytes exceeds the ${maxPayload}-byte cap` }
          break
        }
        if (pending.length < HEADER_BYTES + length) break
        const decoded = decodePayload(type, pending.subarray(HEADER_BYTES, HEADER_BYTES + length))
        pending = pending.subarray(HEADER_BYTES + length)
        if ('error' in decoded) {
          failed = decoded.error
          break
        }
        frames.push(decoded.frame)
      }
      if (failed) pending = Buffer.alloc(0)
      return failed ? { frames, error: failed } : { frames }
    },
  }
}
