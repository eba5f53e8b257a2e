/**
 * What `proto-ver` tells before any session (reference §1.4, (b)3), as the driver port's ProbeInfo. The
 * JSON comes from an unauthenticated device, so every string that reaches the UI is bounded and stripped
 * of control characters.
 */
import type { DriverResult, ProbeInfo } from '../driver'
import { parseProtoVer, selectSecurity } from './proto-ver'

const MAX_CAPABILITIES = 32
const MAX_TEXT = 64
// An app-info capability `id=<hex>` carries a stable device id (the lab accessory advertises its MAC-style id).
const DEVICE_ID = /^id=([0-9a-fA-F]{4,64})$/

/** Printable text of at most MAX_TEXT characters. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, MAX_TEXT)
}

/** Parses a `proto-ver` reply into ProbeInfo; unknown security or malformed JSON is `unsupported`. */
export function toProbeInfo(body: Uint8Array): DriverResult<ProbeInfo> {
  const parsed = parseProtoVer(body)
  if (!parsed.ok) return { ok: false, error: { code: 'unsupported', message: `This does not look like an ESP provisioning service: ${parsed.error.message}`, detail: 'proto-ver' } }
  const info = parsed.value
  const security = selectSecurity(info)
  if (security === undefined) {
    return { ok: false, error: { code: 'unsupported', message: `The accessory asks for security version ${info.secVer ?? '?'}, which Porchlight does not support yet.`, detail: `sec_ver-${info.secVer ?? '?'}` } }
  }
  // Only security 2 has nonce schemes; an unknown future patch would need a client that knows it.
  if (security === 2 && info.secPatchVer > 1) {
    return { ok: false, error: { code: 'unsupported', message: `The accessory uses security 2 patch ${info.secPatchVer}, which Porchlight does not support yet.`, detail: `sec_patch_ver-${info.secPatchVer}` } }
  }
  const capabilities = info.capabilities.slice(0, MAX_CAPABILITIES).map(clean)
  const probe: ProbeInfo = {
    protocol: 'esp-unified',
    version: clean(info.version),
    security,
    securityPatch: info.secPatchVer === 1 ? 1 : 0,
    capabilities,
    canScan: capabilities.includes('wifi_scan'),
    canReset: null,
    needsCode: security === 2 || (security === 1 && !capabilities.includes('no_pop')),
  }
  const deviceId = findDeviceId(info.apps)
  if (deviceId !== undefined) probe.deviceId = deviceId
  return { ok: true, value: probe }
}

/** The first app-info capability `id=<hex>`, lower-cased. */
function findDeviceId(apps: Record<string, { cap: string[] }>): string | undefined {
  for (const app of Object.values(apps)) {
    for (const cap of app.cap.slice(0, MAX_CAPABILITIES)) {
      const id = DEVICE_ID.exec(cap)?.[1]
      if (id !== undefined) return id.toLowerCase()
    }
  }
  return undefined
}
