/**
 * WLAN profile XML for `netsh wlan add profile` (schema: learn.microsoft.com, "WLAN_profile Schema
 * Elements"), and the names Porchlight gives its profiles. Pure, so the XML is tested byte for byte.
 */
import type { WifiSecurity } from './port'

/** Name prefix of the profiles temporary joins create. */
export const TEMPORARY_PREFIX = 'porchlight-tmp-'

/** FNV-1a (32-bit) of the SSID's UTF-8 bytes: keeps sanitised profile names of different SSIDs apart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}

/**
 * The profile name for `ssid`: letters, digits, '.', '_' and '-' only, so it survives netsh's own argument
 * parsing (which knows no escapes) whatever the SSID holds, plus a hash so names stay unique.
 */
export function netshProfileName(ssid: string, isTemporary: boolean): string {
  const safe = ssid.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 32)
  return `${isTemporary ? TEMPORARY_PREFIX : 'porchlight-'}${safe}-${fnv1a(ssid)}`
}

/** Escapes text for XML element content, dropping characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- removing exactly the C0 controls XML 1.0 forbids
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** What goes into a profile. */
export interface WlanProfileSpec {
  name: string
  ssid: string
  security: WifiSecurity
  /** Absent for open networks. */
  passphrase?: string
  /** Enhanced Open: encrypted, no passphrase. */
  isOwe?: boolean
  /** connectionMode manual: Windows does not join it by itself later. */
  isTemporary: boolean
  isHidden: boolean
}

/**
 * Builds the profile. The SSID goes in as <hex> (exact bytes, which Windows prefers over <name> when both
 * are present) and as escaped <name> for people reading it. A 64-hex-digit key is a raw PSK (networkKey).
 */
export function buildWlanProfileXml(spec: WlanProfileSpec): string {
  const hex = Buffer.from(spec.ssid, 'utf8').toString('hex').toUpperCase()
  const auth = spec.isOwe ? 'OWE' : spec.passphrase === undefined ? 'open' : spec.security === 'wpa3-sae' ? 'WPA3SAE' : 'WPA2PSK'
  const encryption = auth === 'open' ? 'none' : 'AES'
  const key = spec.passphrase === undefined
    ? ''
    : [
        '\t\t\t<sharedKey>',
        `\t\t\t\t<keyType>${/^[0-9a-fA-F]{64}$/.test(spec.passphrase) ? 'networkKey' : 'passPhrase'}</keyType>`,
        '\t\t\t\t<protected>false</protected>',
        `\t\t\t\t<keyMaterial>${escapeXml(spec.passphrase)}</keyMaterial>`,
        '\t\t\t</sharedKey>',
        '',
      ].join('\n')
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<WLANProfile xmlns="http://www.microsoft.com/networking/WLAN/profile/v1">',
    `\t<name>${escapeXml(spec.name)}</name>`,
    '\t<SSIDConfig>',
    '\t\t<SSID>',
    `\t\t\t<hex>${hex}</hex>`,
    `\t\t\t<name>${escapeXml(spec.ssid)}</name>`,
    '\t\t</SSID>',
    `\t\t<nonBroadcast>${spec.isHidden ? 'true' : 'false'}</nonBroadcast>`,
    '\t</SSIDConfig>',
    '\t<connectionType>ESS</connectionType>',
    `\t<connectionMode>${spec.isTemporary ? 'manual' : 'auto'}</connectionMode>`,
    '\t<MSM>',
    '\t\t<security>',
    '\t\t\t<authEncryption>',
    `\t\t\t\t<authentication>${auth}</authentication>`,
    `\t\t\t\t<encryption>${encryption}</encryption>`,
    '\t\t\t\t<useOneX>false</useOneX>',
    '\t\t\t</authEncryption>',
    `${key}\t\t</security>`,
    '\t</MSM>',
    '</WLANProfile>',
    '',
  ].join('\n')
}
