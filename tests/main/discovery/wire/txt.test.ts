/**
 * RFC 6763 TXT semantics and encoding limits. Case numbers are reference/discovery-and-mdns.md section (b);
 * the inputs are the rows of its table 1.5, where bonjour-service gets them wrong.
 */
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeTxt, parseTxt, txtGet, type TxtRecord } from '../../../../main/discovery/wire'
import { INSTANCE, encode } from './fixtures'

const utf8 = new TextEncoder()
const strings = (...list: (string | number[])[]) => list.map((s) => (typeof s === 'string' ? utf8.encode(s) : Uint8Array.from(s)))
const summary = (record: TxtRecord) => record.entries.map((e) => [e.displayKey, e.text])

describe('parseTxt', () => {
  it('case 8: the key ends at the first "=" and the value keeps every byte after it, "=", "\\n" and 0xFF included', () => {
    const record = parseTxt(strings('url=http://x/?a=b', 'k=line1\nline2', [0x62, 0x69, 0x6e, 0x3d, 0xff, 0xfe, 0x0a, 0x00, 0x3d]))
    expect(summary(record).slice(0, 2)).toEqual([['url', 'http://x/?a=b'], ['k', 'line1\nline2']])
    expect(txtGet(record, 'bin')?.value).toEqual(Uint8Array.from([0xff, 0xfe, 0x0a, 0x00, 0x3d]))
    expect(txtGet(record, 'bin')?.text).toBe('\ufffd\ufffd\n\0=') // lossy text view; the bytes above are exact
  })

  it('case 9: "=value" is ignored, "key" is a present boolean, "key=" is an empty value, absent is absent', () => {
    const record = parseTxt(strings('=no-key', 'a', 'paired', 'empty='))
    expect(record.entries.map((e) => [e.key, e.value])).toEqual([['a', null], ['paired', null], ['empty', new Uint8Array(0)]])
    expect(txtGet(record, 'empty')?.text).toBe('')
    expect(txtGet(record, 'missing')).toBeUndefined()
    expect(record.ignored).toMatchObject([{ code: 'txt-empty-key', raw: utf8.encode('=no-key') }])
  })

  it('case 9: keys are case-insensitive, the first duplicate wins, and the sent case is kept for display', () => {
    const record = parseTxt(strings('ID=1', 'id=2', 'Id', 'md=Lamp'))
    expect(summary(record)).toEqual([['ID', '1'], ['md', 'Lamp']])
    expect(txtGet(record, 'id')).toMatchObject({ key: 'id', displayKey: 'ID', text: '1' })
    expect(record.ignored.map((i) => i.code)).toEqual(['txt-duplicate-key', 'txt-duplicate-key'])
  })

  it('case 9: rejects keys with non-printable bytes, accepts long keys and spaces, skips empty strings', () => {
    const record = parseTxt(strings([0x6b, 0x01, 0x3d, 0x31], [0xc3, 0xa9, 0x3d, 0x31], 'a very long key name=1', '', 'ok=1'))
    expect(summary(record)).toEqual([['a very long key name', '1'], ['ok', '1']])
    expect(record.ignored.map((i) => i.code)).toEqual(['txt-bad-key', 'txt-bad-key'])
  })

  it('case 9: reads the TXT strings of a decoded record', () => {
    const bytes = encode({ type: 'response', answers: [{ type: 'TXT', name: INSTANCE, ttl: 4500, data: ['id=1', 'ID=2', 'paired', '=x', 'v=a=b'] }] })
    const txt = decodeMessage(bytes).answers[0]
    if (txt?.kind !== 'TXT') throw new Error('no TXT')
    expect(summary(parseTxt(txt.strings))).toEqual([['id', '1'], ['paired', null], ['v', 'a=b']])
  })
})

describe('encodeTxt', () => {
  it('case 7: refuses a string over 255 bytes and accepts exactly 255', () => {
    const value = (n: number) => 'x'.repeat(n - 'key='.length)
    expect(encodeTxt([{ key: 'key', value: value(256) }])).toMatchObject({ ok: false, error: { code: 'txt-string-too-long' } })
    const ok = encodeTxt([{ key: 'key', value: value(255) }])
    expect(ok.ok && ok.strings[0]?.length).toBe(255)
    expect(encodeTxt([{ key: 'k', value: new Uint8Array(254) }])).toMatchObject({ ok: false })
  })

  it('case 7: encodes an empty TXT record as a single zero byte, which dns-packet puts on the wire as such', () => {
    const empty = encodeTxt([])
    if (!empty.ok) throw new Error(empty.error.message)
    expect(empty.rdata).toEqual(Uint8Array.of(0))
    const bytes = encode({ type: 'response', answers: [{ type: 'TXT', name: INSTANCE, ttl: 4500, data: empty.strings.map((s) => Buffer.from(s)) }] })
    const txt = decodeMessage(bytes).answers[0]
    expect(txt?.rdata).toEqual(Uint8Array.of(0))
    expect(txt?.kind === 'TXT' && parseTxt(txt.strings).entries).toEqual([])
  })

  it('case 7: encodes booleans as the bare key and round-trips values through dns-packet and parseTxt', () => {
    const encoded = encodeTxt([{ key: 'txtvers', value: '1' }, { key: 'paired', value: null }, { key: 'bin', value: Uint8Array.of(0xff, 0x0a) }, { key: 'e', value: '' }])
    if (!encoded.ok) throw new Error(encoded.error.message)
    expect(encoded.strings.map((s) => Buffer.from(s).toString('latin1'))).toEqual(['txtvers=1', 'paired', 'bin=\xff\n', 'e='])
    const bytes = encode({ type: 'response', answers: [{ type: 'TXT', name: INSTANCE, ttl: 4500, data: encoded.strings.map((s) => Buffer.from(s)) }] })
    const txt = decodeMessage(bytes).answers[0]
    expect(txt?.rdata).toEqual(encoded.rdata)
    const record = parseTxt(txt?.kind === 'TXT' ? txt.strings : [])
    expect(record.entries.map((e) => [e.key, e.value && [...e.value]])).toEqual([['txtvers', [0x31]], ['paired', null], ['bin', [0xff, 0x0a]], ['e', []]])
  })

  it('case 7: refuses keys receivers would drop or misread', () => {
    for (const key of ['', 'a=b', 'clé', 'tab\t']) {
      expect(encodeTxt([{ key, value: '1' }])).toMatchObject({ ok: false, error: { code: 'txt-bad-key' } })
    }
    expect(encodeTxt([{ key: 'id', value: '1' }, { key: 'ID', value: '2' }])).toMatchObject({ ok: false, error: { code: 'txt-duplicate-key' } })
  })

  it('case 7: refuses a record over 65,535 bytes', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(240) }))
    expect(encodeTxt(entries)).toMatchObject({ ok: false, error: { code: 'txt-record-too-long' } })
  })
})

describe('dns-packet as an encoder', () => {
  it('writes a 300-byte TXT string with a wrapped length byte, which is why encodeTxt checks first', () => {
    const bytes = encode({ type: 'response', answers: [{ type: 'TXT', name: INSTANCE, ttl: 4500, data: ['k='.padEnd(300, 'x')] }] })
    expect(decodeMessage(bytes).errors).toMatchObject([{ code: 'rdata-invalid' }])
  })
})
