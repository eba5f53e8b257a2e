/**
 * Host Wi-Fi for the lab (docs/lab.md): the app host's "radio" is a veth whose peer sits in the lab's
 * switch namespace; joining a network re-masters that peer onto the network's bridge and addresses
 * wlan0, as an association plus DHCP would. Only `ip` is run, and the passphrase never reaches it: it is
 * compared in-process, so it cannot leak through a command line, an error or a log.
 *
 * Like a real OS it keeps profiles: a non-temporary join remembers the network (so `rejoin` works later,
 * as `nmcli connection up` would); a temporary join keeps a separate, throw-away profile that never counts
 * for `rejoin` and that `forgetTemporary` drops.
 */
import type { Clock } from '../util/clock'
import type { RunCommand } from '../util/exec'
import type { CurrentWifi, HostWifi, JoinOptions, WifiError, WifiNetwork, WifiResult } from './port'

/** One network of the lab, as the adapter sees it. */
export interface LabWifiNetwork {
  ssid: string
  /** undefined = open network. */
  passphrase?: string
  /** Its bridge in the switch namespace. */
  bridge: string
  /** 0–100, reported by scans. */
  signal: number
  /** The app's address on it, CIDR (e.g. 198.19.1.2/24). */
  address4?: string
  /** An extra IPv6 address (ULA), CIDR; link-local comes by itself. */
  address6?: string
  /** Switch-side link whose carrier means "the AP is on air"; absent = always on air. */
  beaconLink?: string
  bssid?: string
  channel?: number
}

/** What the lab adapter needs. */
export interface LabWifiOptions {
  run: RunCommand
  clock: Clock
  switchNs: string
  appNs: string
  /** The app's Wi-Fi interface in `appNs` (wlan0). */
  ifname: string
  /** The app's bridge port in `switchNs`; a function when the lab may swap it (link conditions relay). */
  switchPort: string | (() => string)
  networks: readonly LabWifiNetwork[]
  /** How long a rejected passphrase takes to be reported, like a real 4-way handshake timing out (default 1500). */
  wrongPassphraseDelayMs?: number
  /** Default bound of a join (default 8000). */
  joinTimeoutMs?: number
  /** Poll interval while waiting for addresses (default 50). */
  pollMs?: number
  /**
   * SSIDs the lab "OS" already holds credentials for, as a laptop that was on them before (the lab's home
   * network): `rejoin` works for these and for networks joined non-temporarily in this process.
   */
  knownNetworks?: readonly string[]
}

/** The lab adapter: a HostWifi that also shows the profiles its "OS" holds, for tests to assert on. */
export interface LabHostWifi extends HostWifi {
  /** SSIDs `rejoin` can use, and SSIDs with a temporary profile not yet forgotten. */
  profiles(): { known: string[]; temporary: string[] }
}

interface LinkState {
  isUp: boolean
  master?: string
}

type Step<T> = { ok: true; value: T } | { ok: false; error: WifiError }

const failed = (detail: string): { ok: false; error: WifiError } => ({
  ok: false,
  error: { code: 'adapter-failed', message: 'The lab network did not respond as expected; rebuild the lab (npm run lab) and try again.', detail },
})

/** Parses `ip -j link show` output into name → state; undefined if it is not that shape. */
export function parseLinks(json: string): Map<string, LinkState> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed)) return undefined
  const links = new Map<string, LinkState>()
  for (const item of parsed as Record<string, unknown>[]) {
    if (typeof item?.ifname !== 'string') continue
    const flags = Array.isArray(item.flags) ? (item.flags as unknown[]) : []
    const isUp = flags.includes('UP') && flags.includes('LOWER_UP')
    links.set(item.ifname, typeof item.master === 'string' ? { isUp, master: item.master } : { isUp })
  }
  return links
}

/** True when `ip -j -6 addr show dev X` lists a link-local address and nothing still in DAD. */
export function isIpv6Settled(json: string): boolean {
  try {
    const [dev] = JSON.parse(json) as { addr_info?: { scope?: string; tentative?: boolean; dadfailed?: boolean }[] }[]
    const addrs = dev?.addr_info ?? []
    return addrs.some((a) => a.scope === 'link') && !addrs.some((a) => a.tentative === true || a.dadfailed === true)
  } catch {
    return false
  }
}

/** Creates the lab host-Wi-Fi adapter. */
export function createLabWifi(options: LabWifiOptions): LabHostWifi {
  const { run, clock, switchNs, appNs, ifname } = options
  const port = typeof options.switchPort === 'function' ? options.switchPort : () => options.switchPort as string
  const pollMs = options.pollMs ?? 50
  const known = new Set(options.knownNetworks ?? [])
  const temporary = new Set<string>()
  let chain: Promise<unknown> = Promise.resolve()
  let isDisposed = false

  // One operation at a time: a scan during a join must not see the port between bridges.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn)
    chain = next.catch(() => undefined)
    return next
  }
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms))

  const ip = async (ns: string, args: readonly string[]): Promise<Step<string>> => {
    const argv = ['-n', ns, ...args]
    try {
      const out = await run('ip', argv, { timeoutMs: 5000 })
      return out.exitCode === 0 ? { ok: true, value: out.stdout } : failed(`ip ${argv.join(' ')}: ${out.stderr.trim()}`)
    } catch (error) {
      return failed(`ip ${argv.join(' ')}: ${(error as Error).message}`)
    }
  }

  const switchLinks = async (): Promise<Step<Map<string, LinkState>>> => {
    const out = await ip(switchNs, ['-j', 'link', 'show'])
    if (!out.ok) return out
    const links = parseLinks(out.value)
    return links ? { ok: true, value: links } : failed('ip -j link show: unreadable output')
  }

  const isOnAir = (network: LabWifiNetwork, links: Map<string, LinkState>) =>
    network.beaconLink === undefined || links.get(network.beaconLink)?.isUp === true

  const toCurrent = (network: LabWifiNetwork): CurrentWifi => ({ ssid: network.ssid, interfaceName: ifname, ...(network.bssid ? { bssid: network.bssid } : {}) })

  const scan = async (): Promise<WifiResult<WifiNetwork[]>> => {
    const links = await switchLinks()
    if (!links.ok) return links
    const seen = options.networks.filter((n) => isOnAir(n, links.value))
    return {
      ok: true,
      value: seen.map((n) => ({
        ssid: n.ssid,
        signal: n.signal,
        security: n.passphrase === undefined ? 'open' : 'wpa2-psk',
        ...(n.bssid ? { bssid: n.bssid } : {}),
        ...(n.channel !== undefined ? { channel: n.channel } : {}),
      })),
    }
  }

  const current = async (): Promise<WifiResult<CurrentWifi | null>> => {
    const links = await switchLinks()
    if (!links.ok) return links
    const wlan = await ip(appNs, ['-j', 'link', 'show', 'dev', ifname])
    if (!wlan.ok) return wlan
    if (!parseLinks(wlan.value)?.get(ifname)?.isUp) return { ok: true, value: null }
    const master = links.value.get(port())?.master
    const network = options.networks.find((n) => n.bridge === master)
    // An AP that went off air drops its stations: the app is associated with nothing.
    return { ok: true, value: network && isOnAir(network, links.value) ? toCurrent(network) : null }
  }

  const waitSettled = async (deadline: number): Promise<boolean> => {
    for (;;) {
      const out = await ip(appNs, ['-j', '-6', 'addr', 'show', 'dev', ifname])
      if (out.ok && isIpv6Settled(out.value)) return true
      if (clock.now() >= deadline) return false
      await sleep(pollMs)
    }
  }

  const associate = async (network: LabWifiNetwork, timeoutMs: number): Promise<WifiResult<CurrentWifi>> => {
    const started = clock.now()
    // Down first so IPv6 link-local is regenerated (and re-checked by DAD) on the new network, as on a real re-association.
    const steps: [string, string[]][] = [
      [appNs, ['link', 'set', ifname, 'down']],
      [appNs, ['addr', 'flush', 'dev', ifname]],
      [switchNs, ['link', 'set', port(), 'master', network.bridge]],
      [appNs, ['link', 'set', ifname, 'up']],
      ...(network.address4 ? [[appNs, ['addr', 'add', network.address4, 'dev', ifname]] as [string, string[]]] : []),
      ...(network.address6 ? [[appNs, ['addr', 'add', network.address6, 'dev', ifname, 'nodad']] as [string, string[]]] : []),
      // The namespace has no default route; without this one multicast (mDNS) goes nowhere (docs/lab.md).
      [appNs, ['route', 'replace', '224.0.0.0/4', 'dev', ifname]],
    ]
    for (const [ns, args] of steps) {
      const out = await ip(ns, args)
      if (!out.ok) return out
    }
    if (!(await waitSettled(started + timeoutMs))) {
      const afterMs = Math.round(clock.now() - started)
      const message = `Joined "${network.ssid}" but the connection was not usable within ${Math.round(timeoutMs / 1000)} s. Move closer to it and try again.`
      return { ok: false, error: { code: 'join-timeout', afterMs, message } }
    }
    return { ok: true, value: toCurrent(network) }
  }

  const join = async (ssid: string, passphrase: string | undefined, joinOptions: JoinOptions = {}): Promise<WifiResult<CurrentWifi>> => {
    const links = await switchLinks()
    if (!links.ok) return links
    const network = options.networks.find((n) => n.ssid === ssid && isOnAir(n, links.value))
    if (!network) {
      return { ok: false, error: { code: 'network-not-found', message: `No network named "${ssid}" is in range. Check the name, move closer to it, and try again.` } }
    }
    if (network.passphrase !== undefined && passphrase !== network.passphrase) {
      await sleep(options.wrongPassphraseDelayMs ?? 1500)
      return { ok: false, error: { code: 'wrong-passphrase', message: `The network "${ssid}" did not accept the passphrase. Check it and try again.` } }
    }
    const joined = await associate(network, joinOptions.timeoutMs ?? options.joinTimeoutMs ?? 8000)
    if (joined.ok && joinOptions.isTemporary) temporary.add(ssid)
    else if (joined.ok) known.add(ssid)
    return joined
  }

  const rejoin = async (ssid: string, joinOptions: JoinOptions = {}): Promise<WifiResult<CurrentWifi>> => {
    if (!known.has(ssid)) {
      return { ok: false, error: { code: 'network-not-found', message: `This computer has no saved profile for "${ssid}". Join it from the Wi-Fi menu.` } }
    }
    const links = await switchLinks()
    if (!links.ok) return links
    const network = options.networks.find((n) => n.ssid === ssid && isOnAir(n, links.value))
    if (!network) {
      return { ok: false, error: { code: 'network-not-found', message: `"${ssid}" is not in range. Move closer to it, or join it from the Wi-Fi menu.` } }
    }
    // The OS holds the credentials: no passphrase passes through here, as with `nmcli connection up`.
    return associate(network, joinOptions.timeoutMs ?? options.joinTimeoutMs ?? 8000)
  }

  const forgetTemporary = async (ssid: string): Promise<WifiResult<void>> => {
    temporary.delete(ssid)
    return { ok: true, value: undefined }
  }

  const guard = <T>(fn: () => Promise<WifiResult<T>>): Promise<WifiResult<T>> =>
    isDisposed ? Promise.resolve({ ok: false, error: { code: 'no-wifi-adapter', message: 'The lab Wi-Fi adapter was closed; start the lab again.' } }) : serial(fn)

  return {
    scan: () => guard(scan),
    current: () => guard(current),
    join: (ssid, passphrase, joinOptions) => guard(() => join(ssid, passphrase, joinOptions)),
    rejoin: (ssid, joinOptions) => guard(() => rejoin(ssid, joinOptions)),
    forgetTemporary: (ssid) => guard(() => forgetTemporary(ssid)),
    profiles: () => ({ known: [...known], temporary: [...temporary] }),
    dispose: () => {
      isDisposed = true
    },
  }
}
