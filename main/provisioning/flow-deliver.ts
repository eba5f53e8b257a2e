/**
 * Getting the home network to the accessory: its own scan, the user's choice, Set + Apply, then following
 * its status under our own timeout (stock firmware may say "Connecting" forever, reference §1.8). A wrong
 * password is cleared with `prov-ctrl` reset so the user can simply re-enter it (the field's "needs a
 * factory reset" complaint, §2 item 4); an accessory whose network vanishes right after Apply probably
 * succeeded, which the LAN confirms next.
 */
import type { DriverResult, ProvisioningSession, WifiCredentials } from './driver'
import type { OnboardingFlow } from './flow'
import { toSetupNetworks } from './flow-record'
import { FlowFailure, pause, type FlowInput } from './flow-support'

/** How credentials ended on the accessory's side. */
export type Delivery =
  | { kind: 'connected'; ip4?: string }
  /** Its network went away after Apply: probably succeeded, to be confirmed on the LAN. */
  | { kind: 'vanished' }
  /** Stand-alone and gateway accessories: paired, no home network to join. */
  | { kind: 'paired' }

type Attempt = Delivery | { kind: 'refused'; message: string } | { kind: 'needs-passphrase' } | { kind: 'auth' } | { kind: 'not-found' } | { kind: 'timeout' } | { kind: 'other' }

const LOST = new Set(['connection-lost', 'unreachable', 'session-lost'])

/** Scan, choose and send until the accessory joins (or appears to); wrong password / network not found loop back to the user. */
export async function deliverCredentials(flow: OnboardingFlow): Promise<Delivery> {
  await scan(flow)
  for (;;) {
    await flow.record.step('choose-network', 'Choose the network for the accessory', { phase: 'waiting' })
    const input = await flow.waitFor(['credentials', 'rescan'])
    if (input.kind === 'rescan') {
      await scan(flow)
      continue
    }
    if (input.kind !== 'credentials') continue
    const attempt = await sendAndFollow(flow, input)
    switch (attempt.kind) {
      case 'connected':
      case 'vanished':
      case 'paired':
        return attempt
      case 'refused':
        flow.record.fail('credentials-refused', attempt.message, 'reenter-passphrase', 'choose-network')
        break
      case 'needs-passphrase':
        flow.record.fail('passphrase-needed', `“${input.ssid}” is secured: enter its password.`, 'reenter-passphrase', 'choose-network')
        break
      case 'auth':
        flow.record.fail('wrong-passphrase', `The accessory could not join “${input.ssid}”: the password was not accepted. Re-enter it.`, 'reenter-passphrase', 'choose-network')
        break
      case 'not-found':
        flow.record.fail('network-not-found', `The accessory cannot find “${input.ssid}”. It may be out of its reach or on a band it does not support (many accessories need 2.4 GHz). Choose another network.`, 'choose-network', 'choose-network')
        break
      case 'timeout':
        flow.record.fail('device-timeout', `The accessory kept trying to join “${input.ssid}” for ${Math.round(flow.timing.deviceConnectTimeoutMs / 1000)} s without success. Check the network is on and in reach, then try again.`, 'choose-network', 'choose-network')
        break
      case 'other':
        flow.record.fail('device-failed', `The accessory could not join “${input.ssid}”. Try again, or choose another network.`, 'choose-network', 'choose-network')
        break
    }
  }
}

async function scan(flow: OnboardingFlow): Promise<void> {
  await flow.record.step('scan', 'Asking the accessory which networks it can see')
  if (flow.info && !flow.info.canScan) {
    flow.record.update({ networks: [] }, 'This accessory cannot scan; type the network name')
    return
  }
  const scanned = await withSession(flow, (s) => s.scanNetworks({ signal: flow.signal }))
  if (!scanned.ok) throw lostOrFailed(flow, scanned.error.code, scanned.error.message)
  flow.record.update({ networks: toSetupNetworks(scanned.value) }, `The accessory sees ${scanned.value.length} network${scanned.value.length === 1 ? '' : 's'}`)
}

/** Runs `op` on the session; when the accessory dropped it (a reboot), reopens once and runs it again. */
async function withSession<T>(flow: OnboardingFlow, op: (session: ProvisioningSession) => Promise<DriverResult<T>>): Promise<DriverResult<T>> {
  const session = flow.session
  if (!session) return { ok: false, error: { code: 'invalid-state', message: 'No session is open.' } }
  const first = await op(session)
  flow.checkCancelled()
  if (first.ok || !LOST.has(first.error.code)) return first
  flow.record.update({}, 'The accessory dropped the session (a restart?); reconnecting…')
  if (!(await flow.reopenSession()) || !flow.session) return first
  flow.record.update({}, 'Reconnected to the accessory')
  return op(flow.session)
}

function lostOrFailed(flow: OnboardingFlow, code: string, message: string): FlowFailure {
  void flow
  return LOST.has(code)
    ? new FlowFailure('device-unreachable', `The accessory stopped answering (${message}) Open Diagnose to check the connection to it.`, 'open-diagnose')
    : new FlowFailure(code, message, 'retry')
}

async function sendAndFollow(flow: OnboardingFlow, input: Extract<FlowInput, { kind: 'credentials' }>): Promise<Attempt> {
  const credentials: WifiCredentials = { ssid: input.ssid, ...(input.passphrase !== undefined && { passphrase: input.passphrase }) }
  const network = flow.view.networks.find((n) => n.ssid === input.ssid)
  if (network?.secured && input.passphrase === undefined) return { kind: 'needs-passphrase' }
  await flow.record.step('sending', `Sending “${input.ssid}”${input.isHidden ? ' (hidden network)' : ''} to the accessory`, { chosenSsid: input.ssid })
  flow.appliedAt = (flow.deps.wallClock ?? Date.now)()
  let sent = await withSession(flow, (s) => s.sendCredentials(credentials))
  if (!sent.ok && sent.error.code === 'invalid-state') {
    // The accessory still holds a failed attempt (stock state machine stays in FAIL, §1.8): reset, then resend.
    const reset = await withSession(flow, (s) => s.reset())
    if (!reset.ok) throw new FlowFailure('needs-reset', 'The accessory still holds the previous failed attempt and cannot clear it remotely. Put it back into setup mode (see its manual: usually a long button press), then start again.', 'factory-reset')
    sent = await withSession(flow, (s) => s.sendCredentials(credentials))
  }
  if (!sent.ok && sent.error.code === 'unsupported') {
    // The driver refuses what this accessory cannot take (e.g. a 64-digit hex key stock firmware truncates).
    return { kind: 'refused', message: `${sent.error.message} Enter the network's password as text (8–63 characters).` }
  }
  if (!sent.ok) {
    // Lost while applying: it may have taken the credentials and left its network already.
    if (LOST.has(sent.error.code)) return { kind: 'vanished' }
    throw lostOrFailed(flow, sent.error.code, sent.error.message)
  }
  await flow.record.step('device-connecting', `The accessory is joining “${input.ssid}”`)
  return follow(flow)
}

async function follow(flow: OnboardingFlow): Promise<Attempt> {
  const deadline = flow.deps.clock.now() + flow.timing.deviceConnectTimeoutMs
  let lastRemaining: number | undefined
  while (flow.deps.clock.now() < deadline) {
    const session = flow.session
    if (!session) return { kind: 'vanished' }
    const status = await session.status({ signal: flow.signal })
    flow.checkCancelled()
    if (!status.ok) {
      if (LOST.has(status.error.code)) return { kind: 'vanished' }
      throw lostOrFailed(flow, status.error.code, status.error.message)
    }
    const s = status.value
    if (s.state === 'connected') return { kind: 'connected', ...(s.ip4 && { ip4: s.ip4 }) }
    if (s.state === 'failed') {
      await clearFailure(flow)
      return s.reason === 'auth' ? { kind: 'auth' } : s.reason === 'network-not-found' ? { kind: 'not-found' } : { kind: 'other' }
    }
    if (s.state === 'connecting' && s.attemptsRemaining !== undefined && s.attemptsRemaining !== lastRemaining) {
      lastRemaining = s.attemptsRemaining
      flow.record.update({}, `The accessory is retrying (${s.attemptsRemaining} attempt${s.attemptsRemaining === 1 ? '' : 's'} left)`)
    }
    await pause(flow.deps.clock, flow.timing.pollMs, flow.signal)
  }
  await clearFailure(flow)
  return { kind: 'timeout' }
}

/** Resets the accessory's failed attempt so corrected credentials are accepted (IDF ≥ 5.1); older firmware is told apart later. */
async function clearFailure(flow: OnboardingFlow): Promise<void> {
  if (flow.info?.canReset === false) return
  const reset = await withSession(flow, (s) => s.reset())
  if (flow.info) flow.info = { ...flow.info, canReset: reset.ok }
  flow.record.update({}, reset.ok ? 'The accessory cleared the failed attempt' : 'The accessory cannot clear a failed attempt remotely')
}
