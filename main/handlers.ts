/**
 * Implements the shared contract on top of the services. Exhaustive: a channel without a handler, or a
 * handler without a channel, does not compile.
 */
import { fail, ok, type AppInfo, type Handlers, type HostKind } from '../shared/ipc'
import type { DiscoveryService } from './discovery/service'
import type { ReadInterfaces } from './net/interfaces'
import type { SessionManager } from './session/manager'
import type { DiagnoseService } from './diagnose/service'
import type { SetupRefusal, SetupService } from './provisioning/setup-service'
import type { SetupView } from '../shared/provisioning/view'

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
  sessions: SessionManager
  diagnose: DiagnoseService
  setup: SetupService
}

const viewOrFail = (result: SetupView | SetupRefusal) => ('step' in result ? ok(result) : fail(result))

/** The handler table every host serves. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'app:info': async () => ok(appInfo(deps.host)),
    'net:interfaces': async () => ok(await deps.readInterfaces()),
    'discovery:snapshot': async () => ok(await deps.discovery.snapshot()),
    'discovery:setOptions': async (options) => ok(await deps.discovery.setOptions(options)),
    'discovery:packets': async ({ deviceId }) => ok(await deps.discovery.packets(deviceId)),
    'discovery:restart': async () => ok(await deps.discovery.restart()),
    'session:list': async () => ok(deps.sessions.list()),
    'session:watch': async (request) => ok(await deps.sessions.watch(request)),
    'session:unwatch': async ({ id }) => ok({ removed: deps.sessions.unwatch(id) }),
    'session:check': async ({ id }) => {
      const view = deps.sessions.check(id)
      return view ? ok(view) : fail({ code: 'not-found', message: 'That session is no longer watched; add the device again from Discover.' })
    },
    'diagnose:run': async (request) => {
      const report = await deps.diagnose.run(request)
      return 'error' in report ? fail({ code: 'not-found', message: report.error.message }) : ok(report)
    },
    'diagnose:bundle': async ({ report, redactHardwareIds }) => ok(await deps.diagnose.bundle(report, redactHardwareIds)),
    'diagnose:decode': async ({ text }) => ok(deps.diagnose.decode(text)),
    'setup:candidates': async () => ok(await deps.setup.candidates()),
    'setup:start': async (request) => viewOrFail(await deps.setup.start(request)),
    'setup:current': async () => ok(deps.setup.current()),
    'setup:rescan': async () => viewOrFail(deps.setup.give({ kind: 'rescan' })),
    'setup:credentials': async ({ ssid, passphrase, isHidden }) =>
      viewOrFail(deps.setup.give({ kind: 'credentials', ssid, ...(passphrase !== undefined && { passphrase }), ...(isHidden !== undefined && { isHidden }) })),
    'setup:code': async ({ code }) => viewOrFail(deps.setup.give({ kind: 'code', code })),
    'setup:joined': async () => viewOrFail(deps.setup.give({ kind: 'joined' })),
    'setup:cancel': async () => viewOrFail(deps.setup.cancel()),
    'setup:dismiss': async () => ok({ dismissed: deps.setup.dismiss() }),
    'trust:list': async () => ok(await deps.setup.trusted()),
    'trust:forget': async ({ deviceId }) => ok({ removed: await deps.setup.forget(deviceId) }),
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
