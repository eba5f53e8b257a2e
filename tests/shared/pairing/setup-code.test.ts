/**
 * Setup codes: Espressif's QR JSON (reference §1.9, (b) 17), the esp-jumpstart link, typed codes, and the
 * refusals — each with a message that says what to do and never contains what was scanned or typed.
 */
import { describe, expect, it } from 'vitest'
import { describeSetupCode, MAX_PAYLOAD_BYTES, parseManualCode, parseSetupPayload, type SetupCodeResult } from '../../../shared/pairing/setup-code'
import { SetupCodeInput } from '../../../shared/provisioning/view'

const CANARY = 'canary-pop-9e1f'
const qr = (fields: Record<string, unknown>) => JSON.stringify({ ver: 'v1', name: 'PROV_CE03C0', transport: 'softap', ...fields })

function value(result: SetupCodeResult) {
  if (!result.ok) throw new Error(`expected a code, got ${result.error.code}`)
  expect(SetupCodeInput.safeParse(result.value).success).toBe(true)
  return result.value
}

function refusal(result: SetupCodeResult) {
  if (result.ok) throw new Error('expected a refusal')
  return result.error
}

describe('parseSetupPayload: Espressif QR JSON', () => {
  it('(b)17 reads the IDF example payload (security 1): name, PoP and transport; security left to proto-ver', () => {
    expect(value(parseSetupPayload('{"ver":"v1","name":"PROV_CE03C0","pop":"abcd1234","transport":"softap"}'))).toEqual({
      serviceName: 'PROV_CE03C0', pop: 'abcd1234', transport: 'softap',
    })
  })

  it('(b)17 security 2: a username without `security` means 2 (only SRP has a username)', () => {
    expect(value(parseSetupPayload(qr({ username: 'wifiprov', pop: 'abcd1234' })))).toEqual({
      serviceName: 'PROV_CE03C0', pop: 'abcd1234', username: 'wifiprov', security: 2, transport: 'softap',
    })
  })

  it('an explicit `security` wins, as a number or (like Android optInt) a digit string', () => {
    expect(value(parseSetupPayload(qr({ security: 1, pop: 'abcd1234' }))).security).toBe(1)
    expect(value(parseSetupPayload(qr({ security: '2', username: 'u', pop: 'p' }))).security).toBe(2)
    expect(value(parseSetupPayload(qr({ security: 0 }))).security).toBe(0)
    expect(value(parseSetupPayload(qr({ security: 1, username: 'u', pop: 'p' }))).security).toBe(1)
  })

  it('security 0: no PoP; an empty PoP, username or password counts as absent', () => {
    expect(value(parseSetupPayload(qr({})))).toEqual({ serviceName: 'PROV_CE03C0', transport: 'softap' })
    expect(value(parseSetupPayload(qr({ pop: '', username: '', password: '' })))).toEqual({ serviceName: 'PROV_CE03C0', transport: 'softap' })
  })

  it('maps `password` (the SoftAP’s WPA2 key) to apPassphrase', () => {
    expect(value(parseSetupPayload(qr({ pop: 'abcd1234', password: 'ap-pass-123' }))).apPassphrase).toBe('ap-pass-123')
  })

  it('recognises BLE codes (the wizard says BLE is not supported) and reads transport case-insensitively', () => {
    expect(value(parseSetupPayload(qr({ transport: 'ble', pop: 'x' }))).transport).toBe('ble')
    expect(value(parseSetupPayload(qr({ transport: 'SoftAP' }))).transport).toBe('softap')
    expect(value(parseSetupPayload(qr({ transport: undefined }))).transport).toBeUndefined()
  })

  it('accepts surrounding whitespace, a BOM, a missing `ver` and unknown extra keys', () => {
    expect(value(parseSetupPayload(`\n\t  ${qr({ pop: 'abcd1234' })}  \r\n`)).pop).toBe('abcd1234')
    expect(value(parseSetupPayload(`\uFEFF${qr({})}`)).serviceName).toBe('PROV_CE03C0')
    expect(value(parseSetupPayload('{"name":"PROV_A","pop":"p"}'))).toEqual({ serviceName: 'PROV_A', pop: 'p' })
    expect(value(parseSetupPayload(qr({ future: { nested: [1, 2] }, pop: 'p' })))).toEqual({ serviceName: 'PROV_CE03C0', pop: 'p', transport: 'softap' })
  })

  it('accepts a 32-byte name, a 64-character PoP and a 63-character password at the limits', () => {
    const name = 'N'.repeat(32)
    const pop = 'p'.repeat(64)
    const password = 'w'.repeat(63)
    expect(value(parseSetupPayload(qr({ name, pop, password })))).toMatchObject({ serviceName: name, pop, apPassphrase: password })
    expect(value(parseSetupPayload(qr({ name: 'Lampe-€€€€€€€€' }))).serviceName).toBe('Lampe-€€€€€€€€')
  })
})

describe('parseSetupPayload: the esp-jumpstart link', () => {
  const payload = '{"ver":"v1","name":"PROV_CE03C0","pop":"abcd1234","transport":"softap"}'
  const expected = { serviceName: 'PROV_CE03C0', pop: 'abcd1234', transport: 'softap' }

  it('reads the link with the payload URL-encoded, as a browser or scanner app gives it', () => {
    expect(value(parseSetupPayload(`https://espressif.github.io/esp-jumpstart/qrcode.html?data=${encodeURIComponent(payload)}`))).toEqual(expected)
  })

  it('reads the link exactly as the IDF example prints it (unencoded), even with % + & in the PoP', () => {
    expect(value(parseSetupPayload(`https://espressif.github.io/esp-jumpstart/qrcode.html?data=${payload}`))).toEqual(expected)
    const odd = qr({ pop: 'a%2b+c&d' })
    expect(value(parseSetupPayload(`  https://espressif.github.io/esp-jumpstart/qrcode.html?data=${odd}\n`)).pop).toBe('a%2b+c&d')
  })

  it('finds `data` after other parameters, and takes http and any case of the host', () => {
    expect(value(parseSetupPayload(`http://Espressif.GitHub.io/esp-jumpstart/qrcode.html?x=1&data=${encodeURIComponent(payload)}`))).toEqual(expected)
  })

  it('refuses the link without data, and any other web address', () => {
    expect(refusal(parseSetupPayload('https://espressif.github.io/esp-jumpstart/qrcode.html?x=1')).code).toBe('code-not-setup-code')
    expect(refusal(parseSetupPayload(`https://evil.example/esp-jumpstart/qrcode.html?data=${encodeURIComponent(payload)}`)).code).toBe('code-not-setup-code')
    expect(refusal(parseSetupPayload(`https://espressif.github.io.evil.example/esp-jumpstart/qrcode.html?data=${payload}`)).code).toBe('code-not-setup-code')
  })
})

describe('parseSetupPayload: refusals', () => {
  it.each([
    ['empty', '', 'code-empty'],
    ['only whitespace', ' \n\t ', 'code-empty'],
    ['plain text', `${CANARY} is my code`, 'code-not-setup-code'],
    ['truncated JSON', `{"ver":"v1","name":"PROV_A","pop":"${CANARY}"`, 'code-not-setup-code'],
    ['a JSON array', `["${CANARY}"]`, 'code-not-setup-code'],
    ['JSON null', 'null', 'code-not-setup-code'],
    ['a JSON string', `"${CANARY}"`, 'code-not-setup-code'],
    ['a JSON number', '12345678', 'code-not-setup-code'],
    ['an empty object', '{}', 'code-not-setup-code'],
    ['a version 2 payload', qr({ ver: 'v2', pop: CANARY }), 'code-unsupported-version'],
    ['ver as a number', qr({ ver: 1, pop: CANARY }), 'code-unsupported-version'],
    ['no name', JSON.stringify({ ver: 'v1', pop: CANARY }), 'code-invalid-name'],
    ['a numeric name', qr({ name: 42, pop: CANARY }), 'code-invalid-name'],
    ['a 33-byte name', qr({ name: 'N'.repeat(33), pop: CANARY }), 'code-invalid-name'],
    ['a name of 11 euro signs (33 bytes)', qr({ name: '€'.repeat(11), pop: CANARY }), 'code-invalid-name'],
    ['a name with a bidi override', qr({ name: 'PROV_\u202Eevil', pop: CANARY }), 'code-invalid-name'],
    ['a name with a NUL', qr({ name: 'PROV_\u0000A', pop: CANARY }), 'code-invalid-name'],
    ['a name with a newline', qr({ name: 'PROV\nA', pop: CANARY }), 'code-invalid-name'],
    ['a 65-character PoP', qr({ pop: `${CANARY}${'x'.repeat(65 - CANARY.length)}` }), 'code-invalid-pop'],
    ['a numeric PoP', qr({ pop: 12345678 }), 'code-invalid-pop'],
    ['a PoP object', qr({ pop: { value: CANARY } }), 'code-invalid-pop'],
    ['a numeric username', qr({ username: 7, pop: CANARY }), 'code-invalid-username'],
    ['a 65-character username', qr({ username: 'u'.repeat(65), pop: CANARY }), 'code-invalid-username'],
    ['security 3', qr({ security: 3, pop: CANARY }), 'code-invalid-security'],
    ['security 1.5', qr({ security: 1.5, pop: CANARY }), 'code-invalid-security'],
    ['security true', qr({ security: true, pop: CANARY }), 'code-invalid-security'],
    ['security "two"', qr({ security: 'two', pop: CANARY }), 'code-invalid-security'],
    ['transport wifi', qr({ transport: 'wifi', pop: CANARY }), 'code-unknown-transport'],
    ['transport as a number', qr({ transport: 1, pop: CANARY }), 'code-unknown-transport'],
    ['a 7-character password', qr({ password: 'short12', pop: CANARY }), 'code-invalid-password'],
    ['a 64-character password', qr({ password: 'w'.repeat(64), pop: CANARY }), 'code-invalid-password'],
    ['a numeric password', qr({ password: 12345678, pop: CANARY }), 'code-invalid-password'],
    ['a HomeKit setup URI', 'X-HM://00713L3UQ7OSX', 'code-homekit'],
    ['a HomeKit URI in lower case', ' x-hm://00713l3uq7osx ', 'code-homekit'],
    ['a Matter QR payload', 'MT:YNJV7VSC00CMVH7SR00', 'code-matter'],
    ['a Matter multi-payload', 'MT:Y.K9042C00KA0648G00*MT:Y.K90AFN00KA0648G00', 'code-matter'],
    ['markup', `<img src=x onerror=alert(1)>${CANARY}`, 'code-not-setup-code'],
  ] as const)('refuses %s', (_label, input, code) => {
    const error = refusal(parseSetupPayload(input))
    expect(error.code).toBe(code)
    expect(error.message.length).toBeGreaterThan(30)
    expect(error.message).not.toContain(CANARY)
    expect(error.message).not.toContain('PROV_')
  })

  it('refuses more than 2 KB before reading it, counting UTF-8 bytes, without echoing any of it', () => {
    const big = qr({ pop: CANARY, filler: 'x'.repeat(MAX_PAYLOAD_BYTES) })
    expect(refusal(parseSetupPayload(big)).code).toBe('code-too-long')
    const multibyte = qr({ pop: CANARY, filler: '€'.repeat(700) })
    expect(multibyte.length).toBeLessThan(MAX_PAYLOAD_BYTES)
    expect(refusal(parseSetupPayload(multibyte)).code).toBe('code-too-long')
    expect(refusal(parseSetupPayload(multibyte)).message).not.toContain(CANARY)
    expect(refusal(parseSetupPayload(`${' '.repeat(MAX_PAYLOAD_BYTES)}${qr({})}`)).code).toBe('code-too-long')
  })

  it('is not fooled by prototype keys, and never throws on hostile input', () => {
    const proto = parseSetupPayload(`{"__proto__":{"pop":"${CANARY}","security":2},"ver":"v1","name":"PROV_A"}`)
    expect(value(proto)).toEqual({ serviceName: 'PROV_A' })
    expect(({} as Record<string, unknown>).pop).toBeUndefined()
    const hostile = ['{"a":' .repeat(500) + '1' + '}'.repeat(500), '\u0000'.repeat(100), '\uD800', '%E0%A4%A', '{"name":"\\ud800"}',
      'https://espressif.github.io/esp-jumpstart/qrcode.html?data=%E0%A4%A', 'MT', 'X-HM:/', '{"ver":"v1","name":"PROV_A","pop":null}']
    for (const input of hostile) expect(() => parseSetupPayload(input)).not.toThrow()
    expect(value(parseSetupPayload('{"ver":"v1","name":"PROV_A","pop":null}'))).toEqual({ serviceName: 'PROV_A' })
    expect(parseSetupPayload(12 as unknown as string).ok).toBe(false)
  })
})

describe('parseManualCode', () => {
  it('trims the code; without a username it is left to the device (proto-ver) which security applies', () => {
    expect(value(parseManualCode('  abcd1234 \n'))).toEqual({ pop: 'abcd1234' })
  })

  it('a username means security 2 (the SRP password is the code)', () => {
    expect(value(parseManualCode('abcd1234', ' wifiprov '))).toEqual({ pop: 'abcd1234', username: 'wifiprov', security: 2 })
    expect(value(parseManualCode('abcd1234', '  '))).toEqual({ pop: 'abcd1234' })
  })

  it('keeps inner spaces, punctuation and non-ASCII letters: the label is the truth', () => {
    expect(value(parseManualCode('ab cd-12_34!ü')).pop).toBe('ab cd-12_34!ü')
    expect(value(parseManualCode('p'.repeat(64))).pop).toHaveLength(64)
  })

  it.each([
    ['empty', '', undefined, 'code-empty'],
    ['whitespace', '   ', undefined, 'code-empty'],
    ['65 characters', `${CANARY}${'x'.repeat(65 - CANARY.length)}`, undefined, 'code-invalid-pop'],
    ['a line break inside', `${CANARY}\nx`, undefined, 'code-invalid-pop'],
    ['a zero-width space', `${CANARY}\u200B`, undefined, 'code-invalid-pop'],
    ['a NUL', `${CANARY}\u0000`, undefined, 'code-invalid-pop'],
    ['a bidi override', `\u202E${CANARY}`, undefined, 'code-invalid-pop'],
    ['a username of 65', CANARY, 'u'.repeat(65), 'code-invalid-username'],
    ['a username with a tab inside', CANARY, 'wifi\tprov', 'code-invalid-username'],
  ] as const)('refuses %s, without echoing it', (_label, pop, username, code) => {
    const error = refusal(parseManualCode(pop, username))
    expect(error.code).toBe(code)
    expect(error.message).not.toContain(CANARY)
  })
})

describe('describeSetupCode', () => {
  it('says what the code is for, never the PoP, username or password', () => {
    const code = value(parseSetupPayload(qr({ username: 'wifiprov', pop: CANARY, password: 'canary-ap-pass' })))
    const text = describeSetupCode(code)
    expect(text).toBe('Security 2 code for PROV_CE03C0, with the password of its setup network')
    for (const secret of [CANARY, 'wifiprov', 'canary-ap-pass']) expect(text).not.toContain(secret)
  })

  it.each([
    [{ serviceName: 'PROV_CE03C0', pop: CANARY, transport: 'softap' }, 'Setup code for PROV_CE03C0'],
    [{ serviceName: 'PROV_CE03C0', pop: CANARY, security: 1, transport: 'ble' }, 'Security 1 code for PROV_CE03C0 over Bluetooth'],
    [{ pop: CANARY }, 'Setup code (typed)'],
    [{ pop: CANARY, username: 'wifiprov', security: 2 }, 'Security 2 code (typed)'],
    [{ serviceName: 'PROV_X', security: 0 }, 'Security 0 code for PROV_X'],
  ] as const)('%j → %s', (code, text) => {
    expect(describeSetupCode(code)).toBe(text)
  })
})
