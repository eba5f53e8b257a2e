/**
 * The web host's trust rules, pure for unit tests: loopback-only binding, Host and Origin checks
 * (DNS-rebinding and cross-site WebSocket hijacking), and a constant-time token comparison.
 */
import { timingSafeEqual } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import { TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc/wire'

/** True for 127.0.0.0/8 and ::1 — the only addresses the web host may listen on. */
export function isLoopbackAddress(host: string): boolean {
  if (isIPv4(host)) return host.split('.')[0] === '127'
  if (isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1'
  return false
}

/** The Host header values this server answers to: its literal address or `localhost`, with its port. */
export function allowedHosts(address: string, port: number): string[] {
  const literal = isIPv6(address) ? `[${address}]` : address
  return [`${literal}:${port}`, `localhost:${port}`]
}

/** True when the Host header names this server (a rebinding attack arrives with the attacker's name). */
export function isAllowedHost(hostHeader: string | undefined, address: string, port: number): boolean {
  return hostHeader !== undefined && allowedHosts(address, port).includes(hostHeader.toLowerCase())
}

/** True when a WebSocket's Origin is this server's own page (browsers always send Origin on upgrades). */
export function isAllowedOrigin(origin: string | undefined, address: string, port: number): boolean {
  if (origin === undefined) return false
  return allowedHosts(address, port).some((host) => origin.toLowerCase() === `http://${host}`)
}

/** Compares tokens without leaking the position of the first difference through timing. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Extracts the token from an offered subprotocol list. */
export function tokenFromProtocols(protocols: Iterable<string>): string | undefined {
  for (const p of protocols) if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length)
  return undefined
}
