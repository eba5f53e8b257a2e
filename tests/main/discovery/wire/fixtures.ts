/**
 * Packets for the wire tests: two captured from real devices, and realistic ones encoded with dns-packet
 * (which never compresses names, so record offsets are easy to find) and then mutated byte by byte.
 */
import dnsPacket, { type Answer, type Packet } from 'dns-packet'

/**
 * A HomeKit camera's response from dns-packet #84 ("Cannot decode multicast DNS packet"), which dns-packet
 * 5.6.1 rejects whole. Its host NSEC's next-domain pointer points forward into the TXT rdata, where no
 * name ends: that one record is bad. The other five are fine.
 */
export const DNS_PACKET_84_HEX =
  '000084000000000600000000045f686170045f746370056c6f63616c00000c000100001194001411496e646f6f7243616d20324b2d' +
  '30413143c00c09496e646f6f7263616dc016002f8001000000780005c0a5000140c027002f8001000011940009c02700050000800040' +
  'c03b00018001000000780004c0a801f3c0270021800100000078000800000000b6f8c03bc0270010800100001194004c0463233d3104' +
  '66663d321469643d34413a34413a33373a37383a34443a3030086d643d54383430300670763d312e310573233d31340473663d3005' +
  '63693d31370b73683d4a6b6e5466773d3d'

/**
 * An Android TV's response, the packet of python-zeroconf's `test_dns_compression_points_forward`: the host
 * NSEC's next-domain is a forward pointer (to offset 156). dns-packet 5.6.1 rejects it whole.
 */
export const ANDROID_TV_HEX =
  '0000840000000007000000000e54562042656e6564656e20283229105f616e64726f6964747672656d6f7465045f746370056c6f63' +
  '616c00001080010000119400151462743d44383a31333a39393a41433a39383a4631c00c002f8001000011940009c00c000500008000' +
  '4009416e64726f69642d33c031002f8001000000780008c09c000440000008c06c00018001000000780004c0a8580fc00c0021800100' +
  '0000780008000000001942c06cc01b000c0001000011940002c00c095f7365727669636573075f646e732d7364045f756470c031000c' +
  '0001000011940002c01b'

/** Bytes of a hex string as a plain Uint8Array. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

export const SERVICE = '_hap._tcp.local'
export const INSTANCE = `Porch Lamp.${SERVICE}`
export const HOST = 'porch-lamp.local'

/** A typical announcement: PTR answer, then SRV, TXT, A, AAAA and a host NSEC as additionals, unique ones with cache-flush. */
export function hapResponse(): Packet {
  return {
    type: 'response',
    id: 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    answers: [{ type: 'PTR', name: SERVICE, ttl: 4500, data: INSTANCE }],
    additionals: [
      { type: 'SRV', name: INSTANCE, ttl: 120, flush: true, data: { priority: 0, weight: 0, port: 8080, target: HOST } },
      { type: 'TXT', name: INSTANCE, ttl: 4500, flush: true, data: ['c#=2', 'id=AA:BB:CC:DD:EE:FF', 'md=Porch Lamp', 'sf=1'] },
      { type: 'A', name: HOST, ttl: 120, flush: true, data: '192.168.1.40' },
      { type: 'AAAA', name: HOST, ttl: 120, flush: true, data: 'fe80::1c2:3ff:fe04:506' },
      { type: 'NSEC', name: HOST, ttl: 120, flush: true, data: { nextDomain: HOST, rrtypes: ['A', 'AAAA'] } },
    ],
  }
}

/** Encodes a packet as a plain Uint8Array. */
export function encode(packet: Packet): Uint8Array {
  return new Uint8Array(dnsPacket.encode(packet))
}

/** Where one record of an uncompressed packet sits. */
export interface RecordSpan {
  start: number
  /** Offset of TYPE (right after the owner name). */
  fixed: number
  rdataStart: number
  end: number
}

function skipUncompressedName(bytes: Uint8Array, offset: number): number {
  let o = offset
  while ((bytes[o] ?? 0) !== 0) o += (bytes[o] ?? 0) + 1
  return o + 1
}

/** Record spans of a packet dns-packet encoded (no compression), in wire order across sections. */
export function spans(bytes: Uint8Array): RecordSpan[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 12
  for (let i = 0; i < view.getUint16(4); i++) offset = skipUncompressedName(bytes, offset) + 4
  const total = view.getUint16(6) + view.getUint16(8) + view.getUint16(10)
  const out: RecordSpan[] = []
  for (let i = 0; i < total; i++) {
    const fixed = skipUncompressedName(bytes, offset)
    const end = fixed + 10 + view.getUint16(fixed + 8)
    out.push({ start: offset, fixed, rdataStart: fixed + 10, end })
    offset = end
  }
  return out
}

/** Replaces `deleteCount` bytes at `at` with `insert`. */
export function splice(bytes: Uint8Array, at: number, deleteCount: number, insert: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(bytes.length - deleteCount + insert.length)
  out.set(bytes.subarray(0, at))
  out.set(insert, at)
  out.set(bytes.subarray(at + deleteCount), at + insert.length)
  return out
}

/** Writes a big-endian 16-bit value in place and returns the array. */
export function setU16(bytes: Uint8Array, at: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(at, value)
  return bytes
}

/** Shrinks the rdata of record `index` to `length` bytes (cutting its tail) and fixes its rdlength. */
export function truncateRdata(bytes: Uint8Array, index: number, length: number): Uint8Array {
  const span = spans(bytes)[index]
  if (!span) throw new Error(`no record ${index}`)
  const out = splice(bytes, span.rdataStart + length, span.end - span.rdataStart - length)
  return setU16(out, span.fixed + 8, length)
}

/**
 * Replaces the uncompressed name that starts the rdata of record `index` (PTR target, NSEC next domain)
 * with a 2-byte compression pointer. `target` is given as an offset in the packet *before* the edit: if it
 * lies after the name, it moves up by the bytes saved, as a real encoder's forward pointer would.
 */
export function pointRdataNameAt(bytes: Uint8Array, index: number, target: number): Uint8Array {
  const span = spans(bytes)[index]
  if (!span) throw new Error(`no record ${index}`)
  const nameLength = skipUncompressedName(bytes, span.rdataStart) - span.rdataStart
  const saved = nameLength - 2
  const moved = target > span.rdataStart ? target - saved : target
  const out = splice(bytes, span.rdataStart, nameLength, [0xc0 | (moved >> 8), moved & 0xff])
  return setU16(out, span.fixed + 8, span.end - span.rdataStart - saved)
}

/** The instance NSEC of a real device, placed before the records it names, next-domain → the SRV's owner (forward). */
export function forwardNsecResponse(): Uint8Array {
  const answers: Answer[] = [
    { type: 'PTR', name: SERVICE, ttl: 4500, data: INSTANCE },
    { type: 'NSEC', name: INSTANCE, ttl: 4500, flush: true, data: { nextDomain: INSTANCE, rrtypes: ['TXT', 'SRV'] } },
    { type: 'SRV', name: INSTANCE, ttl: 120, flush: true, data: { priority: 0, weight: 0, port: 8080, target: HOST } },
    { type: 'TXT', name: INSTANCE, ttl: 4500, flush: true, data: ['id=AA:BB:CC:DD:EE:FF'] },
    { type: 'A', name: HOST, ttl: 120, flush: true, data: '192.168.1.40' },
  ]
  const bytes = encode({ type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER, answers })
  const srv = spans(bytes)[2]
  if (!srv) throw new Error('no SRV')
  return pointRdataNameAt(bytes, 1, srv.start)
}

/** Mulberry32: a small seeded PRNG, so every fuzz run sees the same mutations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Bytes that steer a decoder into its edge cases: pointers, reserved label types, long lengths. */
const INTERESTING = [0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xc0, 0xff]

/** One to three random mutations: bit flips, truncation, inserted bytes, interesting bytes, random pointers. */
export function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n)
  let bytes: Uint8Array = seed.slice()
  for (let step = 0, steps = 1 + int(3); step < steps; step++) {
    const at = int(bytes.length + 1)
    switch (int(5)) {
      case 0:
        if (at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ (1 << int(8))
        break
      case 1:
        bytes = bytes.slice(0, at)
        break
      case 2:
        bytes = splice(bytes, at, 0, Array.from({ length: 1 + int(8) }, () => int(256)))
        break
      case 3:
        if (at < bytes.length) bytes[at] = INTERESTING[int(INTERESTING.length)] ?? 0
        break
      default: {
        const target = int(bytes.length + 16)
        if (at + 1 < bytes.length) bytes.set([0xc0 | (target >> 8), target & 0xff], at)
      }
    }
  }
  return bytes
}
