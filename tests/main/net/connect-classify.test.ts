/**
 * What a failed connect means (reference case 46): on macOS, "no route to host" to a local destination is
 * Local Network privacy, not a dead device (top finding 5); elsewhere each errno gets a plain message and
 * a next step. Pure, so the same answers appear in Diagnose.
 */
import { describe, expect, it } from 'vitest'
import { classifyConnectError, LOCAL_NETWORK_STEPS } from '../../../main/net/connect'

const err = (code: string) => Object.assign(new Error(`connect ${code}`), { code })

describe('classifyConnectError: macOS Local Network denial (case 46)', () => {
  it('case 46: EHOSTUNREACH to a same-subnet address on darwin is a permission problem with the steps to fix it', () => {
    const finding = classifyConnectError(err('EHOSTUNREACH'), 'darwin', { destination: '198.18.0.11', port: 80, isSameSubnet: true })
    expect(finding).toMatchObject({ code: 'local-network-denied', errno: 'EHOSTUNREACH', pointsAtPeer: false })
    expect(finding.message).toMatch(/Local Network access is off for Porchlight; the device itself may be fine/)
    expect(finding.nextStep).toBe('Allow Porchlight in System Settings › Privacy & Security › Local Network, then try again.')
    expect(finding.steps).toEqual(LOCAL_NETWORK_STEPS)
  })

  it('case 46: the steps name the setting, the not-listed case, duplicate copies and macOS 15.0, and do not promise a reset command', () => {
    const text = LOCAL_NETWORK_STEPS.join('\n')
    expect(text).toMatch(/System Settings › Privacy & Security › Local Network and turn Porchlight on/)
    expect(text).toMatch(/not in the list, quit it, open it again from the Applications folder/)
    expect(text).toMatch(/`tccutil reset` does not bring the question back/)
    expect(text).toMatch(/more than one copy of Porchlight/)
    expect(text).toMatch(/macOS 15\.0, update to 15\.1/)
  })

  it('case 46: ENETUNREACH too, and link-local or multicast destinations count as local without an interface list', () => {
    for (const destination of ['fe80::11%en0', '169.254.7.7', '224.0.0.251', 'ff02::fb']) {
      expect(classifyConnectError(err('ENETUNREACH'), 'darwin', { destination }).code).toBe('local-network-denied')
      expect(classifyConnectError(err('EHOSTUNREACH'), 'darwin', { destination }).code).toBe('local-network-denied')
    }
  })

  it('case 46: a routed destination on darwin, or the same errno on Linux and Windows, is plain unreachability', () => {
    expect(classifyConnectError(err('EHOSTUNREACH'), 'darwin', { destination: '198.18.1.11', isSameSubnet: false }).code).toBe('host-unreachable')
    expect(classifyConnectError(err('EHOSTUNREACH'), 'darwin', { destination: '198.18.0.11' }).code).toBe('host-unreachable')
    for (const platform of ['linux', 'win32'] as const) {
      const finding = classifyConnectError(err('EHOSTUNREACH'), platform, { destination: 'fe80::11%wlan0', isSameSubnet: true })
      expect(finding).toMatchObject({ code: 'host-unreachable', pointsAtPeer: true })
      expect(finding.nextStep).toMatch(/probably off or on another network/)
    }
    expect(classifyConnectError(err('ENETUNREACH'), 'linux', { destination: '198.18.9.9' })).toMatchObject({ code: 'network-unreachable' })
  })
})

describe('classifyConnectError: other errnos (case 46)', () => {
  it('case 46: ECONNREFUSED says the device answered but the port is closed', () => {
    const finding = classifyConnectError(err('ECONNREFUSED'), 'linux', { destination: '198.18.0.11', port: 8080 })
    expect(finding).toMatchObject({ code: 'connection-refused', errno: 'ECONNREFUSED', pointsAtPeer: true })
    expect(finding.message).toBe('198.18.0.11 answered, but nothing accepts connections on port 8080.')
    expect(finding.nextStep).toMatch(/restarting.*search again/)
  })

  it('case 46: ETIMEDOUT says nothing answered; on Windows it also points at the firewall', () => {
    expect(classifyConnectError(err('ETIMEDOUT'), 'linux', { destination: '198.18.0.11' }).nextStep).not.toMatch(/Firewall/)
    expect(classifyConnectError(err('ETIMEDOUT'), 'win32', { destination: '198.18.0.11' })).toMatchObject({
      code: 'timed-out', pointsAtPeer: true, nextStep: expect.stringMatching(/Windows Defender Firewall/) as unknown,
    })
  })

  it('case 46: EINVAL is a bad zone (with one) or a missing zone (link-local without one), never the peer’s fault', () => {
    const bad = classifyConnectError(err('EINVAL'), 'linux', { destination: 'fe80::11%eth9' })
    expect(bad).toMatchObject({ code: 'zone-invalid', pointsAtPeer: false })
    expect(bad.message).toMatch(/"%eth9".*does not exist on this computer/)
    expect(classifyConnectError(err('EINVAL'), 'linux', { destination: 'fe80::11' })).toMatchObject({ code: 'zone-required', pointsAtPeer: false })
    expect(classifyConnectError(err('EINVAL'), 'linux', { destination: '198.18.0.11' })).toMatchObject({ code: 'unknown' })
  })

  it('case 46: EADDRNOTAVAIL names the local address that went away', () => {
    const finding = classifyConnectError(err('EADDRNOTAVAIL'), 'linux', { destination: '169.254.7.7', localAddress: '169.254.20.2' })
    expect(finding).toMatchObject({ code: 'local-address-unavailable', pointsAtPeer: false })
    expect(finding.message).toMatch(/169\.254\.20\.2 is no longer on this computer/)
  })

  it('case 46: resets, firewall refusals and unknown errors each get a message and a next step', () => {
    const cases: [unknown, string][] = [
      [err('ECONNRESET'), 'connection-reset'], [err('EACCES'), 'blocked-by-firewall'], [err('EPERM'), 'blocked-by-firewall'],
      [err('EHOSTDOWN'), 'host-unreachable'], [err('ENOBUFS'), 'unknown'], [new Error('weird'), 'unknown'], ['ETIMEDOUT', 'timed-out'], [undefined, 'unknown'],
    ]
    for (const [error, code] of cases) {
      const finding = classifyConnectError(error, 'linux', { destination: '198.18.0.11', port: 80 })
      expect(finding.code).toBe(code)
      expect(finding.message.length).toBeGreaterThan(10)
      expect(finding.nextStep.length).toBeGreaterThan(10)
    }
  })

  it('only refused, unreachable and no-answer point at the peer (those are what discovery reconfirms, case 25)', () => {
    const pointing = ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EINVAL', 'EADDRNOTAVAIL', 'ECONNRESET', 'EACCES']
      .filter((code) => classifyConnectError(err(code), 'linux', { destination: '198.18.0.11' }).pointsAtPeer)
    expect(pointing).toEqual(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN'])
  })
})
