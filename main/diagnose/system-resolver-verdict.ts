/**
 * Comparing the OS's DNS-SD view with Porchlight's, per service type (pure). Instance names compare with
 * ASCII case folded (RFC 6762 §16: other bytes compare exactly). "The OS sees it, Porchlight does not" is a
 * warning, not a failure: both views are snapshots taken at slightly different times, and a device that
 * just appeared may be in one only. Its usual causes are the app's permission (macOS Local Network) or a
 * firewall that lets the OS's responder receive mDNS but not Porchlight. "Porchlight sees more" is fine:
 * Porchlight browses every usable interface and keeps what it heard longer than the OS tool's quick look.
 */
import type { DiagnoseCheck, Facts } from '../../shared/diagnose/view'
import type { DiscoveredDevice } from '../../shared/discovery/view'
import { LOCAL_NETWORK_STEPS } from '../net/connect'
import { normaliseType, type OsInstance } from './system-resolver-parse'

type Check = Omit<DiagnoseCheck, 'group'>

/** One type's two views and how they differ (display names, each once). */
export interface TypeComparison {
  type: string
  os: string[]
  ours: string[]
  osOnly: string[]
  oursOnly: string[]
}

const fold = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase())
const isControl = (c: string) => {
  const n = c.codePointAt(0) ?? 0
  return n < 0x20 || (n >= 0x7f && n < 0xa0)
}
const clean = (text: string, max = 63) => {
  const t = Array.from(text, (c) => (isControl(c) ? '?' : c)).join('')
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}
const quoted = (names: readonly string[]) => {
  const shown = names.slice(0, 5).map((n) => `"${clean(n)}"`)
  const all = names.length > 5 ? [...shown, `${names.length - 5} more`] : shown
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all.at(-1) ?? ''}`
}
const services = (n: number) => (n === 1 ? 'service' : 'services')

function unique(names: readonly string[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const n of names) if (!map.has(fold(n))) map.set(fold(n), n)
  return map
}

/** Instance names of `type` among the devices Porchlight has up now (domain `local`). */
export function ourInstances(devices: readonly DiscoveredDevice[], type: string): string[] {
  const t = normaliseType(type)
  return devices.filter((d) => d.status === 'up').flatMap((d) => d.services)
    .filter((s) => normaliseType(s.type) === t && s.domain.toLowerCase().replace(/\.$/, '') === 'local').map((s) => s.instance)
}

/** Compares the two views of one type. */
export function compareInstances(type: string, os: readonly string[], ours: readonly string[]): TypeComparison {
  const o = unique(os)
  const p = unique(ours)
  return {
    type: normaliseType(type),
    os: [...o.values()].sort(),
    ours: [...p.values()].sort(),
    osOnly: [...o].filter(([k]) => !p.has(k)).map(([, v]) => v).sort(),
    oursOnly: [...p].filter(([k]) => !o.has(k)).map(([, v]) => v).sort(),
  }
}

/** A stable id per type, e.g. `resolver-esp-local-ctrl-tcp`. */
export function typeCheckId(type: string): string {
  return `resolver-${normaliseType(type).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`
}

function blockedAdvice(platform: NodeJS.Platform): Pick<Check, 'advice' | 'steps'> {
  const again = 'If Porchlight started only moments ago, wait a few seconds and run Diagnose again.'
  if (platform === 'darwin') {
    return {
      advice: `Porchlight is probably not allowed to use the local network: allow it in System Settings › Privacy & Security › Local Network. If the macOS firewall is on, also allow incoming connections for Porchlight (System Settings › Network › Firewall › Options). ${again}`,
      steps: [...LOCAL_NETWORK_STEPS],
    }
  }
  if (platform === 'win32') {
    return {
      advice: 'A firewall probably lets Windows’ Bonjour service receive mDNS but not Porchlight: allow Porchlight on private networks in Windows Security › Firewall & network protection › Allow an app through firewall, ' +
        `and check that this network is set to Private, not Public (Settings › Network & internet). Security software with its own firewall needs the same. ${again}`,
    }
  }
  return {
    advice: 'A firewall probably lets avahi-daemon receive mDNS answers but not Porchlight: allow UDP port 5353 (firewalld: `sudo firewall-cmd --add-service=mdns`; ufw: `sudo ufw allow 5353/udp`). ' +
      `If the Ports check shows another program holding UDP 5353, it can take answers meant for Porchlight. ${again}`,
  }
}

function facts(cmp: TypeComparison, tool: string, details: readonly OsInstance[], note: string | undefined): Facts {
  return {
    tool, type: cmp.type, os: cmp.os, porchlight: cmp.ours, osOnly: cmp.osOnly, porchlightOnly: cmp.oursOnly,
    osSightings: details.slice(0, 20).map((d) => ({
      name: d.name, interface: d.interface, ...(d.protocol !== undefined && { protocol: d.protocol }),
      ...(d.address !== undefined && { address: d.address }), ...(d.port !== undefined && { port: d.port }),
    })),
    ...(note !== undefined && { note }),
  }
}

/** The check for one type: warn when the OS sees instances Porchlight does not; pass otherwise (with a note when Porchlight sees more). */
export function typeCheck(cmp: TypeComparison, tool: string, platform: NodeJS.Platform, details: readonly OsInstance[] = [], note?: string): Check {
  const base = { id: typeCheckId(cmp.type), title: `What the OS sees: ${cmp.type}`, facts: facts(cmp, tool, details, note) }
  const shared = cmp.os.length - cmp.osOnly.length
  const alsoOurs = cmp.oursOnly.length > 0 ? ` Porchlight also sees ${quoted(cmp.oursOnly)}, which the OS does not list.` : ''
  if (cmp.osOnly.length > 0) {
    const agreed = shared > 0 ? ` Both see ${shared} other ${services(shared)}.` : ''
    return {
      ...base, status: 'warn',
      summary: `The OS (${tool}) sees ${cmp.osOnly.length} ${cmp.type} ${services(cmp.osOnly.length)} that Porchlight does not: ${quoted(cmp.osOnly)}.${agreed}${alsoOurs}`,
      ...blockedAdvice(platform),
    }
  }
  if (cmp.oursOnly.length > 0) {
    const osPart = cmp.os.length > 0 ? `Both see ${quoted(cmp.os)}; ` : ''
    return {
      ...base, status: 'pass', advice: '',
      summary: `${osPart}Porchlight sees ${cmp.oursOnly.length} ${cmp.type} ${services(cmp.oursOnly.length)} the OS (${tool}) does not list: ${quoted(cmp.oursOnly)}. ` +
        'That is fine: Porchlight listens on every usable interface and for longer than the OS tool’s quick look.',
    }
  }
  if (cmp.os.length === 0) {
    return { ...base, status: 'pass', advice: '', summary: `Neither the OS (${tool}) nor Porchlight sees any ${cmp.type} service.` }
  }
  return { ...base, status: 'pass', advice: '', summary: `Porchlight and the OS (${tool}) see the same ${cmp.os.length} ${cmp.type} ${services(cmp.os.length)}: ${quoted(cmp.os)}.` }
}

/** The single skip when the OS's browser is missing or not running, with why and what would enable it. */
export function unavailableCheck(reason: string, advice: string): Check {
  return {
    id: 'resolver-system', title: 'What the OS sees', status: 'skip',
    summary: `The OS’s own DNS-SD browser could not be asked, so there is nothing to compare with: ${reason}.`,
    advice, facts: { reason },
  }
}
