/**
 * The computer's side of a SoftAP flow: joining the accessory's network — through the OS adapter, or by the
 * user when that is impossible, detected either way — verified by an address there and the provisioning
 * endpoint answering (an exit code alone proves nothing, docs/product.md), and the way back.
 */
import type { DriverEndpoint } from './driver'
import type { OnboardingFlow } from './flow'
import { FlowFailure, firstHost, ipv4Keys, parseIpv4Key } from './flow-support'

const ESP_DEFAULT_AP = '192.168.4.1'
const NO_INTERNET = 'While this computer is on the accessory’s network it has no internet — that is expected. Porchlight brings it back when setup ends.'

/** Joins the accessory's AP (or guides the user to) and finds its provisioning endpoint there. */
export async function joinAccessory(flow: OnboardingFlow): Promise<void> {
  const target = flow.request.target
  if (target.kind !== 'softap') return
  const { wifi } = flow.deps
  const before = ipv4Keys(await flow.deps.readInterfaces())
  await flow.record.step('join-accessory', `Joining the accessory’s network “${target.ssid}”`)
  if (!wifi) return manualJoin(flow, before, 'Porchlight cannot change this computer’s Wi-Fi here.')
  for (;;) {
    flow.temporaryProfile = true
    await flow.record.onAccessory(false, true)
    const apPassphrase = flow.setupCode.apPassphrase ?? target.apPassphrase
    const joined = await wifi.join(target.ssid, apPassphrase, { isTemporary: true, timeoutMs: flow.timing.joinTimeoutMs })
    flow.checkCancelled()
    if (joined.ok) {
      await flow.record.onAccessory(true)
      if (flow.view.category !== 'gateway') flow.record.notice(NO_INTERNET)
      const endpoint = await endpointOn(flow, joined.value.interfaceName)
      if (endpoint) {
        flow.endpoint = endpoint
        return
      }
      throw new FlowFailure('unreachable', `This computer joined “${target.ssid}”, but the accessory’s setup service does not answer there. Open Diagnose to see why.`, 'open-diagnose')
    }
    const error = joined.error
    switch (error.code) {
      case 'wrong-passphrase':
        flow.record.fail('ap-passphrase', `“${target.ssid}” did not accept its password. The accessory’s own network password is on its label or in its QR code.`, 'reenter-code')
        break
      case 'network-not-found':
        throw new FlowFailure('ap-not-found', `“${target.ssid}” is not in range. Make sure the accessory is in setup mode (often a blinking light) and close to this computer, then try again.`, 'retry')
      case 'join-timeout':
        throw new FlowFailure('ap-join-timeout', `Joining “${target.ssid}” did not finish in ${Math.round(error.afterMs / 1000)} s. Move closer to the accessory and try again.`, 'retry')
      case 'not-permitted':
      case 'no-wifi-adapter':
      case 'adapter-failed':
        // The OS will not let us join (permissions, no adapter, a tool failing): the user joins, we notice.
        return manualJoin(flow, before, error.message)
    }
    const input = await flow.waitFor(['code'])
    if (input.kind === 'code') flow.setCode(input.code)
  }
}

/** The endpoint on the interface we joined with: the first host of its IPv4 subnet, once it answers. */
async function endpointOn(flow: OnboardingFlow, interfaceName: string): Promise<DriverEndpoint | undefined> {
  const deadline = flow.deps.clock.now() + flow.timing.probeTimeoutMs
  while (flow.deps.clock.now() < deadline) {
    const keys = [...ipv4Keys(await flow.deps.readInterfaces())].map(parseIpv4Key).filter((k) => k.name === interfaceName)
    for (const key of keys) {
      const host = firstHost(key.address, key.prefixLength)
      const endpoint = host && (await answering(flow, { host, port: 80, localAddress: key.address }))
      if (endpoint) return endpoint
    }
    await flow.waitForOr([], 300)
  }
  return undefined
}

async function answering(flow: OnboardingFlow, endpoint: DriverEndpoint): Promise<DriverEndpoint | undefined> {
  const probed = await flow.deps.driver.probe(endpoint, { signal: flow.signal })
  flow.checkCancelled()
  if (!probed.ok) return undefined
  flow.info = probed.value
  flow.record.update({}, `The accessory answers at ${endpoint.host} (ESP provisioning ${probed.value.version}, security ${probed.value.security})`)
  return endpoint
}

/** Guides the user to join by hand and notices when they have: a new address whose subnet's first host answers. */
async function manualJoin(flow: OnboardingFlow, before: Set<string>, reason: string): Promise<void> {
  const target = flow.request.target
  if (target.kind !== 'softap') return
  await flow.record.step('manual-join', `Join “${target.ssid}” from this computer’s Wi-Fi menu`, { phase: 'waiting', manualJoin: { ssid: target.ssid, reason } })
  const deadline = flow.deps.clock.now() + flow.timing.manualTimeoutMs
  let userSaysJoined = false
  while (flow.deps.clock.now() < deadline) {
    const fresh = [...ipv4Keys(await flow.deps.readInterfaces())].filter((k) => !before.has(k)).map(parseIpv4Key)
    const candidates: DriverEndpoint[] = fresh.flatMap((k) => {
      const host = firstHost(k.address, k.prefixLength)
      return host ? [{ host, port: 80, localAddress: k.address }] : []
    })
    // Only after the user says so do we try ESP's default address: it may be a real host on another network.
    if (userSaysJoined && !candidates.some((c) => c.host === ESP_DEFAULT_AP)) candidates.push({ host: ESP_DEFAULT_AP, port: 80 })
    for (const candidate of candidates) {
      const endpoint = await answering(flow, candidate)
      if (!endpoint) continue
      flow.endpoint = endpoint
      flow.record.drop('manualJoin')
      flow.record.update({ phase: 'running' }, 'Joined by hand; the accessory answers')
      await flow.record.onAccessory(true, false)
      flow.record.notice(NO_INTERNET)
      return
    }
    const input = await flow.waitForOr(['joined'], flow.timing.manualPollMs)
    if (input?.kind === 'joined') userSaysJoined = true
  }
  throw new FlowFailure('manual-join-timeout', `This computer did not join “${target.ssid}”. Join it from the Wi-Fi menu, then start again.`, 'join-manually')
}

/** Puts the computer back on its original network (skipped for gateways on success) and removes our AP profile. */
export async function returnHome(flow: OnboardingFlow, isUnwinding = false): Promise<void> {
  const view = flow.view
  if (!view.onAccessoryNetwork && !flow.temporaryProfile) return
  if (!isUnwinding && view.category === 'gateway') {
    flow.record.notice(`This computer stays on “${view.accessory.ssid ?? view.accessory.name}”, which provides internet.`)
    return
  }
  const wifi = flow.deps.wifi
  const original = view.originalNetwork
  await flow.record.step('returning', original ? `Returning this computer to “${original}”` : 'Leaving the accessory’s network')
  if (wifi && original) {
    const back = await wifi.rejoin(original, { timeoutMs: flow.timing.joinTimeoutMs })
    if (!back.ok) flow.record.notice(`Porchlight could not bring this computer back to “${original}” (${back.error.message}). Join it from the Wi-Fi menu.`)
  } else if (!wifi && original === undefined && view.onAccessoryNetwork) {
    flow.record.notice('Rejoin your usual network from the Wi-Fi menu now.')
  }
  if (wifi && flow.temporaryProfile && view.accessory.ssid) {
    const forgot = await wifi.forgetTemporary(view.accessory.ssid)
    if (forgot.ok) flow.temporaryProfile = false
  }
  flow.record.dropNotice(NO_INTERNET)
  await flow.record.onAccessory(false)
}
