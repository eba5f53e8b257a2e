/**
 * The lab's layout as data: names, addresses, SSIDs and commands decided before anything is built, so a
 * bad spec fails before the kernel is touched and teardown knows every name even after a partial build.
 */
import type { AccessoryLinkCommands, AccessorySpec, LabOptions } from './types'

/** Home ULA prefix (fd00::/8 as docs/lab.md allows; "plx" in the middle). */
export const HOME_ULA = 'fd00:706c:78::'
const MAX_ACCESSORIES = 32
const ID = /^[a-z0-9]{1,6}$/

/** One planned accessory. */
export interface PlannedAccessory {
  id: string
  k: number
  ns: string
  startOnHome: boolean
  signal: number
  ap?: { ssid: string; passphrase?: string; bridge: string; port: string; address4: string; subnet4: string }
  sta: { port: string; homeAddress4?: string; homeAddress6: string }
  commands: AccessoryLinkCommands
}

/** One planned reference peer on br-home. */
export interface PlannedPeer {
  ns: string
  port: string
  address4: string
  address6: string
  hostName: string
}

/** The whole planned lab. */
export interface LabPlan {
  prefix: string
  switchNs: string
  app: { ns: string; port: string; address4: '198.18.0.2'; address6: string }
  home: { ssid: string; passphrase: string; signal: number }
  accessories: PlannedAccessory[]
  peers: { avahi?: PlannedPeer; zeroconf?: PlannedPeer }
  /** Every namespace, nodes first and the switch last (the order teardown deletes them in). */
  namespaces: string[]
}

function fail(message: string): never {
  throw new TypeError(`createLab: ${message}`)
}

function checkPassphrase(what: string, passphrase: string): void {
  // WPA2-PSK passphrases are 8–63 printable ASCII characters (IEEE 802.11i, annex H.4).
  if (!/^[\x20-\x7e]{8,63}$/.test(passphrase)) fail(`${what} must be 8–63 printable ASCII characters`)
}

function checkSsid(ssid: string): void {
  const bytes = Buffer.byteLength(ssid, 'utf8')
  if (bytes < 1 || bytes > 32) fail(`SSID "${ssid}" must be 1–32 bytes`)
}

function accessoryCommands(apAddress: string | undefined, sta: PlannedAccessory['sta']): AccessoryLinkCommands {
  const joinHome = [['link', 'set', 'sta0', 'up']]
  if (sta.homeAddress4) joinHome.push(['addr', 'replace', `${sta.homeAddress4}/24`, 'dev', 'sta0'])
  joinHome.push(['addr', 'replace', `${sta.homeAddress6}/64`, 'dev', 'sta0', 'nodad'])
  // Two routes to 224.0.0.0/4: the lower metric (home) is the default for sends without IP_MULTICAST_IF.
  joinHome.push(['route', 'replace', '224.0.0.0/4', 'dev', 'sta0', 'metric', '10'])
  const apOn = apAddress
    ? [['link', 'set', 'ap0', 'up'], ['addr', 'replace', `${apAddress}/24`, 'dev', 'ap0'], ['route', 'replace', '224.0.0.0/4', 'dev', 'ap0', 'metric', '20']]
    : []
  return { joinHome, leaveHome: [['link', 'set', 'sta0', 'down']], apOff: apAddress ? [['link', 'set', 'ap0', 'down']] : [], apOn }
}

function planAccessory(prefix: string, spec: AccessorySpec, k: number): PlannedAccessory {
  if (!ID.test(spec.id)) fail(`accessory id "${spec.id}" must match [a-z0-9]{1,6}`)
  const signal = spec.signal ?? Math.max(20, 75 - 5 * (k - 1))
  if (!(signal >= 0 && signal <= 100)) fail(`signal of "${spec.id}" must be 0–100`)
  const hasAp = spec.hasAp ?? true
  let ap: PlannedAccessory['ap']
  if (hasAp) {
    const ssid = spec.apSsid ?? `PROV_${spec.id.toUpperCase()}`
    checkSsid(ssid)
    if (spec.apPassphrase !== undefined) checkPassphrase(`AP passphrase of "${spec.id}"`, spec.apPassphrase)
    ap = {
      ssid,
      ...(spec.apPassphrase !== undefined ? { passphrase: spec.apPassphrase } : {}),
      bridge: `br-ap-${spec.id}`,
      port: `p-${spec.id}-ap`,
      address4: `198.19.${k}.1`,
      subnet4: `198.19.${k}.0/24`,
    }
  }
  const sta = {
    port: `p-${spec.id}-sta`,
    ...(spec.ipv6Only ? {} : { homeAddress4: `198.18.0.${10 + k}` }),
    homeAddress6: `${HOME_ULA}${(10 + k).toString(16)}`,
  }
  const commands = accessoryCommands(ap?.address4, sta)
  return { id: spec.id, k, ns: `${prefix}-a-${spec.id}`, startOnHome: spec.startOnHome ?? false, signal, ...(ap ? { ap } : {}), sta, commands }
}

/** Validates `options` and lays the lab out; throws TypeError on a bad spec. */
export function planLab(prefix: string, options: LabOptions): LabPlan {
  if (!Array.isArray(options.accessories)) fail('accessories must be an array')
  if (options.accessories.length > MAX_ACCESSORIES) fail(`at most ${MAX_ACCESSORIES} accessories`)
  const ids = new Set<string>()
  const ssids = new Set<string>()
  const home = { ssid: options.home?.ssid ?? 'PorchlightHome', passphrase: options.home?.passphrase ?? 'porch-light-home', signal: 80 }
  checkSsid(home.ssid)
  checkPassphrase('home passphrase', home.passphrase)
  ssids.add(home.ssid)
  const accessories = options.accessories.map((spec, i) => {
    const planned = planAccessory(prefix, spec, i + 1)
    if (ids.has(spec.id)) fail(`duplicate accessory id "${spec.id}"`)
    ids.add(spec.id)
    if (planned.ap) {
      if (ssids.has(planned.ap.ssid)) fail(`duplicate SSID "${planned.ap.ssid}"`)
      ssids.add(planned.ap.ssid)
    }
    return planned
  })
  const peer = (name: string, port: string, host: number): PlannedPeer => ({
    ns: `${prefix}-${name}`,
    port,
    address4: `198.18.0.${host}`,
    address6: `${HOME_ULA}${host}`,
    hostName: `plx-${name}-${prefix.split('-').slice(1).join('-')}`,
  })
  const peers: LabPlan['peers'] = {}
  if (options.peers?.avahi) peers.avahi = peer('avahi', 'p-avahi', 3)
  if (options.peers?.zeroconf) peers.zeroconf = peer('zc', 'p-zc', 4)
  const app = { ns: `${prefix}-app`, port: 'p-app', address4: '198.18.0.2' as const, address6: `${HOME_ULA}2` }
  const namespaces = [app.ns, ...accessories.map((a) => a.ns), ...[peers.avahi, peers.zeroconf].flatMap((p) => (p ? [p.ns] : []))]
  return { prefix, switchNs: `${prefix}-sw`, app, home, accessories, peers, namespaces: [...namespaces, `${prefix}-sw`] }
}
