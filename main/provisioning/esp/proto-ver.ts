/**
 * The `proto-ver` endpoint's JSON (`wifi_prov_get_info_json()` in manager.c, reference §1.4 / (b)3):
 * built on the device side, parsed with zod on the client side.
 *
 * Parsing is tolerant because the field set grew over releases: `sec_ver` appeared in v5.0 and
 * `sec_patch_ver` only in the March-2025 patch releases (absent ⇒ 0, reference (b)13).
 */
import { z } from 'zod'
import type { SecVersion } from './constants'

/** What a device advertises; options of buildProtoVer. */
export interface ProtoVerOptions {
  secVer: SecVersion
  /** 1 on patched firmware (counter nonces), 0 on older builds; undefined leaves the field out like pre-2025 builds. */
  secPatchVer?: 0 | 1
  /** Security 1 only: false adds `no_pop`. */
  hasPop?: boolean
  /** Leaves `sec_ver` out, as v4.x firmware did. */
  isPreV5?: boolean
  /** Capabilities after `wifi_scan`, e.g. network_provisioning's `wifi_prov`. */
  extraCapabilities?: readonly string[]
  /** `prov.ver`; "v1.1" by default (older builds say "v1.0"). */
  version?: string
  /** Objects from `wifi_prov_mgr_set_app_info(label, ver, caps)`; the firmware lists them before `prov`. */
  apps?: Readonly<Record<string, { ver: string; cap: readonly string[] }>>
}

/** Device side: the JSON text the firmware serves, tab-indented like `cJSON_Print`. */
export function buildProtoVer(options: ProtoVerOptions): string {
  const cap: string[] = []
  if (options.secVer === 0) cap.push('no_sec')
  else if (options.secVer === 1 && options.hasPop === false) cap.push('no_pop')
  cap.push('wifi_scan', ...(options.extraCapabilities ?? []))
  const prov: Record<string, unknown> = { ver: options.version ?? 'v1.1' }
  if (!options.isPreV5) prov.sec_ver = options.secVer
  if (options.secPatchVer !== undefined) prov.sec_patch_ver = options.secPatchVer
  prov.cap = cap
  return JSON.stringify({ ...options.apps, prov }, null, '\t')
}

/** What a client learns from `proto-ver`. */
export interface ProtoVerInfo {
  /** `prov.ver`, e.g. "v1.1". */
  version: string
  /** `prov.sec_ver`; undefined on firmware older than v5.0. Unknown future values are kept as numbers. */
  secVer?: number
  /** `prov.sec_patch_ver`, 0 when absent. */
  secPatchVer: number
  capabilities: string[]
  /** Application objects other than `prov` (label → version and capabilities). */
  apps: Record<string, { ver?: string; cap: string[] }>
}

/** Why `proto-ver` could not be understood. */
export interface ProtoVerError {
  code: 'invalid-proto-ver'
  message: string
}

const count = z.number().int().nonnegative()
const ProvSchema = z.object({
  ver: z.string(),
  sec_ver: count.optional(),
  sec_patch_ver: count.optional(),
  cap: z.array(z.string()).default([]),
})
const AppSchema = z.object({ ver: z.string().optional(), cap: z.array(z.string()).catch([]).default([]) })
const ProtoVerSchema = z.object({ prov: ProvSchema }).catchall(z.unknown())

/** Client side: parses the endpoint's body (bytes or text; a trailing NUL is tolerated). */
export function parseProtoVer(body: string | Uint8Array): { ok: true; value: ProtoVerInfo } | { ok: false; error: ProtoVerError } {
  const text = (typeof body === 'string' ? body : new TextDecoder().decode(body)).replace(/\0+$/, '')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, error: { code: 'invalid-proto-ver', message: 'The device version reply is not JSON; it may predate wifi_provisioning (ESP-IDF v4).' } }
  }
  const parsed = ProtoVerSchema.safeParse(json)
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-proto-ver', message: 'The device version reply has no usable "prov" object.' } }
  }
  const { prov, ...rest } = parsed.data
  const apps: ProtoVerInfo['apps'] = {}
  for (const [label, value] of Object.entries(rest)) {
    const app = AppSchema.safeParse(value)
    if (app.success) apps[label] = app.data.ver === undefined ? { cap: app.data.cap } : { ver: app.data.ver, cap: app.data.cap }
  }
  const info: ProtoVerInfo = { version: prov.ver, secPatchVer: prov.sec_patch_ver ?? 0, capabilities: prov.cap, apps }
  if (prov.sec_ver !== undefined) info.secVer = prov.sec_ver
  return { ok: true, value: info }
}

/**
 * The security scheme to use: `sec_ver` when present and known; otherwise esp_prov's rule for pre-v5.0
 * firmware ("0 if no_sec else 1"); undefined for a `sec_ver` this client does not implement.
 */
export function selectSecurity(info: ProtoVerInfo): SecVersion | undefined {
  if (info.secVer === undefined) return info.capabilities.includes('no_sec') ? 0 : 1
  return info.secVer === 0 || info.secVer === 1 || info.secVer === 2 ? info.secVer : undefined
}
