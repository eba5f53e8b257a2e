/**
 * A real discovery service over a transport without sockets, for host and contract tests that need the
 * handler table but must not bind port 5353: the engine runs, finds nothing and reports that it sent nothing.
 */
import { createDiscoveryService, type DiscoveryService } from '../../main/discovery/service'
import type { MdnsTransport } from '../../main/discovery/transport'
import type { ReadInterfaces } from '../../main/net/interfaces'
import { createSessionManager, type SessionManager } from '../../main/session/manager'
import { systemClock } from '../../main/util/clock'
import { createDiagnoseService, type DiagnoseService } from '../../main/diagnose/service'
import { recordRecentEvents } from '../../main/diagnose/recent-events'
import { createEventHub } from '../../main/events'
import { memoryJournal } from '../../main/provisioning/journal'
import { createSetupService, type SetupService } from '../../main/provisioning/setup-service'

/** A transport that binds nothing and sends nowhere. */
export function socketlessTransport(): MdnsTransport {
  return {
    start: async () => ({ ownsPort: true, problems: [] }),
    setLinks: async () => [],
    send: async () => new Error('socketless transport'),
    sendUnicast: async () => new Error('socketless transport'),
    states: () => [],
    close: async () => undefined,
  }
}

/** A discovery service on the socketless transport. */
export function quietDiscovery(readInterfaces: ReadInterfaces = async () => []): DiscoveryService {
  return createDiscoveryService(readInterfaces, { transport: socketlessTransport })
}

/** A real session manager over a quiet discovery service: watching works, nothing is found by mDNS. */
export function quietSessions(discovery: DiscoveryService = quietDiscovery()): SessionManager {
  return createSessionManager({ clock: systemClock, discovery, readInterfaces: async () => [], emit: () => undefined })
}

/** A real Diagnose service on the quiet discovery: OS tools are reported as missing, there are no interfaces. */
export function quietDiagnose(discovery: DiscoveryService = quietDiscovery()): DiagnoseService {
  return createDiagnoseService({
    host: { kind: 'cli', name: 'Porchlight', version: '0.0.0' },
    platform: process.platform,
    clock: systemClock,
    run: async () => ({ stdout: '', stderr: 'not available in this test', exitCode: 127 }),
    readInterfaces: async () => [],
    discovery,
    sessions: quietSessions(discovery),
    recent: recordRecentEvents(createEventHub()),
    progress: () => undefined,
  })
}

/** A real Set up service with no Wi-Fi control and a driver that reaches nothing: flows fail as "unreachable". */
export function quietSetup(discovery: DiscoveryService = quietDiscovery()): SetupService {
  const unreachable = { ok: false as const, error: { code: 'unreachable' as const, message: 'Nothing answers in tests.' } }
  return createSetupService({
    wifi: async () => ({ wifi: undefined, reason: 'No Wi-Fi in tests.' }),
    driver: { protocol: 'esp-unified', probe: async () => unreachable, openSession: async () => unreachable },
    readInterfaces: async () => [],
    devices: () => discovery.devices(),
    confirm: { devices: () => discovery.devices(), wake: () => undefined, answers: async () => false, clock: systemClock },
    journal: memoryJournal(),
    clock: systemClock,
    emit: () => undefined,
  })
}
