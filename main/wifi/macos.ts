/**
 * Host Wi-Fi on macOS through `networksetup` and `system_profiler`.
 *
 * Known limits, each a platform fact rather than a choice (see README.md):
 * - `networksetup -setairportnetwork <if> <ssid> <password>` is the only join the command line offers and
 *   it takes the password in argv, visible to other local users in `ps` for the second or two it runs.
 *   There is no stdin or file form; CoreWLAN (`associateToNetwork:password:`) would need a native helper.
 * - The `airport` tool is gone (macOS 14.4+); scans come from `system_profiler SPAirPortDataType -json`.
 * - Without Location Services permission, macOS 14.4+ redacts network names. `current()` then says
 *   `not-permitted`; a join is accepted when networksetup reported no failure and the interface is
 *   associated (name hidden) with an address — the caller's reachability check is what proves the network.
 * - networksetup exits 0 on failure and says so on stdout, which is what is parsed.
 */
import { classifyPortName, parseHardwarePorts } from '../net/darwin-hardware-ports'
import type { CommandOutput } from '../util/exec'
import {
  adapterFailed, failure, serialAdapter, invalidPassphrase, isValidPassphrase, joinTimeout, nodeAddressesOf, redact, runTool, success,
  unavailable, verifyJoin, type OsWifiDeps, type WifiAvailability,
} from './adapter-support'
import { parseGetAirportNetwork, parseRemovePreferred, parseSetAirportNetwork, parseSystemProfiler, type MacAirportInterface, type MacNetwork } from './macos-parse'
import type { CurrentWifi, HostWifi, JoinOptions, WifiError, WifiNetwork, WifiResult } from './port'

const REDACTED: WifiError = {
  code: 'not-permitted',
  message: 'macOS hides Wi-Fi network names from Porchlight. Allow it in System Settings › Privacy & Security › Location Services, then try again.',
}

/** What the OS says about the association, with "associated but the name is hidden" kept apart. */
type Association = { kind: 'on'; current: CurrentWifi } | { kind: 'hidden-name'; interfaceName: string } | { kind: 'off' }

type Tools = {
  networksetup: (args: readonly string[], timeoutMs?: number) => Promise<WifiResult<CommandOutput>>
  wifiDevice: () => Promise<WifiResult<string>>
  profile: (device: string) => Promise<WifiResult<MacAirportInterface | undefined>>
  association: (device: string) => Promise<WifiResult<Association>>
}

function tools(deps: OsWifiDeps): Tools {
  const networksetup = (args: readonly string[], timeoutMs = 15_000) => runTool(deps.run, 'networksetup', args, timeoutMs)
  let device: string | undefined
  const wifiDevice = async (): Promise<WifiResult<string>> => {
    if (device) return success(device)
    const out = await networksetup(['-listallhardwareports'])
    if (!out.ok) return out
    const port = parseHardwarePorts(out.value.stdout).ports.find((p) => classifyPortName(p.port)?.kind === 'wifi')
    if (!port) return failure({ code: 'no-wifi-adapter', message: 'This Mac has no Wi-Fi hardware port. Join the accessory from another device.' })
    device = port.device
    return success(device)
  }
  const profile = async (dev: string): Promise<WifiResult<MacAirportInterface | undefined>> => {
    // system_profiler takes seconds; it is the only scan left since `airport` was removed.
    const out = await runTool(deps.run, 'system_profiler', ['SPAirPortDataType', '-json'], 60_000)
    if (!out.ok) return out
    const parsed = parseSystemProfiler(out.value.stdout)
    return parsed.ok ? success(parsed.value.find((i) => i.name === dev) ?? parsed.value[0]) : parsed
  }
  const association = async (dev: string): Promise<WifiResult<Association>> => {
    const out = await networksetup(['-getairportnetwork', dev])
    if (!out.ok) return out
    const said = parseGetAirportNetwork(out.value.stdout + out.value.stderr)
    if (!said.ok) return said
    if (said.value.kind === 'associated') return success({ kind: 'on', current: { ssid: said.value.ssid, interfaceName: dev } })
    if (said.value.kind === 'wifi-off') return success({ kind: 'off' })
    // "Not associated" is not to be believed on 14.4+ without Location Services: ask system_profiler.
    const seen = await profile(dev)
    if (!seen.ok) return seen
    const current = seen.value?.current
    if (!current) return success({ kind: 'off' })
    if (current.ssid === null) return success({ kind: 'hidden-name', interfaceName: dev })
    return success({ kind: 'on', current: { ssid: current.ssid, interfaceName: dev, ...(current.bssid ? { bssid: current.bssid } : {}) } })
  }
  return { networksetup, wifiDevice, profile, association }
}

/** Checks for a Wi-Fi port that is switched on; available with a `reason` when macOS hides network names. */
export async function probeMacos(deps: OsWifiDeps): Promise<WifiAvailability> {
  const t = tools(deps)
  const dev = await t.wifiDevice()
  if (!dev.ok) return unavailable(dev.error)
  const out = await t.networksetup(['-getairportnetwork', dev.value])
  const said = out.ok ? parseGetAirportNetwork(out.value.stdout + out.value.stderr) : out
  if (said.ok && said.value.kind === 'wifi-off') return { available: false, code: 'no-wifi-adapter', reason: 'Wi-Fi is turned off. Turn it on, then try again.' }
  const seen = await t.profile(dev.value)
  const nets = seen.ok && seen.value ? [seen.value.current, ...seen.value.others].filter((n): n is MacNetwork => n !== undefined) : []
  if (nets.length > 0 && nets.every((n) => n.ssid === null)) return { available: true, reason: REDACTED.message }
  return { available: true }
}

/** Creates the macOS adapter. */
export function createMacosWifi(deps: OsWifiDeps): HostWifi {
  const { clock } = deps
  const t = tools(deps)
  const addressesOf = deps.addressesOf ?? nodeAddressesOf

  const scan = async (): Promise<WifiResult<WifiNetwork[]>> => {
    const dev = await t.wifiDevice()
    if (!dev.ok) return dev
    const seen = await t.profile(dev.value)
    if (!seen.ok) return seen
    const all = seen.value ? [...(seen.value.current ? [seen.value.current] : []), ...seen.value.others] : []
    if (all.length > 0 && all.every((n) => n.ssid === null)) return failure(REDACTED)
    const best = new Map<string, MacNetwork>()
    for (const n of all) if (n.ssid !== null && (best.get(n.ssid)?.signal ?? -1) < n.signal) best.set(n.ssid, n)
    return success([...best.values()].map((n) => ({
      ssid: n.ssid ?? '', signal: n.signal, security: n.security,
      ...(n.rssiDbm !== undefined ? { rssiDbm: n.rssiDbm } : {}), ...(n.bssid ? { bssid: n.bssid } : {}), ...(n.channel !== undefined ? { channel: n.channel } : {}),
    })))
  }

  const current = async (): Promise<WifiResult<CurrentWifi | null>> => {
    const dev = await t.wifiDevice()
    if (!dev.ok) return dev
    const seen = await t.association(dev.value)
    if (!seen.ok) return seen
    if (seen.value.kind === 'hidden-name') return failure(REDACTED)
    return success(seen.value.kind === 'on' ? seen.value.current : null)
  }

  /** Waits for `ssid` (or, with names hidden, any association) with an address. */
  const verify = (ssid: string, dev: string, startedAt: number, timeoutMs: number) =>
    verifyJoin({
      ssid, addressesOf, clock, startedAt, timeoutMs, pollMs: deps.pollMs ?? 1000,
      probe: async () => {
        const seen = await t.association(dev)
        if (!seen.ok) return seen
        if (seen.value.kind === 'hidden-name') return success({ ssid, interfaceName: dev })
        return success(seen.value.kind === 'on' && seen.value.current.ssid === ssid ? seen.value.current : null)
      },
    })

  /** Runs -setairportnetwork (password in argv: the documented exception) and reads its stdout verdict. */
  const setNetwork = async (dev: string, ssid: string, passphrase: string | undefined, startedAt: number, timeoutMs: number): Promise<WifiResult<void>> => {
    const remaining = Math.max(1000, startedAt + timeoutMs - clock.now())
    const out = await t.networksetup(['-setairportnetwork', dev, ssid, ...(passphrase === undefined ? [] : [passphrase])], remaining)
    if (!out.ok) return out.error.code === 'adapter-failed' && out.error.detail === 'timeout' ? joinTimeout(ssid, clock.now() - startedAt) : out
    const error = parseSetAirportNetwork(redact(out.value.stdout + out.value.stderr, [passphrase]), ssid)
    if (!error) return success(undefined)
    return error.code === 'join-timeout' ? joinTimeout(ssid, clock.now() - startedAt) : failure(error)
  }

  const join = async (ssid: string, passphrase: string | undefined, options: JoinOptions): Promise<WifiResult<CurrentWifi>> => {
    const startedAt = clock.now()
    const timeoutMs = options.timeoutMs ?? deps.joinTimeoutMs ?? 30_000
    if (passphrase !== undefined && !isValidPassphrase(passphrase)) return invalidPassphrase(ssid)
    const dev = await t.wifiDevice()
    if (!dev.ok) return dev
    const set = await setNetwork(dev.value, ssid, passphrase, startedAt, timeoutMs)
    return set.ok ? verify(ssid, dev.value, startedAt, timeoutMs) : set
  }

  const rejoin = async (ssid: string, options: JoinOptions): Promise<WifiResult<CurrentWifi>> => {
    const startedAt = clock.now()
    const timeoutMs = options.timeoutMs ?? deps.joinTimeoutMs ?? 30_000
    const dev = await t.wifiDevice()
    if (!dev.ok) return dev
    // Without a password networksetup uses the keychain's; if that fails (a stale cached key, kCWInvalidPMKErr),
    // a Wi-Fi power cycle lets macOS auto-join its preferred network, as it does after sleep.
    const set = await setNetwork(dev.value, ssid, undefined, startedAt, timeoutMs)
    if (!set.ok && set.error.code !== 'network-not-found') {
      const off = await t.networksetup(['-setairportpower', dev.value, 'off'])
      const on = await t.networksetup(['-setairportpower', dev.value, 'on'])
      if (!off.ok || !on.ok) return set
    } else if (!set.ok) return set
    return verify(ssid, dev.value, startedAt, timeoutMs)
  }

  const forgetTemporary = async (ssid: string): Promise<WifiResult<void>> => {
    const dev = await t.wifiDevice()
    if (!dev.ok) return dev
    const out = await t.networksetup(['-removepreferredwirelessnetwork', dev.value, ssid])
    if (!out.ok) return out
    const text = out.value.stdout + out.value.stderr
    if (parseRemovePreferred(text) !== 'failed') return success(undefined)
    if (/admin|permitted|authoriz/i.test(text)) return failure({ code: 'not-permitted', message: `macOS needs an administrator to forget "${ssid}". Remove it in System Settings › Wi-Fi › Known Networks.` })
    return adapterFailed(`macOS did not forget "${ssid}". Remove it in System Settings › Wi-Fi › Known Networks.`, text.trim().slice(0, 300))
  }

  return serialAdapter({ scan, current, join, rejoin, forgetTemporary })
}
