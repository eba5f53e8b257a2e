/**
 * A small DNS codec for the crowd responder, working on label arrays instead of dotted strings: instance
 * labels may contain dots (dns-packet splits on them) and packing hundreds of services into 1,400-byte
 * packets needs name compression (RFC 1035 §4.1.4), which dns-packet never emits. Reading is in dns-read.ts.
 */

/** A domain name as its labels, root excluded: `['Lamp.v2', '_http', '_tcp', 'local']`. */
export type Labels = readonly string[]

/** RR type codes the crowd uses (RFC 1035, 2782, 3596, 4034). */
export const RR = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, NSEC: 47, ANY: 255 } as const

/** The rdata of a record the crowd sends. */
export type RData =
  | { type: 'PTR'; target: Labels }
  | { type: 'SRV'; port: number; target: Labels }
  | { type: 'TXT'; strings: readonly Buffer[] }
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }

/** One resource record; `unique` records carry the cache-flush bit in multicast responses (RFC 6762 §10.2). */
export interface CrowdRecord {
  name: Labels
  ttl: number
  unique: boolean
  data: RData
}

/** A question as received. */
export interface Question {
  name: Labels
  type: number
  /** The QU bit (RFC 6762 §5.4). */
  unicastResponse: boolean
}

/** A known answer of a query (RFC 6762 §7.1), reduced to what suppression compares. */
export interface KnownAnswer {
  key: string
  ttl: number
}

/** A decoded query. */
export interface Query {
  id: number
  isResponse: boolean
  truncated: boolean
  questions: Question[]
  known: KnownAnswer[]
}

const lower = (label: string) => label.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** Case-insensitive key of a name (DNS compares ASCII case-insensitively; labels may hold dots). */
export function nameKey(name: Labels): string {
  return name.map(lower).join('\u0000')
}

// Records and names are built once and sent many times: cache what encoding them derives.
const suffixCache = new WeakMap<Labels, string[]>()
const recordKeyCache = new WeakMap<CrowdRecord, string>()
const sizeCache = new WeakMap<CrowdRecord, number>()
const rdataCache = new WeakMap<RData, Buffer>()

/** Keys of every suffix of a name, longest first (the compression table's lookups). */
function suffixKeys(name: Labels): string[] {
  let keys = suffixCache.get(name)
  if (!keys) {
    keys = name.map((_, i) => nameKey(name.slice(i)))
    suffixCache.set(name, keys)
  }
  return keys
}

/** Bytes of a name written without compression. */
function nameBytes(name: Labels): number {
  return name.reduce((n, l) => n + 1 + Buffer.byteLength(l, 'utf8'), 1)
}

/** An upper bound of a record's encoded size (compression only shrinks it). */
export function maxRecordBytes(r: CrowdRecord): number {
  let bytes = sizeCache.get(r)
  if (bytes === undefined) {
    const d = r.data
    const rdata = d.type === 'PTR' ? nameBytes(d.target) : d.type === 'SRV' ? 6 + nameBytes(d.target) : flatRdata(d).length
    bytes = nameBytes(r.name) + 10 + rdata
    sizeCache.set(r, bytes)
  }
  return bytes
}

/** Dotted text of a name for logs (dots inside labels escaped as `\.`). */
export function nameText(name: Labels): string {
  return name.map((l) => l.replace(/\\/g, '\\\\').replace(/\./g, '\\.')).join('.')
}

/** 16 bytes of an IPv6 address (a `%zone` is dropped: AAAA rdata has none, RFC 4007 §11). */
export function ipv6Bytes(address: string): Buffer {
  const bare = address.split('%')[0] ?? ''
  const [head = '', tail] = bare.split('::')
  const groups = (part: string) => (part === '' ? [] : part.split(':'))
  const h = groups(head)
  const t = tail === undefined ? [] : groups(tail)
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  if (all.length !== 8) throw new RangeError(`not an IPv6 address: ${address}`)
  const out = Buffer.alloc(16)
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}

function ipv4Bytes(address: string): Buffer {
  const parts = address.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new RangeError(`not an IPv4 address: ${address}`)
  return Buffer.from(parts)
}

/** Rdata bytes without names (A, AAAA, TXT); names are keyed separately. */
function flatRdata(data: Extract<RData, { type: 'A' | 'AAAA' | 'TXT' }>): Buffer {
  let bytes = rdataCache.get(data)
  if (!bytes) {
    const strings = data.type === 'TXT' && data.strings.length === 0 ? [Buffer.alloc(0)] : data.type === 'TXT' ? data.strings : []
    bytes = data.type === 'A' ? ipv4Bytes(data.address) : data.type === 'AAAA' ? ipv6Bytes(data.address)
      : Buffer.concat(strings.flatMap((s) => [Buffer.from([s.length]), s]))
    rdataCache.set(data, bytes)
  }
  return bytes
}

/** Identity of a record for known-answer suppression and rate limiting: type, name and rdata. */
export function recordKey(r: CrowdRecord): string {
  let key = recordKeyCache.get(r)
  if (key === undefined) {
    const d = r.data
    const rdata = d.type === 'PTR' ? nameKey(d.target) : d.type === 'SRV' ? `0 0 ${d.port} ${nameKey(d.target)}` : flatRdata(d).toString('hex')
    key = `${RR[d.type]}|${nameKey(r.name)}|${rdata}`
    recordKeyCache.set(r, key)
  }
  return key
}

/** Writes one message, compressing every name against the names already written. */
// One scratch buffer for every message: encoding is synchronous, and `done` copies the result out.
const scratch = Buffer.allocUnsafe(16_384)

class Writer {
  private readonly buf = scratch
  private at = 0
  private readonly names = new Map<string, number>()

  u16(v: number): void {
    this.at = this.buf.writeUInt16BE(v, this.at)
  }

  u32(v: number): void {
    this.at = this.buf.writeUInt32BE(v, this.at)
  }

  bytes(b: Buffer): void {
    if (this.at + b.length > this.buf.length) throw new RangeError('message exceeds 16 KiB')
    this.at += b.copy(this.buf, this.at)
  }

  name(labels: Labels): void {
    const keys = suffixKeys(labels)
    for (let i = 0; i < labels.length; i++) {
      const key = keys[i] as string
      const seen = this.names.get(key)
      if (seen !== undefined) return this.u16(0xc000 | seen)
      if (this.at < 0x3fff) this.names.set(key, this.at)
      const label = labels[i] ?? ''
      const length = Buffer.byteLength(label, 'utf8')
      if (length < 1 || length > 63) throw new RangeError(`label of ${length} bytes (RFC 1035 §2.3.4: 1–63)`)
      if (this.at + 1 + length > this.buf.length) throw new RangeError('message exceeds 16 KiB')
      this.buf[this.at] = length
      this.at += 1 + this.buf.write(label, this.at + 1, 'utf8')
    }
    this.u8(0)
  }

  u8(v: number): void {
    this.at = this.buf.writeUInt8(v, this.at)
  }

  record(r: CrowdRecord, ttl: number, flush: boolean): void {
    this.name(r.name)
    this.u16(RR[r.data.type])
    this.u16(flush ? 0x8001 : 1)
    this.u32(ttl)
    const lengthAt = this.at
    this.u16(0)
    const d = r.data
    if (d.type === 'PTR') this.name(d.target)
    else if (d.type === 'SRV') {
      this.u16(0)
      this.u16(0)
      this.u16(d.port)
      this.name(d.target)
    } else this.bytes(flatRdata(d))
    this.buf.writeUInt16BE(this.at - lengthAt - 2, lengthAt)
  }

  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.at))
  }
}

/** How records are sent: `multicast` keeps TTLs and flush bits, `legacy` caps TTL at 10 without flush (§6.7), `goodbye` sends TTL 0 (§10.1). */
export type SendMode = 'multicast' | 'legacy' | 'goodbye'

/** Encodes a response; legacy replies echo the query's ID and questions (RFC 6762 §6.7). */
export function encodeResponse(p: { answers: readonly CrowdRecord[]; additionals: readonly CrowdRecord[]; mode: SendMode; echo?: { id: number; questions: readonly Question[] } }): Buffer {
  const w = new Writer()
  const echo = p.echo?.questions ?? []
  w.u16(p.echo?.id ?? 0)
  w.u16(0x8400) // QR + AA (RFC 6762 §18.2, §18.4)
  for (const n of [echo.length, p.answers.length, 0, p.additionals.length]) w.u16(n)
  for (const q of echo) {
    w.name(q.name)
    w.u16(q.type)
    w.u16(1)
  }
  const ttl = (r: CrowdRecord) => (p.mode === 'goodbye' ? 0 : p.mode === 'legacy' ? Math.min(r.ttl, 10) : r.ttl)
  for (const r of [...p.answers, ...p.additionals]) w.record(r, ttl(r), r.unique && p.mode !== 'legacy')
  return w.done()
}

/** Encodes a query (for tests): QU bits as asked, known answers in the Answer section, TC when asked. */
export function encodeQuery(p: { id?: number; questions: readonly Question[]; known?: readonly CrowdRecord[]; truncated?: boolean }): Buffer {
  const w = new Writer()
  w.u16(p.id ?? 0)
  w.u16(p.truncated ? 0x0200 : 0)
  for (const n of [p.questions.length, p.known?.length ?? 0, 0, 0]) w.u16(n)
  for (const q of p.questions) {
    w.name(q.name)
    w.u16(q.type)
    w.u16(q.unicastResponse ? 0x8001 : 1)
  }
  for (const r of p.known ?? []) w.record(r, r.ttl, false)
  return w.done()
}
