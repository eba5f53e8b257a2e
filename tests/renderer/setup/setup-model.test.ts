import { describe, expect, it } from 'vitest'
import { networkChoices, parseCredentials, signalBars } from '../../../renderer/features/setup/credentials-model'
import { discoveryIdFor, lanCandidateFor, targetFromCode, withoutSecret } from '../../../renderer/features/setup/setup-model'
import { plannedSteps, stepperFor } from '../../../renderer/features/setup/setup-steps'
import { makeDevice, makeService } from '../discover/fixtures'
import { AP, LAN, makeNetwork, makeView, NOW } from './fixtures'

describe('plannedSteps', () => {
  it.each([
    ['bound', { name: 'P', ssid: 'P' }, ['remember-network', 'join-accessory', 'secure-session', 'scan', 'choose-network', 'sending', 'device-connecting', 'returning', 'confirming', 'storing', 'done']],
    ['stand-alone', { name: 'P', ssid: 'P' }, ['remember-network', 'join-accessory', 'secure-session', 'returning', 'confirming', 'storing', 'done']],
    ['gateway', { name: 'P', ssid: 'P' }, ['remember-network', 'join-accessory', 'secure-session', 'confirming', 'storing', 'done']],
    ['on-lan', { name: 'h', address: 'h:80' }, ['remember-network', 'secure-session', 'scan', 'choose-network', 'sending', 'device-connecting', 'confirming', 'storing', 'done']],
  ] as const)('a %s accessory', (category, accessory, steps) => {
    expect(plannedSteps(makeView({ category, accessory }))).toEqual(steps)
  })

  it('shows the manual join once the flow has asked for it', () => {
    const view = makeView({ step: 'secure-session', history: [{ at: NOW, step: 'manual-join', text: 'x' }] })
    expect(plannedSteps(view)[1]).toBe('manual-join')
  })

  it('ticks every step once done', () => {
    expect(stepperFor(makeView({ step: 'done', phase: 'finished', outcome: 'confirmed' })).every((s) => s.state === 'done')).toBe(true)
  })
})

describe('networkChoices and signalBars', () => {
  it('drops nameless networks, keeps the strongest of a name, sorts strongest first then by name', () => {
    const list = networkChoices([
      makeNetwork({ ssid: 'b', signal: 50 }),
      makeNetwork({ ssid: '', signal: 100 }),
      makeNetwork({ ssid: 'a', signal: 50 }),
      makeNetwork({ ssid: 'c', signal: 10 }),
      makeNetwork({ ssid: 'c', signal: 70 }),
    ])
    expect(list.map((n) => `${n.ssid}:${n.signal}`)).toEqual(['c:70', 'a:50', 'b:50'])
  })

  it.each([[0, 0], [1, 1], [25, 1], [26, 2], [75, 3], [76, 4], [100, 4], [Number.NaN, 0]])('signal %d is %d bars', (signal, bars) => {
    expect(signalBars(signal)).toBe(bars)
  })
})

describe('parseCredentials uses the contract’s passphrase rule', () => {
  const form = { ssid: 'Home', passphrase: '', isHidden: false, isSecured: true }
  it.each([
    ['1234567', false], ['12345678', true], ['x'.repeat(63), true], ['x'.repeat(64), false], ['A'.repeat(64), true], ['g'.repeat(64), false],
  ])('%j ok=%s', (passphrase, valid) => {
    expect(parseCredentials({ ...form, passphrase }).ok).toBe(valid)
  })
})

describe('targetFromCode', () => {
  it('points at a listed AP of the same name, or makes a SoftAP target carrying the AP password', () => {
    expect(targetFromCode({ serviceName: 'PROV_AB12' }, [AP, LAN])).toEqual({ kind: 'candidate', key: AP.key })
    const named = targetFromCode({ serviceName: 'PROV_X', apPassphrase: 'abcdefgh' }, [AP])
    expect(named).toMatchObject({ kind: 'named', candidate: { key: 'code:PROV_X', target: { kind: 'softap', ssid: 'PROV_X', apPassphrase: 'abcdefgh' } } })
    expect(targetFromCode({ pop: 'x' }, [AP])).toEqual({ kind: 'none' })
    expect(targetFromCode({ serviceName: 'PROV_X', transport: 'ble' }, [AP])).toEqual({ kind: 'unsupported', transport: 'Bluetooth' })
  })

  it('keeps only the AP name when a target is remembered', () => {
    expect(withoutSecret({ kind: 'softap', ssid: 'P', apPassphrase: 'abcdefgh' })).toEqual({ kind: 'softap', ssid: 'P' })
    expect(withoutSecret(LAN.target)).toBe(LAN.target)
  })
})

describe('Discover devices', () => {
  const prov = makeService({ type: '_esp_wifi_prov._tcp', port: 80, txt: [{ key: 'id', value: 'AB12', hex: '', isText: true }] })

  it('a device announcing ESP provisioning on the LAN is a candidate; others are not', () => {
    expect(lanCandidateFor(makeDevice({ id: 'd1', name: 'Sensor', services: [prov] }))).toEqual({
      key: 'lan:d1', name: 'Sensor', deviceId: 'ab12', target: { kind: 'on-network', host: '192.168.1.50', port: 80, deviceId: 'ab12' },
    })
    expect(lanCandidateFor(makeDevice({ id: 'd2' }))).toBeUndefined()
    expect(lanCandidateFor(makeDevice({ id: 'd3', services: [prov], status: 'down' }))).toBeUndefined()
  })

  it('finds Discover’s id for the id an accessory announces', () => {
    const devices = new Map([['d1', makeDevice({ id: 'd1', services: [prov] })]])
    expect(discoveryIdFor(devices, 'ab12')).toBe('d1')
    expect(discoveryIdFor(devices, 'd1')).toBe('d1')
    expect(discoveryIdFor(devices, 'zz')).toBe('zz')
  })
})
