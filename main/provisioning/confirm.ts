/**
 * "Done" only when it is true: after credentials, the accessory must show up on the home LAN by mDNS as the
 * same device and answer a connection (docs/product.md; the Espressif apps report failure or success from
 * the last status poll, reference provisioning-protocols.md §2 complaint 3). This module decides which
 * discovered device is the accessory and waits for it.
 */
import type { DiscoveredDevice } from '../../shared/discovery/view'
import type { Clock } from '../util/clock'

/** What we know about the accessory before it reaches the LAN. */
export interface AccessoryIdentity {
  /** A stable id the device revealed (proto-ver app info) or that discovery already knew (on-LAN flows). */
  deviceId?: string
  /** Its provisioning name (SoftAP SSID / QR `name`), which ESP firmware also uses as its mDNS instance name. */
  serviceName?: string
  /** The IPv4 address it reported with `Connected`. */
  ip4?: string
  /**
   * Wall-clock ms when the credentials were applied: with neither id nor address (stock firmware whose AP
   * vanished before it could report `Connected`), a device of that name that came up after this is taken.
   */
  appearedAfter?: number
}

/** A device that is the accessory, and why we think so. */
export interface AccessoryMatch {
  device: DiscoveredDevice
  deviceId: string
  /** `id`: TXT id equals the known id; `address-and-name`: its reported address and its name agree; `name-after-apply`: its name, first up after Apply. */
  by: 'id' | 'address-and-name' | 'name-after-apply'
  address?: string
  interfaceName?: string
}

/** The TXT `id` a device announces (lower case), if any service carries one. */
export function announcedId(device: DiscoveredDevice): string | undefined {
  for (const service of device.services) {
    const entry = service.txt.find((t) => t.key.toLowerCase() === 'id' && t.value)
    if (entry?.value) return entry.value.toLowerCase()
  }
  return undefined
}

const sameName = (device: DiscoveredDevice, name: string) =>
  device.name === name || device.services.some((s) => s.instance === name || s.instance.startsWith(`${name} (`))

/**
 * Is `device` the accessory? With a known id only the id counts (a different device at the same address is
 * not ours); without one, the address it reported and its name must both agree.
 */
export function matchAccessory(device: DiscoveredDevice, identity: AccessoryIdentity): AccessoryMatch | undefined {
  if (device.status !== 'up') return undefined
  const id = announcedId(device)
  const at = (address: string | undefined) => device.addresses.find((a) => (address ? a.address === address : a.family === 'IPv4')) ?? device.addresses[0]
  if (identity.deviceId) {
    if (id !== identity.deviceId.toLowerCase()) return undefined
    const where = at(identity.ip4)
    return { device, deviceId: id, by: 'id', ...(where && { address: where.address, interfaceName: where.interface }) }
  }
  if (!identity.serviceName) return undefined
  if (!identity.ip4) {
    const since = identity.appearedAfter
    const cameUp = since !== undefined && (device.firstSeenAt >= since || device.history.some((h) => h.event === 'up' && h.at >= since))
    if (!cameUp || !sameName(device, identity.serviceName)) return undefined
    const first = at(undefined)
    return { device, deviceId: id ?? device.id, by: 'name-after-apply', ...(first && { address: first.address, interfaceName: first.interface }) }
  }
  const where = device.addresses.find((a) => a.address === identity.ip4)
  if (!where || !sameName(device, identity.serviceName)) return undefined
  return { device, deviceId: id ?? device.id, by: 'address-and-name', address: where.address, interfaceName: where.interface }
}

/** What confirming needs. */
export interface ConfirmDeps {
  devices(): Promise<readonly DiscoveredDevice[]>
  /** Asks discovery to query again now (a network change just happened). */
  wake(): void
  /** True when the device accepts a connection (one RFC 8305 race over its addresses). */
  answers(deviceId: string, signal: AbortSignal): Promise<boolean>
  clock: Clock
}

/** Why confirming failed. */
export type ConfirmError =
  | { code: 'not-found'; message: string }
  | { code: 'not-answering'; message: string; deviceId: string }
  | { code: 'aborted'; message: string }

/** Waits up to `timeoutMs` for the accessory on the LAN; reads discovery every 50 ms (a local snapshot, cheap: any delay here is added to "done"); sends nothing itself but a connect. */
export async function confirmOnLan(deps: ConfirmDeps, identity: AccessoryIdentity, options: { timeoutMs: number; pollMs?: number; signal: AbortSignal; network?: string }): Promise<{ ok: true; value: AccessoryMatch } | { ok: false; error: ConfirmError }> {
  const deadline = deps.clock.now() + options.timeoutMs
  const network = options.network ? `“${options.network}”` : 'your network'
  let seen: AccessoryMatch | undefined
  deps.wake()
  while (!options.signal.aborted) {
    const match = (await deps.devices()).map((d) => matchAccessory(d, identity)).find((m) => m !== undefined)
    if (match) {
      seen = match
      if (await deps.answers(match.device.id, options.signal)) return { ok: true, value: match }
    }
    if (deps.clock.now() >= deadline) break
    await sleep(deps.clock, options.pollMs ?? 50, options.signal)
  }
  if (options.signal.aborted) return { ok: false, error: { code: 'aborted', message: 'Confirming was cancelled.' } }
  if (seen) {
    return { ok: false, error: { code: 'not-answering', deviceId: seen.deviceId, message: `The accessory appeared on ${network} but does not accept connections. Open Diagnose to check the path to it.` } }
  }
  return { ok: false, error: { code: 'not-found', message: `The accessory did not appear on ${network} within ${Math.round(options.timeoutMs / 1000)} s.` } }
}

/** Sleeps on the injected clock; resolves early when aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = () => {
      clock.clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = clock.setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
