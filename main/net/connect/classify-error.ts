/**
 * What a failed connect means to the user (reference case 46), shared by the racer and Diagnose.
 *
 * Why this exists: macOS 15+ Local Network privacy makes a same-subnet or link-local connect from an app
 * without the permission fail with EHOSTUNREACH ("No route to host") and shows no prompt (reference top
 * finding 5; field reports B04, E18, C06). Reported as "device offline", the user looks in the wrong place,
 * so that errno on that kind of destination is named as the permission problem it is.
 */
import { isIP } from 'node:net'
import { expandIpv6 } from '../address'
import { isIpv4LinkLocal, isIpv6LinkLocal, stripZone } from './targets'
import type { ConnectFinding } from './types'

/** What the classifier knows about the attempt besides the error. */
export interface ClassifyContext {
  /** The destination as dialled (a `%zone` suffix is allowed). */
  destination: string
  port?: number | undefined
  /** The zone used, if any (also read from `destination`). */
  zone?: string | undefined
  /** The bound source address, if any. */
  localAddress?: string | undefined
  /** The destination is in the subnet of one of this machine's addresses (undefined: not known). */
  isSameSubnet?: boolean | undefined
}

/**
 * Steps for a Local Network denial. Grounded in: Apple TN3179 as quoted in field reports B04 (15.1 fixed
 * bugs; duplicate app copies confuse Settings, FB15568200) and, for "no way to reset your program's Local
 * Network privilege to the undetermined state" on macOS, TN3179 as quoted by eclecticlight.co (2026); the
 * toggle and restart advice is users' experience (C06, field-reports-2 item 12), not Apple's word.
 */
export const LOCAL_NETWORK_STEPS: readonly string[] = [
  'Open System Settings › Privacy & Security › Local Network and turn Porchlight on.',
  'If Porchlight is on already, turn it off and on again; people report that this clears a stuck permission.',
  'If Porchlight is not in the list, quit it, open it again from the Applications folder (not from Terminal) and retry, ' +
    'so macOS can ask. macOS has no command that resets this permission (`tccutil reset` does not bring the question ' +
    'back, Apple TN3179); if Porchlight still does not appear, restart the Mac.',
  'If more than one copy of Porchlight is installed (an older version, a test build), delete the others: macOS can mix up their permissions.',
  'On macOS 15.0, update to 15.1 or later, which fixed several Local Network privacy bugs.',
]

/** The OS error code (`ECONNREFUSED` …) of an error value, if it has one. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error === 'string') return /^E[A-Z0-9]+$/.test(error) ? error : undefined
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

/** Multicast (224/4, ff00::/8) or the limited broadcast address. */
function isMulticastOrBroadcast(address: string): boolean {
  if (isIP(address) === 4) {
    const first = Number(address.split('.')[0])
    return (first >= 224 && first <= 239) || address === '255.255.255.255'
  }
  return isIP(address) === 6 && ((expandIpv6(address)[0] ?? 0) & 0xff00) === 0xff00
}

/** A destination macOS Local Network privacy covers: link-local, multicast/broadcast, or on one of our subnets. */
export function isLocalDestination(destination: string, isSameSubnet: boolean | undefined): boolean {
  const bare = stripZone(destination)
  return isIpv6LinkLocal(bare) || isIpv4LinkLocal(bare) || isMulticastOrBroadcast(bare) || isSameSubnet === true
}

/** The finding for an attempt our own overall timeout cut short (no OS errno). */
export function noAnswerFinding(destination: string, afterMs: number): ConnectFinding {
  return {
    code: 'timed-out',
    message: `${destination} did not answer within ${Math.round(afterMs)} ms.`,
    nextStep: 'Check that the device is powered and on the same Wi-Fi network as this computer, then try again.',
    pointsAtPeer: true,
  }
}

/** Maps a connect error to a plain-language finding with a next step; pure, so Diagnose can reuse it. */
export function classifyConnectError(error: unknown, platform: NodeJS.Platform, context: ClassifyContext): ConnectFinding {
  const errno = errnoOf(error)
  const dest = context.port === undefined ? context.destination : `${context.destination} port ${context.port}`
  const base = { ...(errno !== undefined && { errno }) }
  const isLocal = isLocalDestination(context.destination, context.isSameSubnet)
  switch (errno ?? '') {
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      if (platform === 'darwin' && isLocal) {
        return {
          ...base,
          code: 'local-network-denied',
          message: `macOS refused to let Porchlight reach ${dest} (${errno}, "no route to host"). On macOS 15 and later this ` +
            'means Local Network access is off for Porchlight; the device itself may be fine.',
          nextStep: 'Allow Porchlight in System Settings › Privacy & Security › Local Network, then try again.',
          steps: [...LOCAL_NETWORK_STEPS],
          pointsAtPeer: false,
        }
      }
      return errno === 'ENETUNREACH' ? networkUnreachable(base, dest) : hostUnreachable(base, dest)
    case 'EHOSTDOWN':
      return hostUnreachable(base, dest)
    case 'ECONNREFUSED':
      return {
        ...base,
        code: 'connection-refused',
        message: `${context.destination} answered, but nothing accepts connections on port ${context.port ?? '(unknown)'}.`,
        nextStep: 'The device may be restarting or its service may have moved: wait a few seconds, then search again.',
        pointsAtPeer: true,
      }
    case 'ETIMEDOUT':
      return {
        ...base,
        code: 'timed-out',
        message: `${dest} did not answer.`,
        nextStep: 'Check that the device is powered and on the same Wi-Fi network as this computer.' +
          (platform === 'win32' ? ' If another computer reaches it, allow Porchlight on private networks in Windows Defender Firewall.' : ''),
        pointsAtPeer: true,
      }
    case 'EINVAL':
      return invalidArgument(base, context)
    case 'EADDRNOTAVAIL':
      return {
        ...base,
        code: 'local-address-unavailable',
        message: context.localAddress === undefined
          ? `This computer has no usable address to reach ${dest} from.`
          : `The local address ${context.localAddress} is no longer on this computer, so ${dest} cannot be reached from it.`,
        nextStep: 'The network connection changed: wait until Wi-Fi is connected again, then retry.',
        pointsAtPeer: false,
      }
    case 'ECONNRESET':
    case 'ECONNABORTED':
    case 'EPIPE':
      return {
        ...base,
        code: 'connection-reset',
        message: `${dest} dropped the connection while it was being set up.`,
        nextStep: 'The device may be busy or restarting: wait a few seconds and try again.',
        pointsAtPeer: false,
      }
    case 'EACCES':
    case 'EPERM':
      return {
        ...base,
        code: 'blocked-by-firewall',
        message: `This computer did not allow the connection to ${dest} (${errno}); a firewall or security tool blocked it.`,
        nextStep: 'Allow Porchlight to use the local network in your firewall or security software, then try again.',
        pointsAtPeer: false,
      }
    default:
      return {
        ...base,
        code: 'unknown',
        message: `Connecting to ${dest} failed${errno ? ` (${errno})` : ''}${error instanceof Error ? `: ${error.message}` : ''}.`,
        nextStep: 'Try again; if it keeps failing, run Diagnose and attach its report when you ask for help.',
        pointsAtPeer: false,
      }
  }
}

function hostUnreachable(base: { errno?: string }, dest: string): ConnectFinding {
  return {
    ...base,
    code: 'host-unreachable',
    message: `Nothing answered for ${dest} on the network.`,
    nextStep: 'The device is probably off or on another network: check it is powered and joined to the same Wi-Fi, then search again.',
    pointsAtPeer: true,
  }
}

function networkUnreachable(base: { errno?: string }, dest: string): ConnectFinding {
  return {
    ...base,
    code: 'network-unreachable',
    message: `This computer has no route to ${dest}.`,
    nextStep: 'Join the Wi-Fi network the device is on (or turn off a VPN that takes all traffic), then try again.',
    pointsAtPeer: true,
  }
}

function invalidArgument(base: { errno?: string }, context: ClassifyContext): ConnectFinding {
  const at = context.destination.indexOf('%')
  const zone = context.zone ?? (at >= 0 ? context.destination.slice(at + 1) : undefined)
  if (isIpv6LinkLocal(context.destination) && !zone) {
    return {
      ...base,
      code: 'zone-required',
      message: `${context.destination} is an IPv6 link-local address and needs the interface it was found on (e.g. ${context.destination}%wlan0).`,
      nextStep: 'Connect through the discovered device, which knows the interface, or add %<interface> to the address.',
      pointsAtPeer: false,
    }
  }
  if (zone) {
    return {
      ...base,
      code: 'zone-invalid',
      message: `The interface "%${zone}" in ${stripZone(context.destination)}%${zone} does not exist on this computer (any more).`,
      nextStep: 'Search for the device again so Porchlight learns which interface it is on now.',
      pointsAtPeer: false,
    }
  }
  return {
    ...base,
    code: 'unknown',
    message: `The operating system rejected ${context.destination} as a destination (EINVAL).`,
    nextStep: 'Search for the device again; if it keeps failing, run Diagnose and attach its report when you ask for help.',
    pointsAtPeer: false,
  }
}
