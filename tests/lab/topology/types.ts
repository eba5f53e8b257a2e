/**
 * The lab's public shapes: what a test asks for (LabOptions) and what it gets back (Lab). Other lab
 * pieces (the simulated accessory, responders, control services) rely on these names and addresses.
 */
import type { ChildProcess } from 'node:child_process'
import type { HostWifi } from '../../../main/wifi/port'
import type { LabWifiNetwork } from '../../../main/wifi/lab-adapter'
import type { AvahiPeer } from '../peers/avahi'
import type { ZeroconfPeer } from '../peers/zeroconf'

/** One simulated accessory to build. */
export interface AccessorySpec {
  /** [a-z0-9]{1,6}; unique within the lab. */
  id: string
  /** The accessory runs its own provisioning AP (default true). */
  hasAp?: boolean
  /** Default `PROV_<ID in upper case>`. */
  apSsid?: string
  /** undefined = open AP; otherwise 8–63 characters (WPA2-PSK). */
  apPassphrase?: string
  /** sta0 starts up on the home network (default false: the accessory process joins later). */
  startOnHome?: boolean
  /** No IPv4 address on the home network: link-local and ULA IPv6 only. */
  ipv6Only?: boolean
  /** Signal 0–100 the lab adapter reports for this AP. */
  signal?: number
}

/** What to build. */
export interface LabOptions {
  accessories: AccessorySpec[]
  peers?: { avahi?: boolean; zeroconf?: boolean }
  home?: { ssid?: string; passphrase?: string }
  /** Settings of the lab host-Wi-Fi adapter (`lab.wifi`). */
  wifi?: { wrongPassphraseDelayMs?: number; joinTimeoutMs?: number }
  /** 'fast' (default) shortens IPv6 DAD to ~0.1 s; 'kernel' keeps the kernel's 1–2 s. */
  dad?: 'fast' | 'kernel'
  /** Give up building after this long and tear down (default 10 000 ms). */
  buildTimeoutMs?: number
}

/** `ip` argument lists a process inside an accessory namespace runs to change its own links. */
export interface AccessoryLinkCommands {
  /** Brings sta0 up on br-home with its addresses and multicast route (an admin-down link loses its routes). */
  joinHome: string[][]
  /** Takes sta0 down. */
  leaveHome: string[][]
  /** Takes ap0 down: the AP "vanishes" from scans and the app's association on it drops. */
  apOff: string[][]
  /** Brings ap0 back with its address and multicast route. */
  apOn: string[][]
}

/** A simulated accessory's namespace and links. */
export interface LabAccessoryNode {
  id: string
  ns: string
  ap?: { ssid: string; passphrase?: string; bridge: string; ifname: 'ap0'; address4: string; subnet4: string }
  sta: { ifname: 'sta0'; homeAddress4?: string; homeAddress6: string }
  commands: AccessoryLinkCommands
}

/** Netem-like conditions on a node's link(s); each direction gets them independently. */
export interface LinkConditions {
  lossPct?: number
  /** Added one way, so a round trip grows by twice this. */
  delayMs?: number
  jitterMs?: number
}

/** Result of `lab.exec`: a non-zero exit is a value, not an exception. */
export interface LabExecResult {
  stdout: string
  stderr: string
  code: number
}

/** Options of `lab.exec`. */
export interface LabExecOptions {
  timeoutMs?: number
  env?: Record<string, string>
}

/** What peers need from the lab to run their processes. */
export interface LabProcesses {
  exec(ns: string, file: string, args: string[], opts?: LabExecOptions): Promise<LabExecResult>
  spawn(ns: string, file: string, args: string[], opts?: LabSpawnOptions): ChildProcess
  /** Stops one spawned process by PID and waits for it. */
  stop(child: ChildProcess): Promise<void>
}

/** Options of `lab.spawn`. */
export interface LabSpawnOptions {
  env?: Record<string, string>
}

/** A built lab; always `dispose()` it in `finally` / `afterAll`. */
export interface Lab {
  /** 'plx-<pid>-<n>': every namespace name starts with it (links live only inside these namespaces). */
  prefix: string
  /** Every namespace of the lab, nodes first and the switch last. */
  namespaces: string[]
  /** Holds every bridge (br-home, br-ap-<id>), so the host's own interfaces are never touched. */
  switchNs: string
  app: { ns: string; ifname: 'wlan0'; address4: '198.18.0.2'; address6: string }
  home: { ssid: string; passphrase: string; bridge: 'br-home'; subnet4: '198.18.0.0/24'; subnet6: string }
  accessories: LabAccessoryNode[]
  peers: { avahi?: AvahiPeer; zeroconf?: ZeroconfPeer }
  /** The lab host-Wi-Fi adapter for the app namespace. */
  wifi: HostWifi
  /**
   * What a process inside the app namespace needs to build its own lab Wi-Fi adapter (the web host or CLI
   * under test): networks with passphrases — write it to a 0600 file, never to argv or logs.
   */
  wifiConfig(): { switchNs: string; appNs: string; ifname: string; switchPort: string; networks: LabWifiNetwork[]; knownNetworks: string[]; wrongPassphraseDelayMs?: number; joinTimeoutMs?: number }
  /** Milliseconds each build phase took. */
  timings: Record<string, number>
  /** Runs `file` inside `ns` and waits (default timeout 10 s). */
  exec(ns: string, file: string, args: string[], opts?: LabExecOptions): Promise<LabExecResult>
  /** Starts `file` inside `ns` with piped stdio (drain stdout/stderr); killed by PID on dispose. */
  spawn(ns: string, file: string, args: string[], opts?: LabSpawnOptions): ChildProcess
  /** Delay/jitter/loss on a node's link(s) ('app', an accessory id, 'avahi' or 'zeroconf'); null clears. */
  setLinkConditions(node: string, conditions: LinkConditions | null): Promise<void>
  /** Stops everything and deletes every namespace; idempotent, never throws. */
  dispose(): Promise<void>
}
