/**
 * The support bundle with canary secrets planted everywhere a secret could ride along: check facts, TXT
 * entries, a URL token, session timelines, recent events and a known secret string. None may survive in
 * the JSON or the HTML; hardware ids go only when asked, and markup from device names stays inert.
 */
import { describe, expect, it } from 'vitest'
import { buildBundle, escapeHtml } from '../../../main/diagnose/bundle'
import { redact } from '../../../main/diagnose/redact'
import type { DiagnoseReport } from '../../../shared/diagnose/view'
import type { SessionView } from '../../../shared/session/view'

const CANARY_PASS = 'canary-Passphrase-7f3a91'
const CANARY_POP = 'canary-pop-55c0de'
const CANARY_TOKEN = 'canarytoken0123456789'
const MAC = '02:70:6c:78:00:0a'
const EUI64_V6 = 'fe80::70:6cff:fe78:a%wlan0'
const HOSTILE = '<img src=x onerror=alert(1)>'

const report: DiagnoseReport = {
  startedAt: 0, finishedAt: 1,
  host: { app: 'Porchlight', version: '1.0.0', hostKind: 'cli', platform: 'linux', release: '6', arch: 'x64' },
  status: 'warn',
  checks: [{ id: 'x', group: 'host', title: 'T', status: 'warn', summary: `joined with passphrase ${CANARY_PASS}`, advice: `open http://127.0.0.1:5173/#token=${CANARY_TOKEN}`, facts: { passphrase: CANARY_PASS, wifi: { psk: CANARY_PASS, ssid: 'Home' }, mac: MAC, addresses: [EUI64_V6, '198.18.0.11'] } }],
  devices: [{
    deviceId: 'id-0123456789abcdef', name: HOSTILE, status: 'pass', link: null,
    checks: [{ id: 'advert-txt', group: 'device', title: 'TXT', status: 'pass', summary: 'ok', advice: '', facts: { txt: [{ key: 'pop', value: CANARY_POP }, { key: 'id', value: '02706c78000a' }] } }],
  }],
}

const session = { id: 's', label: HOSTILE, protocol: 'lab-control', state: 'connected', cause: 'ok', stats: { heartbeatsSent: 1, repliesReceived: 1, missed: 0, stalls: 0, reconnects: 0, longestGapMs: 0 }, timeline: [{ at: 0, kind: 'stalled', detail: `setup code: ${CANARY_POP}` }] } as unknown as SessionView

function bundle(redactHardwareIds: boolean) {
  return buildBundle({
    report, sessions: [session], redactHardwareIds, now: 1_795_000_000_000,
    interfaces: [{ name: 'wlan0', kind: 'wifi', kindReason: 'test', mac: MAC, isUp: true, addresses: [] } as never],
    events: [{ at: 0, event: 'session:changed', summary: `pop=${CANARY_POP}` }, { at: 1, event: 'x', summary: `"psk": "${CANARY_TOKEN}"` }],
    // The app knows the secrets it holds (a passphrase being sent, a setup code) and names them.
    knownSecrets: [CANARY_PASS],
    deviceIds: ['id-0123456789abcdef', '02706c78000a'],
  })
}

describe('support bundle', () => {
  it('never contains a canary secret, in the JSON or the HTML', () => {
    for (const hw of [false, true]) {
      const b = bundle(hw)
      for (const text of [b.json, b.html]) {
        expect(text).not.toContain(CANARY_PASS)
        expect(text).not.toContain(CANARY_POP)
        expect(text).not.toContain(CANARY_TOKEN)
      }
      expect(b.json).toContain('[redacted]')
      expect(JSON.parse(b.json).report.checks[0].facts.wifi.ssid).toBe('Home')
    }
  })

  it('keeps hardware ids unless asked, then replaces them with stable placeholders', () => {
    const kept = bundle(false)
    expect(kept.json).toContain(MAC)
    expect(kept.json).toContain('id-0123456789abcdef')
    const hidden = bundle(true)
    for (const text of [hidden.json, hidden.html]) {
      expect(text).not.toContain(MAC)
      expect(text).not.toContain('6cff:fe78')
      expect(text).not.toContain('id-0123456789abcdef')
      expect(text).not.toContain('02706c78000a')
    }
    const parsed = JSON.parse(hidden.json)
    // The interface's MAC and the check's MAC are the same device: the same placeholder.
    expect(parsed.interfaces[0].mac).toBe(parsed.report.checks[0].facts.mac)
    expect(parsed.report.checks[0].facts.addresses[1]).toBe('198.18.0.11')
    expect(parsed.report.checks[0].facts.addresses[0]).toMatch(/^fe80::mac-\d+%wlan0$/)
  })

  it('renders names as escaped text in a script-free HTML page', () => {
    const { html, jsonName, htmlName } = bundle(false)
    expect(html).not.toContain(HOSTILE)
    expect(html).toContain(escapeHtml(HOSTILE))
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain("default-src 'none'")
    expect(jsonName).toMatch(/^porchlight-support-2026-.*\.json$/)
    expect(htmlName).toMatch(/\.html$/)
  })

  it('redact leaves the input untouched and handles odd shapes', () => {
    const input = { password: 'hunter22', nested: [{ token: 'abc' }, null, 3, true], __proto__x: 'v' }
    const out = redact(input, { hardwareIds: true })
    expect(out).toEqual({ password: '[redacted]', nested: [{ token: '[redacted]' }, null, 3, true], __proto__x: 'v' })
    expect(input.password).toBe('hunter22')
  })
})
