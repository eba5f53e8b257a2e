/**
 * Host Wi-Fi on Windows through `netsh wlan`.
 *
 * netsh has no way to take a passphrase except inside a WLAN profile XML (`keyMaterial`), so the profile is
 * written to a 0600 file in a fresh private directory under the per-user temp folder, added with `add
 * profile … user=current`, and the file is deleted in `finally`. Temporary profiles use `connectionMode
 * manual` (Windows never joins them by itself) and a name derived from the SSID (`porchlight-tmp-<safe
 * part>-<hash>`), so `forgetTemporary` can delete them and no SSID character ever needs quoting on the
 * command line. `netsh wlan connect` answers "completed successfully" as soon as the request is queued;
 * the outcome is read back from `show interfaces`, which is also the only place a rejected passphrase shows
 * (authenticating → disconnected).
 */
import type { CommandOutput } from '../util/exec'
import {
  adapterFailed, failure, serialAdapter, invalidPassphrase, isValidPassphrase, nodeAddressesOf, notFound, runTool, success, unavailable,
  verifyJoin, withSecretFile, wrongPassphrase, type JoinProbe, type OsWifiDeps, type WifiAvailability,
} from './adapter-support'
import { classifyNetshText, parseNetshInterfaces, parseNetshNetworks, parseNetshProfiles, parseNetshProfileSsid, type NetshInterface, type NetshNetwork } from './netsh-parse'
import type { CurrentWifi, HostWifi, JoinOptions, WifiNetwork, WifiResult } from './port'
import { buildWlanProfileXml, netshProfileName, TEMPORARY_PREFIX } from './netsh-profile'

type Run = (args: readonly string[], timeoutMs?: number) => Promise<WifiResult<CommandOutput>>

const netshRunner = (deps: OsWifiDeps): Run => (args, timeoutMs = 15_000) => runTool(deps.run, 'netsh', ['wlan', ...args], timeoutMs)

/** `show interfaces`, as a value: no interface at all is `no-wifi-adapter`. */
async function readInterfaces(netsh: Run): Promise<WifiResult<NetshInterface[]>> {
  const out = await netsh(['show', 'interfaces'])
  if (!out.ok) return out
  return parseNetshInterfaces(out.value.stdout + out.value.stderr)
}

/** Checks the WLAN service runs, an interface exists, and Location permission lets netsh read it. */
export async function probeNetsh(deps: OsWifiDeps): Promise<WifiAvailability> {
  const interfaces = await readInterfaces(netshRunner(deps))
  if (!interfaces.ok) return unavailable(interfaces.error)
  if (interfaces.value.length === 0) return { available: false, code: 'no-wifi-adapter', reason: 'Windows reports no Wi-Fi adapter on this computer. Turn Wi-Fi on, or join the accessory from another device.' }
  return { available: true }
}

/** Creates the netsh adapter. */
export function createNetshWifi(deps: OsWifiDeps): HostWifi {
  const { clock } = deps
  const netsh = netshRunner(deps)
  const addressesOf = deps.addressesOf ?? nodeAddressesOf

  const wifiInterface = async (): Promise<WifiResult<NetshInterface>> => {
    const interfaces = await readInterfaces(netsh)
    if (!interfaces.ok) return interfaces
    const chosen = interfaces.value.find((i) => i.state === 'connected') ?? interfaces.value[0]
    return chosen ? success(chosen) : failure({ code: 'no-wifi-adapter', message: 'Windows reports no Wi-Fi adapter on this computer. Turn Wi-Fi on, or join the accessory from another device.' })
  }

  const networks = async (): Promise<WifiResult<NetshNetwork[]>> => {
    const out = await netsh(['show', 'networks', 'mode=bssid'])
    return out.ok ? parseNetshNetworks(out.value.stdout + out.value.stderr) : out
  }

  const scan = async (): Promise<WifiResult<WifiNetwork[]>> => {
    const seen = await networks()
    if (!seen.ok) return seen
    const best = new Map<string, NetshNetwork>()
    for (const n of seen.value) if ((best.get(n.ssid)?.signal ?? -1) < n.signal) best.set(n.ssid, n)
    return success([...best.values()].map((n) => ({
      ssid: n.ssid, signal: n.signal, security: n.security, ...(n.bssid ? { bssid: n.bssid } : {}), ...(n.channel !== undefined ? { channel: n.channel } : {}),
    })))
  }

  const current = async (): Promise<WifiResult<CurrentWifi | null>> => {
    const interfaces = await readInterfaces(netsh)
    if (!interfaces.ok) return interfaces
    const on = interfaces.value.find((i) => i.state === 'connected' && i.ssid)
    return success(on?.ssid ? { ssid: on.ssid, interfaceName: on.name, ...(on.bssid ? { bssid: on.bssid } : {}) } : null)
  }

  /** A probe for verifyJoin that also notices a rejected key: authenticating, then dropped. */
  const watcher = (ssid: string, interfaceName: string, isProtected: boolean) => {
    let sawHandshake = false
    return async (): Promise<JoinProbe> => {
      const interfaces = await readInterfaces(netsh)
      if (!interfaces.ok) return interfaces
      const it = interfaces.value.find((i) => i.name === interfaceName)
      if (it?.state === 'connected' && it.ssid === ssid) return success({ ssid, interfaceName, ...(it.bssid ? { bssid: it.bssid } : {}) })
      const isTrying = it?.state === 'associating' || it?.state === 'authenticating'
      if (isTrying) sawHandshake = true
      else if (sawHandshake && isProtected) return wrongPassphrase(ssid)
      return success(null)
    }
  }

  const connect = async (ssid: string, profile: string, iface: NetshInterface, startedAt: number, timeoutMs: number, isProtected: boolean) => {
    const out = await netsh(['connect', `name=${profile}`, `interface=${iface.name}`])
    if (!out.ok) return out
    const text = out.value.stdout + out.value.stderr
    if (/not available to connect/i.test(text)) return notFound(ssid)
    const known = classifyNetshText(text)
    if (known) return failure(known)
    if (out.value.exitCode !== 0) return adapterFailed(`Windows could not start joining "${ssid}". Try again, or join it from the Wi-Fi menu.`, text.trim().slice(0, 300))
    return verifyJoin({ ssid, probe: watcher(ssid, iface.name, isProtected), addressesOf, clock, startedAt, timeoutMs, pollMs: deps.pollMs ?? 500 })
  }

  const removeProfile = (name: string) => netsh(['delete', 'profile', `name=${name}`])

  const join = async (ssid: string, passphrase: string | undefined, options: JoinOptions): Promise<WifiResult<CurrentWifi>> => {
    const startedAt = clock.now()
    const timeoutMs = options.timeoutMs ?? deps.joinTimeoutMs ?? 30_000
    if (passphrase !== undefined && !isValidPassphrase(passphrase)) return invalidPassphrase(ssid)
    const iface = await wifiInterface()
    if (!iface.ok) return iface
    let target: NetshNetwork | undefined
    if (!options.isHidden) {
      const seen = await networks()
      if (!seen.ok) return seen
      target = seen.value.find((n) => n.ssid === ssid)
      if (!target) return notFound(ssid)
    }
    const security = target?.security ?? (passphrase === undefined ? 'open' : 'wpa2-psk')
    if (security === 'enterprise' || security === 'wep') return adapterFailed(`"${ssid}" uses ${security === 'wep' ? 'WEP' : '802.1X'}, which Porchlight does not join. Join it from the Wi-Fi menu.`)
    if (security !== 'open' && passphrase === undefined) return failure({ code: 'wrong-passphrase', message: `"${ssid}" needs a passphrase. Enter it and try again.` })
    const isTemporary = options.isTemporary === true
    const name = netshProfileName(ssid, isTemporary)
    const xml = buildWlanProfileXml({ name, ssid, security, ...(security !== 'open' && passphrase !== undefined ? { passphrase } : {}),
      isOwe: target?.authentication === 'OWE', isTemporary, isHidden: options.isHidden === true })
    const added = await withSecretFile(xml, `${name}.xml`, (path) => netsh(['add', 'profile', `filename=${path}`, `interface=${iface.value.name}`, 'user=current']), deps.tmpDir)
    if (!added.ok) return added
    const addText = added.value.stdout + added.value.stderr
    if (added.value.exitCode !== 0 || classifyNetshText(addText)) {
      return failure(classifyNetshText(addText) ?? { code: 'adapter-failed', message: `Windows did not accept the network profile for "${ssid}". Join it from the Wi-Fi menu.`, detail: addText.trim().slice(0, 300) })
    }
    const joined = await connect(ssid, name, iface.value, startedAt, timeoutMs, security !== 'open')
    if (!joined.ok) await removeProfile(name)
    return joined
  }

  const findProfile = async (ssid: string, iface: NetshInterface): Promise<string | undefined> => {
    const listed = await netsh(['show', 'profiles', `interface=${iface.name}`])
    if (!listed.ok) return undefined
    const names = parseNetshProfiles(listed.value.stdout).filter((n) => !n.startsWith(TEMPORARY_PREFIX))
    // Windows names a profile after its SSID unless someone renamed it; only then read each one (bounded).
    const ordered = [...names.filter((n) => n === ssid), ...names.filter((n) => n !== ssid)].slice(0, 25)
    for (const name of ordered) {
      const shown = await netsh(['show', 'profile', `name=${name}`, `interface=${iface.name}`])
      if (shown.ok && parseNetshProfileSsid(shown.value.stdout) === ssid) return name
    }
    return undefined
  }

  const rejoin = async (ssid: string, options: JoinOptions): Promise<WifiResult<CurrentWifi>> => {
    const startedAt = clock.now()
    const iface = await wifiInterface()
    if (!iface.ok) return iface
    const profile = await findProfile(ssid, iface.value)
    if (!profile) return failure({ code: 'network-not-found', message: `This computer has no saved profile for "${ssid}". Join it from the Wi-Fi menu.` })
    return connect(ssid, profile, iface.value, startedAt, options.timeoutMs ?? deps.joinTimeoutMs ?? 30_000, true)
  }

  const forgetTemporary = async (ssid: string): Promise<WifiResult<void>> => {
    const out = await removeProfile(netshProfileName(ssid, true))
    if (!out.ok) return out
    const text = out.value.stdout + out.value.stderr
    if (out.value.exitCode === 0 || /is not found on any interface|not found/i.test(text)) return success(undefined)
    return failure(classifyNetshText(text) ?? { code: 'adapter-failed', message: `Windows did not remove the temporary profile for "${ssid}". Remove it in Settings › Network › Wi-Fi › Manage known networks.`, detail: text.trim().slice(0, 300) })
  }

  return serialAdapter({ scan, current, join, rejoin, forgetTemporary })
}
