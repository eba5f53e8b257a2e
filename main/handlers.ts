/**
 * Implements the shared contract on top of the services. Exhaustive: a channel without a handler, or a
 * handler without a channel, does not compile.
 */
import { ok, type AppInfo, type Handlers, type HostKind } from '../shared/ipc'
import type { DiscoveryService } from './discovery/service'
import type { ReadInterfaces } from './net/interfaces'

/** Facts about the running host that only the host knows. */
export interface HostFacts {
  kind: HostKind
  name: string
  version: string
  electron?: string
  chrome?: string
}

/** Services the handlers need. */
export interface HandlerDeps {
  host: HostFacts
  readInterfaces: ReadInterfaces
  discovery: DiscoveryService
}

/** The handler table every host serves. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => ok(appInfo(deps.host)),
    'net:interfaces': async () => ok(await deps.readInterfaces()),
    'discovery:snapshot': async () => ok(await deps.discovery.snapshot()),
    'discovery:setOptions': async (options) => ok(await deps.discovery.setOptions(options)),
    'discovery:packets': async ({ deviceId }) => ok(await deps.discovery.packets(deviceId)),
    'discovery:restart': async () => ok(await deps.discovery.restart()),
  }
}

function appInfo(host: HostFacts): AppInfo {
  return {
    name: host.name,
    version: host.version,
    platform: process.platform,
    arch: process.arch,
    hostKind: host.kind,
    runtime: {
      node: process.versions.node,
      ...(host.electron !== undefined && { electron: host.electron }),
      ...(host.chrome !== undefined && { chrome: host.chrome }),
    },
  }
}
