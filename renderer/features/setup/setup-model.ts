/**
 * Choosing what to set up: accessory categories and their one-line explanations (docs/product.md), which
 * candidate a scanned code points at, the LAN candidate for a device Discover shows, and which Discover
 * device a confirmed accessory is. Pure. Secrets (setup code, AP passphrase) pass through, never kept here.
 */
import type { DiscoveredDevice } from '../../../shared/discovery/view'
import type { AccessoryCategory, SetupCandidate, SetupCodeInput, SetupTarget } from '../../../shared/provisioning/view'
import type { DeviceMap } from '../discover/discover-slice'

/** The category's name and what it means for the flow. */
export const CATEGORY_TEXT: Record<AccessoryCategory, { label: string; hint: string }> = {
  bound: {
    label: 'Joins your Wi-Fi',
    hint: 'Its setup network goes away once it is on your Wi-Fi (printers, plugs, lights).',
  },
  'stand-alone': {
    label: 'Stand-alone',
    hint: 'Always its own network without internet (field cameras): this computer has no internet while joined.',
  },
  gateway: {
    label: 'Gateway',
    hint: 'Its own network that does provide internet: set it up and stay on it.',
  },
  'on-lan': {
    label: 'Already on your network',
    hint: 'It is on your network already, so nothing switches networks.',
  },
}

/** Categories a target can be: an accessory AP is bound, stand-alone or a gateway; a LAN device is on-lan. */
export function categoriesFor(target: SetupTarget): AccessoryCategory[] {
  return target.kind === 'softap' ? ['bound', 'stand-alone', 'gateway'] : ['on-lan']
}

/** The category a target gets unless the user says otherwise (the host's default too). */
export function defaultCategory(target: SetupTarget): AccessoryCategory {
  return target.kind === 'softap' ? 'bound' : 'on-lan'
}

/** A target without its AP passphrase: what may be kept in the store for "Start again". */
export function withoutSecret(target: SetupTarget): SetupTarget {
  if (target.kind !== 'softap') return target
  return { kind: 'softap', ssid: target.ssid }
}

/** What a scanned code says about where the accessory is. */
export type CodeTarget =
  | { kind: 'none' }
  /** A listed candidate has the code's network name. */
  | { kind: 'candidate'; key: string }
  /** Nothing listed matches: set up the network the code names (with the AP passphrase it carries). */
  | { kind: 'named'; candidate: SetupCandidate }
  /** The code is for a transport Porchlight cannot use. */
  | { kind: 'unsupported'; transport: string }

/** Key of the candidate made from a code's network name. */
export const CODE_CANDIDATE_PREFIX = 'code:'

/** Which candidate a code points at: a listed AP of the same name, or a new SoftAP target from the code. */
export function targetFromCode(code: SetupCodeInput, candidates: readonly SetupCandidate[]): CodeTarget {
  if (code.transport === 'ble') return { kind: 'unsupported', transport: 'Bluetooth' }
  const name = code.serviceName
  if (!name) return { kind: 'none' }
  const listed = candidates.find((c) => c.target.kind === 'softap' && c.target.ssid === name)
  if (listed) return { kind: 'candidate', key: listed.key }
  if (code.transport === 'on-network') {
    const lan = candidates.find((c) => c.target.kind === 'on-network' && c.name === name)
    return lan ? { kind: 'candidate', key: lan.key } : { kind: 'none' }
  }
  const target: SetupTarget = { kind: 'softap', ssid: name, ...(code.apPassphrase !== undefined && { apPassphrase: code.apPassphrase }) }
  return { kind: 'named', candidate: { key: `${CODE_CANDIDATE_PREFIX}${name}`, name, target, apSecured: code.apPassphrase !== undefined } }
}

/** The TXT `id` a device announces (lower case), as the host's confirmation matches it. */
export function announcedId(device: DiscoveredDevice): string | undefined {
  for (const service of device.services) {
    const entry = service.txt.find((t) => t.key.toLowerCase() === 'id' && t.value)
    if (entry?.value) return entry.value.toLowerCase()
  }
  return undefined
}

/** ESP Unified Provisioning's on-network service type. */
export const PROVISIONING_SERVICE = '_esp_wifi_prov._tcp'

/** The set-up candidate for a device Discover shows, if it offers provisioning on the network (as the host lists it). */
export function lanCandidateFor(device: DiscoveredDevice): SetupCandidate | undefined {
  if (device.status !== 'up') return undefined
  const service = device.services.find((s) => s.type === PROVISIONING_SERVICE && s.port !== null && s.addresses.length > 0)
  const address = service?.addresses.find((a) => a.family === 'IPv4') ?? service?.addresses[0]
  if (!service?.port || !address) return undefined
  const id = announcedId(device)
  return {
    key: `lan:${device.id}`,
    name: device.name || device.id,
    ...(id && { deviceId: id }),
    target: { kind: 'on-network', host: address.address, port: service.port, ...(id && { deviceId: id }) },
  }
}

/** The Discover id of a confirmed accessory (the host confirms by announced id); the id itself when Discover has no match. */
export function discoveryIdFor(devices: DeviceMap, confirmedId: string): string {
  if (devices.has(confirmedId)) return confirmedId
  const wanted = confirmedId.toLowerCase()
  for (const device of devices.values()) if (announcedId(device) === wanted) return device.id
  return confirmedId
}

/** "host:port" or the AP's name, for a candidate's second line. */
export function candidateWhere(candidate: SetupCandidate): string {
  return candidate.target.kind === 'softap' ? 'Setup network' : `On your network at ${candidate.target.host}:${candidate.target.port}`
}

/** A code summary that reveals nothing secret: which kind of code it is and what it names. */
export function codeSummary(code: SetupCodeInput): string {
  const kind = code.security === 0 ? 'no security' : code.security === undefined ? 'setup code' : `security ${code.security}`
  return code.serviceName ? `Code for “${code.serviceName}” (${kind})` : `Setup code entered (${kind})`
}
