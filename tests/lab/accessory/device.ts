/**
 * One simulated accessory: the provisioning HTTP transport, its Wi-Fi station, what happens to its networks
 * after a join (leave the AP, appear on the home LAN with mDNS and the control service), and the fault
 * switches. Network side effects go through `NetworkEffects`, so the same device runs in a lab namespace,
 * under `npm run sim` (no network changes), and in-process in unit tests.
 */
import type { Clock, TimerHandle } from '../../../main/util/clock'
import type { AccessoryConfig, Faults } from './config'
import { createEndpoints } from './endpoints'
import { startHttpTransport, type EndpointReply, type HttpTransport } from './http-transport'
import { createLocalCtrl } from './local-ctrl'
import { checkReaddress, type ReaddressCheck } from './readdress'
import { createStation, type Station } from './station'

/** What joining and leaving networks does for this device. */
export interface NetworkEffects {
  /** Brings the station up on the home network; resolves to its IPv4 address (or a placeholder). */
  joinHome(): Promise<string>
  /** Takes the SoftAP down (the AP "vanishes"). */
  leaveAp(): Promise<void>
  /** Brings the SoftAP back (after a reboot of an unprovisioned device). */
  restoreAp(): Promise<void>
  /** Addresses to serve HTTP on once on the home network (empty: no home listener, e.g. `npm run sim`). */
  homeHosts(): Promise<string[]>
  /** Starts home-network services (mDNS advertisement, control service). */
  startHomeServices(): Promise<void>
  /** Stops them: `goodbye` sends mDNS goodbyes, otherwise the device just goes silent. */
  stopHomeServices(how: 'goodbye' | 'silent'): Promise<void>
  /** Renumbers the home IPv4 from `from` to `to` (a new DHCP lease); absent where no network changes (`npm run sim`). */
  renumberHome?(from: string, to: string): Promise<void>
  /** Moves running home services (control service, mDNS records) to the link's current addresses. */
  readdressHomeServices?(): Promise<void>
  /** Applies the fault switches that live in home services (mDNS oddities, control stall). */
  applyServiceFaults(faults: Faults): void
}

/** What the device reports; never carries a PoP, passphrase or key. */
export type DeviceEvent =
  | { event: 'ready'; port: number }
  | { event: 'request'; endpoint: string; session: number; isNew: boolean }
  | { event: 'refused'; endpoint: string; status: number | 'drop'; reason: string }
  | { event: 'session-ended'; session: number }
  | { event: 'station'; state: string; ssid?: string; reason?: string }
  | { event: 'joined-home'; ip4: string }
  | { event: 'readdressed'; from: string; to: string }
  | { event: 'ap-down'; why: 'provisioned' | 'vanish-fault' | 'reboot' }
  | { event: 'rebooting'; downMs: number }
  | { event: 'booted' }
  | { event: 'stopped' }
  | { event: 'error'; during: string; message: string }

/** A running accessory. */
export interface SimulatedAccessory {
  /** The provisioning port (the AP side, or the home side for on-network provisioning). */
  readonly port: number
  /** The home listener's port once on the home network. */
  readonly homePort: number | undefined
  setFaults(faults: Partial<Faults>): void
  /** Reboots now: sessions and unsaved state are lost; saved Wi-Fi credentials survive. */
  reboot(downMs?: number): Promise<void>
  /** Leaves the home network: with mDNS goodbyes, or silently (unplugged). */
  unplug(how: 'goodbye' | 'silent'): Promise<void>
  /** Takes a new home IPv4 (checkReaddress rules); a refusal is a value, the move itself may reject. */
  readdress(to: string): Promise<ReaddressCheck>
  stop(): Promise<void>
}

/** Starts an accessory with its dependencies. */
export async function startAccessory(
  config: AccessoryConfig,
  deps: { effects: NetworkEffects; clock: Clock; emit: (event: DeviceEvent) => void },
): Promise<SimulatedAccessory> {
  const { effects, clock, emit } = deps
  let faults: Faults = { ...config.faults }
  // On-network provisioning: the device is already on the LAN and serves provisioning there; it has no AP.
  const onNetwork = config.lab?.startOnHome === true
  let provisioned = onNetwork
  let apUp = !onNetwork
  let apTransport: HttpTransport | undefined
  let homeTransport: HttpTransport | undefined
  let home: { ssid?: string | undefined; ip4?: string | undefined } = {}
  // A device comes back on the same port after a reboot, even when the first one was picked by the OS.
  let apPort = config.http.port
  let homePort = config.http.port

  let stopped = false
  let lingerTimer: TimerHandle | undefined
  // Background steps (leaving the AP, rebooting) report failures as events instead of crashing the process.
  const background = (during: string, work: () => Promise<unknown>) => {
    if (stopped) return
    work().catch((error: unknown) => emit({ event: 'error', during, message: (error as Error).message }))
  }

  const leaveAp = async (why: 'provisioned' | 'vanish-fault' | 'reboot') => {
    if (!apUp) return
    apUp = false
    await effects.leaveAp()
    emit({ event: 'ap-down', why })
  }

  // Idempotent: an on-network device is already home when it is provisioned again.
  const startHome = async () => {
    await effects.startHomeServices()
    if (homeTransport) return
    const hosts = await effects.homeHosts()
    if (hosts.length === 0) return
    homeTransport = await listen(hosts, homePort, 'home')
    homePort = homeTransport.port
  }

  const stopHome = async (how: 'goodbye' | 'silent') => {
    homeTransport?.resetAll()
    await homeTransport?.close()
    homeTransport = undefined
    await effects.stopHomeServices(how)
  }

  const onJoin = async (ssid: string) => {
    const ip4 = await effects.joinHome()
    provisioned = true
    home = { ssid, ip4 }
    emit({ event: 'joined-home', ip4 })
    // Like ESP firmware: the station reports Connected on got-IP; mDNS probing (~750 ms) and the home services
    // start alongside, not before it.
    background('home-services', startHome)
    return ip4
  }

  const makeStation = (): Station =>
    createStation({
      networks: () => config.networks.map((n, i) => ({ ...n, bssid: bssidFor(config.deviceId, i) })),
      clock,
      joinDelayMs: config.joinDelayMs,
      attempts: config.connectAttempts,
      resetOnFailure: config.resetOnFailure,
      onJoin,
    })
  let station = makeStation()

  const reboot = async (downMs = faults.rebootMs) => {
    emit({ event: 'rebooting', downMs })
    apTransport?.resetAll()
    await apTransport?.close()
    apTransport = undefined
    station.dispose()
    station = makeStation()
    const hadAp = apUp
    await leaveAp('reboot')
    if (provisioned) await stopHome('silent')
    await new Promise((r) => setTimeout(r, downMs))
    if (stopped) return
    // Saved credentials survive a reboot: a provisioned device rejoins home; an unprovisioned one brings its AP back.
    if (provisioned) await startHome()
    if (hadAp && !provisioned) {
      await effects.restoreAp()
      apUp = true
    }
    if (!onNetwork) apTransport = await listen([config.http.host], apPort, 'ap')
    emit({ event: 'booted' })
  }

  const endpoints = createEndpoints(config, {
    station: () => station,
    onStatusRead: (status) => {
      emit({ event: 'station', state: status.state, ...('ssid' in status && { ssid: status.ssid }), ...('reason' in status && { reason: status.reason }) })
      // A Connected GetStatus triggers wifi_prov_mgr_done(): the AP goes after the cleanup delay (§1.8).
      if (status.state === 'connected' && !lingerTimer) {
        lingerTimer = clock.setTimeout(() => background('leave-ap', () => leaveAp('provisioned')), config.apLingerMs)
      }
    },
    onApplied: () => {
      if (faults.apVanishesAfterApply) setImmediate(() => background('leave-ap', () => leaveAp('vanish-fault')))
    },
  })

  const localCtrl = createLocalCtrl(config, { ssid: () => home.ssid, ip4: () => home.ip4 })

  /** The AP side serves provisioning; the home side serves esp_local_ctrl, plus provisioning when on-network. */
  const route = (side: 'ap' | 'home', endpoint: string, body: Uint8Array, sessionId: number, isNew: boolean): Promise<EndpointReply> | EndpointReply => {
    if (side === 'home' && localCtrl.owns(endpoint)) return localCtrl.handle(endpoint, body, sessionId, isNew)
    if (side === 'home' && !onNetwork) return { status: 404, message: 'Not Found' }
    return endpoints.handle(endpoint, body, sessionId, isNew)
  }

  const listen = (hosts: readonly string[], port: number, side: 'ap' | 'home') =>
    startHttpTransport({
      hosts,
      port,
      responseDelayMs: () => faults.slowResponsesMs,
      onSessionEnded: (session) => {
        endpoints.endSession(session.id)
        localCtrl.endSession(session.id)
        emit({ event: 'session-ended', session: session.id })
      },
      handler: async (endpoint, body, session, isNew) => {
        emit({ event: 'request', endpoint, session: session.id, isNew })
        if (faults.rebootOn === endpoint) {
          faults = { ...faults, rebootOn: undefined }
          setImmediate(() => background('reboot', () => reboot()))
          return { status: 'drop' }
        }
        const reply = await route(side, endpoint, body, session.id, isNew)
        if (reply.status !== 200) emit({ event: 'refused', endpoint, status: reply.status, reason: 'message' in reply ? reply.message : 'connection dropped' })
        return reply
      },
    })

  effects.applyServiceFaults(faults)
  if (onNetwork) {
    home = { ssid: config.lab?.homeSsid, ip4: await effects.joinHome() }
    await startHome()
  } else {
    apTransport = await listen([config.http.host], apPort, 'ap')
    apPort = apTransport.port
  }
  emit({ event: 'ready', port: apTransport?.port ?? homeTransport?.port ?? config.http.port })

  return {
    get port() {
      return apTransport?.port ?? homeTransport?.port ?? config.http.port
    },
    get homePort() {
      return homeTransport?.port
    },
    setFaults(next) {
      faults = { ...faults, ...next }
      effects.applyServiceFaults(faults)
    },
    reboot,
    unplug: (how) => stopHome(how),
    async readdress(to) {
      const from = provisioned ? home.ip4 : undefined
      const check = checkReaddress(from, to)
      if (!check.ok || from === undefined) return check
      if (!effects.renumberHome) return { ok: false, code: 'no-home-ipv4', message: 'this device changes no network (no lab wiring)' }
      await effects.renumberHome(from, to)
      home = { ...home, ip4: to }
      // HTTP on the old address dies with it: its sockets go without a word (nothing can leave from an address
      // that is gone; IPv6 ones, whose addresses stay, simply close), and it listens on the new address set
      // before mDNS announces it.
      if (homeTransport) {
        await homeTransport.close()
        homeTransport = await listen(await effects.homeHosts(), homePort, 'home')
      }
      await effects.readdressHomeServices?.()
      emit({ event: 'readdressed', from, to })
      return check
    },
    async stop() {
      stopped = true
      if (lingerTimer) clock.clearTimeout(lingerTimer)
      station.dispose()
      await apTransport?.close()
      await stopHome('goodbye')
      emit({ event: 'stopped' })
    },
  }
}

/** A stable, locally administered BSSID per network the device sees. */
function bssidFor(deviceId: string, index: number): Uint8Array {
  const bytes = Buffer.from(deviceId, 'hex')
  bytes[0] = 0x02
  bytes[5] = ((bytes[5] ?? 0) + index + 1) & 0xff
  return new Uint8Array(bytes)
}
