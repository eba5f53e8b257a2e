/**
 * The host-Wi-Fi port: what onboarding needs from the computer's Wi-Fi, implemented by the nmcli, netsh
 * and macOS adapters and by the lab adapter, so the onboarding flow runs unchanged against any of them.
 *
 * A join resolves only when the OS reports the computer associated and addressed on that network; callers
 * still verify reachability themselves (an exit code alone proves nothing, see docs/product.md).
 */

/** Security of a Wi-Fi network as scans report it. */
export type WifiSecurity = 'open' | 'wep' | 'wpa-psk' | 'wpa2-psk' | 'wpa3-sae' | 'wpa2-wpa3' | 'enterprise' | 'unknown'

/** One network seen by a scan. */
export interface WifiNetwork {
  ssid: string
  bssid?: string
  /** Signal quality 0–100 (what nmcli/netsh report); dBm where the OS gives it. */
  signal: number
  rssiDbm?: number
  security: WifiSecurity
  channel?: number
}

/** The network the computer's Wi-Fi is on now. */
export interface CurrentWifi {
  ssid: string
  /** The OS interface carrying it (e.g. wlan0, en0, "Wi-Fi"). */
  interfaceName: string
  bssid?: string
}

/** Why a Wi-Fi operation failed; codes are kebab-case, messages say what to do next. */
export type WifiError =
  | { code: 'wrong-passphrase'; message: string }
  | { code: 'network-not-found'; message: string }
  | { code: 'join-timeout'; message: string; afterMs: number }
  | { code: 'not-permitted'; message: string }
  | { code: 'no-wifi-adapter'; message: string }
  | { code: 'adapter-failed'; message: string; detail?: string }

/** A value or a WifiError. */
export type WifiResult<T> = { ok: true; value: T } | { ok: false; error: WifiError }

/** Options for a join. */
export interface JoinOptions {
  /** Give up after this long; the adapter reports `join-timeout`. */
  timeoutMs?: number
  /** The network is hidden (not in scans). */
  isHidden?: boolean
  /**
   * An accessory's setup AP: the adapter must not make it a network the OS joins by itself later (nmcli
   * `autoconnect no`, netsh `connectionmode=manual`) and removes what it created in `forgetTemporary`.
   */
  isTemporary?: boolean
}

/** Host Wi-Fi control. */
export interface HostWifi {
  /** Networks in range now. */
  scan(): Promise<WifiResult<WifiNetwork[]>>
  /** The current network, or null when not associated. */
  current(): Promise<WifiResult<CurrentWifi | null>>
  /** Joins `ssid`; the passphrase is never logged or put into an error. */
  join(ssid: string, passphrase: string | undefined, options?: JoinOptions): Promise<WifiResult<CurrentWifi>>
  /**
   * Rejoins a network the OS already holds credentials for (the user's original network): nmcli
   * `connection up`, netsh `connect name=`, macOS's preferred-network list. No passphrase passes through us.
   */
  rejoin(ssid: string, options?: JoinOptions): Promise<WifiResult<CurrentWifi>>
  /** Removes the OS profile a temporary join created (idempotent; a missing profile is success). */
  forgetTemporary(ssid: string): Promise<WifiResult<void>>
  dispose(): void
}
