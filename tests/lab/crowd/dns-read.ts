/**
 * Reading queries for the crowd responder, as label arrays (instance labels may hold dots) with the QU
 * bit split out of the class (RFC 6762 §5.4, which dns-packet cannot decode: dns-packet #21), and known
 * answers reduced to the keys suppression compares (RFC 6762 §7.1).
 */
import { type KnownAnswer, nameKey, type Query, type Question, RR } from './dns'

/** Reads a (possibly compressed) name; only backward pointers, at most 128 hops. */
export function readName(buf: Buffer, offset: number): { name: string[]; end: number } {
  const labels: string[] = []
  let o = offset
  let end: number | undefined
  for (let hops = 0; hops < 128; hops++) {
    const len = buf[o]
    if (len === undefined) break
    if (len === 0) return { name: labels, end: end ?? o + 1 }
    if ((len & 0xc0) === 0xc0) {
      const target = buf.readUInt16BE(o) & 0x3fff
      end ??= o + 2
      if (target >= o) break
      o = target
      continue
    }
    if ((len & 0xc0) !== 0 || o + 1 + len > buf.length) break
    labels.push(buf.toString('utf8', o + 1, o + 1 + len))
    o += 1 + len
  }
  throw new RangeError(`bad name at offset ${offset}`)
}

/** Decodes a datagram's header, questions and known answers; malformed input is a reason, never a throw. */
export function decodeQuery(buf: Buffer): { ok: true; query: Query } | { ok: false; reason: string } {
  try {
    if (buf.length < 12) return { ok: false, reason: 'shorter than a DNS header' }
    const flags = buf.readUInt16BE(2)
    if (((flags >> 11) & 0xf) !== 0) return { ok: false, reason: 'opcode is not QUERY (RFC 6762 §18.3)' }
    let o = 12
    const questions: Question[] = []
    for (let i = 0; i < buf.readUInt16BE(4); i++) {
      const { name, end } = readName(buf, o)
      const klass = buf.readUInt16BE(end + 2)
      if ((klass & 0x7fff) === 1 || (klass & 0x7fff) === 255) questions.push({ name, type: buf.readUInt16BE(end), unicastResponse: (klass & 0x8000) !== 0 })
      o = end + 4
    }
    const known: KnownAnswer[] = []
    for (let i = 0; i < buf.readUInt16BE(6); i++) {
      const { name, end } = readName(buf, o)
      const type = buf.readUInt16BE(end)
      const ttl = buf.readUInt32BE(end + 4)
      const start = end + 10
      const stop = start + buf.readUInt16BE(end + 8)
      if (stop > buf.length) throw new RangeError('record runs past the packet')
      const rdata = type === RR.PTR ? nameKey(readName(buf, start).name)
        : type === RR.SRV ? `0 0 ${buf.readUInt16BE(start + 4)} ${nameKey(readName(buf, start + 6).name)}`
          : buf.toString('hex', start, stop)
      known.push({ key: `${type}|${nameKey(name)}|${rdata}`, ttl })
      o = stop
    }
    return { ok: true, query: { id: buf.readUInt16BE(0), isResponse: (flags & 0x8000) !== 0, truncated: (flags & 0x0200) !== 0, questions, known } }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
}
