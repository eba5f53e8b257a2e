/**
 * What the errno names a local-network app meets mean to an end user, and what to do. Names missing here
 * still decode (errno-numbers.ts knows every name), with the system's own description and a generic step.
 *
 * The macOS wording of EHOSTUNREACH / ENETUNREACH is the Local Network privacy block (macOS 15+ fails a
 * local send with "No route to host" and shows no prompt; field reports B04, C06, E18), with the steps the
 * connect racer already shows (`LOCAL_NETWORK_STEPS`) so the two never disagree.
 */
import { LOCAL_NETWORK_STEPS } from '../../net/connect'
import { ERRNO_DESCRIPTIONS } from './errno-numbers'
import type { Explanation, Os } from './types'

interface ErrnoText extends Explanation {
  /** Title for names that are not system errnos (Node's ENOTFOUND). */
  title?: string
  /** Wording that replaces the neutral one when the code came from that OS. */
  variants?: Partial<Record<Os, Explanation>>
}

const CHECK_DEVICE = 'Check that the device is powered and joined to the same Wi-Fi network as this computer, then search again.'
const RETRY_OR_REPORT = 'Try again; if it keeps happening, run Diagnose and attach its report when you ask for help.'
const WAIT_FOR_WIFI = 'Wait until Wi-Fi is connected again, then retry.'
const FIREWALL = 'Allow Porchlight in your firewall or security software, then try again.'
const BUG = 'This is a bug in Porchlight or in the device, not your network: attach a Diagnose report when you ask for help.'

function macLocalNetwork(what: string): Explanation {
  return {
    meaning: `On a Mac, "${what}" for a device on the local network almost always means macOS is blocking Porchlight ` +
      'because its Local Network access is off; macOS 15 and later show no prompt for this, and the device itself may be ' +
      'fine. Only if the device is on another network (reached through a VPN or a router) does it mean nothing answered.',
    nextStep: 'Allow Porchlight in System Settings › Privacy & Security › Local Network, then try again.',
    steps: LOCAL_NETWORK_STEPS,
  }
}

const NOT_FOUND: ErrnoText = {
  title: 'Name not found',
  meaning: 'The device name could not be looked up. For a name ending in ".local" the device did not answer the ' +
    'local-network name query (it is off, on another network, or multicast is blocked); other names are unknown to DNS.',
  nextStep: 'Connect to the device as found by Porchlight\'s search (which uses its address), or check the name\'s spelling.',
}

const CURATED: ReadonlyMap<string, ErrnoText> = new Map<string, ErrnoText>([
  ['EHOSTUNREACH', {
    meaning: 'Nothing answered at that address: this computer found no way to reach the device on the network.',
    nextStep: CHECK_DEVICE,
    variants: { darwin: macLocalNetwork('No route to host') },
  }],
  ['ENETUNREACH', {
    meaning: 'This computer has no route to that network: it is not connected to the network the device is on, or a ' +
      'VPN is taking all traffic.',
    nextStep: 'Join the Wi-Fi network the device is on (or turn off a VPN that takes all traffic), then try again.',
    variants: { darwin: macLocalNetwork('Network is unreachable') },
  }],
  ['EHOSTDOWN', { meaning: 'The device did not answer at all: it looks switched off or out of reach.', nextStep: CHECK_DEVICE }],
  ['ENETDOWN', {
    meaning: 'The network connection on this computer is down (Wi-Fi off, disconnected, or the adapter was unplugged).',
    nextStep: 'Turn Wi-Fi on and reconnect to your network, then try again.',
  }],
  ['ENONET', { meaning: 'This computer is not connected to a network.', nextStep: 'Connect to your Wi-Fi network, then try again.' }],
  ['ECONNREFUSED', {
    meaning: 'The device answered, but nothing on it accepts connections on that port: it is restarting, its service ' +
      'moved to another port, or the service is not running. During Wi-Fi setup this is expected right after the device ' +
      'accepted the Wi-Fi details, because it closes its setup service.',
    nextStep: 'Wait a few seconds and search again so Porchlight picks up the current port; after setup, look for the ' +
      'device on your home network.',
  }],
  ['ETIMEDOUT', {
    meaning: 'Nobody answered in time: the device is off or asleep, it is on a different network, or the Wi-Fi router keeps ' +
      'devices apart ("client isolation", common on guest networks).',
    nextStep: 'Check that the device is powered and on the same Wi-Fi as this computer (not a guest network), then try again.',
    variants: {
      win32: {
        meaning: 'Nobody answered in time: the device is off or asleep, it is on a different network, the router keeps devices ' +
          'apart ("client isolation", common on guest networks), or Windows Defender Firewall dropped the traffic.',
        nextStep: 'Check the device is powered and on the same Wi-Fi; if another computer reaches it, allow Porchlight on ' +
          'private networks in Windows Defender Firewall and set this network to Private.',
      },
    },
  }],
  ['ECONNRESET', {
    meaning: 'The connection was cut off by the device or something in between. Devices do this when they restart or are ' +
      'busy with another app; during secure setup of an ESP-based accessory it usually means the setup code (proof of ' +
      'possession) was wrong, because the accessory hangs up instead of answering.',
    nextStep: 'Close other apps talking to the device (such as the maker\'s phone app), check the setup code on its label, ' +
      'and try again.',
  }],
  ['ECONNABORTED', {
    meaning: 'This computer dropped the connection, usually because the network changed (Wi-Fi switched networks or slept).',
    nextStep: WAIT_FOR_WIFI,
  }],
  ['EPIPE', {
    meaning: 'Porchlight sent on a connection the device had already closed (it restarted or dropped an idle connection).',
    nextStep: 'Try again; Porchlight opens a new connection.',
  }],
  ['ENOTCONN', { meaning: 'Porchlight used a connection that was no longer open.', nextStep: 'Try again; Porchlight opens a new connection.' }],
  ['EADDRINUSE', {
    meaning: 'Another program on this computer already uses the network port Porchlight needs (a second copy of ' +
      'Porchlight, or another discovery tool holding the port for itself).',
    nextStep: 'Quit the other program (Diagnose names it where the system allows), or restart the computer, then open Porchlight again.',
  }],
  ['EADDRNOTAVAIL', {
    meaning: 'The network address Porchlight tried to use is not on this computer (any more), usually because the Wi-Fi ' +
      'connection changed or dropped.',
    nextStep: WAIT_FOR_WIFI,
  }],
  ['EACCES', {
    meaning: 'This computer refused the operation: a firewall or security tool blocked it, or the port needs administrator rights.',
    nextStep: FIREWALL,
    variants: {
      win32: {
        meaning: 'Windows refused the port: a firewall or security tool blocked it, another program holds the port for ' +
          'itself, or Windows reserved it (Hyper-V, WSL and Docker reserve port ranges).',
        nextStep: FIREWALL,
        steps: [
          FIREWALL,
          'Check reserved ports with `netsh interface ipv4 show excludedportrange protocol=tcp` (and `protocol=udp`).',
          'Quit other programs that may use the same port, or restart the computer.',
        ],
      },
    },
  }],
  ['EPERM', {
    meaning: 'The operating system did not allow the traffic; on Linux this is usually a firewall rule that rejects it, ' +
      'elsewhere a security tool.',
    nextStep: FIREWALL,
  }],
  ['EINVAL', {
    meaning: 'The system rejected an address or setting as invalid. For an IPv6 link-local address (fe80::…) this ' +
      'usually means the interface part ("%en0", "%wlan0") is missing or that interface no longer exists.',
    nextStep: 'Search for the device again so Porchlight learns its current address and interface.',
  }],
  ['ENODEV', {
    meaning: 'The network interface asked for was not found or cannot do this: the Wi-Fi adapter was removed, renamed or ' +
      'turned off.',
    nextStep: 'Turn Wi-Fi on (or plug the adapter back in), then search again.',
  }],
  ['ENOENT', {
    meaning: 'A file or program was not found. In Diagnose this usually means a system tool Porchlight compares against ' +
      '(dns-sd or avahi-browse) is not installed.',
    nextStep: 'Install the tool (Linux: the avahi-utils package; Windows: Apple\'s Bonjour) or skip that cross-check; ' +
      'everything else works without it.',
  }],
  ['ENOTFOUND', NOT_FOUND],
  ['EAI_NONAME', NOT_FOUND],
  ['EAI_NODATA', NOT_FOUND],
  ['EAI_AGAIN', {
    meaning: 'The name lookup got no answer in time: this computer has no working internet or DNS at the moment, which is ' +
      'expected while it is joined to an accessory\'s own setup network.',
    nextStep: 'Reconnect to your normal Wi-Fi, or connect to the device as found by Porchlight\'s search.',
  }],
  ['EMSGSIZE', {
    meaning: 'A message was too large to send in one packet (for discovery: more records than fit in one packet).',
    nextStep: BUG,
  }],
  ['ENOBUFS', {
    meaning: 'The computer ran out of network buffer space, usually from a flood of traffic or a stuck network driver.',
    nextStep: 'Turn Wi-Fi off and on again; if it continues, restart the computer.',
  }],
  ['EQFULL', {
    meaning: 'The Wi-Fi interface\'s send queue was full, so macOS dropped the packet. Harmless once; if it repeats, the ' +
      'Wi-Fi link is overloaded.',
    nextStep: 'Pause large downloads or screen sharing, move closer to the router, then try again.',
  }],
  ['EAFNOSUPPORT', {
    meaning: 'That address type (IPv4 or IPv6) is not available on this computer, for example because IPv6 is turned off.',
    nextStep: 'Search again; Porchlight uses the device\'s other address where it has one.',
  }],
  ['EPROTO', {
    meaning: 'The device replied with something that breaks the protocol, often a secure-connection (TLS) mismatch.',
    nextStep: 'Update the device\'s firmware if an update exists; otherwise attach a Diagnose report when you ask for help.',
  }],
  ['ECANCELED', {
    meaning: 'The operation was cancelled, usually by Porchlight itself (you cancelled, or a newer attempt replaced it).',
    nextStep: 'Nothing to fix; try again if you still need the result.',
  }],
  ['EAGAIN', { meaning: 'The system was busy for a moment; on its own this is harmless and Porchlight retries.', nextStep: RETRY_OR_REPORT }],
  ['EMFILE', { meaning: 'Porchlight has too many connections or files open at once.', nextStep: `Restart Porchlight. ${BUG}` }],
  ['ENFILE', { meaning: 'The whole computer has too many files or connections open.', nextStep: 'Quit programs you do not need or restart the computer.' }],
])

/** Names that mean the same as another name here. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['EWOULDBLOCK', 'EAGAIN'],
  ['EDEADLOCK', 'EDEADLK'],
  ['ENOTSUP', 'EOPNOTSUPP'],
])

function canonical(name: string): string {
  return ALIASES.get(name) ?? name
}

/** True for every errno-style name the decoder knows (system errnos, libuv's EAI_*, Node's ENOTFOUND, aliases). */
export function isErrnoName(name: string): boolean {
  const base = canonical(name)
  return CURATED.has(base) || ERRNO_DESCRIPTIONS.has(base) || ERRNO_DESCRIPTIONS.has(name)
}

/** The system's one-line description of a name ("No route to host"). */
export function errnoTitle(name: string): string {
  return ERRNO_DESCRIPTIONS.get(name) ?? ERRNO_DESCRIPTIONS.get(canonical(name)) ?? CURATED.get(canonical(name))?.title ?? name
}

/** The OSes with their own wording for a name. */
export function errnoVariantOses(name: string): Os[] {
  return Object.keys(CURATED.get(canonical(name))?.variants ?? {}) as Os[]
}

/** What a name means when it came from `os` (neutral wording when `os` is unknown or has none of its own). */
export function explainErrno(name: string, os?: Os): Explanation {
  const text = CURATED.get(canonical(name))
  if (!text) {
    return {
      meaning: `The system reported "${errnoTitle(name)}" (${name}). This is not an error Porchlight expects from talking ` +
        'to a device, so the cause is more likely on this computer than on the network.',
      nextStep: RETRY_OR_REPORT,
    }
  }
  const variant = os === undefined ? undefined : text.variants?.[os]
  const chosen = variant ?? text
  return { meaning: chosen.meaning, nextStep: chosen.nextStep, ...(chosen.steps && { steps: chosen.steps }) }
}

/** True when the name has wording of its own here, i.e. it is an error a local-network app meets. */
export function isNetworkErrno(name: string): boolean {
  return CURATED.has(canonical(name))
}
