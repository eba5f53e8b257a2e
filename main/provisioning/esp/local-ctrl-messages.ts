/**
 * esp_local_ctrl's LocalCtrlMessage (components/esp_local_ctrl/proto/esp_local_ctrl.proto): the property
 * protocol a provisioned ESP device serves on the home network over the same protocomm security, used by
 * the lab accessory and, later, by connection health and diagnostics.
 */
import type { Status } from './constants'
import { decodeTagged, encodeMessage, packOneof, type OneofSpec, type ProtoResult } from './proto-codec'

/** One property as GetPropertyValues returns it; `flags` bit 0 is READONLY (ESP_LOCAL_CTRL_PROP_FLAG_READONLY). */
export interface LocalCtrlProperty {
  status: Status
  name: string
  type: number
  flags: number
  value: Uint8Array
}

/** LocalCtrlMessage as a tagged union. */
export type LocalCtrlMessage =
  | { type: 'cmdGetPropCount' }
  | { type: 'respGetPropCount'; status: Status; count: number }
  | { type: 'cmdGetPropVals'; indices: number[] }
  | { type: 'respGetPropVals'; status: Status; props: LocalCtrlProperty[] }
  | { type: 'cmdSetPropVals'; props: { index: number; value: Uint8Array }[] }
  | { type: 'respSetPropVals'; status: Status }

const LOCAL_CTRL = {
  name: 'LocalCtrlMessage',
  kinds: { cmdGetPropCount: 0, respGetPropCount: 1, cmdGetPropVals: 4, respGetPropVals: 5, cmdSetPropVals: 6, respSetPropVals: 7 },
} as const satisfies OneofSpec & { name: 'LocalCtrlMessage' }

/** The version endpoint's JSON (esp_local_ctrl.c ESP_LOCAL_CTRL_VER_FMT_STR). */
export function localCtrlVersionJson(secVer: 0 | 1 | 2, secPatchVer: 0 | 1): string {
  return JSON.stringify({ local_ctrl: { ver: 'v1.0', sec_ver: secVer, sec_patch_ver: secPatchVer } })
}

/** Encodes a LocalCtrlMessage (plaintext; the session encrypts it). */
export function encodeLocalCtrl(message: LocalCtrlMessage): Uint8Array {
  return encodeMessage(LOCAL_CTRL.name, packOneof(LOCAL_CTRL, message))
}

/** Decodes a LocalCtrlMessage; never throws. */
export function decodeLocalCtrl(bytes: Uint8Array): ProtoResult<LocalCtrlMessage> {
  const decoded = decodeTagged(LOCAL_CTRL, bytes, 'local control message')
  return decoded.ok ? { ok: true, value: decoded.value as unknown as LocalCtrlMessage } : decoded
}
