/**
 * Names: compression edge cases, mDNS name comparison, and the presentation form of instance names.
 * Case numbers are reference/discovery-and-mdns.md section (b).
 */
import { describe, expect, it } from 'vitest'
import {
  MAX_POINTER_HOPS, decodeMessage, encodeName, nameKey, namesEqual, parseName, readName, type DnsName, type NameCache, type NameRead,
} from '../../../../main/discovery/wire'
import { ANDROID_TV_HEX, DNS_PACKET_84_HEX, SERVICE, encode, forwardNsecResponse, fromHex, hapResponse, mutate, seededRandom, spans } from './fixtures'

const utf8 = new TextEncoder()
const label = (s: string) => utf8.encode(s)

/** A 12-byte header followed by `body`, so offsets in `body` are message offsets minus 12. */
const message = (...body: number[]) => Uint8Array.from([...new Array<number>(12).fill(0), ...body])
const wireName = (...labels: string[]) => [...encodeName(labels.map(label))]

describe('readName', () => {
  it('case 2: follows a pointer to a suffix, and a pointer to a pointer', () => {
    // 12: "local"; 19: "lamp" + ptr→12; 26: ptr→19
    const bytes = message(...wireName('local'), 4, ...label('lamp'), 0xc0, 12, 0xc0, 19)
    const direct = readName(bytes, 19)
    expect(direct.ok && [direct.name.text, direct.end]).toEqual(['lamp.local', 26])
    const chained = readName(bytes, 26)
    expect(chained.ok && [chained.name.text, chained.end]).toEqual(['lamp.local', 28])
  })

  it('case 2: follows a forward pointer', () => {
    const bytes = message(4, ...label('lamp'), 0xc0, 19, ...wireName('local'))
    const read = readName(bytes, 12)
    expect(read.ok && [read.name.text, read.end]).toEqual(['lamp.local', 19])
  })

  it('case 2: rejects a pointer to itself and a two-pointer loop, and still says where the name ends', () => {
    expect(readName(message(0xc0, 12), 12)).toMatchObject({ ok: false, code: 'pointer-loop', end: 14 })
    expect(readName(message(0xc0, 14, 0xc0, 12), 12)).toMatchObject({ ok: false, code: 'pointer-loop', end: 14 })
    const labelLoop = message(1, ...label('a'), 0xc0, 12) // "a" then back to itself: a.a.a.… until caught
    expect(readName(labelLoop, 12)).toMatchObject({ ok: false, code: 'pointer-loop', end: 16 })
  })

  it(`case 2: caps a chain of distinct pointers at ${MAX_POINTER_HOPS} hops`, () => {
    const chain = (hops: number) => {
      const body: number[] = []
      for (let i = 0; i < hops; i++) body.push(0xc0, 12 + 2 * (i + 1)) // each pointer targets the next one
      return message(...body, 0)
    }
    expect(readName(chain(MAX_POINTER_HOPS), 12)).toMatchObject({ ok: true, end: 14 })
    expect(readName(chain(MAX_POINTER_HOPS + 1), 12)).toMatchObject({ ok: false, code: 'pointer-loop' })
  })

  it('case 2: rejects pointers into the header or past the message', () => {
    expect(readName(message(0xc0, 4), 12)).toMatchObject({ ok: false, code: 'pointer-out-of-range', end: 14 })
    expect(readName(message(0xc0, 200), 12)).toMatchObject({ ok: false, code: 'pointer-out-of-range', end: 14 })
  })

  it('case 2: rejects labels over 63 octets and the reserved 0x40 and 0x80 label types', () => {
    for (const lead of [0x40, 0x7f, 0x80, 0xbf]) {
      expect(readName(message(lead, ...new Array<number>(70).fill(0x61), 0), 12)).toMatchObject({ ok: false, code: 'bad-label', end: undefined })
    }
  })

  it('case 2: rejects a name over 255 octets assembled through pointers', () => {
    const long = ['a', 'b', 'c'].map((c) => c.repeat(63)) // 193 octets with the root
    const suffixAt = 12
    const ok = message(...wireName(...long), 60, ...new Array<number>(60).fill(0x64), 0xc0, suffixAt) // 61 + 193 = 254
    expect(readName(ok, 12 + 193)).toMatchObject({ ok: true })
    const tooLong = message(...wireName(...long), 62, ...new Array<number>(62).fill(0x64), 0xc0, suffixAt) // 256
    expect(readName(tooLong, 12 + 193)).toMatchObject({ ok: false, code: 'name-too-long', end: 12 + 193 + 65 })
  })

  it('keeps the in-place part of a name inside its field', () => {
    const bytes = message(...wireName('lamp', 'local'))
    expect(readName(bytes, 12, 15)).toMatchObject({ ok: false, code: 'name-truncated', end: undefined })
  })
})

describe('name comparison', () => {
  const decoded = (text: string): DnsName => {
    const parsed = parseName(text)
    if (!parsed.ok) throw new Error(parsed.error.message)
    return parsed.name
  }

  it('case 6: compares names case-insensitively for ASCII letters only, as UTF-8', () => {
    expect(namesEqual('Porch-Lamp._HAP._tcp.LOCAL', 'porch-lamp._hap._tcp.local')).toBe(true)
    expect(namesEqual('Küche._hap._tcp.local', 'KüCHE._HAP._TCP.local')).toBe(true)
    expect(namesEqual('Küche._hap._tcp.local', 'KÜCHE._hap._tcp.local')).toBe(false) // no Unicode folding (RFC 6762 §16)
    expect(namesEqual('Café', 'Cafe\u0301')).toBe(false) // no normalisation either: the bytes differ
    expect(namesEqual(decoded('a\\.b.local'), 'a.b.local')).toBe(false) // one label with a dot ≠ two labels
    expect(namesEqual('a..b', 'a..b')).toBe(false) // invalid text equals nothing
  })

  it('case 6: reads UTF-8 labels off the wire and matches them against typed text', () => {
    const packet = hapResponse()
    packet.answers = [{ type: 'PTR', name: SERVICE, ttl: 4500, data: `Küche Licht.${SERVICE}` }]
    const ptr = decodeMessage(encode(packet)).answers[0]
    expect(ptr?.kind === 'PTR' && ptr.target.text).toBe('Küche Licht._hap._tcp.local')
    expect(ptr?.kind === 'PTR' && namesEqual(ptr.target, 'KüCHE LICHT._hap._tcp.local')).toBe(true)
  })

  it('case 6: gives equal names the same map key and different names different keys', () => {
    expect(nameKey('Porch\\.Lamp._HAP._tcp.local')).toBe(nameKey(decoded('porch\\.lamp._hap._tcp.local')))
    expect(nameKey('Porch\\.Lamp._hap._tcp.local')).not.toBe(nameKey('Porch.Lamp._hap._tcp.local'))
    expect(nameKey('KÜCHE.local')).toBe('kÜche.local') // ASCII letters fold, Ü stays
    expect(nameKey('\\065.local')).toBe('a.local') // \065 is "A"
  })
})

describe('presentation form', () => {
  it('case 10: instance names with dots, spaces and UTF-8 round-trip through the presentation form', () => {
    const instance = 'Living Room.Lamp ü (2)'
    const packet = hapResponse()
    // dns-packet splits names on every dot, so encode a placeholder and turn it into a dot inside the label.
    packet.answers = [{ type: 'PTR', name: SERVICE, ttl: 4500, data: `${instance.replace('.', '~')}.${SERVICE}` }]
    const bytes = encode(packet)
    const span = spans(bytes)[0]
    bytes.set([0x2e], (span?.rdataStart ?? 0) + 1 + 'Living Room'.length)
    const ptr = decodeMessage(bytes).answers[0]
    if (ptr?.kind !== 'PTR') throw new Error('no PTR')
    expect(new TextDecoder().decode(ptr.target.labels[0])).toBe(instance)
    expect(ptr.target.labels).toHaveLength(4)
    expect(ptr.target.text).toBe('Living Room\\.Lamp ü (2)._hap._tcp.local')
    const reparsed = parseName(ptr.target.text)
    expect(reparsed.ok && reparsed.name.labels).toEqual(ptr.target.labels)
    expect(encodeName(ptr.target.labels)).toEqual(bytes.slice(span?.rdataStart, span?.end))
  })

  it('case 10: escapes backslashes, control bytes and invalid UTF-8 so every label round-trips', () => {
    const labels = [Uint8Array.from([0x61, 0x5c, 0x62]), Uint8Array.from([0x6c, 0x0a, 0x7f, 0xff, 0xc3]), label('ok')]
    const text = encodeAndDecodeText(labels)
    expect(text).toBe('a\\\\b.l\\010\\127\\255\\195.ok')
    const parsed = parseName(text)
    expect(parsed.ok && parsed.name.labels).toEqual(labels)
  })

  it('case 10: rejects presentation text that is not a valid name', () => {
    const reasons = ['a..b', '.a', `${'x'.repeat(64)}.local`, 'a\\', 'a\\256b', Array(64).fill('abc').join('.')]
    for (const text of reasons) expect(parseName(text)).toMatchObject({ ok: false, error: { code: 'invalid-name' } })
    expect(parseName('lamp.local.')).toMatchObject({ ok: true, name: { text: 'lamp.local' } })
    expect(parseName('.')).toMatchObject({ ok: true, name: { text: '.', labels: [] } })
  })
})

function encodeAndDecodeText(labels: Uint8Array[]): string {
  const read = readName(message(...encodeName(labels)), 12)
  if (!read.ok) throw new Error(read.reason)
  return read.name.text
}

describe('the per-message name cache', () => {
  it('changes no outcome: every offset of 1,000 mutated packets reads the same with and without it', () => {
    const random = seededRandom(7)
    const seeds = [fromHex(ANDROID_TV_HEX), fromHex(DNS_PACKET_84_HEX), forwardNsecResponse(), encode(hapResponse())]
    const differences: string[] = []
    for (let i = 0; i < 1000; i++) {
      const bytes = mutate(seeds[i % seeds.length] ?? new Uint8Array(0), random)
      const cache: NameCache = new Map()
      for (let offset = 12; offset < bytes.length; offset++) {
        const plain = summarise(readName(bytes, offset))
        const cached = summarise(readName(bytes, offset, bytes.length, cache))
        if (plain !== cached) differences.push(`packet ${i} offset ${offset}: ${cached} instead of ${plain}`)
      }
    }
    expect(differences).toEqual([])
  })
})

function summarise(read: NameRead): string {
  const hex = (labels: readonly Uint8Array[]) => labels.map((l) => Buffer.from(l).toString('hex')).join('.')
  return read.ok ? `${read.end} ${read.name.text} ${hex(read.name.labels)}` : `${read.end} ${read.code}`
}
