/**
 * Picks the host-Wi-Fi adapter for this OS and says whether it can work here, so a host wires one
 * `HostWifi` into the core and the UI can explain, before anyone tries, why joining will be manual.
 * When nothing applies (another OS, nmcli missing, NetworkManager stopped, no Wi-Fi hardware) the adapter
 * returned is an inert one whose every call is that reason as a WifiError — never a throw.
 */
import { failure, type OsWifiDeps, type WifiAvailability } from './adapter-support'
import { createMacosWifi, probeMacos } from './macos'
import { createNetshWifi, probeNetsh } from './netsh'
import { createNmcliWifi, probeNmcli } from './nmcli'
import type { HostWifi, WifiError } from './port'

export type { WifiAvailability } from './adapter-support'

/** What `createHostWifi` needs: the OS (`process.platform`) plus the adapters' dependencies. */
export interface HostWifiOptions extends OsWifiDeps {
  platform: NodeJS.Platform
}

/** The adapter and whether it can work here. */
export interface HostWifiChoice {
  /** Always usable as a HostWifi; when unavailable, every call returns `availability`'s reason. */
  wifi: HostWifi
  availability: WifiAvailability
}

type Adapter = { create: (deps: OsWifiDeps) => HostWifi; probe: (deps: OsWifiDeps) => Promise<WifiAvailability> }

const ADAPTERS: Partial<Record<NodeJS.Platform, Adapter>> = {
  linux: { create: createNmcliWifi, probe: probeNmcli },
  win32: { create: createNetshWifi, probe: probeNetsh },
  darwin: { create: createMacosWifi, probe: probeMacos },
}

const unsupported = (platform: string): WifiError => ({
  code: 'no-wifi-adapter',
  message: `Porchlight cannot change Wi-Fi on ${platform}. Join the accessory's network from the Wi-Fi menu; Porchlight notices when you have.`,
})

/** Checks whether this OS's adapter can work now (re-run it when the user says they fixed something). */
export async function probeHostWifi(options: HostWifiOptions): Promise<WifiAvailability> {
  const adapter = ADAPTERS[options.platform]
  if (!adapter) {
    const error = unsupported(options.platform)
    return { available: false, code: error.code, reason: error.message }
  }
  try {
    return await adapter.probe(options)
  } catch (error) {
    // A probe is built from value-returning calls; reaching here is a bug, reported without its stack.
    return { available: false, code: 'adapter-failed', reason: `Checking this computer's Wi-Fi failed (${(error as Error).name}). Join the network from the Wi-Fi menu.` }
  }
}

/** Creates this OS's adapter after probing it; unavailable → an inert adapter carrying the reason. */
export async function createHostWifi(options: HostWifiOptions): Promise<HostWifiChoice> {
  const availability = await probeHostWifi(options)
  const adapter = ADAPTERS[options.platform]
  if (!availability.available || !adapter) {
    const error: WifiError = availability.code !== undefined && availability.code !== 'join-timeout'
      ? ({ code: availability.code, message: availability.reason ?? 'Wi-Fi cannot be used here.' } as WifiError)
      : unsupported(options.platform)
    return { wifi: unavailableWifi(error), availability }
  }
  return { wifi: adapter.create(options), availability }
}

/** A HostWifi whose every call fails with `error` (for hosts and tests where Wi-Fi cannot be driven). */
export function unavailableWifi(error: WifiError): HostWifi {
  const fail = () => Promise.resolve(failure(error))
  return { scan: fail, current: fail, join: fail, rejoin: fail, forgetTemporary: fail, dispose: () => undefined }
}
