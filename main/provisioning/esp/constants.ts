/**
 * Enum values and endpoint names of ESP Unified Provisioning as TypeScript constants, so callers write
 * `Status.Success` instead of magic numbers. Values mirror constants.proto / wifi_constants.proto (§1.6);
 * proto-schema.ts is the wire source of truth and the tests check the two agree.
 */

/** constants.proto `Status`. */
export const Status = {
  Success: 0,
  InvalidSecScheme: 1,
  InvalidProto: 2,
  TooManySessions: 3,
  InvalidArgument: 4,
  InternalError: 5,
  CryptoError: 6,
  InvalidSession: 7,
} as const
/** A Status value. */
export type Status = (typeof Status)[keyof typeof Status]

/** wifi_constants.proto `WifiStationState`; stock firmware never emits Disconnected (reference (b)15). */
export const WifiStationState = { Connected: 0, Connecting: 1, Disconnected: 2, ConnectionFailed: 3 } as const
/** A WifiStationState value. */
export type WifiStationState = (typeof WifiStationState)[keyof typeof WifiStationState]

/** wifi_constants.proto `WifiConnectFailedReason`. */
export const WifiConnectFailedReason = { AuthError: 0, NetworkNotFound: 1 } as const
/** A WifiConnectFailedReason value. */
export type WifiConnectFailedReason = (typeof WifiConnectFailedReason)[keyof typeof WifiConnectFailedReason]

/** wifi_constants.proto `WifiAuthMode`; decoded values stay plain numbers because newer firmware adds modes. */
export const WifiAuthMode = {
  Open: 0,
  WEP: 1,
  WPA_PSK: 2,
  WPA2_PSK: 3,
  WPA_WPA2_PSK: 4,
  WPA2_ENTERPRISE: 5,
  WPA3_PSK: 6,
  WPA2_WPA3_PSK: 7,
} as const

/** Protocomm security scheme (SessionData.sec_ver). */
export type SecVersion = 0 | 1 | 2

/** Endpoint names (HTTP path without the slash) and their BLE 16-bit UUIDs, reference (b)1. */
export const ESP_ENDPOINTS = {
  'prov-ctrl': 0xff4f,
  'prov-scan': 0xff50,
  'prov-session': 0xff51,
  'prov-config': 0xff52,
  'proto-ver': 0xff53,
} as const
/** One of the standard endpoint names. */
export type EspEndpoint = keyof typeof ESP_ENDPOINTS
