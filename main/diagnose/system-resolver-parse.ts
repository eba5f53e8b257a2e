/**
 * Reading what the OS's own DNS-SD browser printed (pure):
 *  - `avahi-browse -kprt TYPE` (avahi-utils 0.8): `+;iface;proto;name;type;domain` when found,
 *    `=;…;host;address;port;txt` when resolved, `-;…` when gone. Names are escaped by
 *    avahi_escape_label: `\.` and `\\`, and every byte other than [A-Za-z0-9_-] as `\DDD` (decimal), so a
 *    `;` in a name is `\059` and the fields split safely; multi-byte UTF-8 comes as one `\DDD` per byte.
 *  - `dns-sd -B TYPE local.` (mDNSResponder's dns-sd.c, browse_reply): a header, then
 *    `HH:MM:SS.mmm  Add|Rmv %8X-flags %3d-ifindex %-20s-domain %-20s-type name`, the name unescaped. A name
 *    holding a line break could therefore fake a line; Diagnose only reports such names, it never acts on them.
 */

/** One service instance the OS listed. */
export interface OsInstance {
  name: string
  /** `_x._tcp`, as normaliseType gives it. */
  type: string
  /** Interface name (avahi) or index (dns-sd). */
  interface: string
  protocol?: 'IPv4' | 'IPv6'
  host?: string
  address?: string
  port?: number
}

/** A service type in one form: lower case `_x._tcp`, without the domain or the trailing dot. */
export function normaliseType(type: string): string {
  return type.trim().toLowerCase().replace(/\.$/, '').replace(/\.local$/, '')
}

/** Undoes avahi_escape_label: `\DDD` decimal bytes, `\.`, `\\`; the bytes are then read as UTF-8. */
export function unescapeAvahiLabel(text: string): string {
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    const digits = text.slice(i + 1, i + 4)
    if (ch === '\\' && /^\d{3}$/.test(digits) && Number(digits) < 256) {
      bytes.push(Number(digits))
      i += 3
    } else if (ch === '\\' && i + 1 < text.length) {
      bytes.push(...Buffer.from(text[++i] ?? '', 'utf8'))
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Instances listed at the end of `avahi-browse -p` output: `+`/`=` add, `-` removes (per interface and protocol). */
export function parseAvahiBrowse(output: string): OsInstance[] {
  const listed = new Map<string, OsInstance>()
  for (const line of output.split('\n')) {
    const fields = line.replace(/\r$/, '').split(';')
    const [kind, iface = '', proto, rawName = '', type = '', domain = ''] = fields
    if ((kind !== '+' && kind !== '=' && kind !== '-') || fields.length < 6 || normaliseDomain(domain) !== 'local') continue
    const name = unescapeAvahiLabel(rawName)
    const key = [iface, proto, rawName, normaliseType(type)].join(';')
    if (kind === '-') {
      listed.delete(key)
      continue
    }
    const instance: OsInstance = { name, type: normaliseType(type), interface: iface, protocol: proto === 'IPv6' ? 'IPv6' : 'IPv4' }
    if (kind === '=' && fields.length >= 9) {
      const port = Number(fields[8])
      Object.assign(instance, { host: fields[6] ?? '', address: fields[7] ?? '', ...(Number.isInteger(port) && { port }) })
    }
    // A resolved line refines the found line for the same key; a later `+` never drops what `=` added.
    listed.set(key, { ...listed.get(key), ...instance })
  }
  return [...listed.values()]
}

const normaliseDomain = (domain: string) => domain.trim().toLowerCase().replace(/\.$/, '')

/** Takes one `%-20s ` column: the token, then its padding and the single separating space. */
function column(rest: string, width = 20): [string, string] | undefined {
  const token = /^\S+/.exec(rest)?.[0]
  if (token === undefined) return undefined
  const gap = ' '.repeat(Math.max(0, width - token.length) + 1)
  const after = rest.slice(token.length)
  return [token, after.startsWith(gap) ? after.slice(gap.length) : after.replace(/^ +/, '')]
}

const DNSSD_LINE = /^\s*\d{1,2}:\d{2}:\d{2}\.\d{3}\s+(Add|Rmv)\s+[0-9A-Fa-f]+\s+(-?\d+) (.*)$/
/** `DNSService call failed -65563 (Service Not Running)` on stderr, or a timestamped `Error code -65570`. */
const DNSSD_ERROR = /^(?:\s*\d{1,2}:\d{2}:\d{2}\.\d{3}\s+)?(DNSService call failed -?\d+.*|Error code -?\d+)\s*$/

/** What `dns-sd -B` printed: the instances listed at the end (Add minus Rmv), and any error it reported. */
export function parseDnsSdBrowse(output: string): { instances: OsInstance[]; errors: string[] } {
  const listed = new Map<string, OsInstance>()
  const errors: string[] = []
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\r$/, '')
    const m = DNSSD_LINE.exec(line)
    // Only a whole line is an error report, so an instance named "Error code …" stays an instance.
    const error = m ? undefined : DNSSD_ERROR.exec(line)?.[1]
    if (error !== undefined) errors.push(error.trim())
    const domainCol = m ? column(m[3] ?? '') : undefined
    const typeCol = domainCol ? column(domainCol[1]) : undefined
    if (!m || !domainCol || !typeCol || normaliseDomain(domainCol[0]) !== 'local') continue
    const [type, name] = [normaliseType(typeCol[0]), typeCol[1]]
    const key = `${m[2] ?? ''};${type};${name}`
    if (m[1] === 'Add') listed.set(key, { name, type, interface: m[2] ?? '' })
    else listed.delete(key)
  }
  return { instances: [...listed.values()], errors }
}

/** Known DNS-SD error codes dns-sd prints (dns_sd.h), in words. */
export function dnsSdErrorText(line: string): string {
  const code = /-\d+/.exec(line)?.[0]
  const known: Record<string, string> = {
    '-65563': 'the Bonjour service (mDNSResponder) is not running',
    '-65555': 'the system refused the request (NoAuth): Local Network permission may be off',
    '-65537': 'an unknown error in the Bonjour service',
  }
  return code !== undefined && known[code] !== undefined ? `${known[code]} (${line})` : line
}
