/**
 * Windows Sockets error codes (WSAGetLastError) that show up in Windows tools and logs. Values are
 * WSABASEERR (10000) + n as in winsock.h/winerror.h (checked against the mingw-w64 headers): the BSD-style
 * ones mirror an errno name (WSAETIMEDOUT ↔ ETIMEDOUT) and reuse its wording; the rest are Winsock's own.
 */
import { errnoTitle, explainErrno } from './errno'
import type { Explanation } from './types'

/** Winsock's BSD-style codes: name without the `WSA` prefix → number. */
const BSD_STYLE: ReadonlyMap<string, number> = new Map([
  ['EINTR', 10004], ['EBADF', 10009], ['EACCES', 10013], ['EFAULT', 10014], ['EINVAL', 10022], ['EMFILE', 10024],
  ...(
    'EWOULDBLOCK EINPROGRESS EALREADY ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ' +
    'ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ' +
    'ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED ELOOP ' +
    'ENAMETOOLONG EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM EUSERS EDQUOT ESTALE EREMOTE'
  ).split(' ').map((name, i): [string, number] => [name, 10035 + i]),
])

interface WinsockOwn extends Explanation {
  value: number
  title: string
}

const RESTART = 'Restart the computer; if it keeps happening, run Diagnose and attach its report when you ask for help.'

/** Winsock's own codes, with no errno counterpart. */
const OWN: ReadonlyMap<string, WinsockOwn> = new Map<string, WinsockOwn>([
  ['WSASYSNOTREADY', {
    value: 10091,
    title: 'Network subsystem is unavailable',
    meaning: 'Windows networking is not ready, often after a VPN or security tool changed the network settings.',
    nextStep: RESTART,
    steps: [
      'Restart the computer.',
      'If it persists, open Command Prompt as administrator, run `netsh winsock reset`, and restart again.',
    ],
  }],
  ['WSAVERNOTSUPPORTED', {
    value: 10092,
    title: 'Winsock.dll version out of range',
    meaning: 'Windows networking is damaged or too old for Porchlight.',
    nextStep: 'Install Windows updates and restart the computer.',
  }],
  ['WSANOTINITIALISED', {
    value: 10093,
    title: 'Successful WSAStartup not yet performed',
    meaning: 'A program used Windows networking before starting it, which is a program bug.',
    nextStep: 'Restart Porchlight; if it repeats, attach a Diagnose report when you ask for help.',
  }],
  ['WSAEDISCON', {
    value: 10101,
    title: 'Graceful shutdown in progress',
    meaning: 'The device closed the connection normally.',
    nextStep: 'Try again; Porchlight opens a new connection.',
  }],
  ['WSAHOST_NOT_FOUND', { value: 11001, title: 'Host not found', ...explainErrno('ENOTFOUND') }],
  ['WSATRY_AGAIN', { value: 11002, title: 'Nonauthoritative host not found', ...explainErrno('EAI_AGAIN') }],
  ['WSANO_RECOVERY', {
    value: 11003,
    title: 'This is a nonrecoverable error',
    meaning: 'The DNS server failed to answer the name lookup.',
    nextStep: 'Connect to the device as found by Porchlight\'s search (which uses its address), or try again later.',
  }],
  ['WSANO_DATA', {
    value: 11004,
    title: 'Valid name, no data record of requested type',
    meaning: 'The name is known but has no address of the kind asked for (for example no IPv4 address).',
    nextStep: 'Search for the device again; Porchlight uses whichever address it advertises.',
  }],
])

/** One Winsock code: its name, number, title and wording. */
export interface WinsockCode extends Explanation {
  name: string
  value: number
  title: string
}

function fromBsd(name: string, value: number): WinsockCode {
  return { name: `WSA${name}`, value, title: errnoTitle(name), ...explainErrno(name, 'win32') }
}

/** The Winsock code with this name (`WSAETIMEDOUT`, upper case), if there is one. */
export function winsockByName(name: string): WinsockCode | undefined {
  const own = OWN.get(name)
  if (own) return { name, ...own }
  const bsd = name.startsWith('WSAE') ? name.slice(3) : ''
  const value = BSD_STYLE.get(bsd)
  return value === undefined ? undefined : fromBsd(bsd, value)
}

/** The Winsock code with this number (10060), if there is one. */
export function winsockByValue(value: number): WinsockCode | undefined {
  for (const [name, v] of BSD_STYLE) if (v === value) return fromBsd(name, v)
  for (const [name, own] of OWN) if (own.value === value) return { name, ...own }
  return undefined
}
