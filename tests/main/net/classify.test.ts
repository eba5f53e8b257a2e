import { describe, expect, it } from 'vitest'
import { classifyLink } from '../../../main/net/classify'

describe('classifyLink', () => {
  it('classifies from link facts, most specific fact first', () => {
    expect(classifyLink({ isLoopback: true, linkType: 'loopback' }).kind).toBe('loopback')
    expect(classifyLink({ linkType: 'ether', isWireless: true, hasDevice: true }).kind).toBe('wifi')
    expect(classifyLink({ linkType: 'ether', devType: 'wlan', hasDevice: true }).kind).toBe('wifi')
    expect(classifyLink({ linkType: 'ether', hasDevice: true }).kind).toBe('ethernet')
    expect(classifyLink({ linkType: 'ether', infoKind: 'bridge' }).kind).toBe('bridge')
    expect(classifyLink({ linkType: 'none', infoKind: 'wireguard', isPointToPoint: true }).kind).toBe('tunnel')
    expect(classifyLink({ linkType: 'none', infoKind: 'tun' }).kind).toBe('tunnel')
    expect(classifyLink({ linkType: 'ppp' }).kind).toBe('tunnel')
    expect(classifyLink({ linkType: 'ether', infoKind: 'veth', hasDevice: false }).kind).toBe('virtual')
    expect(classifyLink({ linkType: 'ether', hasDevice: false }).kind).toBe('virtual')
    expect(classifyLink({ devType: 'wwan', isPointToPoint: true }).kind).toBe('cellular')
  })

  it('never guesses from a name: with no facts the kind is unknown and says so', () => {
    const result = classifyLink({})
    expect(result.kind).toBe('unknown')
    expect(result.reason).toMatch(/reports nothing/)
  })

  it('gives the fact it relied on as the reason', () => {
    expect(classifyLink({ linkType: 'none', infoKind: 'wireguard' }).reason).toBe('link kind wireguard')
  })
})
