/**
 * One open ESP provisioning session: encrypted calls on `prov-scan`, `prov-config` and `prov-ctrl` in
 * strict order over the transport's single socket (reference §1.6–1.8).
 *
 * The session ciphers are stateful on both ends — security 1 shares ONE CTR keystream for both directions,
 * security 2 patch 1 counts a nonce per message (§1.5) — so a request that may or may not have reached the
 * device leaves them out of step. Therefore: a lost connection makes the session unusable (the caller
 * reopens); a decrypt or decode failure is `session-lost`; and a reply the device's httpd gave without
 * reading our payload (404 for an endpoint the firmware lacks, e.g. `prov-ctrl` before IDF 5.1) or an abort
 * re-runs the handshake on the same socket before the next call.
 */
import type { Clock } from '../../util/clock'
import type { DeviceNetwork, DeviceStatus, DriverError, DriverResult, ProbeInfo, ProvisioningSession, StatusOptions, WifiCredentials } from '../driver'
import { Status } from './constants'
import type { EspHttpTransport, PostOptions } from './http-transport'
import { scanNetworks, type SessionCall } from './scan'
import type { EspClientSecurity } from './security-common'
import { configStatus, encodeSetConfig, toDeviceStatus } from './status'
import { decodeWiFiConfig, decodeWiFiCtrl, encodeWiFiConfig, encodeWiFiCtrl, type WiFiConfigMessage } from './wifi-messages'

/** What a session is built from. */
export interface EspSessionDeps {
  transport: EspHttpTransport
  security: EspClientSecurity
  info: ProbeInfo
  clock: Clock
  /** Time allowed for the blocking scan start. */
  scanTimeoutMs: number
  /** Runs the handshake again on the same transport (the closure holds the setup code for the session's life). */
  rekey: () => Promise<DriverResult<EspClientSecurity>>
}

const OUT_OF_STEP = 'The accessory’s reply could not be read; the secure session is out of step. Reconnect.'
const fail = (error: DriverError): { ok: false; error: DriverError } => ({ ok: false, error })

/** Wraps an established security session as the driver port's ProvisioningSession. */
export function createEspSession(deps: EspSessionDeps): ProvisioningSession {
  const { transport, clock } = deps
  let security = deps.security
  let info: ProbeInfo = { ...deps.info }
  let state: 'open' | 'rekey' | 'broken' | 'closed' = 'open'
  let ssidBytes = new Map<string, Uint8Array>()
  let queue: Promise<unknown> = Promise.resolve()

  /** Runs operations one at a time, in call order, so ciphers see messages in the order they were made. */
  const exclusive = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op)
    queue = run.catch(() => undefined)
    return run
  }

  const call: SessionCall = async (endpoint, plaintext, options: PostOptions = {}) => {
    if (state === 'closed') return fail({ code: 'invalid-state', message: 'This provisioning session is closed; open a new one.' })
    if (state === 'broken') return fail({ code: 'session-lost', message: 'The secure session ended when the connection to the accessory dropped; open it again.' })
    if (state === 'rekey') {
      const again = await deps.rekey()
      if (!again.ok) {
        state = 'broken'
        return again
      }
      security = again.value
      state = 'open'
    }
    let body: Uint8Array
    try {
      body = security.encrypt(plaintext)
    } catch {
      state = 'broken'
      return fail({ code: 'session-lost', message: 'The secure session can no longer encrypt; reconnect to the accessory.' })
    }
    const reply = await transport.post(endpoint, body, options)
    if (!reply.ok) return failedCall(reply.error, reply.httpStatus)
    try {
      return { ok: true, value: security.decrypt(reply.value) }
    } catch {
      state = 'broken'
      return fail({ code: 'session-lost', message: OUT_OF_STEP })
    }
  }

  const failedCall = (error: DriverError, httpStatus: number | undefined): { ok: false; error: DriverError } => {
    if (httpStatus === 404 || error.code === 'aborted') {
      // The device did not consume this message but our cipher did: start over before the next call.
      if (state === 'open') state = 'rekey'
      return fail(httpStatus === 404 ? { code: 'unsupported', message: 'The accessory does not offer this provisioning function.', detail: 'http-404' } : error)
    }
    if (state !== 'closed') state = 'broken'
    // Protocomm answers an error status when it cannot decrypt or no longer knows the session (§1.2).
    if (httpStatus !== undefined) return fail({ code: 'session-lost', message: `The accessory no longer accepts this secure session (HTTP ${httpStatus}); reconnect.` })
    return fail(error)
  }

  const configCall = async (message: WiFiConfigMessage, expected: WiFiConfigMessage['type'], options?: PostOptions): Promise<DriverResult<WiFiConfigMessage>> => {
    const reply = await call('prov-config', encodeWiFiConfig(message), options)
    if (!reply.ok) return reply
    const decoded = decodeWiFiConfig(reply.value)
    if (!decoded.ok) {
      state = 'broken'
      return fail({ code: 'session-lost', message: OUT_OF_STEP })
    }
    if (decoded.value.type !== expected) return fail({ code: 'device-error', message: 'The accessory answered with an unexpected message.', detail: decoded.value.type })
    return { ok: true, value: decoded.value }
  }

  const sendCredentials = async (credentials: WifiCredentials): Promise<DriverResult<void>> => {
    const set = encodeSetConfig(credentials, ssidBytes)
    if (!set.ok) return set
    const setReply = await configCall(set.value, 'respSetConfig')
    if (!setReply.ok) return setReply
    const setOutcome = configStatus('set', (setReply.value as { status: Status }).status)
    if (!setOutcome.ok) return setOutcome
    const applyReply = await configCall({ type: 'cmdApplyConfig' }, 'respApplyConfig')
    if (!applyReply.ok) return applyReply
    return configStatus('apply', (applyReply.value as { status: Status }).status)
  }

  const reset = async (): Promise<DriverResult<void>> => {
    const reply = await call('prov-ctrl', encodeWiFiCtrl({ type: 'cmdCtrlReset' }))
    const refused = (detail: string): DriverResult<void> => {
      info = { ...info, canReset: false }
      return fail({ code: 'unsupported', message: 'This accessory cannot clear a failed attempt remotely (prov-ctrl needs ESP-IDF 5.1 or later).', detail })
    }
    if (!reply.ok) return reply.error.code === 'unsupported' && reply.error.detail === 'http-404' ? refused('http-404') : reply
    const decoded = decodeWiFiCtrl(reply.value)
    if (!decoded.ok) {
      state = 'broken'
      return fail({ code: 'session-lost', message: OUT_OF_STEP })
    }
    if (decoded.value.type !== 'respCtrlReset') return refused(decoded.value.type)
    const status = decoded.value.status ?? Status.Success
    if (status !== Status.Success) return refused(`status-${status}`)
    info = { ...info, canReset: true }
    return { ok: true, value: undefined }
  }

  return {
    get info() {
      return info
    },
    scanNetworks: (options: StatusOptions = {}) =>
      exclusive(async (): Promise<DriverResult<DeviceNetwork[]>> => {
        const scanned = await scanNetworks(call, { clock, signal: options.signal, scanTimeoutMs: deps.scanTimeoutMs })
        if (!scanned.ok) return scanned
        ssidBytes = scanned.value.ssidBytes
        return { ok: true, value: scanned.value.networks }
      }),
    sendCredentials: (credentials) => exclusive(() => sendCredentials(credentials)),
    status: (options: StatusOptions = {}) =>
      exclusive(async (): Promise<DriverResult<DeviceStatus>> => {
        const reply = await configCall({ type: 'cmdGetStatus' }, 'respGetStatus', { signal: options.signal })
        if (!reply.ok) return reply
        return toDeviceStatus(reply.value as Extract<WiFiConfigMessage, { type: 'respGetStatus' }>)
      }),
    reset: () => exclusive(reset),
    close() {
      state = 'closed'
      transport.close()
    },
  }
}
