/**
 * Host Wi-Fi on Linux through NetworkManager's nmcli.
 *
 * The passphrase never goes on a command line: any user can read every process's argv from
 * /proc/<pid>/cmdline, so `nmcli device wifi connect X password Y` would publish it. Instead the profile is
 * created without it (`connection add`), and the secret reaches nmcli in a 0600 `passwd-file` that is
 * deleted in `finally` (nmcli(1), `connection up … passwd-file`). Temporary profiles (an accessory's setup
 * AP) are named `porchlight-tmp-<ssid>`, never autoconnect, and keep the secret out of the profile on disk
 * (psk-flags 2, "not saved"), so `forgetTemporary` can find and remove them by name.
 */
import type { CommandOutput } from '../util/exec'
import {
  adapterFailed, failure, serialAdapter, invalidPassphrase, isValidPassphrase, joinTimeout, nodeAddressesOf, notFound, redact, runTool,
  success, unavailable, verifyJoin, withSecretFile, wrongPassphrase, type OsWifiDeps, type WifiAvailability,
} from './adapter-support'
import {
  classifyNmcliFailure, parseConnections, parseConnectionSsids, parseDeviceStatus, parseGeneralStatus, parsePermissions, parseWifiList,
  WIFI_LIST_FIELDS, type NmcliAccessPoint,
} from './nmcli-parse'
import type { CurrentWifi, HostWifi, JoinOptions, WifiNetwork, WifiResult } from './port'

/** Name prefix of the profiles temporary joins create. */
export const TEMPORARY_PREFIX = 'porchlight-tmp-'

/** The profile name a join creates for `ssid`. */
export const nmcliProfileName = (ssid: string, isTemporary: boolean) => `${isTemporary ? TEMPORARY_PREFIX : 'porchlight-'}${ssid}`

type Run = (args: readonly string[], timeoutMs?: number) => Promise<WifiResult<CommandOutput>>

/** Runs nmcli in the C.UTF-8 locale (English errors, untranslated values, UTF-8 SSIDs); 127 = nmcli missing. */
function nmcliRunner(deps: OsWifiDeps): Run {
  return async (args, timeoutMs = 15_000) => {
    const out = await runTool(deps.run, 'env', ['LC_ALL=C.UTF-8', 'nmcli', ...args], timeoutMs)
    if (out.ok && out.value.exitCode === 127) {
      return failure({ code: 'no-wifi-adapter', message: 'nmcli (NetworkManager) is not installed, so Porchlight cannot change this computer\'s Wi-Fi. Join the network from the Wi-Fi menu instead.' })
    }
    return out
  }
}

/** Checks NetworkManager is running, has Wi-Fi hardware switched on, and lets this user control networking. */
export async function probeNmcli(deps: OsWifiDeps): Promise<WifiAvailability> {
  const nmcli = nmcliRunner(deps)
  const general = await nmcli(['-t', '-f', 'RUNNING,STATE,WIFI-HW,WIFI', 'general', 'status'])
  if (!general.ok) return unavailable(general.error)
  if (general.value.exitCode !== 0) return unavailable(classifyNmcliFailure(general.value.exitCode, general.value.stderr, '', 0))
  const status = parseGeneralStatus(general.value.stdout)
  if (!status.ok) return unavailable(status.error)
  if (status.value.wifiHardware === 'missing') return { available: false, code: 'no-wifi-adapter', reason: 'This computer has no Wi-Fi hardware NetworkManager can use. Join the accessory from another computer or phone.' }
  if (!status.value.isWifiEnabled || status.value.wifiHardware === 'disabled') return { available: false, code: 'no-wifi-adapter', reason: 'Wi-Fi is turned off. Turn it on, then try again.' }
  const perms = await nmcli(['-t', 'general', 'permissions'])
  const control = perms.ok ? parsePermissions(perms.value.stdout).get('org.freedesktop.NetworkManager.network-control') : undefined
  if (control === 'no') return { available: false, code: 'not-permitted', reason: 'NetworkManager does not let this user change networks (polkit "network-control"). Ask an administrator, or join from the Wi-Fi menu.' }
  if (control === 'auth') return { available: true, reason: 'NetworkManager will ask for an administrator password before Porchlight changes networks.' }
  return { available: true }
}

/** Creates the nmcli adapter. */
export function createNmcliWifi(deps: OsWifiDeps): HostWifi {
  const { clock } = deps
  const nmcli = nmcliRunner(deps)
  const addressesOf = deps.addressesOf ?? nodeAddressesOf

  const checked = async (args: readonly string[], ssid: string, timeoutMs?: number): Promise<WifiResult<string>> => {
    const out = await nmcli(args, timeoutMs)
    if (!out.ok) return out
    return out.value.exitCode === 0 ? success(out.value.stdout) : failure(classifyNmcliFailure(out.value.exitCode, out.value.stderr, ssid, timeoutMs ?? 0))
  }

  const wifiDevice = async (): Promise<WifiResult<string>> => {
    const out = await checked(['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'status'], '')
    const devices = out.ok ? parseDeviceStatus(out.value) : out
    if (!devices.ok) return devices
    const wifi = devices.value.filter((d) => d.type === 'wifi')
    const usable = wifi.find((d) => d.state !== 'unavailable' && d.state !== 'unmanaged')
    if (usable) return success(usable.device)
    return failure({ code: 'no-wifi-adapter', message: wifi.length ? 'Wi-Fi is turned off or not managed by NetworkManager. Turn it on, then try again.' : 'NetworkManager sees no Wi-Fi device on this computer. Join the network from another device.' })
  }

  const listAps = async (rescan: 'auto' | 'yes' | 'no'): Promise<WifiResult<NmcliAccessPoint[]>> => {
    const out = await nmcli(['-t', '-f', WIFI_LIST_FIELDS, 'device', 'wifi', 'list', '--rescan', rescan], 30_000)
    if (!out.ok) return out
    // NM refuses a forced scan right after another one or while the radio is busy; the cached list is still good.
    if (out.value.exitCode !== 0 && rescan !== 'no' && /Scanning not allowed/i.test(out.value.stderr)) return listAps('no')
    if (out.value.exitCode !== 0) return failure(classifyNmcliFailure(out.value.exitCode, out.value.stderr, '', 0))
    return parseWifiList(out.value.stdout)
  }

  const findAp = async (ssid: string): Promise<WifiResult<NmcliAccessPoint | undefined>> => {
    for (const rescan of ['auto', 'yes'] as const) {
      const aps = await listAps(rescan)
      if (!aps.ok) return aps
      const best = aps.value.filter((a) => a.ssid === ssid).sort((a, b) => b.signal - a.signal)[0]
      if (best) return success(best)
    }
    return success(undefined)
  }

  const current = async (): Promise<WifiResult<CurrentWifi | null>> => {
    const aps = await listAps('no')
    if (!aps.ok) return aps
    const active = aps.value.find((a) => a.isActive && a.ssid !== null)
    return success(active ? { ssid: active.ssid ?? '', interfaceName: active.device, ...(active.bssid ? { bssid: active.bssid } : {}) } : null)
  }

  const scan = async (): Promise<WifiResult<WifiNetwork[]>> => {
    const aps = await listAps('auto')
    if (!aps.ok) return aps
    const best = new Map<string, NmcliAccessPoint>()
    for (const ap of aps.value) if (ap.ssid !== null && (best.get(ap.ssid)?.signal ?? -1) < ap.signal) best.set(ap.ssid, ap)
    return success([...best.values()].map((ap) => ({
      ssid: ap.ssid ?? '',
      signal: ap.signal,
      security: ap.security,
      ...(ap.bssid ? { bssid: ap.bssid } : {}),
      ...(ap.channel !== undefined ? { channel: ap.channel } : {}),
    })))
  }

  const remove = (name: string) => nmcli(['connection', 'delete', 'id', name])

  /** Brings a profile up within the join's time, then waits for the OS to report the network with an address. */
  const activate = async (ssid: string, selector: string[], device: string, startedAt: number, timeoutMs: number, passphrase?: string): Promise<WifiResult<CurrentWifi>> => {
    const seconds = Math.max(1, Math.ceil((startedAt + timeoutMs - clock.now()) / 1000))
    const args = ['--wait', String(seconds), 'connection', 'up', ...selector, 'ifname', device]
    const up = passphrase === undefined
      ? await nmcli(args, (seconds + 5) * 1000)
      : await withSecretFile(`802-11-wireless-security.psk:${passphrase}\n`, 'psk', (path) => nmcli([...args, 'passwd-file', path], (seconds + 5) * 1000), deps.tmpDir)
    if (!up.ok) return up
    if (up.value.exitCode !== 0) {
      const error = classifyNmcliFailure(up.value.exitCode, redact(up.value.stderr, [passphrase]), ssid, clock.now() - startedAt)
      return error.code === 'join-timeout' ? joinTimeout(ssid, clock.now() - startedAt) : failure(error)
    }
    const probe = async () => {
      const seen = await current()
      return seen.ok ? success(seen.value?.ssid === ssid ? seen.value : null) : seen
    }
    return verifyJoin({ ssid, probe, addressesOf, clock, startedAt, timeoutMs, pollMs: deps.pollMs ?? 500 })
  }

  const join = async (ssid: string, passphrase: string | undefined, options: JoinOptions): Promise<WifiResult<CurrentWifi>> => {
    const startedAt = clock.now()
    const timeoutMs = options.timeoutMs ?? deps.joinTimeoutMs ?? 30_000
    if (passphrase !== undefined && !isValidPassphrase(passphrase)) return invalidPassphrase(ssid)
    const device = await wifiDevice()
    if (!device.ok) return device
    let ap: NmcliAccessPoint | undefined
    if (!options.isHidden) {
      const found = await findAp(ssid)
      if (!found.ok) return found
      if (!found.value) return notFound(ssid)
      ap = found.value
    }
    const security = securityArgs(ssid, ap, passphrase, options.isTemporary === true)
    if (!security.ok) return security
    const name = nmcliProfileName(ssid, options.isTemporary === true)
    await remove(name) // a leftover from an interrupted run would make `id <name>` ambiguous
    const added = await checked(['connection', 'add', 'type', 'wifi', 'con-name', name, 'ifname', device.value, 'ssid', ssid,
      'connection.autoconnect', options.isTemporary ? 'no' : 'yes', ...(options.isHidden ? ['802-11-wireless.hidden', 'yes'] : []), ...security.value], ssid)
    if (!added.ok) return added
    const usesKey = security.value.includes('802-11-wireless-security.psk-flags')
    const joined = await activate(ssid, ['id', name], device.value, startedAt, timeoutMs, usesKey ? passphrase : undefined)
    if (!joined.ok) await remove(name) // a profile that never worked is no use to anyone
    return joined
  }

  const rejoin = async (ssid: string, options: JoinOptions): Promise<WifiResult<CurrentWifi>> => {
    const startedAt = clock.now()
    const device = await wifiDevice()
    if (!device.ok) return device
    const listed = await checked(['-t', '-f', 'NAME,UUID,TYPE,TIMESTAMP', 'connection', 'show'], ssid)
    const all = listed.ok ? parseConnections(listed.value) : listed
    if (!all.ok) return all
    const saved = all.value.filter((c) => c.type === '802-11-wireless' && !c.name.startsWith(TEMPORARY_PREFIX))
    const details = saved.length ? await checked(['-t', '-f', 'connection.uuid,802-11-wireless.ssid', 'connection', 'show', ...saved.flatMap((c) => ['uuid', c.uuid])], ssid) : success('')
    if (!details.ok) return details
    const ssids = parseConnectionSsids(details.value)
    const [profile] = saved.filter((c) => ssids.get(c.uuid) === ssid).sort((a, b) => b.timestamp - a.timestamp)
    if (!profile) return failure({ code: 'network-not-found', message: `This computer has no saved profile for "${ssid}". Join it from the Wi-Fi menu.` })
    const joined = await activate(ssid, ['uuid', profile.uuid], device.value, startedAt, options.timeoutMs ?? deps.joinTimeoutMs ?? 30_000)
    if (!joined.ok && joined.error.code === 'wrong-passphrase') return wrongPassphrase(ssid)
    return joined
  }

  const forgetTemporary = async (ssid: string): Promise<WifiResult<void>> => {
    const out = await remove(nmcliProfileName(ssid, true))
    if (!out.ok) return out
    // Exit 10: no such profile — already gone, which is what we wanted.
    if (out.value.exitCode === 0 || out.value.exitCode === 10) return success(undefined)
    return failure(classifyNmcliFailure(out.value.exitCode, out.value.stderr, ssid, 0))
  }

  return serialAdapter({ scan, current, join, rejoin, forgetTemporary })
}

/** The `802-11-wireless-security.*` arguments for a join, from what the scan said (hidden: from the passphrase). */
function securityArgs(ssid: string, ap: NmcliAccessPoint | undefined, passphrase: string | undefined, isTemporary: boolean): WifiResult<string[]> {
  const security = ap?.security ?? (passphrase === undefined ? 'open' : 'wpa2-psk')
  if (security === 'enterprise') return adapterFailed(`"${ssid}" is an enterprise (802.1X) network; join it from the Wi-Fi menu.`)
  if (security === 'wep') return adapterFailed(`"${ssid}" uses WEP, which Porchlight does not join. Join it from the Wi-Fi menu.`)
  if (security === 'open') return success(ap && /\bOWE\b/.test(ap.securityText) ? ['802-11-wireless-security.key-mgmt', 'owe'] : [])
  if (passphrase === undefined) return failure({ code: 'wrong-passphrase', message: `"${ssid}" needs a passphrase. Enter it and try again.` })
  // psk-flags 2 = NM_SETTING_SECRET_FLAG_NOT_SAVED: the secret of a temporary profile never reaches the disk.
  return success(['802-11-wireless-security.key-mgmt', security === 'wpa3-sae' ? 'sae' : 'wpa-psk', '802-11-wireless-security.psk-flags', isTemporary ? '2' : '0'])
}
