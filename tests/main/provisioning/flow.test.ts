import { describe, expect, it } from 'vitest'
import { OnboardingFlow } from '../../../main/provisioning/flow'
import type { StartSetupRequest } from '../../../shared/provisioning/view'
import { AP, createRig, DEVICE_ID, HOME, HOME_PASS, POP, until, type Rig } from './flow-fakes'

const request: StartSetupRequest = { target: { kind: 'softap', ssid: AP }, code: { pop: POP, serviceName: AP } }

function start(rig: Rig, req: StartSetupRequest = request): OnboardingFlow {
  return new OnboardingFlow(rig.deps, req, 'flow-1')
}

const waitingFor = (flow: OnboardingFlow, kind: string) => () => flow.awaiting.includes(kind as never)

/** Everything the flow published or journaled, as one string: secrets must never be in it. */
const published = (rig: Rig) => JSON.stringify({ views: rig.views, journal: rig.journalWrites })

describe('onboarding flow (bound accessory over its SoftAP)', () => {
  it('joins the AP, chooses a network, confirms the accessory on the home LAN, stores trust and returns the computer home', async () => {
    const rig = createRig()
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    expect(flow.view.step).toBe('choose-network')
    expect(flow.view.originalNetwork).toBe(HOME)
    expect(flow.view.onAccessoryNetwork).toBe(true)
    expect(flow.view.networks.map((n) => [n.ssid, n.secured])).toEqual([[HOME, true], ['Open-Cafe', false]])
    expect(flow.view.notices.join(' ')).toMatch(/no internet.*expected/)
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view).toMatchObject({ step: 'done', outcome: 'confirmed', onAccessoryNetwork: false, confirmed: { deviceId: DEVICE_ID, address: '198.18.0.77' } })
    expect(rig.wifi.calls).toEqual([`join ${AP}`, `rejoin ${HOME}`, `forget ${AP}`])
    expect(flow.view.notices.join(' ')).not.toMatch(/no internet/)
    expect(rig.trusted).toEqual([expect.objectContaining({ deviceId: DEVICE_ID, pop: POP, network: HOME, security: 2 })])
    expect(rig.journal.current).toBeUndefined()
    const steps = rig.views.map((v) => v.step).filter((s, i, all) => s !== all[i - 1])
    expect(steps).toEqual(['remember-network', 'join-accessory', 'secure-session', 'scan', 'choose-network', 'sending', 'device-connecting', 'returning', 'confirming', 'storing', 'done'])
    expect(published(rig)).not.toContain(HOME_PASS)
    expect(published(rig)).not.toContain(POP)
  })

  it('journals the temporary AP profile before joining, so a crash during the join still restores the network', async () => {
    const rig = createRig()
    const joinedAt: number[] = []
    const join = rig.wifi.join.bind(rig.wifi)
    rig.wifi.join = async (ssid) => {
      joinedAt.push(rig.journalWrites.length)
      return join(ssid)
    }
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    const before = rig.journalWrites.slice(0, joinedAt[0])
    expect(before.at(-1)).toMatchObject({ step: 'join-accessory', temporaryProfile: true, originalSsid: HOME, accessorySsid: AP })
    flow.cancel()
    await flow.finished
  })

  it('a wrong password is reported with "re-enter", the failed attempt is reset, and the corrected password succeeds', async () => {
    const rig = createRig()
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: 'wrong-password-1' })
    await until(rig, () => flow.view.error?.code === 'wrong-passphrase')
    expect(flow.view).toMatchObject({ step: 'choose-network', phase: 'waiting', error: { action: 'reenter-passphrase' } })
    expect(rig.accessory.resets).toBe(1)
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view.outcome).toBe('confirmed')
    expect(published(rig)).not.toContain('wrong-password-1')
  })

  it('credentials the accessory cannot take (a 64-digit hex key) ask for the password again instead of ending the flow', async () => {
    const rig = createRig()
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: 'ab'.repeat(32) })
    await until(rig, () => flow.view.error !== undefined)
    expect(flow.view).toMatchObject({ phase: 'waiting', error: { code: 'credentials-refused', action: 'reenter-passphrase' } })
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view.outcome).toBe('confirmed')
  })

  it('a network the accessory cannot find sends the user back to the list', async () => {
    const rig = createRig()
    rig.accessory.knowsNetwork = false
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.error !== undefined)
    expect(flow.view.error).toMatchObject({ code: 'network-not-found', action: 'choose-network' })
    expect(flow.view.error?.message).toMatch(/2\.4 GHz/)
    flow.cancel()
    await flow.finished
  })

  it('an accessory that cannot reset a failed attempt is told apart: the next send asks for setup mode again', async () => {
    const rig = createRig()
    rig.accessory.canReset = false
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: 'wrong-password-2' })
    await until(rig, () => flow.view.error?.code === 'wrong-passphrase')
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view).toMatchObject({ outcome: 'failed', error: { code: 'needs-reset', action: 'factory-reset' } })
    expect(rig.wifi.current_).toBe(HOME)
  })

  it('the AP vanishing right after Apply becomes "probably succeeded — confirming" and then a definite confirmation', async () => {
    const rig = createRig()
    rig.accessory.vanishAfterApply = true
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view.notices.join(' ')).toMatch(/probably succeeded.*Confirming on your network/)
    expect(rig.views.some((v) => v.step === 'confirming' && /Probably succeeded/.test(v.history.at(-1)?.text ?? ''))).toBe(true)
    expect(flow.view).toMatchObject({ outcome: 'confirmed', confirmed: { deviceId: DEVICE_ID } })
  })

  it('vanished but never seen at home, with its setup AP back: a definite "did not join" with retry', async () => {
    const rig = createRig((r) => ({ timing: { confirmTimeoutMs: 3000 }, confirm: { devices: async () => [], wake: () => undefined, answers: async () => false, clock: r.clock } }))
    rig.accessory.vanishAfterApply = true
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view).toMatchObject({ outcome: 'failed', error: { code: 'not-joined', action: 'retry' } })
    expect(rig.wifi.current_).toBe(HOME)
  })

  it('a reboot while sending: reconnects, resends, and carries on', async () => {
    const rig = createRig()
    rig.accessory.rebootOnNextSend = true
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.phase === 'finished')
    expect(flow.view.outcome).toBe('confirmed')
    expect(rig.accessory.sessions).toBe(2)
    expect(flow.view.history.map((h) => h.text).join('\n')).toMatch(/dropped the session.*\n.*Reconnected/)
  })

  it('a wrong setup code asks for it again and continues with the corrected one', async () => {
    const rig = createRig()
    const flow = start(rig, { ...request, code: { pop: 'not-the-code', serviceName: AP } })
    await until(rig, waitingFor(flow, 'code'))
    expect(flow.view.error).toMatchObject({ code: 'wrong-code', action: 'reenter-code' })
    flow.give({ kind: 'code', code: { pop: POP } })
    await until(rig, waitingFor(flow, 'credentials'))
    expect(flow.view.error).toBeUndefined()
    flow.cancel()
    await flow.finished
  })

  it('cancel mid-flow returns the computer to its original network and removes the AP profile', async () => {
    const rig = createRig()
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.cancel()
    const view = await flow.finished
    expect(view).toMatchObject({ step: 'cancelled', outcome: 'cancelled', onAccessoryNetwork: false })
    expect(rig.wifi.calls).toEqual([`join ${AP}`, `rejoin ${HOME}`, `forget ${AP}`])
    expect(rig.journal.current).toBeUndefined()
  })

  it('an AP out of range fails with retry and touches nothing else', async () => {
    const rig = createRig()
    rig.wifi.apInRange = false
    const flow = start(rig)
    const view = await flow.finished
    expect(view).toMatchObject({ outcome: 'failed', error: { code: 'ap-not-found', action: 'retry' } })
    expect(rig.wifi.current_).toBe(HOME)
  })

  it('an accessory that stays "Connecting" is given up on by our own timeout', async () => {
    const rig = createRig(() => ({ timing: { deviceConnectTimeoutMs: 5000 } }))
    rig.accessory.connecting = 1_000_000
    const flow = start(rig)
    await until(rig, waitingFor(flow, 'credentials'))
    flow.give({ kind: 'credentials', ssid: HOME, passphrase: HOME_PASS })
    await until(rig, () => flow.view.error !== undefined)
    expect(flow.view.error).toMatchObject({ code: 'device-timeout', action: 'choose-network' })
    flow.cancel()
    await flow.finished
  })

  it('without Wi-Fi control, a manual join is guided and detected by the new address on the accessory subnet', async () => {
    const rig = createRig()
    const flow = new OnboardingFlow({ ...rig.deps, wifi: undefined }, request, 'manual')
    await until(rig, () => flow.view.step === 'manual-join')
    expect(flow.view).toMatchObject({ phase: 'waiting', manualJoin: { ssid: AP } })
    await rig.clock.advance(3000)
    expect(flow.view.step).toBe('manual-join')
    rig.wifi.current_ = AP // the user joins from the OS menu
    await until(rig, waitingFor(flow, 'credentials'))
    expect(flow.view.manualJoin).toBeUndefined()
    flow.cancel()
    await flow.finished
  })
})
