/**
 * The last word of a flow: is the accessory on the user's network? Found by mDNS as the same device and
 * answering a connection → confirmed. Otherwise a definite answer saying which of the likely causes the
 * evidence points to (its setup network back in range: it could not join; seen but silent: the path to it).
 */
import { confirmOnLan, type AccessoryIdentity, type AccessoryMatch } from './confirm'
import type { OnboardingFlow } from './flow'
import type { Delivery } from './flow-deliver'
import { FlowFailure } from './flow-support'

/** A stand-alone or gateway accessory is confirmed by the session on its own network. */
type Paired = { deviceId: string; name: string; address: string }

/** Confirms the outcome of `delivery`; throws FlowFailure with the next action when it cannot. */
export async function confirmAccessory(flow: OnboardingFlow, delivery: Delivery): Promise<AccessoryMatch | Paired> {
  const view = flow.view
  if (delivery.kind === 'paired') {
    const deviceId = flow.info?.deviceId ?? view.accessory.deviceId ?? `ap:${view.accessory.ssid ?? view.accessory.name}`
    await flow.record.step('confirming', 'The accessory answered over a secure session on its own network')
    return { deviceId, name: view.accessory.name, address: flow.endpoint?.host ?? '' }
  }
  const network = view.chosenSsid
  if (delivery.kind === 'vanished') {
    flow.record.notice('The accessory’s network disappeared right after it took the credentials — it probably succeeded. Confirming on your network…')
  }
  await flow.record.step('confirming', delivery.kind === 'vanished' ? 'Probably succeeded — confirming on your network…' : `Looking for the accessory on “${network ?? 'your network'}”`)
  const target = flow.request.target
  const knownId = flow.info?.deviceId ?? (target.kind === 'on-network' ? target.deviceId : undefined)
  const identity: AccessoryIdentity = {
    ...(knownId && { deviceId: knownId }),
    serviceName: flow.setupCode.serviceName ?? view.accessory.ssid ?? view.accessory.name,
    ...(delivery.kind === 'connected' && delivery.ip4 && { ip4: delivery.ip4 }),
    ...(flow.appliedAt !== undefined && { appearedAfter: flow.appliedAt }),
  }
  const found = await confirmOnLan(flow.deps.confirm, identity, { timeoutMs: flow.timing.confirmTimeoutMs, signal: flow.signal, ...(network && { network }) })
  flow.checkCancelled()
  if (found.ok) return found.value
  if (found.error.code === 'not-answering') throw new FlowFailure('not-answering', found.error.message, 'open-diagnose')
  const ssid = view.accessory.ssid
  if (ssid && flow.deps.wifi) {
    const scan = await flow.deps.wifi.scan()
    if (scan.ok && scan.value.some((n) => n.ssid === ssid)) {
      throw new FlowFailure('not-joined', `The accessory did not join “${network ?? 'your network'}” and its setup network “${ssid}” is back: it could not connect (often a mistyped password or a network out of its reach). Start again.`, 'retry')
    }
  }
  throw new FlowFailure('not-confirmed', `${found.error.message} It may still be joining, or your network may block devices from seeing each other (client isolation). Open Diagnose.`, 'open-diagnose')
}
