/**
 * Human-readable output for the CLI: plain aligned columns, no colour codes (they end up in tickets).
 */
import type { NetInterface } from '../../shared/net/interfaces'

/** Renders rows as left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** The interface table: one row per address, the interface's facts on its first row. */
export function formatInterfaces(list: readonly NetInterface[]): string {
  const rows: string[][] = []
  for (const i of list) {
    const state = [i.isUp ? 'up' : 'down', i.isRunning === false && i.isUp ? 'no-carrier' : '', i.isInternal ? 'internal' : '']
      .filter(Boolean)
      .join(',')
    const addresses = i.addresses.length > 0 ? i.addresses : [undefined]
    addresses.forEach((a, n) => {
      const address = a ? `${a.address}${a.scopeId !== undefined ? `%${a.scopeId}` : ''}/${a.prefixLength}` : '-'
      rows.push(n === 0 ? [i.name, i.kind, state, address, a?.scope ?? '', i.mac ?? ''] : ['', '', '', address, a?.scope ?? '', ''])
    })
  }
  return table(['NAME', 'KIND', 'STATE', 'ADDRESS', 'SCOPE', 'MAC'], rows)
}
