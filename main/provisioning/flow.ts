/**
 * One onboarding flow, driver-independent (docs/architecture.md, Provisioning): remember the network →
 * join the accessory's network (verified: an address there and the provisioning endpoint answers) → secure
 * session → scan → credentials → follow the accessory's status → return the computer to its network →
 * confirm the accessory on the LAN by mDNS (same device, answering) → store trust. The wizard's input
 * arrives as awaited values; every step is journaled before it acts; cancel and failures unwind through
 * the same clean-up, which always tries to put the computer back where it was.
 */
import type { SetupCodeInput, SetupView, StartSetupRequest } from '../../shared/provisioning/view'
import type { AccessoryMatch } from './confirm'
import type { DriverEndpoint, ProbeInfo, ProvisioningSession, SetupSecret } from './driver'
import { FlowRecord } from './flow-record'
import { deliverCredentials, type Delivery } from './flow-deliver'
import { joinAccessory, returnHome } from './flow-network'
import { Cancelled, defaultCategory, FlowFailure, pause, timingOf, type FlowDeps, type FlowInput, type FlowTiming } from './flow-support'
import { confirmAccessory } from './flow-confirm'

/** A running (or finished) flow. */
export class OnboardingFlow {
  readonly record: FlowRecord
  readonly timing: FlowTiming
  /** Resolves with the final view; never rejects. */
  readonly finished: Promise<SetupView>
  readonly signal: AbortSignal
  endpoint: DriverEndpoint | undefined
  info: ProbeInfo | undefined
  session: ProvisioningSession | undefined
  temporaryProfile = false
  /** Wall-clock ms when the accessory accepted the credentials (confirming may match a device that came up after). */
  appliedAt: number | undefined
  private readonly abort = new AbortController()
  private waiter: { kinds: readonly FlowInput['kind'][]; resolve(input: FlowInput): void } | undefined
  private code: SetupCodeInput

  constructor(readonly deps: FlowDeps, readonly request: StartSetupRequest, id: string) {
    this.timing = timingOf(deps)
    this.signal = this.abort.signal
    this.code = request.code
    const target = request.target
    const name = request.code.serviceName ?? (target.kind === 'softap' ? target.ssid : target.host)
    this.record = new FlowRecord(
      {
        id,
        category: request.category ?? defaultCategory(target.kind),
        name,
        ...(target.kind === 'softap' && { accessorySsid: target.ssid }),
        ...(target.kind === 'on-network' && { address: `${target.host}:${target.port}`, ...(target.deviceId && { deviceId: target.deviceId }) }),
      },
      deps.clock, deps.wallClock ?? Date.now, deps.journal, deps.emit,
    )
    this.finished = this.run()
  }

  /** The view now. */
  get view(): SetupView {
    return this.record.view
  }

  /** What the flow is waiting for, if anything. */
  get awaiting(): readonly FlowInput['kind'][] {
    return this.waiter?.kinds ?? []
  }

  /** Hands the wizard's input to the waiting step; false when the flow is not waiting for that. */
  give(input: FlowInput): boolean {
    const waiter = this.waiter
    if (!waiter?.kinds.includes(input.kind)) return false
    this.waiter = undefined
    waiter.resolve(input)
    return true
  }

  /** Cancels; the clean-up returns the computer to its original network. */
  cancel(): void {
    this.abort.abort()
  }

  /** Waits for one of `kinds` from the wizard (phase `waiting` while it does). */
  waitFor(kinds: readonly FlowInput['kind'][], waiting = true): Promise<FlowInput> {
    if (this.signal.aborted) return Promise.reject(new Cancelled())
    const input = new Promise<FlowInput>((resolve, reject) => {
      const onAbort = () => reject(new Cancelled())
      this.signal.addEventListener('abort', onAbort, { once: true })
      this.waiter = {
        kinds,
        resolve: (input) => {
          this.signal.removeEventListener('abort', onAbort)
          this.record.clearError()
          this.record.update({ phase: 'running' })
          resolve(input)
        },
      }
    })
    // Announced after the waiter exists, so a listener may answer from inside the event (the CLI does).
    if (waiting) this.record.update({ phase: 'waiting' })
    return input
  }

  /** Waits for input or `ms`, whichever comes first (manual join polling). */
  async waitForOr(kinds: readonly FlowInput['kind'][], ms: number): Promise<FlowInput | undefined> {
    const timer = pause(this.deps.clock, ms, this.signal).then(() => undefined)
    const input = this.waitFor(kinds, false)
    const first = await Promise.race([timer, input])
    if (first === undefined && this.waiter?.kinds === kinds) this.waiter = undefined
    return first
  }

  /** Throws Cancelled once the user cancelled. */
  checkCancelled(): void {
    if (this.signal.aborted) throw new Cancelled()
  }

  /** The secret for a session (from the current code). */
  secret(): SetupSecret {
    const c = this.code
    return { ...(c.pop !== undefined && { pop: c.pop }), ...(c.username !== undefined && { username: c.username }), ...(c.security !== undefined && { security: c.security }) }
  }

  /** Replaces the setup code (after `wrong-code`). */
  setCode(code: SetupCodeInput): void {
    this.code = { ...this.code, ...code }
  }

  /** The current setup code (the AP passphrase may live in it). */
  get setupCode(): SetupCodeInput {
    return this.code
  }

  private async run(): Promise<SetupView> {
    let match: AccessoryMatch | { deviceId: string; name: string; address: string } | undefined
    try {
      await this.rememberNetwork()
      if (this.request.target.kind === 'softap') await joinAccessory(this)
      else this.endpoint = { host: this.request.target.host, port: this.request.target.port }
      await this.openSession()
      const delivery: Delivery = this.view.category === 'stand-alone' || this.view.category === 'gateway' ? { kind: 'paired' } : await deliverCredentials(this)
      this.session?.close()
      await returnHome(this)
      match = await confirmAccessory(this, delivery)
      await this.store(match)
      const confirmed = 'device' in match
        ? { deviceId: match.deviceId, discoveryId: match.device.id, name: match.device.name, address: match.address ?? '', ...(match.interfaceName && { interface: match.interfaceName }) }
        : match
      await this.record.step('done', `Confirmed: ${confirmed.name} answers at ${confirmed.address}`, { phase: 'finished', outcome: 'confirmed', confirmed })
    } catch (error) {
      await this.unwind(error)
    } finally {
      this.session?.close()
      await this.deps.journal.clear().catch(() => undefined)
    }
    return this.view
  }

  private async unwind(error: unknown): Promise<void> {
    const cancelled = error instanceof Cancelled
    if (!cancelled && !(error instanceof FlowFailure)) this.deps.log?.(`onboarding stopped by an internal error: ${(error as Error)?.name ?? 'error'}`)
    this.session?.close()
    await returnHome(this, true).catch(() => undefined)
    if (cancelled) {
      await this.record.step('cancelled', 'Cancelled', { phase: 'finished', outcome: 'cancelled' })
      return
    }
    const failure = error instanceof FlowFailure ? error : new FlowFailure('internal', 'Something went wrong inside Porchlight while setting up. Try again; if it happens again, export a support bundle from Diagnose.', 'retry')
    await this.record.step('failed', failure.message, { phase: 'finished', outcome: 'failed', error: { code: failure.code, message: failure.message, action: failure.action } })
  }

  private async rememberNetwork(): Promise<void> {
    await this.record.step('remember-network', 'Noting which network this computer is on')
    if (this.request.target.kind !== 'softap' || !this.deps.wifi) return
    const current = await this.deps.wifi.current()
    const ssid = current.ok ? current.value?.ssid : undefined
    if (ssid && ssid !== this.request.target.ssid) this.record.update({ originalNetwork: ssid }, `This computer is on “${ssid}”; it will return there at the end`)
  }

  private async openSession(): Promise<void> {
    const endpoint = this.endpoint
    if (!endpoint) throw new FlowFailure('unreachable', 'The accessory’s setup service was not found.', 'open-diagnose')
    await this.record.step('secure-session', 'Opening a secure session with the accessory')
    if (!this.info) {
      const probed = await this.deps.driver.probe(endpoint, { signal: this.signal })
      this.checkCancelled()
      if (!probed.ok) throw new FlowFailure('unreachable', `The accessory does not answer at ${endpoint.host}: ${probed.error.message} Open Diagnose to see why.`, 'open-diagnose')
      this.info = probed.value
    }
    if (this.info.deviceId) this.record.update({ accessory: { ...this.view.accessory, deviceId: this.info.deviceId } })
    for (;;) {
      if (this.info.needsCode && !this.code.pop) {
        this.record.fail('code-needed', 'This accessory needs its setup code (proof of possession). It is on a label, the box or in the QR code.', 'reenter-code')
      } else {
        const opened = await this.deps.driver.openSession(endpoint, this.secret(), { signal: this.signal })
        this.checkCancelled()
        if (opened.ok) {
          this.session = opened.value
          this.record.update({}, `Secure session open (security ${this.info.security})`)
          return
        }
        if (opened.error.code !== 'wrong-code') throw new FlowFailure(opened.error.code, `${opened.error.message} Open Diagnose to check the connection to the accessory.`, opened.error.code === 'unsupported' ? 'retry' : 'open-diagnose')
        this.record.fail('wrong-code', 'The setup code did not match this accessory. Check the code on its label or scan its QR code again.', 'reenter-code')
      }
      const input = await this.waitFor(['code'])
      if (input.kind === 'code') this.setCode(input.code)
    }
  }

  /** Reopens the session after the accessory dropped it (reboot), waiting for it to come back. */
  async reopenSession(): Promise<boolean> {
    this.session?.close()
    this.session = undefined
    const endpoint = this.endpoint
    if (!endpoint) return false
    const deadline = this.deps.clock.now() + this.timing.rebootWaitMs
    while (this.deps.clock.now() < deadline) {
      this.checkCancelled()
      const opened = await this.deps.driver.openSession(endpoint, this.secret(), { signal: this.signal })
      if (opened.ok) {
        this.session = opened.value
        return true
      }
      if (opened.error.code === 'wrong-code' || opened.error.code === 'unsupported') return false
      await pause(this.deps.clock, 500, this.signal)
    }
    return false
  }

  private async store(match: AccessoryMatch | { deviceId: string; name: string; address: string }): Promise<void> {
    const trust = this.deps.trust
    if (!trust || !this.info) return
    await this.record.step('storing', 'Remembering the accessory and its setup code (encrypted)')
    const c = this.code
    const name = 'device' in match ? match.device.name : match.name
    try {
      await trust.put({
        deviceId: match.deviceId,
        name,
        protocol: 'esp-unified',
        security: this.info.security,
        ...(c.username !== undefined && { username: c.username }),
        ...(c.pop !== undefined && { pop: c.pop }),
        ...(this.view.chosenSsid && { network: this.view.chosenSsid }),
        ...(match.address && { address: match.address }),
        pairedAt: (this.deps.wallClock ?? Date.now)(),
      })
    } catch {
      this.record.notice('The accessory is set up, but Porchlight could not save it to its list of paired accessories.')
    }
  }
}
