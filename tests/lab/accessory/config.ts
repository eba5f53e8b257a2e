/**
 * Configuration of one simulated accessory, and the fault switches the lab flips on it. Validated with zod:
 * it arrives as JSON from the lab, from `npm run sim` flags, or over the control pipe.
 */
import { z } from 'zod'

/** A network the accessory's radio can see (scan results) and whose passphrase it accepts. */
export const NetworkSpec = z.object({
  ssid: z.string().min(1).max(32),
  passphrase: z.string().min(8).max(63).optional(),
  rssi: z.number().int().min(-100).max(0).default(-55),
  channel: z.number().int().min(1).max(165).default(6),
})
/** A network the accessory can see. */
export type NetworkSpec = z.infer<typeof NetworkSpec>

/** The fault switches (docs/lab.md); each can also be changed while the accessory runs. */
export const Faults = z.object({
  /** The AP goes down right after the Apply response (the common real case; provisioning still succeeds). */
  apVanishesAfterApply: z.boolean().default(false),
  /** Reboot when this endpoint's request arrives (before answering): all sessions lost, down for `rebootMs`. */
  rebootOn: z.enum(['prov-session', 'prov-scan', 'prov-config', 'prov-ctrl', 'custom-data']).optional(),
  rebootMs: z.number().int().min(0).max(60_000).default(1500),
  /** Every HTTP reply is delayed this long. */
  slowResponsesMs: z.number().int().min(0).max(60_000).default(0),
  /** The control connection stays open but nothing is read or written. */
  stallControl: z.boolean().default(false),
  /** mDNS oddities. */
  mdnsNoAdditionals: z.boolean().default(false),
  mdnsNsecForwardPointer: z.boolean().default(false),
  mdnsTxtOddities: z.boolean().default(false),
  mdnsHostTtl4500: z.boolean().default(false),
  /** Claim this instance name without probing (a conflict with whoever owns it). */
  mdnsConflictName: z.string().min(1).max(63).optional(),
})
/** The fault switches. */
export type Faults = z.infer<typeof Faults>

/** One simulated accessory. */
export const AccessoryConfig = z.object({
  /** Lab id, short. */
  id: z.string().regex(/^[a-z0-9]{1,6}$/),
  /** Stable device id advertised in TXT `id` (survives reboots and re-provisioning). */
  deviceId: z.string().regex(/^[0-9a-f]{12}$/),
  /** Human name: the SoftAP SSID style `PROV_XXXXXX`. */
  name: z.string().min(1).max(32),
  security: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /** Security 2 AES-GCM nonce scheme: 1 = patched 12-byte counter nonce, 0 = legacy per-session 16-byte IV. */
  secPatchVersion: z.union([z.literal(0), z.literal(1)]).default(1),
  /** Proof of possession (sec1) or SRP password (sec2). Never logged. */
  pop: z.string().max(64).optional(),
  username: z.string().min(1).max(64).default('wifiprov'),
  networks: z.array(NetworkSpec).default([]),
  /** Where the provisioning HTTP server listens (the AP address, or the home address when already on the LAN). */
  http: z.object({ host: z.string(), port: z.number().int().min(0).max(65535) }),
  /** Association + DHCP time of a join. */
  joinDelayMs: z.number().int().min(0).max(60_000).default(800),
  /** ESP wifi_conn_attempts. */
  connectAttempts: z.number().int().min(0).max(10).default(0),
  resetOnFailure: z.boolean().default(false),
  /**
   * proto-ver carries an app-info object `{"device":{"ver":"1.0","cap":["id=<deviceId>"]}}` (what firmware sets
   * with wifi_prov_mgr_set_app_info), so a client learns the stable id before the device joins home; false = stock.
   */
  appInfoId: z.boolean().default(true),
  /** Serves `prov-ctrl` (IDF ≥ 5.1); false answers 404 there, as older firmware's httpd does. */
  provCtrl: z.boolean().default(true),
  /** After Connected, the AP stays up this long (ESP's cleanup delay) unless the vanish fault is on. */
  apLingerMs: z.number().int().min(0).max(60_000).default(2000),
  /** Lab wiring; absent under `npm run sim`, which changes no network. */
  lab: z
    .object({
      apIfname: z.string().optional(),
      staIfname: z.string(),
      homeSsid: z.string(),
      homeAddress4: z.string().optional(),
      startOnHome: z.boolean().default(false),
      controlPort: z.number().int().min(1).max(65535).default(7300),
      mdnsType: z.string().default('_esp_local_ctrl._tcp'),
    })
    .optional(),
  faults: Faults.default(Faults.parse({})),
})
/** One simulated accessory. */
export type AccessoryConfig = z.infer<typeof AccessoryConfig>
