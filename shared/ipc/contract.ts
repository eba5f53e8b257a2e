/**
 * The one IPC contract: every request channel, its payload schema and response type, and every event.
 *
 * All three hosts (Electron, the loopback web host, the CLI) and the renderer import these; no channel
 * string is written anywhere else. When this file passes ~300 lines, split it by feature under
 * `contract/` and merge the parts here.
 */
import { z } from 'zod'
import { InterfacesChange, type NetInterface } from '../net/interfaces'
import { DiscoveryChange, DiscoveryOptions, type DiscoverySnapshot, type DiscoveryStatus, type RawPacket } from '../discovery/view'
import { SessionChange, WatchRequest, type SessionView } from '../session/view'
import { CredentialsRequest, SetupChange, SetupCodeInput, StartSetupRequest, type SetupCandidates, type SetupView, type TrustedAccessoryView } from '../provisioning/view'
import { BundleRequest, DiagnoseProgress, DiagnoseRequest, type DecodedErrorView, type DiagnoseReport, type SupportBundle } from '../diagnose/view'

/** Which host is serving the contract. */
export const HostKind = z.enum(['electron', 'web', 'cli'])
/** Which host is serving the contract. */
export type HostKind = z.infer<typeof HostKind>

/** Response of `app:info`. */
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  hostKind: HostKind,
  runtime: z.object({ node: z.string(), electron: z.string().optional(), chrome: z.string().optional() }),
})
/** Response of `app:info`. */
export type AppInfo = z.infer<typeof AppInfo>

/** Request channel → type of its successful response. */
export type Responses = {
  'app:info': AppInfo
  'net:interfaces': readonly NetInterface[]
  /** Starts discovery if it is not running (idempotent) and returns everything known so far. */
  'discovery:snapshot': DiscoverySnapshot
  /** Changes which interface kinds are browsed; returns the new status. */
  'discovery:setOptions': DiscoveryStatus
  /** Recent packets that carried records of one device (newest last). */
  'discovery:packets': readonly RawPacket[]
  /** Forgets everything and browses again from scratch (QU on every interface). */
  'discovery:restart': DiscoveryStatus
  /** Every watched session. */
  'session:list': readonly SessionView[]
  /** Starts watching an accessory (or returns the session that already watches it). */
  'session:watch': SessionView
  /** Stops watching; `removed` is false when there was no such session. */
  'session:unwatch': { removed: boolean }
  /** Checks a session now (an immediate heartbeat; a reconnect attempt if it is not connected). */
  'session:check': SessionView
  /** Runs the host checks (and one device's drill-down); progress arrives as `diagnose:progressed`. */
  'diagnose:run': DiagnoseReport
  /** Turns a report into a redacted support bundle (JSON + HTML). */
  'diagnose:bundle': SupportBundle
  /** Explains an error code or message; empty when unknown. */
  'diagnose:decode': readonly DecodedErrorView[]
  /** Accessory APs in range and provisionable devices on the LAN, plus whether we can join APs ourselves. */
  'setup:candidates': SetupCandidates
  /** Starts onboarding one accessory (one flow at a time); progress arrives as `setup:changed`. */
  'setup:start': SetupView
  /** The current (or last finished) flow, null when none. */
  'setup:current': SetupView | null
  /** Asks the accessory to scan again. */
  'setup:rescan': SetupView
  /** The home network for the accessory: sends, applies, follows the accessory until confirmed or failed. */
  'setup:credentials': SetupView
  /** A corrected setup code after `wrong-code`. */
  'setup:code': SetupView
  /** The user joined the accessory's network by hand (the flow also notices by itself). */
  'setup:joined': SetupView
  /** Cancels the flow; the computer returns to its original network. */
  'setup:cancel': SetupView
  /** Forgets a finished flow. */
  'setup:dismiss': { dismissed: boolean }
  /** Paired accessories (metadata only). */
  'trust:list': readonly TrustedAccessoryView[]
  /** Forgets a paired accessory and its credentials. */
  'trust:forget': { removed: boolean }
}

/** Payload schemas, one per channel; `satisfies` makes this exhaustive over `Responses`. */
export const requestSchemas = {
  'app:info': z.undefined(),
  'net:interfaces': z.undefined(),
  'discovery:snapshot': z.undefined(),
  'discovery:setOptions': DiscoveryOptions.partial().strict(),
  'discovery:packets': z.object({ deviceId: z.string().min(1).max(64) }).strict(),
  'discovery:restart': z.undefined(),
  'session:list': z.undefined(),
  'session:watch': WatchRequest,
  'session:unwatch': z.object({ id: z.string().min(1).max(128) }).strict(),
  'session:check': z.object({ id: z.string().min(1).max(128) }).strict(),
  'diagnose:run': DiagnoseRequest,
  'diagnose:bundle': BundleRequest,
  'diagnose:decode': z.object({ text: z.string().max(4096) }).strict(),
  'setup:candidates': z.undefined(),
  'setup:start': StartSetupRequest,
  'setup:current': z.undefined(),
  'setup:rescan': z.undefined(),
  'setup:credentials': CredentialsRequest,
  'setup:code': z.object({ code: SetupCodeInput }).strict(),
  'setup:joined': z.undefined(),
  'setup:cancel': z.undefined(),
  'setup:dismiss': z.undefined(),
  'trust:list': z.undefined(),
  'trust:forget': z.object({ deviceId: z.string().min(1).max(64) }).strict(),
} satisfies Record<keyof Responses, z.ZodType>

/** Event schemas (main → renderer only); events carry data, never commands. */
export const eventSchemas = {
  'net:interfacesChanged': InterfacesChange,
  'discovery:changed': DiscoveryChange,
  'session:changed': SessionChange,
  'diagnose:progressed': DiagnoseProgress,
  'setup:changed': SetupChange,
} satisfies Record<string, z.ZodType>

/** Event name → payload type. */
export type Events = { [E in keyof typeof eventSchemas]: z.infer<(typeof eventSchemas)[E]> }

/** A request channel name. */
export type Channel = keyof Responses
/** An event name. */
export type EventName = keyof Events

/** Every request channel, from the schema table (the preload's allowlist). */
export const CHANNELS = Object.keys(requestSchemas) as Channel[]
/** Every event name, from the schema table (the preload's allowlist). */
export const EVENT_NAMES = Object.keys(eventSchemas) as EventName[]

/** True when `name` is a request channel of the contract (own keys only: `__proto__` is not). */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name)
}

/** True when `name` is an event of the contract. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventSchemas, name)
}
