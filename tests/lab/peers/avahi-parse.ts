/**
 * Parsing `avahi-browse -p` output (avahi-utils 0.8): `=;iface;proto;name;type;domain;host;address;port;txt`
 * for resolved services. Names come escaped by avahi_escape_label (`\.`, `\\`, `\DDD` decimal); TXT is
 * avahi_string_list_to_string: space-separated quoted strings with `\"`, `\\` and `\DDD` escapes.
 */
import { unescapeAvahiLabel } from '../../../main/diagnose/system-resolver-parse'

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
    entries.push(unescapeAvahiLabel(raw))
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
      name: unescapeAvahiLabel(name ?? ''),
      type: type ?? '',
      domain: domain ?? '',
      host: unescapeAvahiLabel(host ?? ''),
      address: address ?? '',
      port: Number(port),
      // avahi keeps TXT in a list built by prepending, so avahi-browse prints it last-first (seen against
      // python-zeroconf and static service files); reversed here to the order on the wire.
      txt: parseAvahiTxt(fields.slice(9).join(';')).reverse(),
    })
  }
  return records
}
