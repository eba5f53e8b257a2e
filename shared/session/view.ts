/**
 * What hosts and the renderer see of connection health: one live session per watched accessory, its
 * debounced state with the cause in plain language, RTT samples for the sparkline and a timeline of gaps
 * and reconnects. Plain JSON validated with zod on both sides; device names are untrusted text.
 */
import { z } from 'zod'

/** Debounced state of a session (see main/session/session.ts for the transitions). */
export const SessionState = z.enum(['connecting', 'connected', 'stalled', 'reconnecting', 'offline'])
/** Debounced state of a session. */
export type SessionState = z.infer<typeof SessionState>

const Port = z.number().int().min(1).max(65535)

/** Whom to watch: a discovered device (followed through address changes) or a fixed address. */
export const SessionTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('device'), deviceId: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('address'), host: z.string().min(1).max(80), port: Port }).strict(),
])
/** Whom to watch. */
export type SessionTarget = z.infer<typeof SessionTarget>

/** How to tell the accessory is alive; the port defaults to what discovery announced. */
export const ProtocolConfig = z.discriminatedUnion('kind', [
  /** The lab accessory's control/heartbeat service (tests/lab/accessory/control/PROTOCOL.md). */
  z.object({ kind: z.literal('lab-control'), port: Port.optional() }).strict(),
  /** Any TCP service: send `requestHex` each interval; any bytes back (or ones starting with `replyHex`) count. */
  z
    .object({
      kind: z.literal('tcp-heartbeat'),
      port: Port.optional(),
      requestHex: z.string().regex(/^(?:[0-9a-fA-F]{2}){1,256}$/, 'hex bytes, 1-256 of them'),
      replyHex: z.string().regex(/^(?:[0-9a-fA-F]{2}){1,256}$/, 'hex bytes, 1-256 of them').optional(),
    })
    .strict(),
  /** HTTP/1.1 polling over one kept-alive connection; any status below 500 counts as alive. */
  z.object({ kind: z.literal('http-poll'), port: Port.optional(), path: z.string().regex(/^\/[\x21-\x7e]{0,199}$/, 'a path starting with /') }).strict(),
  /** An ESP protocomm endpoint over HTTP (default esp_local_ctrl's `version`, which needs no session). */
  z.object({ kind: z.literal('esp-endpoint'), port: Port.optional(), endpoint: z.string().regex(/^[A-Za-z0-9_\-/.]{1,64}$/).optional() }).strict(),
])
/** How to tell the accessory is alive. */
export type ProtocolConfig = z.infer<typeof ProtocolConfig>
/** A protocol's name. */
export type ProtocolKind = ProtocolConfig['kind']

/** Heartbeat interval bounds (ms): the stall timer fires after 2.5 intervals without any byte received. */
export const HEARTBEAT_MIN_MS = 200
/** Heartbeat interval bounds (ms). */
export const HEARTBEAT_MAX_MS = 60_000
/** Default heartbeat interval (ms). */
export const HEARTBEAT_DEFAULT_MS = 1000

/** Payload of `session:watch`; watching the same accessory twice returns the existing session. */
export const WatchRequest = z
  .object({
    target: SessionTarget,
    /** Omitted: chosen from what the device advertises (control port in TXT `ctl`, esp_local_ctrl). */
    protocol: ProtocolConfig.optional(),
    intervalMs: z.number().int().min(HEARTBEAT_MIN_MS).max(HEARTBEAT_MAX_MS).optional(),
  })
  .strict()
/** Payload of `session:watch`. */
export type WatchRequest = z.infer<typeof WatchRequest>

/** One heartbeat: its round-trip time, or null when no reply came within the interval. */
export const RttSample = z.object({ at: z.number(), rttMs: z.number().nonnegative().nullable() })
/** One heartbeat sample. */
export type RttSample = z.infer<typeof RttSample>

/** Kinds of timeline entries. */
export const TimelineKind = z.enum(['connected', 'stalled', 'reconnecting', 'offline', 'recovered', 'address-changed', 'network-changed', 'resumed', 'closed'])
/** Kinds of timeline entries. */
export type TimelineKind = z.infer<typeof TimelineKind>

/** One event of the gap/reconnect timeline; `gapMs` is the silence a `recovered`/`connected` entry ended. */
export const TimelineEntry = z.object({ at: z.number(), kind: TimelineKind, detail: z.string(), gapMs: z.number().nonnegative().optional() })
/** One event of the timeline. */
export type TimelineEntry = z.infer<typeof TimelineEntry>

/** Where the live connection goes. */
export const SessionRemote = z.object({
  address: z.string(),
  port: Port,
  family: z.union([z.literal(4), z.literal(6)]),
  interface: z.string().optional(),
  localAddress: z.string().optional(),
})
/** Where the live connection goes. */
export type SessionRemote = z.infer<typeof SessionRemote>

/** Counters since the session was created. */
export const SessionStats = z.object({
  heartbeatsSent: z.number().int().nonnegative(),
  repliesReceived: z.number().int().nonnegative(),
  missed: z.number().int().nonnegative(),
  stalls: z.number().int().nonnegative(),
  reconnects: z.number().int().nonnegative(),
  longestGapMs: z.number().nonnegative(),
})
/** Counters of a session. */
export type SessionStats = z.infer<typeof SessionStats>

/** A session as the UI shows it. */
export const SessionView = z.object({
  id: z.string(),
  target: SessionTarget,
  /** Device name or host:port — untrusted, render as text. */
  label: z.string(),
  protocol: z.string(),
  intervalMs: z.number().int(),
  state: SessionState,
  /** Wall-clock ms of the last state change. */
  since: z.number(),
  /** Why the session is in this state, in plain language. */
  cause: z.string(),
  remote: SessionRemote.nullable(),
  lastRttMs: z.number().nullable(),
  /** Newest last, at most `MAX_SAMPLES`. */
  samples: z.array(RttSample),
  /** Newest last, at most `MAX_TIMELINE`. */
  timeline: z.array(TimelineEntry),
  stats: SessionStats,
  /** When the next reconnect attempt is due (wall-clock ms), while reconnecting or offline. */
  nextAttemptAt: z.number().nullable(),
})
/** A session as the UI shows it. */
export type SessionView = z.infer<typeof SessionView>

/** Samples kept per session (five minutes at 1 s). */
export const MAX_SAMPLES = 300
/** Timeline entries kept per session. */
export const MAX_TIMELINE = 200

/**
 * Event `session:changed`: a session's whole view on a state or timeline change, a lighter `sample` per
 * heartbeat (append it; at most `MAX_SAMPLES` kept), or its removal.
 */
export const SessionChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('updated'), session: SessionView }),
  z.object({ kind: z.literal('sample'), id: z.string(), sample: RttSample, stats: SessionStats }),
  z.object({ kind: z.literal('removed'), id: z.string() }),
])
/** Event `session:changed`. */
export type SessionChange = z.infer<typeof SessionChange>
