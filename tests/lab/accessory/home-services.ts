/**
 * What a provisioned accessory runs on the home network: its mDNS advertisement (with the TXT `id` that
 * onboarding confirms against) and the control/heartbeat service, plus the fault switches that act on them.
 */
import { createControlServer, type ControlServer } from './control'
import type { AccessoryConfig, Faults } from './config'
import { createMdnsResponder, type MdnsResponder } from './mdns'

/** Where the home services run. */
export interface HomeServiceSite {
  ifname: string
  ipv4?: string
  ipv6: string[]
}

/** Start/stop of the home services, with faults applied. */
export interface HomeServices {
  start(site: HomeServiceSite): Promise<void>
  stop(how: 'goodbye' | 'silent'): Promise<void>
  /** Moves running services to the site's new addresses after a renumbering; a no-op while stopped. */
  readdress(site: HomeServiceSite): Promise<void>
  applyFaults(faults: Faults): void
}

/**
 * The TXT record a provisioned lab accessory advertises (esp_local_ctrl's keys plus id, mac, control port);
 * the responder appends the odd strings itself when the TXT-oddities switch is on.
 */
export function accessoryTxt(config: AccessoryConfig, controlPort: number): string[] {
  return [
    'version_endpoint=/esp_local_ctrl/version',
    'session_endpoint=/esp_local_ctrl/session',
    'control_endpoint=/esp_local_ctrl/control',
    `id=${config.deviceId}`,
    `mac=${config.deviceId.match(/../g)?.join(':') ?? ''}`,
    `ctl=${controlPort}`,
  ]
}

/** Creates the (stopped) home services of one accessory. */
export function createHomeServices(config: AccessoryConfig, log: (event: Record<string, unknown>) => void): HomeServices {
  const lab = config.lab
  let responder: MdnsResponder | undefined
  let control: ControlServer | undefined
  let faults = config.faults

  const oddities = (f: Faults) => ({
    noAdditionals: f.mdnsNoAdditionals,
    nsecForwardPointer: f.mdnsNsecForwardPointer,
    txtOddities: f.mdnsTxtOddities,
    hostTtl4500: f.mdnsHostTtl4500,
    skipProbing: f.mdnsConflictName !== undefined,
  })

  return {
    async start(site) {
      if (!lab || responder) return
      control = await createControlServer({ host: site.ipv4 ?? '::', port: lab.controlPort, deviceId: config.deviceId })
      if (faults.stallControl) control.stall()
      responder = createMdnsResponder({
        hostname: `plx-${config.id}`,
        instanceName: faults.mdnsConflictName ?? config.name,
        serviceType: lab.mdnsType,
        port: config.http.port,
        txt: accessoryTxt(config, control.port),
        interfaces: [{ name: site.ifname, ...(site.ipv4 && { ipv4: [site.ipv4] }), ipv6: site.ipv6 }],
        oddities: oddities(faults),
        onEvent: (event) => {
          if (event.type === 'announced' || event.type === 'conflict' || event.type === 'error') log({ event: 'mdns', ...event })
        },
      })
      await responder.start()
    },
    async stop(how) {
      await responder?.stop({ silent: how === 'silent' })
      responder = undefined
      await control?.close()
      control = undefined
    },
    // A renumbered device (the old address is already gone): control connections on it are destroyed without
    // a word, the service listens on the new address (same port) before mDNS tells anyone, and the responder
    // re-announces its records with the new A (RFC 6762 §8.4). Destroyed rather than left hanging: a real
    // stack drops them too (lwIP aborts every PCB on the old address), and a later stop() must not owe them a
    // CLOSE. The kernel cannot route their FIN from the vanished address, so peers see silence; it keeps an
    // orphan in FIN-WAIT-1 retrying for a while, so moving back to that address soon would let the FIN out.
    async readdress(site) {
      if (!lab || !responder || !control) return
      const port = control.port
      await control.abandon()
      control = undefined
      control = await createControlServer({ host: site.ipv4 ?? '::', port, deviceId: config.deviceId })
      if (faults.stallControl) control.stall()
      await responder.updateInterface({ name: site.ifname, ...(site.ipv4 && { ipv4: [site.ipv4] }), ipv6: site.ipv6 })
    },
    applyFaults(next) {
      faults = next
      responder?.setOddities(oddities(next))
      if (next.stallControl) control?.stall()
      else control?.resume()
    },
  }
}
