/**
 * Redaction for anything that leaves the machine (support bundles). Secrets are always removed: values
 * under secret-looking keys (passphrase, password, psk, pop, setup code, token, key, secret, pin), URL
 * fragments and query tokens, and any string the caller names as a known secret (the canary test uses
 * this). Hardware identifiers — MAC addresses, IPv6 interface ids made from a MAC (EUI-64), device ids —
 * are replaced on request by stable placeholders (`mac-1`, `device-2`), so the bundle still shows which
 * entries are the same device.
 */

/** Where redaction must look beyond key names. */
export interface RedactOptions {
  hardwareIds: boolean
  /** Exact strings that must never appear (e.g. a passphrase the app holds). */
  knownSecrets?: readonly string[]
  /** Device ids known to the app (discovery ids, TXT ids), replaced when `hardwareIds`. */
  deviceIds?: readonly string[]
}

const SECRET_KEY = /(pass(word|phrase)?|psk|^pop$|proof.?of.?possession|setup.?code|secret|token|api.?key|private.?key|^key$|^pin$|credential|cookie|authorization)/i
const MAC = /\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b/gi
const BARE_MAC = /\b(?:mac|bssid)=?([0-9a-f]{12})\b/gi
/** An IPv6 address whose interface id is EUI-64 (`…xx:xxff:fexx:xxxx`): it embeds the MAC. */
const EUI64 = /\b([0-9a-f]{1,4}(?::[0-9a-f]{0,4}){1,4}?:)([0-9a-f]{1,4}:[0-9a-f]{0,2}ff:fe[0-9a-f]{2}:[0-9a-f]{1,4})(%[\w.-]+)?\b/gi
const URL_SECRET = /([#?&](?:token|key|secret|pop|password)=)[^&\s"']+/gi
/** `passphrase=…`, `pop: …`, `"psk":"…"` inside free text (log lines, command output). */
const INLINE_SECRET = /\b((?:pass(?:word|phrase)?|psk|pop|setup[ _-]?code|secret|token|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi

/** Returns a deep copy of `value` with secrets (and, on request, hardware ids) replaced. */
export function redact<T>(value: T, options: RedactOptions): T {
  const placeholders = new Map<string, string>()
  const counters = { mac: 0, device: 0 }
  const stand = (kind: 'mac' | 'device', original: string) => {
    const k = `${kind}:${original.toLowerCase()}`
    let p = placeholders.get(k)
    if (!p) placeholders.set(k, (p = `${kind}-${++counters[kind]}`))
    return p
  }
  const secrets = (options.knownSecrets ?? []).filter((s) => s.length >= 4)
  const ids = [...(options.deviceIds ?? [])].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)

  const text = (s: string): string => {
    let out = s.replace(URL_SECRET, '$1[redacted]').replace(INLINE_SECRET, '$1[redacted]')
    for (const secret of secrets) out = out.split(secret).join('[redacted]')
    if (!options.hardwareIds) return out
    out = out.replace(MAC, (m) => stand('mac', m.replace(/-/g, ':')))
    out = out.replace(BARE_MAC, (m, hex: string) => m.replace(hex, stand('mac', hex)))
    out = out.replace(EUI64, (_m, prefix: string, iid: string, zone?: string) => `${prefix}${stand('mac', iid)}${zone ?? ''}`)
    for (const id of ids) out = out.split(id).join(stand('device', id))
    return out
  }
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (key !== undefined && SECRET_KEY.test(key) && v !== null && typeof v !== 'object' && v !== '') return '[redacted]'
    if (typeof v === 'string') return text(v)
    if (Array.isArray(v)) return v.map((item) => walk(item, undefined))
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      // A key/value pair held as data (a TXT entry `{key: 'pop', value: …}`) is judged by its `key`.
      const pairKey = (v as { key?: unknown }).key
      const secretPair = typeof pairKey === 'string' && SECRET_KEY.test(pairKey)
      for (const [k, inner] of Object.entries(v)) out[text(k)] = secretPair && k !== 'key' && typeof inner === 'string' ? '[redacted]' : walk(inner, k)
      return out
    }
    return v
  }
  return walk(value, undefined) as T
}
