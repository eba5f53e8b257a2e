/**
 * The tolerant decoder against real-device packets and dns-packet-encoded packets mutated byte by byte.
 * Case numbers are reference/discovery-and-mdns.md section (b).
 */
import dnsPacket from 'dns-packet'
import { describe, expect, it } from 'vitest'
import { decodeMessage, isMdnsQueryAcceptable, isMdnsResponseAcceptable, namesEqual, RR_TYPE, type ResourceRecord } from '../../../../main/discovery/wire'
import {
  ANDROID_TV_HEX, DNS_PACKET_84_HEX, HOST, INSTANCE, SERVICE, encode, forwardNsecResponse, fromHex, hapResponse, pointRdataNameAt,
  setU16, spans, truncateRdata,
} from './fixtures'

const kinds = (records: readonly ResourceRecord[]) => records.map((r) => r.kind)
const text = new TextDecoder()

describe('decodeMessage', () => {
  it('decodes a typical announcement to the same names, TTLs and rdata dns-packet reads', () => {
    const bytes = encode(hapResponse())
    const ours = decodeMessage(bytes)
    const theirs = dnsPacket.decode(Buffer.from(bytes))
    expect(ours.errors).toEqual([])
    expect(ours.header).toMatchObject({ id: 0, qr: true, aa: true, opcode: 0, rcode: 0, ancount: 1, arcount: 5 })
    const all = [...ours.answers, ...ours.additionals]
    const expected = [...(theirs.answers ?? []), ...(theirs.additionals ?? [])]
    expect(all.map((r) => [r.name.text, r.ttl])).toEqual(expected.map((a) => [a.name, 'ttl' in a ? a.ttl : undefined]))
    const [ptr, srv, txt, a, aaaa, nsec] = all
    expect(ptr?.kind === 'PTR' && ptr.target.text).toBe(INSTANCE)
    expect(srv?.kind === 'SRV' && [srv.port, srv.target.text]).toEqual([8080, HOST])
    expect(txt?.kind === 'TXT' && txt.strings.map((s) => text.decode(s))).toEqual(['c#=2', 'id=AA:BB:CC:DD:EE:FF', 'md=Porch Lamp', 'sf=1'])
    expect(a?.kind === 'A' && a.address).toBe('192.168.1.40')
    expect(aaaa?.kind === 'AAAA' && aaaa.address).toBe('fe80::1c2:3ff:fe04:506')
    expect(nsec?.kind === 'NSEC' && [nsec.nextName.text, nsec.types]).toEqual([HOST, [RR_TYPE.A, RR_TYPE.AAAA]])
  })

  it('case 1: a header shorter than 12 bytes yields the fields that fit and one error, without throwing', () => {
    for (const length of [0, 1, 5, 11]) {
      const message = decodeMessage(encode(hapResponse()).subarray(0, length))
      expect(message.errors.map((e) => [e.section, e.code])).toEqual([['header', 'header-truncated']])
      expect([message.answers, message.additionals]).toEqual([[], []])
    }
    expect(decodeMessage(encode(hapResponse()).subarray(0, 5)).header).toMatchObject({ id: 0, qr: true, aa: true, ancount: 0 })
  })

  it('case 1: counts beyond the data keep every record that is there and report the shortfall', () => {
    const bytes = setU16(encode(hapResponse()), 10, 9) // 5 additionals present, 9 announced
    const message = decodeMessage(bytes)
    expect(kinds(message.additionals)).toEqual(['SRV', 'TXT', 'A', 'AAAA', 'NSEC'])
    expect(message.errors).toMatchObject([{ section: 'additional', index: 5, code: 'message-truncated' }])
  })

  it('case 1: truncated rdata in the middle record drops only that record; the records after it survive', () => {
    const message = decodeMessage(truncateRdata(encode(hapResponse()), 3, 3)) // the A record, 3 bytes instead of 4
    expect(kinds(message.answers)).toEqual(['PTR'])
    expect(kinds(message.additionals)).toEqual(['SRV', 'TXT', 'AAAA', 'NSEC'])
    expect(message.errors).toMatchObject([{ section: 'additional', index: 2, code: 'rdata-invalid' }])
  })

  it('case 1: an SRV whose target runs past its rdlength is dropped and decoding resyncs on rdlength', () => {
    const message = decodeMessage(truncateRdata(encode(hapResponse()), 1, 10)) // SRV target cut inside a label
    expect(kinds(message.additionals)).toEqual(['TXT', 'A', 'AAAA', 'NSEC'])
    expect(message.errors).toMatchObject([{ section: 'additional', index: 0, code: 'name-truncated' }])
  })

  it('case 1: an rdlength past the end of the message keeps the records before it', () => {
    const bytes = encode(hapResponse())
    const last = spans(bytes)[5]
    const message = decodeMessage(setU16(bytes, (last?.fixed ?? 0) + 8, 500))
    expect(kinds(message.additionals)).toEqual(['SRV', 'TXT', 'A', 'AAAA'])
    expect(message.errors).toMatchObject([{ section: 'additional', index: 4, code: 'rdata-overrun' }])
  })

  it('case 2: accepts a forward compression pointer in NSEC and keeps the packet', () => {
    const bytes = forwardNsecResponse()
    expect(() => dnsPacket.decode(Buffer.from(bytes))).toThrow(/bad pointer/)
    const message = decodeMessage(bytes)
    expect(message.errors).toEqual([])
    expect(kinds(message.answers)).toEqual(['PTR', 'NSEC', 'SRV', 'TXT', 'A'])
    const nsec = message.answers[1]
    expect(nsec?.kind === 'NSEC' && namesEqual(nsec.nextName, INSTANCE) && nsec.types).toEqual([RR_TYPE.TXT, RR_TYPE.SRV])
  })

  it("case 2: decodes python-zeroconf's Android TV packet (forward NSEC pointer) that dns-packet rejects", () => {
    const bytes = fromHex(ANDROID_TV_HEX)
    expect(() => dnsPacket.decode(Buffer.from(bytes))).toThrow(/bad pointer/)
    const message = decodeMessage(bytes)
    expect(message.errors).toEqual([])
    expect(kinds(message.answers)).toEqual(['TXT', 'NSEC', 'NSEC', 'A', 'SRV', 'PTR', 'PTR'])
    const srv = message.answers[4]
    expect(srv?.kind === 'SRV' && [srv.name.text, srv.port, srv.target.text]).toEqual(['TV Beneden (2)._androidtvremote._tcp.local', 6466, 'Android-3.local'])
    const hostNsec = message.answers[2]
    expect(hostNsec?.kind === 'NSEC' && hostNsec.types).toEqual([RR_TYPE.A, RR_TYPE.AAAA])
  })

  it('case 2: dns-packet #84 (HomeKit camera): drops only the NSEC whose forward pointer leads nowhere, keeps five records', () => {
    const bytes = fromHex(DNS_PACKET_84_HEX)
    expect(() => dnsPacket.decode(Buffer.from(bytes))).toThrow(/bad pointer/)
    const message = decodeMessage(bytes)
    expect(kinds(message.answers)).toEqual(['PTR', 'NSEC', 'A', 'SRV', 'TXT'])
    expect(message.errors).toMatchObject([{ section: 'answer', index: 1, code: 'name-truncated' }])
    const srv = message.answers[3]
    expect(srv?.kind === 'SRV' && [srv.name.text, srv.port, srv.target.text]).toEqual(['IndoorCam 2K-0A1C._hap._tcp.local', 46840, 'Indoorcam.local'])
  })

  it('case 2: a pointer loop in an NSEC next-domain drops that record and keeps the rest', () => {
    const bytes = encode(hapResponse())
    const nsec = spans(bytes)[5]
    const looped = pointRdataNameAt(bytes, 5, nsec?.rdataStart ?? 0) // the pointer points at itself
    const message = decodeMessage(looped)
    expect(kinds(message.additionals)).toEqual(['SRV', 'TXT', 'A', 'AAAA'])
    expect(message.errors).toMatchObject([{ section: 'additional', index: 4, code: 'pointer-loop' }])
  })

  it('case 2: a 64-byte label in a PTR target drops the PTR; the records after it survive', () => {
    const packet = hapResponse()
    packet.answers = [{ type: 'PTR', name: SERVICE, ttl: 4500, data: `${'x'.repeat(64)}.${SERVICE}` }]
    const message = decodeMessage(encode(packet))
    expect(message.answers).toEqual([])
    expect(kinds(message.additionals)).toEqual(['SRV', 'TXT', 'A', 'AAAA', 'NSEC'])
    expect(message.errors).toMatchObject([{ section: 'answer', index: 0, code: 'bad-label' }])
  })

  it('case 2: a 64-byte label in an owner name loses the framing: records before it are kept, the stop is reported', () => {
    const packet = hapResponse()
    packet.additionals = [...(packet.additionals ?? []).slice(0, 2), { type: 'A', name: `${'x'.repeat(64)}.local`, ttl: 120, data: '192.168.1.41' }]
    const message = decodeMessage(encode(packet))
    expect(kinds(message.additionals)).toEqual(['SRV', 'TXT'])
    expect(message.errors).toMatchObject([{ section: 'additional', index: 2, code: 'bad-label' }])
  })

  it('case 2: a 256-octet PTR target is dropped and a 255-octet one is kept', () => {
    const name = (last: number) => ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(last)].join('.')
    const packet = hapResponse()
    packet.answers = [name(62), name(61)].map((data) => ({ type: 'PTR' as const, name: SERVICE, ttl: 4500, data }))
    const message = decodeMessage(encode(packet))
    expect(message.answers.map((r) => r.kind === 'PTR' && r.target.labels.map((l) => l.length))).toEqual([[63, 63, 63, 61]])
    expect(message.errors).toMatchObject([{ section: 'answer', index: 0, code: 'name-too-long' }])
  })

  it('case 3: decodes the QU bit as a flag and leaves the class IN', () => {
    const bytes = encode({ type: 'query', questions: [{ name: SERVICE, type: 'PTR' }, { name: INSTANCE, type: 'SRV' }] })
    const classAt = 12 + SERVICE.length + 2 + 2
    setU16(bytes, classAt, 0x8001) // what dns-packet cannot encode (dns-packet #21)
    const { questions, header, errors } = decodeMessage(bytes)
    expect(errors).toEqual([])
    expect(header.qr).toBe(false)
    expect(questions.map((q) => [q.name.text, q.type, q.class, q.qu])).toEqual([
      [SERVICE, RR_TYPE.PTR, 1, true],
      [INSTANCE, RR_TYPE.SRV, 1, false],
    ])
  })

  it('case 4: decodes the cache-flush bit per record and leaves the class IN', () => {
    const message = decodeMessage(encode(hapResponse()))
    expect(message.answers.map((r) => [r.class, r.cacheFlush])).toEqual([[1, false]])
    expect(message.additionals.map((r) => [r.class, r.cacheFlush])).toEqual(Array(5).fill([1, true]))
  })

  it('case 5: accepts only opcode 0 and RCODE 0 responses; questions in a response do not matter', () => {
    const withQuestion = { ...hapResponse(), questions: [{ name: SERVICE, type: 'PTR' as const }] }
    const accepted = decodeMessage(encode(withQuestion))
    expect(isMdnsResponseAcceptable(accepted.header)).toBe(true)
    expect(kinds(accepted.answers)).toEqual(['PTR'])
    const withFlags = (or: number) => decodeMessage(setU16(encode(hapResponse()), 2, 0x8400 | or)).header
    expect(isMdnsResponseAcceptable(withFlags(2 << 11))).toBe(false) // opcode 2 (STATUS)
    expect(isMdnsResponseAcceptable(withFlags(3))).toBe(false) // RCODE 3 (NXDOMAIN)
    expect(withFlags(2 << 11)).toMatchObject({ opcode: 2, rcode: 0 })
    const query = decodeMessage(encode({ type: 'query', questions: [{ name: SERVICE, type: 'PTR' }] })).header
    expect([isMdnsResponseAcceptable(query), isMdnsQueryAcceptable(query)]).toEqual([false, true])
  })

  it('reads a TTL with the top bit set as 0 (RFC 2181 §8)', () => {
    const bytes = encode(hapResponse())
    const ptr = spans(bytes)[0]
    setU16(bytes, (ptr?.fixed ?? 0) + 4, 0x8000)
    expect(decodeMessage(bytes).answers[0]?.ttl).toBe(0)
  })

  it('returns plain Uint8Arrays that do not alias the datagram', () => {
    const datagram = Buffer.from(encode(hapResponse()))
    const message = decodeMessage(datagram)
    datagram.fill(0)
    const txt = message.additionals[1]
    expect(txt?.kind === 'TXT' && text.decode(txt.strings[1])).toBe('id=AA:BB:CC:DD:EE:FF')
    expect(message.answers[0]?.name.labels[0]?.constructor).toBe(Uint8Array)
    expect(txt?.rdata.constructor).toBe(Uint8Array)
  })
})
