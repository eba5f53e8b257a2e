import { constants } from 'node:os'
import { getSystemErrorMap } from 'node:util'
import { describe, expect, it } from 'vitest'
import { decodeError, type DecodedError } from '../../../main/diagnose/error-decoder'
import { LOCAL_NETWORK_STEPS } from '../../../main/net/connect'
import { Status, WifiConnectFailedReason, WifiStationState } from '../../../main/provisioning/esp/constants'

const brief = (r: DecodedError): string => `${r.source}:${r.code}`
const decode = (input: string, platform?: NodeJS.Platform): string[] =>
  decodeError(input, platform ? { platform } : {}).map(brief)

describe('decodeError: input forms', () => {
  it.each<[string, NodeJS.Platform | undefined, string[]]>([
    ['EHOSTUNREACH', 'linux', ['errno:EHOSTUNREACH']],
    ['errno 113', undefined, ['errno:EHOSTUNREACH']],
    ['errno: -111', undefined, ['errno:ECONNREFUSED']],
    ['-113', undefined, ['errno:EHOSTUNREACH']],
    ['113', undefined, ['errno:EHOSTUNREACH']],
    ['Error: connect EHOSTUNREACH 198.18.0.11:80', 'linux', ['errno:EHOSTUNREACH']],
    ['WSAETIMEDOUT', undefined, ['winsock:WSAETIMEDOUT']],
    ['10060', undefined, ['winsock:WSAETIMEDOUT']],
    ['kDNSServiceErr_NoSuchRecord', undefined, ['dns-sd:-65554']],
    ['-65554', undefined, ['dns-sd:-65554']],
    ['NoSuchRecord', undefined, ['dns-sd:-65554']],
    ['InvalidSession', undefined, ['esp-prov-status:InvalidSession']],
    ['Status 7', undefined, ['esp-prov-status:InvalidSession']],
    ['Status.InvalidSession', undefined, ['esp-prov-status:InvalidSession']],
    ['STATUS__InvalidSession', undefined, ['esp-prov-status:InvalidSession']],
    ['ConnectionFailed', undefined, ['esp-wifi-state:ConnectionFailed']],
    ['sta_state: 3', undefined, ['esp-wifi-state:ConnectionFailed']],
    ['WifiStationState.Connecting', undefined, ['esp-wifi-state:Connecting']],
    ['AuthError', undefined, ['esp-wifi-fail-reason:AuthError']],
    ['fail_reason 1', undefined, ['esp-wifi-fail-reason:NetworkNotFound']],
    ['WIFI_CONNECT_FAILED_REASON__AuthError', undefined, ['esp-wifi-fail-reason:AuthError']],
    ['404', undefined, ['http:404']],
    ['HTTP/1.1 408 Request Timeout', undefined, ['http:408']],
    ['POST /prov-config -> 404', undefined, ['http:404']],
    ['-4078', undefined, ['errno:ECONNREFUSED']],
    ['-3008', undefined, ['errno:EAI_NONAME']],
  ])('%j (platform %s) → %j', (input, platform, expected) => {
    expect(decode(input, platform)).toEqual(expected)
  })

  it('is case-insensitive for names', () => {
    for (const [input, expected] of [
      ['ehostunreach', 'errno:EHOSTUNREACH'],
      ['wsaetimedout', 'winsock:WSAETIMEDOUT'],
      ['KDNSSERVICEERR_NOSUCHRECORD', 'dns-sd:-65554'],
      ['nosuchrecord', 'dns-sd:-65554'],
      ['policydenied', 'dns-sd:-65570'],
      ['autherror', 'esp-wifi-fail-reason:AuthError'],
      ['status.toomanysessions', 'esp-prov-status:TooManySessions'],
      ['Error: connect econnrefused 10.0.0.2:80', 'errno:ECONNREFUSED'],
    ] as const) {
      expect(decode(input, 'linux'), input).toEqual([expected])
    }
  })
})

describe('decodeError: numbers that differ by platform', () => {
  it('reads 65 as EHOSTUNREACH on macOS and ENOPKG on Linux, network reading first, each naming its platform', () => {
    const both = decodeError('65')
    expect(both.map(brief)).toEqual(['errno:EHOSTUNREACH', 'errno:ENOPKG'])
    expect(both[0]?.name).toContain('65 on macOS')
    expect(both[1]?.name).toContain('65 on Linux')
    expect(decode('65', 'linux')).toEqual(['errno:ENOPKG'])
    expect(decode('-65', 'darwin')).toEqual(['errno:EHOSTUNREACH'])
  })

  it.each<[string, string, string]>([
    ['61', 'ECONNREFUSED', 'ENODATA'],
    ['60', 'ETIMEDOUT', 'ENOSTR'],
    ['51', 'ENETUNREACH', 'EL2HLT'],
    ['48', 'EADDRINUSE', 'ELNRNG'],
  ])('%s is %s on macOS and %s on Linux', (input, darwin, linux) => {
    expect(decode(input, 'darwin')).toEqual([`errno:${darwin}`])
    expect(decode(input, 'linux')).toEqual([`errno:${linux}`])
    expect(decode(input)).toEqual(expect.arrayContaining([`errno:${darwin}`, `errno:${linux}`]))
  })

  it('gives one reading when both systems agree, and keeps every reading when the platform has none', () => {
    expect(decodeError('22').map((r) => r.name)).toEqual(['EINVAL — Invalid argument (errno 22 on Linux and macOS)'])
    expect(decode('113', 'darwin')).toEqual(['errno:EHOSTUNREACH'])
    expect(decode('10060', 'linux')).toEqual(['winsock:WSAETIMEDOUT'])
    expect(decode('65', 'win32')).toEqual(['errno:EHOSTUNREACH', 'errno:ENOPKG'])
  })

  it('words EHOSTUNREACH on macOS as the Local Network block, with the racer\'s own steps', () => {
    const [mac] = decodeError('EHOSTUNREACH', { platform: 'darwin' })
    expect(mac?.meaning).toContain('Local Network')
    expect(mac?.nextStep).toContain('System Settings › Privacy & Security › Local Network')
    expect(mac?.steps).toEqual([...LOCAL_NETWORK_STEPS])
    const [linux] = decodeError('EHOSTUNREACH', { platform: 'linux' })
    expect(linux?.meaning).not.toContain('Local Network')
    expect(decodeError('EHOSTUNREACH').map((r) => r.name)).toEqual(['EHOSTUNREACH — No route to host', 'EHOSTUNREACH — No route to host (on macOS)'])
  })

  it('lets a number in the same message pin the platform of a name', () => {
    const [reading, ...rest] = decodeError('connect EHOSTUNREACH 192.168.1.20:80 errno: -65')
    expect(rest).toEqual([])
    expect(reading?.name).toContain('errno 65 on macOS')
    expect(reading?.steps).toEqual([...LOCAL_NETWORK_STEPS])
  })

  it.runIf(process.platform === 'linux')('agrees with this Linux machine\'s errno numbers', () => {
    const same = new Map([['EWOULDBLOCK', 'EAGAIN'], ['EDEADLOCK', 'EDEADLK'], ['ENOTSUP', 'EOPNOTSUPP']])
    for (const [name, n] of Object.entries(constants.errno)) {
      expect(decode(String(n), 'linux'), name).toEqual([`errno:${same.get(name) ?? name}`])
    }
    for (const [n, [name]] of getSystemErrorMap()) {
      if (n < 0 && n > -200) expect(decode(String(n), 'linux'), name).toEqual([`errno:${same.get(name) ?? name}`])
    }
  })

  it('agrees with libuv on its getaddrinfo codes, and reads its Windows codes', () => {
    for (const [n, [name]] of getSystemErrorMap()) {
      if (n <= -3000 && n > -3100) expect(decode(String(n)), name).toEqual([`errno:${name}`])
    }
    for (const [n, name] of [[-4078, 'ECONNREFUSED'], [-4077, 'ECONNRESET'], [-4039, 'ETIMEDOUT'], [-4073, 'EHOSTUNREACH'],
      [-4062, 'ENETUNREACH'], [-4091, 'EADDRINUSE'], [-4093, 'E2BIG'], [-4022, 'ENOEXEC']] as const) {
      expect(decodeError(String(n)).map((r) => [brief(r), r.name.includes('Windows')])).toEqual([[`errno:${name}`, true]])
    }
  })

  it('has a reading with a meaning and a next step for every Linux and macOS number', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      for (let n = 1; n <= (platform === 'linux' ? 133 : 106); n++) {
        if (platform === 'linux' && (n === 41 || n === 58)) continue
        const [reading] = decodeError(String(n), { platform })
        expect(reading?.meaning, `${platform} ${n}`).toBeTruthy()
        expect(reading?.nextStep, `${platform} ${n}`).toBeTruthy()
      }
    }
    // 41 is unused on Linux, so the macOS reading is all there is.
    expect(decodeError('41', { platform: 'linux' }).map((r) => r.name)).toEqual(['EPROTOTYPE — Protocol wrong type for socket (errno 41 on macOS)'])
  })
})

describe('decodeError: Winsock, DNS-SD and ESP tables', () => {
  it.each([
    [10004, 'WSAEINTR'], [10013, 'WSAEACCES'], [10035, 'WSAEWOULDBLOCK'], [10048, 'WSAEADDRINUSE'], [10051, 'WSAENETUNREACH'],
    [10053, 'WSAECONNABORTED'], [10054, 'WSAECONNRESET'], [10060, 'WSAETIMEDOUT'], [10061, 'WSAECONNREFUSED'],
    [10064, 'WSAEHOSTDOWN'], [10065, 'WSAEHOSTUNREACH'], [10091, 'WSASYSNOTREADY'], [11001, 'WSAHOST_NOT_FOUND'], [11004, 'WSANO_DATA'],
  ])('Winsock %i is %s, by number and by name', (n, name) => {
    expect(decode(String(n))).toEqual([`winsock:${name}`])
    expect(decodeError(name)[0]?.name).toContain(`(${n})`)
  })

  it.each([
    ['Unknown', -65537], ['NoSuchName', -65538], ['NoMemory', -65539], ['BadParam', -65540], ['BadReference', -65541],
    ['BadState', -65542], ['BadFlags', -65543], ['Unsupported', -65544], ['NotInitialized', -65545], ['AlreadyRegistered', -65547],
    ['NameConflict', -65548], ['Invalid', -65549], ['Firewall', -65550], ['Incompatible', -65551], ['BadInterfaceIndex', -65552],
    ['Refused', -65553], ['NoSuchRecord', -65554], ['NoAuth', -65555], ['NoSuchKey', -65556], ['NATTraversal', -65557],
    ['DoubleNAT', -65558], ['BadTime', -65559], ['BadSig', -65560], ['BadKey', -65561], ['Transient', -65562],
    ['ServiceNotRunning', -65563], ['NATPortMappingUnsupported', -65564], ['NATPortMappingDisabled', -65565], ['NoRouter', -65566],
    ['PollingMode', -65567], ['Timeout', -65568], ['DefunctConnection', -65569], ['PolicyDenied', -65570], ['NotPermitted', -65571],
    ['StaleData', -65572],
  ])('kDNSServiceErr_%s is %i in every form', (name, n) => {
    for (const input of [`kDNSServiceErr_${name}`, name, String(n), `DNSServiceBrowse returned ${n}`]) {
      expect(decode(input), input).toEqual([`dns-sd:${n}`])
    }
    expect(decodeError(String(n))[0]?.name).toBe(`kDNSServiceErr_${name} (${n})`)
  })

  it('reads every ESP enum value from the provisioning schema, by name and by number', () => {
    const tables = [['esp-prov-status', 'status', Status], ['esp-wifi-state', 'sta_state', WifiStationState],
      ['esp-wifi-fail-reason', 'fail_reason', WifiConnectFailedReason]] as const
    for (const [source, field, values] of tables) {
      for (const [name, n] of Object.entries(values)) {
        expect(decode(`${field}: ${n}`), `${field} ${n}`).toEqual([`${source}:${name}`])
        expect(decodeError(name).map(brief), name).toContain(`${source}:${name}`)
      }
    }
  })

  it('words the codes for the people who read them', () => {
    const first = (input: string, platform?: NodeJS.Platform): DecodedError | undefined => decodeError(input, platform ? { platform } : {})[0]
    expect(first('ECONNREFUSED')?.meaning).toMatch(/restarting.*port/)
    expect(first('ETIMEDOUT')?.meaning).toContain('client isolation')
    expect(first('ETIMEDOUT', 'win32')?.nextStep).toContain('Windows Defender Firewall')
    expect(first('kDNSServiceErr_PolicyDenied')?.steps).toEqual([...LOCAL_NETWORK_STEPS])
    expect(first('ServiceNotRunning', 'win32')?.nextStep).toContain('Bonjour Service')
    expect(first('ServiceNotRunning', 'linux')?.nextStep).toContain('avahi-daemon')
    expect(first('AuthError')?.meaning).toContain('wrong Wi-Fi password')
    expect(first('NetworkNotFound')?.steps?.join(' ')).toMatch(/2\.4 GHz.*hidden/s)
    expect(first('404')?.meaning).toMatch(/prov-config.*not running/s)
    expect(first('CryptoError')?.meaning).toContain('setup code')
  })
})

describe('decodeError: codes inside messages', () => {
  it.each<[string, string[]]>([
    ['Error: connect ECONNREFUSED 127.0.0.1:80\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n' +
      "  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '127.0.0.1',\n  port: 80\n}", ['errno:ECONNREFUSED']],
    ['curl: (7) Failed to connect to 192.168.4.1 port 80 after 3 ms: Connection refused', ['errno:ECONNREFUSED']],
    ['Error: getaddrinfo ENOTFOUND printer.local', ['errno:ENOTFOUND']],
    ['Error: socket hang up', ['errno:ECONNRESET']],
    ['spawn avahi-browse ENOENT', ['errno:ENOENT']],
    ['Provisioning failed: AuthError', ['esp-wifi-fail-reason:AuthError']],
    ['Error Domain=NSNetServicesErrorDomain Code=-72000 "(null)" UserInfo={NSNetServicesErrorCode=-65570}', ['dns-sd:-65570']],
    ['A connection attempt failed (os error 10060)', ['winsock:WSAETIMEDOUT']],
    ['listen EADDRINUSE: address already in use :::5353', ['errno:EADDRINUSE']],
    ['Status: TooManySessions; then ConnectionFailed', ['esp-prov-status:TooManySessions', 'esp-wifi-state:ConnectionFailed']],
  ])('%j → %j', (message, expected) => {
    expect(decode(message, 'linux')).toEqual(expected)
  })

  it('does not read ports, addresses or common words as codes', () => {
    for (const message of ['connected to 192.168.1.20:10054', 'Timeout while scanning', 'Unknown device', 'Success', 'port 65']) {
      expect(decode(message), message).not.toContainEqual(expect.stringMatching(/winsock|dns-sd|errno:ENOPKG/))
    }
    expect(decode('Timeout while scanning')).toEqual([])
  })
})

describe('decodeError: unknown and hostile input', () => {
  it.each(['', '   ', 'hello world', '0', '999999', 'EFOOBAR', 'WSAEFOO', 'kDNSServiceErr_Nope', 'Status 99', '__proto__',
    'constructor', 'toString', 'hasOwnProperty', 'Status.__proto__', 'kDNSServiceErr___proto__', 'ＥＨＯＳＴＵＮＲＥＡＣＨ'])('%j → []', (input) => {
    expect(decodeError(input)).toEqual([])
  })

  it('never throws, whatever it is given', () => {
    const hostile: unknown[] = [
      'A'.repeat(1_000_000), 'E'.repeat(1_000_000), '.'.repeat(100_000) + 'x', `A${'.'.repeat(100_000)}b`, 'errno '.repeat(200_000), '-'.repeat(500_000) + '65554',
      '💥🔥 EHOSTUNREACH ‮ -65554 ', '\u0000\u0001EPERM\uFFFF', 'İSTATUS 3 ı', undefined, null, 42, {}, [], Symbol('x'),
    ]
    for (const input of hostile) {
      expect(() => decodeError(input as string, { platform: 'darwin' })).not.toThrow()
      expect(Array.isArray(decodeError(input as string))).toBe(true)
    }
    expect(decode('💥 EHOSTUNREACH', 'linux')).toEqual(['errno:EHOSTUNREACH'])
    expect(decode(`EHOSTUNREACH ${'x'.repeat(1_000_000)}`, 'linux')).toEqual(['errno:EHOSTUNREACH'])
  })

  it('hands out fresh step lists, so a caller cannot change the next answer', () => {
    decodeError('AuthError')[0]?.steps?.splice(0)
    expect(decodeError('AuthError')[0]?.steps?.length).toBeGreaterThan(0)
  })
})
