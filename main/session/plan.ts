/**
 * Planning a connection: which addresses, which port and which heartbeat protocol, from what discovery
 * knows about a device right now (re-planned before every attempt, so a renumbered device is followed)
 * or from a fixed address.
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { DiscoveredDevice, DiscoveredService } from '../../shared/discovery/view'
import type { ProtocolConfig } from '../../shared/session/view'
import type { SessionProtocol } from './protocol'
import { espEndpointProtocol, httpPollProtocol } from './protocols/http-poll'
import { labControlProtocol } from './protocols/lab-control'
import { tcpHeartbeatProtocol } from './protocols/tcp-heartbeat'
import type { SessionPlan } from './session'

/** A plan, or why there is none yet (retried with backoff). */
export type PlanResult = { ok: true; value: SessionPlan } | { ok: false; error: { code: 'unknown-device' | 'no-address' | 'no-heartbeat-protocol' | 'name-not-resolved'; message: string } }

/** Builds the protocol a config names; `fallbackPort` is the discovered service port. */
export function protocolFor(config: ProtocolConfig, fallbackPort?: number): SessionProtocol {
  const port = config.port ?? fallbackPort
  switch (config.kind) {
    case 'lab-control':
      return labControlProtocol(port)
    case 'tcp-heartbeat':
      return tcpHeartbeatProtocol(port, config.requestHex, config.replyHex)
    case 'http-poll':
      return httpPollProtocol(port, config.path)
    case 'esp-endpoint':
      return espEndpointProtocol(port, config.endpoint)
  }
}

const txtValue = (service: DiscoveredService, key: string) => service.txt.find((t) => t.key.toLowerCase() === key)?.value ?? undefined

/** Picks a heartbeat from what the device advertises: the control port in TXT `ctl`, esp_local_ctrl, HTTP. */
export function autoProtocol(device: DiscoveredDevice): { service: DiscoveredService; config: ProtocolConfig } | undefined {
  for (const service of device.services) {
    const ctl = Number(txtValue(service, 'ctl'))
    if (Number.isInteger(ctl) && ctl > 0 && ctl < 65536) return { service, config: { kind: 'lab-control', port: ctl } }
  }
  const esp = device.services.find((s) => s.type === '_esp_local_ctrl._tcp' && s.port !== null)
  if (esp) return { service: esp, config: { kind: 'esp-endpoint' } }
  const http = device.services.find((s) => s.type === '_http._tcp' && s.port !== null)
  if (http) return { service: http, config: { kind: 'http-poll', path: txtValue(http, 'path')?.startsWith('/') ? (txtValue(http, 'path') as string) : '/' } }
  return undefined
}

/** Plans for a discovered device. */
export function planForDevice(device: DiscoveredDevice | undefined, deviceId: string, config: ProtocolConfig | undefined): PlanResult {
  if (!device) return { ok: false, error: { code: 'unknown-device', message: `Device ${deviceId} has not been seen on any network yet; Porchlight keeps looking.` } }
  const auto = autoProtocol(device)
  const service = config ? (auto?.service ?? device.services.find((s) => s.port !== null)) : auto?.service
  const chosen = config ?? auto?.config
  if (!chosen || !service) {
    return { ok: false, error: { code: 'no-heartbeat-protocol', message: `${device.name} advertises no service Porchlight can heartbeat (${device.types.join(', ') || 'none'}); watch it by address with a protocol instead.` } }
  }
  const protocol = protocolFor(chosen, service.port ?? undefined)
  const addresses = service.addresses.length ? service.addresses : device.addresses
  if (addresses.length === 0) return { ok: false, error: { code: 'no-address', message: `${device.name} has not announced an address (it may be offline).` } }
  const port = protocol.port ?? service.port ?? 0
  const id = txtValue(service, 'id')
  return {
    ok: true,
    value: {
      targets: addresses.map((a) => ({ address: a.address, interfaceName: a.interface })),
      port,
      protocol,
      label: device.name,
      hostHeader: service.host ?? device.name,
      ...(chosen.kind === 'lab-control' && id && { expectedDeviceId: id }),
    },
  }
}

/** Plans for a fixed address (an IP literal, possibly with `%zone`, or a host name resolved each time). */
export async function planForAddress(host: string, port: number, config: ProtocolConfig | undefined): Promise<PlanResult> {
  const protocol = protocolFor(config ?? { kind: 'lab-control' }, port)
  const label = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const base = { port: config?.port ?? port, protocol, label, hostHeader: label }
  if (isIP(host.split('%')[0] ?? '') !== 0) return { ok: true, value: { ...base, targets: [host] } }
  try {
    const found = await lookup(host, { all: true, verbatim: true })
    return { ok: true, value: { ...base, targets: found.map((f) => f.address) } }
  } catch (error) {
    return { ok: false, error: { code: 'name-not-resolved', message: `The name ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'}); check it or use an address.` } }
  }
}
