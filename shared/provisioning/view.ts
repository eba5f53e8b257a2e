/**
 * What hosts and the renderer see of Wi-Fi onboarding (the Set up wizard): candidates to set up, the
 * requests that drive one flow, and the flow's view. Secrets travel only in requests (renderer → main:
 * setup code, passphrases); views and events never carry them. Device names and SSIDs are untrusted text.
 */
import { z } from 'zod'

/** The setup code a user scanned or typed (Espressif QR JSON or manual PoP). Secret: never logged or echoed. */
export const SetupCodeInput = z
  .object({
    /** Proof of possession (security 1) or SRP password (security 2). */
    pop: z.string().min(1).max(64).optional(),
    /** SRP username (security 2). */
    username: z.string().min(1).max(64).optional(),
    /** Security version the code was made for (QR `security`). */
    security: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    /** The accessory's provisioning name (QR `name`: its SoftAP SSID, e.g. PROV_CE03C0). */
    serviceName: z.string().min(1).max(32).optional(),
    /** QR `transport`. */
    transport: z.enum(['softap', 'ble', 'on-network']).optional(),
    /** QR `password`: the SoftAP's own WPA2 passphrase, if it has one. */
    apPassphrase: z.string().min(8).max(63).optional(),
  })
  .strict()
/** The setup code a user scanned or typed. */
export type SetupCodeInput = z.infer<typeof SetupCodeInput>

/** How an accessory category shapes the flow (docs/product.md). */
export const AccessoryCategory = z.enum(['bound', 'stand-alone', 'gateway', 'on-lan'])
/** How an accessory category shapes the flow. */
export type AccessoryCategory = z.infer<typeof AccessoryCategory>

const Port = z.number().int().min(1).max(65535)

/** Where the accessory is: its own setup AP, or already on the LAN. */
export const SetupTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('softap'), ssid: z.string().min(1).max(32), apPassphrase: z.string().min(8).max(63).optional() }).strict(),
  z.object({ kind: z.literal('on-network'), host: z.string().min(1).max(80), port: Port, deviceId: z.string().min(1).max(64).optional() }).strict(),
])
/** Where the accessory is. */
export type SetupTarget = z.infer<typeof SetupTarget>

/** Something the user can set up: an accessory AP in range or a provisionable device on the LAN. */
export interface SetupCandidate {
  /** Stable key for lists: `ap:<ssid>` or `lan:<deviceId>`. */
  key: string
  name: string
  target: SetupTarget
  /** Signal 0–100 of its AP. */
  signal?: number
  /** Its AP needs a passphrase (from the QR code or the label). */
  apSecured?: boolean
  deviceId?: string
}

/** Payload of `setup:start`. */
export const StartSetupRequest = z
  .object({
    target: SetupTarget,
    code: SetupCodeInput,
    /** Omitted: bound for a SoftAP, on-lan for a device already on the network. */
    category: AccessoryCategory.optional(),
  })
  .strict()
/** Payload of `setup:start`. */
export type StartSetupRequest = z.infer<typeof StartSetupRequest>

/** Payload of `setup:credentials`: the home network for the accessory. */
export const CredentialsRequest = z
  .object({
    ssid: z.string().min(1).max(32),
    /** 8–63 characters or 64 hex digits; omitted for open networks. */
    passphrase: z
      .string()
      .refine((p) => (p.length >= 8 && p.length <= 63) || /^[0-9a-fA-F]{64}$/.test(p), 'a Wi-Fi passphrase has 8–63 characters (or 64 hex digits)')
      .optional(),
    /** The network does not broadcast its name (typed by the user, not in the scan). */
    isHidden: z.boolean().optional(),
  })
  .strict()
/** Payload of `setup:credentials`. */
export type CredentialsRequest = z.infer<typeof CredentialsRequest>

/** Steps of a flow, in order; `failed` and `cancelled` end it like `done`. */
export const SetupStep = z.enum([
  'remember-network',
  'join-accessory',
  'manual-join',
  'secure-session',
  'scan',
  'choose-network',
  'sending',
  'device-connecting',
  'returning',
  'confirming',
  'storing',
  'done',
  'failed',
  'cancelled',
])
/** Steps of a flow. */
export type SetupStep = z.infer<typeof SetupStep>

/** What the user should do about an error (the wizard offers exactly this). */
export const SetupAction = z.enum(['reenter-passphrase', 'choose-network', 'reenter-code', 'open-diagnose', 'retry', 'join-manually', 'factory-reset'])
/** What the user should do about an error. */
export type SetupAction = z.infer<typeof SetupAction>

/** A network the accessory sees, as the wizard lists it. */
export const SetupNetwork = z.object({
  ssid: z.string(),
  /** 0–100 from the device's dBm. */
  signal: z.number(),
  rssi: z.number(),
  channel: z.number(),
  security: z.string(),
  /** Needs a passphrase. */
  secured: z.boolean(),
})
/** A network the accessory sees. */
export type SetupNetwork = z.infer<typeof SetupNetwork>

/** One line of a flow's history (shown in the wizard and kept in the journal). */
export const SetupEvent = z.object({ at: z.number(), step: SetupStep, text: z.string() })
/** One line of a flow's history. */
export type SetupEvent = z.infer<typeof SetupEvent>

/** The view of one onboarding flow. */
export const SetupView = z.object({
  id: z.string(),
  category: AccessoryCategory,
  accessory: z.object({ name: z.string(), ssid: z.string().optional(), deviceId: z.string().optional(), address: z.string().optional() }),
  step: SetupStep,
  /** `waiting` = the wizard needs the user (choose network, re-enter, join manually). */
  phase: z.enum(['running', 'waiting', 'finished']),
  outcome: z.enum(['confirmed', 'failed', 'cancelled']).optional(),
  /** The network the computer was on before, restored at the end. */
  originalNetwork: z.string().optional(),
  /** The computer is on the accessory's network now. */
  onAccessoryNetwork: z.boolean(),
  /** Networks the accessory sees (strongest first). */
  networks: z.array(SetupNetwork),
  /** The network chosen for the accessory. */
  chosenSsid: z.string().optional(),
  /** Plain-language notes for the user (no internet while joined, probably succeeded…). */
  notices: z.array(z.string()),
  error: z.object({ code: z.string(), message: z.string(), action: SetupAction }).optional(),
  /** Join the accessory AP by hand: the OS adapter could not (permissions, platform). */
  manualJoin: z.object({ ssid: z.string(), reason: z.string() }).optional(),
  /** Where it was confirmed on the home LAN. */
  confirmed: z.object({
    /** The id the accessory announces (TXT `id`), as stored in the trust store. */
    deviceId: z.string(),
    /** Discover's id for it (what Monitor and Diagnose take), when it was found by discovery. */
    discoveryId: z.string().optional(),
    name: z.string(),
    address: z.string(),
    interface: z.string().optional(),
  }).optional(),
  history: z.array(SetupEvent),
  startedAt: z.number(),
  updatedAt: z.number(),
})
/** The view of one onboarding flow. */
export type SetupView = z.infer<typeof SetupView>

/** Response of `setup:candidates`. */
export interface SetupCandidates {
  candidates: SetupCandidate[]
  /** Host Wi-Fi state: can we join accessory APs ourselves? */
  wifi: { available: boolean; reason?: string; current?: string }
}

/** A paired accessory as listed (no credentials). */
export interface TrustedAccessoryView {
  deviceId: string
  name: string
  protocol: string
  security: number
  network?: string
  address?: string
  pairedAt: number
  lastSeenAt?: number
}

/** Event `setup:changed`: the whole view of the current flow (null when none). */
export const SetupChange = z.object({ view: SetupView.nullable() })
/** Event `setup:changed`. */
export type SetupChange = z.infer<typeof SetupChange>
