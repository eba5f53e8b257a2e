/**
 * ESP-IDF Unified Provisioning codes: protocomm `Status`, `WifiStationState`, `WifiConnectFailedReason`
 * (values from main/provisioning/esp/constants.ts, which mirrors constants.proto / wifi_constants.proto), and
 * the HTTP statuses ESP-IDF's web server (esp_http_server `httpd_err_code_t`) sends on the SoftAP and
 * on-network transports.
 *
 * Facts the wording leans on (ESP-IDF sources): stock protocomm hangs up instead of sending CryptoError when the
 * proof of possession is wrong (security1.c "Key mismatch. Close connection"); a failing endpoint handler closes
 * the socket without any HTTP reply (httpd_uri.c); SetConfig answers InvalidArgument for an SSID over 32 bytes,
 * a passphrase over 63 or a BSSID that is not 6 bytes (wifi_config.c); a `Connected` status ends provisioning.
 */
import { Status, WifiConnectFailedReason, WifiStationState } from '../../provisioning/esp/constants'
import type { Explanation } from './types'

const RESTART_SETUP = 'Start setup again from the beginning.'
const POWER_CYCLE = 'Unplug the accessory (or switch it off) for ten seconds, then start setup again.'

/** protocomm `Status` wording, by enum name. */
const STATUS_TEXT: Readonly<Record<keyof typeof Status, Explanation>> = {
  Success: { meaning: 'The accessory accepted the request.', nextStep: 'Nothing to fix here; if setup still failed, look at the Wi-Fi state it reports.' },
  InvalidSecScheme: {
    meaning: 'The accessory uses a different security level (Security 0, 1 or 2) than the one Porchlight tried.',
    nextStep: 'Scan the QR code or enter the details from the label again so Porchlight uses the right level.',
  },
  InvalidProto: {
    meaning: 'The accessory could not use the request: it came out of order, or in a protocol version its firmware does not speak.',
    nextStep: `${RESTART_SETUP} If it repeats, the accessory's firmware may be too old or too new for this Porchlight.`,
  },
  TooManySessions: {
    meaning: 'The accessory is already in a setup session with another app or phone.',
    nextStep: 'Close the maker\'s app on nearby phones and computers, wait a minute, then try again (or power-cycle the accessory).',
  },
  InvalidArgument: {
    meaning: 'The accessory rejected a value it was sent; for Wi-Fi details, a network name longer than 32 bytes or a ' +
      'password longer than 63 characters.',
    nextStep: 'Check the network name and password (accessories cannot join networks with longer ones), then send them again.',
  },
  InternalError: {
    meaning: 'Something failed inside the accessory, for example it could not start a Wi-Fi scan or apply the settings.',
    nextStep: POWER_CYCLE,
  },
  CryptoError: {
    meaning: 'The secure session with the accessory failed, usually because the setup code (proof of possession) does not ' +
      'match. Stock ESP firmware hangs up instead of sending this, so a dropped connection during pairing means the same.',
    nextStep: 'Check the setup code on the accessory\'s label or QR code, then start setup again.',
  },
  InvalidSession: {
    meaning: 'The accessory no longer knows the secure session: it restarted, the session timed out, or another app started a new one.',
    nextStep: `${RESTART_SETUP} Porchlight opens a new secure session.`,
  },
}

/** `WifiStationState` wording, by enum name. */
const STATE_TEXT: Readonly<Record<keyof typeof WifiStationState, Explanation>> = {
  Connected: {
    meaning: 'The accessory joined the Wi-Fi network and got an address. This answer also ends setup mode, so the ' +
      'accessory\'s setup network disappears shortly afterwards; that is expected.',
    nextStep: 'Return this computer to your normal Wi-Fi; Porchlight confirms success by finding the accessory there.',
  },
  Connecting: {
    meaning: 'The accessory is still trying to join the Wi-Fi network. For causes other than a wrong password or a missing ' +
      'network, stock firmware keeps retrying without saying so, so this can last indefinitely.',
    nextStep: 'Wait up to a minute; if it never changes, check the router is on and in range, power-cycle the accessory and try again.',
  },
  Disconnected: {
    meaning: 'The accessory is not connected to Wi-Fi (stock ESP firmware never reports this; the maker\'s firmware does).',
    nextStep: 'Send the Wi-Fi details again; if it repeats, move the accessory closer to the router.',
  },
  ConnectionFailed: {
    meaning: 'The accessory tried to join the Wi-Fi network and failed; the failure reason reported with it (wrong password ' +
      'or network not found) says why.',
    nextStep: 'Fix what the failure reason points at, then send the Wi-Fi details again; some accessories need a reset first.',
  },
}

/** `WifiConnectFailedReason` wording, by enum name. */
const REASON_TEXT: Readonly<Record<keyof typeof WifiConnectFailedReason, Explanation>> = {
  AuthError: {
    meaning: 'The Wi-Fi network rejected the accessory: almost always a wrong Wi-Fi password, sometimes a security type ' +
      'the accessory cannot use (WPA3-only or company "Enterprise" Wi-Fi).',
    nextStep: 'Enter the Wi-Fi password again, carefully (capitals count), and resend.',
    steps: [
      'Enter the Wi-Fi password again; capitals, spaces and symbols count.',
      'If your router is set to WPA3 only, switch it to WPA2/WPA3 mixed mode for setup.',
      'If the accessory no longer accepts new details after a wrong password, factory-reset it (see its manual) and start again.',
    ],
  },
  NetworkNotFound: {
    meaning: 'The accessory could not see a Wi-Fi network with that name.',
    nextStep: 'Check the network name and that the router is in range; most accessories only see 2.4 GHz Wi-Fi.',
    steps: [
      'Make sure the network is on 2.4 GHz (or the router offers 2.4 GHz under the same name); most accessories cannot see 5 or 6 GHz.',
      'Check the name is exact, including capitals and spaces; a hidden network must be typed exactly.',
      'Move the accessory closer to the router during setup.',
    ],
  },
}

const PROTOCOMM_PATHS = '/proto-ver, /prov-session, /prov-config, /prov-scan, /prov-ctrl'
const REPORT = 'This points at a mismatch between Porchlight and the accessory\'s firmware: attach a Diagnose report when you ask for help.'

/** HTTP statuses esp_http_server sends (httpd_err_code_t), plus the ones a maker's handler commonly adds. */
const HTTP_TEXT: ReadonlyMap<number, Explanation & { title: string }> = new Map([
  [400, { title: 'Bad Request', meaning: 'The accessory\'s web server could not read the request (malformed, or an empty body).', nextStep: REPORT }],
  [401, { title: 'Unauthorized', meaning: 'The accessory wants a login before it answers.', nextStep: 'Enter the accessory\'s user name and password (see its label or manual), then try again.' }],
  [403, { title: 'Forbidden', meaning: 'The accessory refused access to this function.', nextStep: 'Check the accessory\'s own settings or app; the function may be turned off.' }],
  [404, {
    title: 'Not Found',
    meaning: `The accessory's web server has no such endpoint. For a provisioning endpoint (${PROTOCOMM_PATHS}) this means ` +
      'the setup service is not running any more (setup finished or timed out) or the firmware does not offer it ' +
      '(/prov-ctrl needs ESP-IDF 5.1 or newer).',
    nextStep: 'If the accessory already joined your Wi-Fi, look for it on your home network; otherwise put it back into setup mode and start again.',
  }],
  [405, { title: 'Method Not Allowed', meaning: 'The endpoint exists but not for this kind of request (for example GET instead of POST).', nextStep: REPORT }],
  [408, {
    title: 'Request Timeout',
    meaning: 'The accessory waited for the rest of the request and gave up, then closed the connection: the Wi-Fi link to it stalled or lost packets.',
    nextStep: 'Move this computer closer to the accessory, then try again.',
  }],
  [411, { title: 'Length Required', meaning: 'The accessory needs the request\'s size up front.', nextStep: REPORT }],
  [413, { title: 'Content Too Large', meaning: 'The request was larger than the accessory accepts.', nextStep: REPORT }],
  [414, { title: 'URI Too Long', meaning: 'The request address was longer than the accessory accepts.', nextStep: REPORT }],
  [431, { title: 'Request Header Fields Too Large', meaning: 'The request headers were larger than the accessory accepts.', nextStep: REPORT }],
  [500, {
    title: 'Internal Server Error',
    meaning: 'The accessory\'s web server failed while handling the request. (Provisioning endpoints do not send this: ' +
      'when they fail, they close the connection without an answer.)',
    nextStep: `Wait a few seconds and try again. ${POWER_CYCLE}`,
  }],
  [501, { title: 'Method Not Implemented', meaning: 'The accessory\'s web server does not know this kind of request.', nextStep: REPORT }],
  [503, { title: 'Service Unavailable', meaning: 'The accessory is too busy to answer right now.', nextStep: 'Wait a few seconds and try again.' }],
  [505, { title: 'Version Not Supported', meaning: 'The accessory\'s web server only speaks HTTP/1.0 and 1.1.', nextStep: REPORT }],
])

/** One enum member: its name, value and wording. */
export interface EspCode extends Explanation {
  name: string
  value: number
}

type Table = Readonly<Record<string, number>>

function lookup(values: Table, texts: Readonly<Record<string, Explanation>>, key: string | number): EspCode | undefined {
  const lower = typeof key === 'string' ? key.toLowerCase() : undefined
  for (const [name, value] of Object.entries(values)) {
    if (lower === undefined ? value !== key : name.toLowerCase() !== lower) continue
    const text = texts[name]
    if (text) return { name, value, ...text }
  }
  return undefined
}

/** A protocomm `Status` by name (case-insensitive) or number. */
export function espStatus(key: string | number): EspCode | undefined {
  return lookup(Status, STATUS_TEXT, key)
}

/** A `WifiStationState` by name (case-insensitive) or number. */
export function espWifiState(key: string | number): EspCode | undefined {
  return lookup(WifiStationState, STATE_TEXT, key)
}

/** A `WifiConnectFailedReason` by name (case-insensitive) or number. */
export function espFailReason(key: string | number): EspCode | undefined {
  return lookup(WifiConnectFailedReason, REASON_TEXT, key)
}

/** An HTTP status an ESP accessory's web server sends, with its reason phrase. */
export function httpStatus(value: number): (Explanation & { title: string }) | undefined {
  return HTTP_TEXT.get(value)
}
