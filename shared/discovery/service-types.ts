/**
 * DNS-SD service types Porchlight browses. macOS requires every browsed type in the app's Info.plist
 * (`NSBonjourServices`), so packaging reads this list too and a test keeps the two equal.
 */

/** Types browsed by default: ESP provisioning and control, HAP, Matter, Shelly, WLED, generic web UIs, printers. */
export const BROWSED_SERVICE_TYPES = [
  '_esp_wifi_prov._tcp',
  '_esp_local_ctrl._tcp',
  '_hap._tcp',
  '_hap._udp',
  '_matter._tcp',
  '_matterc._udp',
  '_matterd._udp',
  '_shelly._tcp',
  '_wled._tcp',
  '_http._tcp',
  '_ipp._tcp',
  '_ipps._tcp',
] as const

/** The DNS-SD meta-query for service-type enumeration (RFC 6763 §9). */
export const SERVICE_TYPE_ENUMERATION = '_services._dns-sd._udp'
