/**
 * DNS-SD (Bonjour / mDNSResponder) error codes, `kDNSServiceErr_*` in dns_sd.h. Values checked against
 * apple-oss-distributions/mDNSResponder mDNSShared/dns_sd.h (mDNSResponder-2600.100.147): NoError 0,
 * Unknown -65537 … StaleData -65572, with -65546 unused. Windows (Bonjour for Windows) and Avahi's
 * libdns_sd compatibility layer report the same numbers.
 */
import { LOCAL_NETWORK_STEPS } from '../../net/connect'
import type { Explanation, Os } from './types'

interface DnsSdText extends Explanation {
  variants?: Partial<Record<Os, Explanation>>
}

const BUG = 'This is a bug in Porchlight, not your network: attach a Diagnose report when you ask for help.'
const RESTART = 'Restart the computer (which restarts the Bonjour service); if it repeats, attach a Diagnose report.'
const REMOTE_ONLY = 'This only affects reaching devices from outside your home network; finding and using them locally is not affected.'
const NOTHING = 'Nothing to fix for local devices.'
const CHECK_DEVICE = 'Check that the device is powered and on the same Wi-Fi network as this computer, then search again.'

const NOT_RUNNING: DnsSdText = {
  meaning: 'The system\'s Bonjour/mDNS service is not running, so the system cannot look for devices (Porchlight\'s own search still works).',
  nextStep: 'Start the system\'s mDNS service, then try again.',
  steps: [
    'Windows: open Services (services.msc), set "Bonjour Service" to Automatic and start it; if it is missing, install Apple\'s Bonjour.',
    'Linux: start Avahi with `sudo systemctl enable --now avahi-daemon`.',
    'macOS: mDNSResponder is part of the system and restarts by itself; restart the Mac.',
  ],
  variants: {
    win32: {
      meaning: 'The Windows "Bonjour Service" is stopped or not installed, so Windows cannot look for devices (Porchlight\'s own search still works).',
      nextStep: 'Open Services (services.msc), set "Bonjour Service" to Automatic and start it; if it is missing, install Apple\'s Bonjour.',
    },
    linux: {
      meaning: 'The Avahi daemon is not running, so the system cannot look for devices (Porchlight\'s own search still works).',
      nextStep: 'Start it with `sudo systemctl enable --now avahi-daemon`, then try again.',
    },
    darwin: {
      meaning: 'mDNSResponder, the Mac\'s Bonjour service, is not answering; it normally restarts by itself.',
      nextStep: 'Restart the Mac.',
    },
  },
}

/** dns_sd.h order: name, number, wording. */
const CODES: ReadonlyArray<readonly [string, number, DnsSdText]> = [
  ['NoError', 0, { meaning: 'The request succeeded.', nextStep: NOTHING }],
  ['Unknown', -65537, { meaning: 'The Bonjour/mDNS service reported a failure without saying which.', nextStep: RESTART }],
  ['NoSuchName', -65538, { meaning: 'No device answered for that name or service on the local network.', nextStep: CHECK_DEVICE }],
  ['NoMemory', -65539, { meaning: 'The Bonjour/mDNS service ran out of memory.', nextStep: RESTART }],
  ['BadParam', -65540, { meaning: 'Porchlight passed an invalid value (such as a malformed service type) to the Bonjour service.', nextStep: BUG }],
  ['BadReference', -65541, { meaning: 'Porchlight used a Bonjour request that was already closed.', nextStep: BUG }],
  ['BadState', -65542, { meaning: 'The Bonjour service was asked to do something at the wrong moment.', nextStep: BUG }],
  ['BadFlags', -65543, { meaning: 'Porchlight passed an invalid option to the Bonjour service.', nextStep: BUG }],
  ['Unsupported', -65544, {
    meaning: 'The Bonjour service on this computer does not support this request (an old Bonjour, or Avahi\'s compatibility layer).',
    nextStep: 'Update Bonjour (Windows) or the system; Porchlight\'s own search does not need it.',
  }],
  ['NotInitialized', -65545, { meaning: 'A Bonjour request was used before it was set up.', nextStep: BUG }],
  ['AlreadyRegistered', -65547, {
    meaning: 'This exact service is already registered on this computer (a second copy of Porchlight, or a leftover registration).',
    nextStep: 'Quit other copies of Porchlight, then try again.',
  }],
  ['NameConflict', -65548, {
    meaning: 'Another device or program on the network already uses this name. A device that conflicts with itself is often ' +
      'connected twice (Wi-Fi and Ethernet) or was seen again after a quick restart.',
    nextStep: 'Give one of them a different name (or accept the renamed one, e.g. "Printer (2)"), then search again.',
  }],
  ['Invalid', -65549, { meaning: 'The Bonjour service received data it could not use.', nextStep: BUG }],
  ['Firewall', -65550, {
    meaning: 'A firewall blocked the Bonjour/mDNS traffic.',
    nextStep: 'Allow Porchlight and mDNS (UDP port 5353) in the firewall; on Windows, also set this network to Private.',
  }],
  ['Incompatible', -65551, {
    meaning: 'The Bonjour library Porchlight talks through does not match the Bonjour service running on this computer.',
    nextStep: 'Update or reinstall Bonjour (Windows), or restart the computer after a system update.',
  }],
  ['BadInterfaceIndex', -65552, {
    meaning: 'The network interface the request named no longer exists (Wi-Fi changed or an adapter was removed).',
    nextStep: 'Search again; Porchlight picks up the current interfaces.',
  }],
  ['Refused', -65553, { meaning: 'The Bonjour service or a DNS server refused the request.', nextStep: RESTART }],
  ['NoSuchRecord', -65554, {
    meaning: 'The name exists but has no record of the kind asked for: for example the device advertises its service but ' +
      'not its address, or has no IPv4 (or no IPv6) address.',
    nextStep: 'Restart the device so it announces itself again; if it persists, Diagnose\'s device check shows which record is missing.',
  }],
  ['NoAuth', -65555, { meaning: 'A wide-area (internet) Bonjour update was not authorised.', nextStep: REMOTE_ONLY }],
  ['NoSuchKey', -65556, { meaning: 'The device\'s advertisement (TXT record) lacks a key Porchlight looked for.', nextStep: 'Update the device\'s firmware if an update exists.' }],
  ['NATTraversal', -65557, { meaning: 'Setting up a port mapping on the router failed.', nextStep: REMOTE_ONLY }],
  ['DoubleNAT', -65558, { meaning: 'There are two routers doing address translation in a row, so a port mapping cannot work.', nextStep: REMOTE_ONLY }],
  ['BadTime', -65559, { meaning: 'A signed DNS update was rejected because this computer\'s clock is off.', nextStep: 'Set the computer\'s date and time automatically.' }],
  ['BadSig', -65560, { meaning: 'A signed DNS update had an invalid signature.', nextStep: REMOTE_ONLY }],
  ['BadKey', -65561, { meaning: 'A signed DNS update used an invalid key.', nextStep: REMOTE_ONLY }],
  ['Transient', -65562, { meaning: 'A temporary failure.', nextStep: 'Try again in a moment.' }],
  ['ServiceNotRunning', -65563, NOT_RUNNING],
  ['NATPortMappingUnsupported', -65564, { meaning: 'The router does not support automatic port mapping (PCP, NAT-PMP or UPnP).', nextStep: REMOTE_ONLY }],
  ['NATPortMappingDisabled', -65565, { meaning: 'The router supports automatic port mapping, but it is turned off.', nextStep: REMOTE_ONLY }],
  ['NoRouter', -65566, {
    meaning: 'No router is configured: this computer has no network connection at the moment.',
    nextStep: 'Connect to your Wi-Fi network, then try again.',
  }],
  ['PollingMode', -65567, { meaning: 'The DNS server cannot push updates, so the system polls instead; harmless.', nextStep: NOTHING }],
  ['Timeout', -65568, {
    meaning: 'No answer arrived in time: the device did not respond (off, on another network) or multicast is blocked on this network.',
    nextStep: `${CHECK_DEVICE} If it still fails, run Diagnose's multicast self-test.`,
  }],
  ['DefunctConnection', -65569, {
    meaning: 'The connection to the Bonjour service broke, usually because the service restarted or the computer woke from sleep.',
    nextStep: 'Search again; Porchlight reconnects.',
  }],
  ['PolicyDenied', -65570, {
    meaning: 'macOS blocked Porchlight from the local network: Local Network access is off for Porchlight.',
    nextStep: 'Allow Porchlight in System Settings › Privacy & Security › Local Network, then try again.',
    steps: LOCAL_NETWORK_STEPS,
  }],
  ['NotPermitted', -65571, {
    meaning: 'The system does not permit Porchlight this Bonjour operation (a system policy or security restriction).',
    nextStep: 'Check that Local Network access (macOS) or the firewall (Windows, Linux) allows Porchlight, then try again.',
  }],
  ['StaleData', -65572, { meaning: 'The answer came from cached data that may be out of date.', nextStep: 'Search again for a fresh answer.' }],
]

/** One DNS-SD code. */
export interface DnsSdCode extends Explanation {
  /** The short name, `NoSuchRecord`. */
  name: string
  value: number
}

function pick([name, value, text]: readonly [string, number, DnsSdText], os: Os | undefined): DnsSdCode {
  const chosen = (os && text.variants?.[os]) ?? text
  return { name, value, meaning: chosen.meaning, nextStep: chosen.nextStep, ...(chosen.steps && { steps: chosen.steps }) }
}

/** The code with this short name (case-insensitive), worded for `os` where that matters. */
export function dnsSdByName(name: string, os?: Os): DnsSdCode | undefined {
  const lower = name.toLowerCase()
  const row = CODES.find(([n]) => n.toLowerCase() === lower)
  return row && pick(row, os)
}

/** The code with this number (-65554), worded for `os` where that matters. */
export function dnsSdByValue(value: number, os?: Os): DnsSdCode | undefined {
  const row = CODES.find(([, v]) => v === value)
  return row && pick(row, os)
}
