/**
 * Parsing `avahi-browse -p` output (avahi-utils 0.8): `=;iface;proto;name;type;domain;host;address;port;txt`
 * for resolved services. Names come escaped by avahi_escape_label (`\.`, `\\`, `\DDD` decimal); TXT is
 * avahi_string_list_to_string: space-separated quoted strings with `\"`, `\\` and `\DDD` escapes.
 */

/** One resolved service as avahi-browse printed it. */
export interface AvahiRecord {
  interface: string
  protocol: 'IPv4' | 'IPv6'
  name: string
  type: string
  domain: string
  host: string
  address: string
  port: number
  txt: string[]
}

function unescapeBytes(text: string): string {
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (ch === '\\' && /^\d{3}$/.test(text.slice(i + 1, i + 4))) {
      bytes.push(Number(text.slice(i + 1, i + 4)))
      i += 3
    } else if (ch === '\\' && i + 1 < text.length) {
      bytes.push(...Buffer.from(text[++i] ?? '', 'utf8'))
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

/** Splits avahi's TXT rendering (`"a=1" "b=x y"`) into entries. */
export function parseAvahiTxt(field: string): string[] {
  const entries: string[] = []
  let i = 0
  while (i < field.length) {
    if (field[i] !== '"') {
      i++
      continue
    }
    let raw = ''
    i++
    while (i < field.length && field[i] !== '"') {
      if (field[i] === '\\' && i + 1 < field.length) {
        raw += field.slice(i, i + 2)
        i += 2
      } else raw += field[i++]
    }
    i++
    entries.push(unescapeBytes(raw))
  }
  return entries
}

/** Parses the resolved (`=`) lines of `avahi-browse -rp` output; other lines are ignored. */
export function parseAvahiBrowse(output: string): AvahiRecord[] {
  const records: AvahiRecord[] = []
  for (const line of output.split('\n')) {
    if (!line.startsWith('=;')) continue
    const fields = line.split(';')
    if (fields.length < 10) continue
    const [, iface, proto, name, type, domain, host, address, port] = fields
    records.push({
      interface: iface ?? '',
      protocol: proto === 'IPv6' ? 'IPv6' : 'IPv4',
      name: unescapeBytes(name ?? ''),
      type: type ?? '',
      domain: domain ?? '',
      host: unescapeBytes(host ?? ''),
      address: address ?? '',
      port: Number(port),
      // avahi keeps TXT in a list built by prepending, so avahi-browse prints it last-first (seen against
      // python-zeroconf and static service files); reversed here to the order on the wire.
      txt: parseAvahiTxt(fields.slice(9).join(';')).reverse(),
    })
  }
  return records
}
