/**
 * The ESP Unified Provisioning driver (reference §1.2–1.8): `proto-ver` probe, the security 0/1/2
 * handshake, then the session of session.ts, over SoftAP or on-network HTTP alike.
 *
 * A probe leaves its connection open for a few seconds and `openSession` on the same endpoint takes it
 * over, with the probe's answer: the device's httpd keeps one socket (`max_open_sockets = 1`, §1.2), so a
 * whole onboarding — probe, handshake, scan, credentials, status — runs on one TCP connection and the
 * session cookie the device set on the first reply.
 */
import { systemClock, type Clock, type TimerHandle } from '../../util/clock'
import type { DriverEndpoint, DriverResult, ProbeInfo, ProvisioningDriver, ProvisioningSession, SetupSecret, StatusOptions } from '../driver'
import { runHandshake } from './handshake'
import { bareHost } from './http-target'
import { createHttpTransport, DEFAULT_REQUEST_TIMEOUT_MS, type EspHttpTransport } from './http-transport'
import { toProbeInfo } from './probe'
import { createEspSession } from './session'

/** Options of the driver. */
export interface EspDriverOptions {
  clock?: Clock
  /** Time one request may take, connect included (default 5 s). `status` is one such request. */
  requestTimeoutMs?: number
  /**
   * Time one handshake message may take (default 15 s). (analysis) Each security 2 step costs the device
   * 3072-bit modular exponentiations, slow on a microcontroller; esp_prov tolerates 30 s of socket silence
   * (transport_http.py).
   */
  handshakeTimeoutMs?: number
  /** Time the blocking scan start may take (default 20 s: the device scans every channel in groups). */
  scanTimeoutMs?: number
  /** How long a probe's connection waits for `openSession` before it is closed (default 10 s). */
  idleMs?: number
}

/** The ESP driver; `dispose` closes connections parked by probes. */
export interface EspDriver extends ProvisioningDriver {
  dispose(): void
}

// Any body works; esp_prov sends "---" because protocomm refuses an empty one (§1.2).
const PROBE_BODY = new TextEncoder().encode('---')

/** Creates the ESP Unified Provisioning driver. */
export function createEspDriver(options: EspDriverOptions = {}): EspDriver {
  const clock = options.clock ?? systemClock
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const scanTimeoutMs = options.scanTimeoutMs ?? 20_000
  const handshakeTimeoutMs = Math.max(requestTimeoutMs, options.handshakeTimeoutMs ?? 15_000)
  const idleMs = options.idleMs ?? 10_000
  const parked = new Map<string, { transport: EspHttpTransport; info: ProbeInfo; timer: TimerHandle }>()

  const keyOf = (e: DriverEndpoint): string => JSON.stringify([bareHost(e.host), e.port, e.localAddress ?? '', e.pathPrefix ?? ''])

  /** The parked connection for this endpoint, or a new one. */
  const take = (endpoint: DriverEndpoint): DriverResult<{ transport: EspHttpTransport; info?: ProbeInfo }> => {
    const key = keyOf(endpoint)
    const idle = parked.get(key)
    if (idle) {
      parked.delete(key)
      clock.clearTimeout(idle.timer)
      if (!idle.transport.isClosed) return { ok: true, value: { transport: idle.transport, info: idle.info } }
    }
    const created = createHttpTransport(endpoint, { clock, requestTimeoutMs })
    return created.ok ? { ok: true, value: { transport: created.value } } : created
  }

  const park = (endpoint: DriverEndpoint, transport: EspHttpTransport, info: ProbeInfo): void => {
    const key = keyOf(endpoint)
    parked.get(key)?.transport.close()
    const timer = clock.setTimeout(() => {
      if (parked.get(key)?.transport !== transport) return
      parked.delete(key)
      transport.close()
    }, idleMs)
    parked.set(key, { transport, info, timer })
  }

  const readInfo = async (transport: EspHttpTransport, signal: AbortSignal | undefined): Promise<DriverResult<ProbeInfo>> => {
    const reply = await transport.post('proto-ver', PROBE_BODY, { signal })
    if (!reply.ok) {
      if (reply.httpStatus === 404) return { ok: false, error: { code: 'unsupported', message: 'Something answers at this address, but not an ESP provisioning service.', detail: 'http-404' } }
      return reply
    }
    return toProbeInfo(reply.value)
  }

  return {
    protocol: 'esp-unified',

    async probe(endpoint: DriverEndpoint, opts: StatusOptions = {}): Promise<DriverResult<ProbeInfo>> {
      const taken = take(endpoint)
      if (!taken.ok) return taken
      const { transport } = taken.value
      const info = await readInfo(transport, opts.signal)
      if (info.ok) park(endpoint, transport, info.value)
      else transport.close()
      return info
    },

    async openSession(endpoint: DriverEndpoint, secret: SetupSecret, opts: StatusOptions = {}): Promise<DriverResult<ProvisioningSession>> {
      const taken = take(endpoint)
      if (!taken.ok) return taken
      const { transport } = taken.value
      const probed = taken.value.info ? { ok: true as const, value: taken.value.info } : await readInfo(transport, opts.signal)
      if (!probed.ok) {
        transport.close()
        return probed
      }
      // Copied so a caller changing its object later cannot change what a re-handshake sends.
      const held: SetupSecret = { ...(secret.pop !== undefined && { pop: secret.pop }), ...(secret.username !== undefined && { username: secret.username }), ...(secret.security !== undefined && { security: secret.security }) }
      const info: ProbeInfo = { ...probed.value, security: held.security ?? probed.value.security }
      const shaken = await runHandshake({ transport, info: probed.value, secret: held, signal: opts.signal, timeoutMs: handshakeTimeoutMs })
      if (!shaken.ok) {
        transport.close()
        return shaken
      }
      const session = createEspSession({
        transport,
        security: shaken.value,
        info,
        clock,
        scanTimeoutMs,
        rekey: () => runHandshake({ transport, info: probed.value, secret: held, timeoutMs: handshakeTimeoutMs }),
      })
      return { ok: true, value: session }
    },

    dispose() {
      for (const { transport, timer } of parked.values()) {
        clock.clearTimeout(timer)
        transport.close()
      }
      parked.clear()
    },
  }
}
