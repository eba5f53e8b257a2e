import { describe, expect, it } from 'vitest'
import { buildProtoVer, parseProtoVer, selectSecurity, type ProtoVerInfo } from '../../../../main/provisioning/esp/proto-ver'

const parse = (body: string | Uint8Array): ProtoVerInfo => {
  const result = parseProtoVer(body)
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

describe('proto-ver JSON', () => {
  it('(b)3 device side: v1.1, sec_ver, optional sec_patch_ver, no_sec only for sec0, no_pop only for sec1 without PoP', () => {
    expect(JSON.parse(buildProtoVer({ secVer: 0 }))).toEqual({ prov: { ver: 'v1.1', sec_ver: 0, cap: ['no_sec', 'wifi_scan'] } })
    expect(JSON.parse(buildProtoVer({ secVer: 1, hasPop: false }))).toEqual({ prov: { ver: 'v1.1', sec_ver: 1, cap: ['no_pop', 'wifi_scan'] } })
    expect(JSON.parse(buildProtoVer({ secVer: 1, hasPop: true })).prov.cap).toEqual(['wifi_scan'])
    expect(JSON.parse(buildProtoVer({ secVer: 2, hasPop: false, secPatchVer: 1 }))).toEqual({
      prov: { ver: 'v1.1', sec_ver: 2, sec_patch_ver: 1, cap: ['wifi_scan'] },
    })
  })

  it('device side: app info objects come first, pre-v5 builds omit sec_ver, extra caps follow wifi_scan', () => {
    const text = buildProtoVer({ secVer: 1, isPreV5: true, extraCapabilities: ['wifi_prov'], apps: { 'my-app': { ver: '2.1', cap: ['ota'] } } })
    expect(Object.keys(JSON.parse(text))).toEqual(['my-app', 'prov'])
    expect(JSON.parse(text)).toEqual({ 'my-app': { ver: '2.1', cap: ['ota'] }, prov: { ver: 'v1.1', cap: ['wifi_scan', 'wifi_prov'] } })
  })

  it('(b)13 client side: absent sec_patch_ver means 0, absent sec_ver is tolerated, apps are kept', () => {
    expect(parse('{"prov":{"ver":"v1.1","sec_ver":2,"sec_patch_ver":1,"cap":["wifi_scan"]}}')).toEqual({
      version: 'v1.1', secVer: 2, secPatchVer: 1, capabilities: ['wifi_scan'], apps: {},
    })
    expect(parse('{"prov":{"ver":"v1.1","sec_ver":2,"cap":["wifi_scan"]}}').secPatchVer).toBe(0)
    const old = parse('{"prov":{"ver":"v1.0","cap":["no_pop","wifi_scan"]},"app":{"ver":"1","cap":["x"]},"junk":7}\0')
    expect(old).toEqual({ version: 'v1.0', secPatchVer: 0, capabilities: ['no_pop', 'wifi_scan'], apps: { app: { ver: '1', cap: ['x'] } } })
    expect(parse(new TextEncoder().encode(buildProtoVer({ secVer: 2, secPatchVer: 1 }))).secVer).toBe(2)
  })

  it('selects security from sec_ver, or like esp_prov (no_sec → 0, else 1) on builds without it', () => {
    expect(selectSecurity(parse(buildProtoVer({ secVer: 2 })))).toBe(2)
    expect(selectSecurity(parse('{"prov":{"ver":"v1.1","cap":["no_sec","wifi_scan"]}}'))).toBe(0)
    expect(selectSecurity(parse('{"prov":{"ver":"v1.1","cap":["wifi_scan"]}}'))).toBe(1)
    expect(selectSecurity(parse('{"prov":{"ver":"v1.1","sec_ver":3,"cap":[]}}'))).toBeUndefined()
  })

  it('returns a typed error for non-JSON (v4 "V0.1" text) and for JSON without a prov object', () => {
    for (const body of ['V0.1', '', '{"prov":{"cap":[]}}', '[]', '{"prov":{"ver":"v1.1","sec_ver":"2"}}']) {
      const result = parseProtoVer(body)
      expect(result.ok, body).toBe(false)
      expect(!result.ok && result.error.code).toBe('invalid-proto-ver')
    }
  })
})
