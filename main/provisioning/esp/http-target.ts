/**
 * Pure pieces of the provisioning HTTP transport: where a request goes (host forms node:http accepts, the
 * endpoint path) and what a failed request means to the user (reference §1.2, (b)2).
 */
import { isIP } from 'node:net'
import type { DriverEndpoint, DriverError } from '../driver'

/** Where requests of one endpoint go, in the forms node:http wants. */
export interface RequestTarget {
  /** A bare address (no brackets) with its `%zone` when it is link-local IPv6, or a host name. */
  host: string
  port: number
  /** 4 or 6 for an address literal; undefined for a name (the resolver picks). */
  family: 4 | 6 | undefined
  /** The `Host` header: IPv6 in brackets, without the zone (RFC 6874 §4: the zone is local to this machine). */
  hostHeader: string
  /** The local address to bind (bare, zone kept), if any. */
  localAddress: string | undefined
  /** Path prefix, without a leading slash. */
  pathPrefix: string
}

/** Why an endpoint cannot be dialled. */
export type TargetResult = { ok: true; value: RequestTarget } | { ok: false; error: DriverError }

// Paths stay within RFC 3986 unreserved characters and '/': node:http throws on anything it would have to escape.
const PATH_PREFIX = /^[A-Za-z0-9._~/-]*$/

/** `[fe80::1%25wlan0]` or `fe80::1%wlan0` → `fe80::1%wlan0` (URL zone encoding undone, RFC 6874 §2). */
export function bareHost(host: string): string {
  const trimmed = host.trim()
  const unbracketed = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed
  return unbracketed.replace(/%25/g, '%')
}

/** The address without its zone. */
const withoutZone = (address: string): string => address.split('%')[0] ?? address

/** Resolves an endpoint into a request target; invalid input is an `unsupported` value, never a throw. */
export function requestTarget(endpoint: DriverEndpoint): TargetResult {
  const host = bareHost(endpoint.host)
  const bad = (message: string): TargetResult => ({ ok: false, error: { code: 'unsupported', message } })
  if (host.length === 0 || /[\s/?#@]/.test(host)) return bad('The accessory address is not a valid host name or address.')
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) return bad('The accessory port is not a valid TCP port.')
  const pathPrefix = (endpoint.pathPrefix ?? '').replace(/^\/+/, '')
  if (!PATH_PREFIX.test(pathPrefix)) return bad('The accessory’s setup path contains characters that cannot be sent.')
  const literal = isIP(withoutZone(host))
  const family = literal === 4 ? 4 : literal === 6 ? 6 : undefined
  if (family === undefined && host.includes('%')) return bad('Only IPv6 addresses can carry a %zone.')
  const hostHeader = family === 6 ? `[${withoutZone(host)}]:${endpoint.port}` : `${host}:${endpoint.port}`
  const local = endpoint.localAddress === undefined ? undefined : bareHost(endpoint.localAddress)
  if (local !== undefined && isIP(withoutZone(local)) === 0) return bad('The local address to send from is not an IP address.')
  return { ok: true, value: { host, port: endpoint.port, family, hostHeader, localAddress: local, pathPrefix } }
}

/** The URL path of an endpoint (`/<prefix><name>`, reference §1.2: every endpoint is `POST /<name>`). */
export function endpointPath(target: RequestTarget, name: string): string {
  return `/${target.pathPrefix}${name}`
}

/** Errors that mean no connection was ever made: nothing at that address, no route, or no source address. */
const NOT_CONNECTED: Record<string, string> = {
  ECONNREFUSED: 'The accessory refused the connection: its setup service is not running (it may have finished setup or restarted).',
  EHOSTUNREACH: 'There is no route to the accessory: this computer is probably no longer on the accessory’s network.',
  ENETUNREACH: 'There is no route to the accessory: this computer is probably no longer on the accessory’s network.',
  EHOSTDOWN: 'The accessory does not answer on its network: it may have switched off its setup network.',
  ENETDOWN: 'The network interface towards the accessory is down.',
  EADDRNOTAVAIL: 'This computer no longer has its address on the accessory’s network; the Wi-Fi connection may have changed.',
  ENOTFOUND: 'The accessory’s name could not be resolved on this network.',
  EAI_AGAIN: 'The accessory’s name could not be resolved on this network.',
}

/** What happened to one request, for classification. */
export interface FailureContext {
  /** The TCP connection was up (fresh or reused) when it failed. */
  connected: boolean
  /** Our own timer fired. */
  timedOut: boolean
  timeoutMs: number
}

/**
 * Classifies a failed request. Nothing connected → `unreachable`; once connected, a reset, EPIPE or our
 * timeout → `connection-lost`: the request may have reached the device (which is why the session cannot be
 * trusted afterwards). `detail` carries the errno, never anything from the request.
 */
export function classifyFailure(error: unknown, context: FailureContext): DriverError {
  const errno = (error as { code?: unknown } | undefined)?.code
  const code = typeof errno === 'string' ? errno : undefined
  const seconds = `${Math.round(context.timeoutMs / 100) / 10} s`
  if (context.timedOut) {
    return context.connected
      ? { code: 'connection-lost', message: `The accessory stopped answering in the middle of a request (nothing for ${seconds}).`, detail: 'timeout' }
      : { code: 'unreachable', message: `The accessory did not accept a connection within ${seconds}.`, detail: 'connect-timeout' }
  }
  // Refused, no source address or no name: these only ever happen before a connection exists.
  const neverConnected = code === 'ECONNREFUSED' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
  if (!context.connected || neverConnected) {
    const message = (code === undefined ? undefined : NOT_CONNECTED[code]) ?? 'The accessory could not be reached.'
    return { code: 'unreachable', message, ...(code !== undefined && { detail: code }) }
  }
  return { code: 'connection-lost', message: 'The connection to the accessory dropped (it may have restarted or left its network).', ...(code !== undefined && { detail: code }) }
}
