/**
 * The provisioned accessory's esp_local_ctrl service on the home network (reference §1.10): the version
 * endpoint in clear, a protocomm session with the device's security, and the property protocol. Properties:
 * `status` (read-only JSON: uptime, SSID, address) and `power` (a settable boolean), enough for a client to
 * prove the device "answers" after onboarding and for diagnostics to read something real.
 */
import { Status } from '../../../main/provisioning/esp/constants'
import { decodeLocalCtrl, encodeLocalCtrl, localCtrlVersionJson, type LocalCtrlProperty } from '../../../main/provisioning/esp/local-ctrl-messages'
import type { DeviceSecurity } from '../../../main/provisioning/esp/security-types'
import type { AccessoryConfig } from './config'
import { createSecurityFactory, protectedReply, sessionReply } from './endpoints'
import type { EndpointReply } from './http-transport'

/** ESP_LOCAL_CTRL_PROP_FLAG_READONLY. */
const READONLY = 1
/** App-defined property types of the lab accessory. */
const TYPE_JSON = 1
const TYPE_BOOL = 2

/** What the service reports in its `status` property. */
export interface LocalCtrlFacts {
  ssid: () => string | undefined
  ip4: () => string | undefined
}

/** The esp_local_ctrl endpoint table. */
export interface LocalCtrlEndpoints {
  /** True for the three esp_local_ctrl paths. */
  owns(endpoint: string): boolean
  handle(endpoint: string, body: Uint8Array, sessionId: number, isNew: boolean): EndpointReply
  endSession(sessionId: number): void
}

/** Creates the service for one device. */
export function createLocalCtrl(config: AccessoryConfig, facts: LocalCtrlFacts): LocalCtrlEndpoints {
  const newSecurity = createSecurityFactory(config)
  const sessions = new Map<number, DeviceSecurity>()
  const bootedAt = performance.now()
  let power = true
  const properties = (): LocalCtrlProperty[] => [
    { status: Status.Success, name: 'status', type: TYPE_JSON, flags: READONLY, value: new TextEncoder().encode(JSON.stringify({
      id: config.deviceId, uptime_s: Math.round((performance.now() - bootedAt) / 1000), ssid: facts.ssid() ?? null, ip4: facts.ip4() ?? null })) },
    { status: Status.Success, name: 'power', type: TYPE_BOOL, flags: 0, value: new Uint8Array([power ? 1 : 0]) },
  ]

  const control = (plain: Uint8Array): Uint8Array | undefined => {
    const decoded = decodeLocalCtrl(plain)
    if (!decoded.ok) return undefined
    const m = decoded.value
    const props = properties()
    if (m.type === 'cmdGetPropCount') return encodeLocalCtrl({ type: 'respGetPropCount', status: Status.Success, count: props.length })
    if (m.type === 'cmdGetPropVals') {
      const valid = m.indices.every((i) => i < props.length)
      return encodeLocalCtrl({ type: 'respGetPropVals', status: valid ? Status.Success : Status.InvalidArgument, props: valid ? m.indices.map((i) => props[i] as LocalCtrlProperty) : [] })
    }
    if (m.type !== 'cmdSetPropVals') return undefined
    // Like esp_local_ctrl_handler.c: every index must exist and be writable, or nothing is set.
    const writable = m.props.every((p) => p.index < props.length && ((props[p.index]?.flags ?? READONLY) & READONLY) === 0 && p.value.length === 1)
    if (writable) for (const p of m.props) power = p.value[0] === 1
    return encodeLocalCtrl({ type: 'respSetPropVals', status: writable ? Status.Success : Status.InvalidArgument })
  }

  return {
    owns: (endpoint) => endpoint.startsWith('esp_local_ctrl/'),
    handle(endpoint, body, sessionId, isNew) {
      if (endpoint === 'esp_local_ctrl/version') {
        return { status: 200, body: new TextEncoder().encode(localCtrlVersionJson(config.security, config.security === 2 ? config.secPatchVersion : 0)) }
      }
      if (isNew || !sessions.has(sessionId)) sessions.set(sessionId, newSecurity())
      const security = sessions.get(sessionId) as DeviceSecurity
      if (endpoint === 'esp_local_ctrl/session') return sessionReply(security, body)
      if (endpoint === 'esp_local_ctrl/control') return protectedReply(security, body, control)
      return { status: 404, message: 'Not Found' }
    },
    endSession: (sessionId) => void sessions.delete(sessionId),
  }
}
