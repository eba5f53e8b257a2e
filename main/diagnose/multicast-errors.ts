/**
 * What a socket error during the multicast/broadcast self-test means, in words support staff can read out.
 *
 * The macOS case matters most: from macOS 15, an app without Local Network permission gets EHOSTUNREACH
 * ("No route to host", errno 65) from `bind()` or `sendto()` on a multicast or broadcast socket, often only
 * on the second send because the first one "succeeds" and is dropped (field reports B04, C06, E18), and no
 * permission prompt appears; the app may be missing from the Settings list altogether (E14). The steps are
 * the connect racer's `LOCAL_NETWORK_STEPS`, so the two places never disagree.
 */
import { LOCAL_NETWORK_STEPS } from '../net/connect'

/** Which socket call failed. */
export type SocketStage = 'socket' | 'bind' | 'join' | 'configure' | 'send'

/** A socket failure as observed: the call, what it aimed at, the OS code and message. */
export interface SocketFailure {
  stage: SocketStage
  /** What the call was for, e.g. `224.0.0.251 port 5353` or `198.18.0.2`. */
  target: string
  /** The OS error code (`EHOSTUNREACH` …) when there was one. */
  code?: string
  message: string
}

/** The kinds of failure the self-test tells apart. */
export type FailureCode =
  | 'local-network-denied'
  | 'blocked-by-firewall'
  | 'interface-gone'
  | 'no-route'
  | 'port-in-use'
  | 'socket-failed'

/** A decoded failure: one-line cause, what to do, and numbered steps when there are several. */
export interface FailureFinding {
  code: FailureCode
  summary: string
  advice: string
  steps?: string[]
}

/** Context the decoder words its message with. */
export interface FailureContext {
  platform: NodeJS.Platform
  interfaceName: string
  /** What was being tested. */
  kind: 'multicast' | 'IPv6 multicast' | 'broadcast'
}

/** Turns a thrown value into a `SocketFailure` for `stage`. */
export function toFailure(stage: SocketStage, target: string, error: unknown): SocketFailure {
  const code = (error as { code?: unknown } | null | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  return { stage, target, ...(typeof code === 'string' && { code }), message }
}

/** Maps a socket failure to its cause and next step; pure, so it is tested without a network. */
export function decodeFailure(failure: SocketFailure, ctx: FailureContext): FailureFinding {
  const { platform, interfaceName: nic, kind } = ctx
  const errno = failure.code ?? ''
  const call = `${failure.stage === 'send' ? 'sending' : failure.stage === 'join' ? 'joining the group' : 'opening the socket'} (${failure.target})`
  switch (errno) {
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      if (platform === 'darwin') return localNetworkDenied(ctx, errno)
      return {
        code: 'no-route',
        summary: `This computer has no route for ${kind} on ${nic}: ${call} failed with ${errno}.`,
        advice: `Reconnect ${nic} to the network the devices are on, then run Diagnose again.` +
          (platform === 'linux' ? ' If it stays, check that the interface is up and has a multicast route (`ip route show table all`).' : ''),
      }
    case 'EPERM':
    case 'EACCES':
      return firewallBlock(ctx, errno, call)
    case 'ENODEV':
    case 'ENXIO':
    case 'EADDRNOTAVAIL':
    case 'ENETDOWN':
      return {
        code: 'interface-gone',
        summary: `${nic} went away or lost its address while it was being tested (${errno} while ${call}).`,
        advice: 'Wait until the network connection is back, then run Diagnose again.',
      }
    case 'EADDRINUSE':
      return {
        code: 'port-in-use',
        summary: `Another program holds the port needed for the ${kind} test on ${nic} (${errno} while ${call}).`,
        advice: 'Run Diagnose again; if it keeps happening, include this report when you ask for help.',
      }
    default:
      return {
        code: 'socket-failed',
        summary: `The ${kind} test on ${nic} failed while ${call}: ${errno ? `${errno}, ` : ''}${failure.message}.`,
        advice: 'Run Diagnose again; if it keeps failing, include this report when you ask for help.',
      }
  }
}

const sendable = (kind: FailureContext['kind']) => (kind === 'broadcast' ? 'broadcasts' : kind)

function localNetworkDenied(ctx: FailureContext, errno: string): FailureFinding {
  return {
    code: 'local-network-denied',
    summary: `macOS refused to let Porchlight send ${sendable(ctx.kind)} on ${ctx.interfaceName} (${errno}, "No route to host"). ` +
      'On macOS 15 and later this means Local Network access is off for Porchlight; the network and the devices may be fine.',
    advice: 'Allow Porchlight in System Settings › Privacy & Security › Local Network, then run Diagnose again. ' +
      'If Porchlight is not in that list at all, follow the steps.',
    steps: [...LOCAL_NETWORK_STEPS],
  }
}

function firewallBlock(ctx: FailureContext, errno: string, call: string): FailureFinding {
  const what = ctx.kind === 'broadcast' ? 'UDP broadcasts' : 'mDNS multicast (UDP port 5353 to 224.0.0.251 and ff02::fb)'
  const tool = ctx.platform === 'linux'
    ? ctx.kind === 'broadcast'
      ? ' On Linux this is a firewall rule (nftables or iptables: `sudo nft list ruleset`).'
      : ' On Linux this is a firewall rule (nftables or iptables: `sudo nft list ruleset`); firewalld: `sudo firewall-cmd --add-service=mdns`.'
    : ctx.platform === 'win32'
      ? ' On Windows, allow Porchlight on private networks in Windows Defender Firewall or your security software.'
      : ' Check the firewall or security software on this computer.'
  return {
    code: 'blocked-by-firewall',
    summary: `This computer refused to send ${sendable(ctx.kind)} on ${ctx.interfaceName}: ${call} failed with ${errno}. ` +
      'A firewall or security policy on this computer blocks it.',
    advice: `Allow ${what} on ${ctx.interfaceName} for Porchlight.${tool} Then run Diagnose again.`,
  }
}
