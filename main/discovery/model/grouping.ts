/**
 * Instances into devices. Keys, strongest first: TXT `id`, TXT `mac`, the SRV target host, shared addresses.
 * A weaker key joins a stronger group only when exactly one stronger group claims it: a bridge host that
 * publishes several accessories (each with its own id) must not fold them into one device.
 */
import { createHash } from 'node:crypto'
import { nameKey, txtGet, type TxtRecord } from '../wire'
import { compareText } from './instances'
import type { AddressSighting, Device, DeviceKeyKind, ServiceInstance } from './types'

interface Item {
  instance: ServiceInstance
  id: string | undefined
  mac: string | undefined
  hosts: Set<string>
  addresses: Set<string>
  primary: string
}

/** `aa:bb:cc:dd:ee:ff`, `AABB.CCDD.EEFF`, `aa-bb-…` → `aabbccddeeff`; anything that is not 48 bits is no MAC. */
export function normalizeMac(value: string): string | undefined {
  const hex = value.replace(/[\s:.-]/g, '').toLowerCase()
  return /^[0-9a-f]{12}$/.test(hex) ? hex : undefined
}

function txtText(records: readonly (TxtRecord | undefined)[], key: string): string | undefined {
  for (const record of records) {
    const text = record ? txtGet(record, key)?.text?.trim() : undefined
    if (text) return text
  }
  return undefined
}

function toItem(instance: ServiceInstance): Item {
  const txts = instance.sightings.map((s) => s.txt)
  const id = txtText(txts, 'id')?.toLowerCase()
  const macText = txtText(txts, 'mac')
  const mac = macText === undefined ? undefined : normalizeMac(macText)
  const hosts = new Set(instance.sightings.flatMap((s) => (s.host ? [nameKey(s.host) ?? ''] : [])))
  const addresses = new Set(instance.sightings.flatMap((s) => s.addresses.map((a) => `${a.interfaceId}|${a.address}`)))
  const primary = id !== undefined ? `id:${id}` : mac !== undefined ? `mac:${mac}` : `host:${[...hosts].sort()[0] ?? instance.key}`
  return { instance, id, mac, hosts, addresses, primary }
}

/** Union-find over group keys; the root is the key the device is named after. */
class Groups {
  private readonly parent = new Map<string, string>()
  find(key: string): string {
    const up = this.parent.get(key)
    if (up === undefined || up === key) return key
    const root = this.find(up)
    this.parent.set(key, root)
    return root
  }
  join(child: string, root: string): void {
    const [a, b] = [this.find(child), this.find(root)]
    if (a !== b) this.parent.set(a, b)
  }
}

const isStrong = (key: string) => key.startsWith('id:') || key.startsWith('mac:')

/** Joins each weak primary key to the one stronger group that also carries it, if there is exactly one. */
function attach(items: readonly Item[], groups: Groups, weak: (item: Item) => string[], prefix: string, isStronger: (item: Item) => boolean) {
  const claims = new Map<string, Set<string>>()
  for (const item of items.filter(isStronger)) {
    for (const key of weak(item)) claims.set(key, (claims.get(key) ?? new Set()).add(groups.find(item.primary)))
  }
  for (const item of items.filter((i) => i.primary.startsWith(prefix))) {
    const owners = new Set(weak(item).flatMap((key) => [...(claims.get(key) ?? [])]).map((k) => groups.find(k)))
    const [owner] = owners
    if (owners.size === 1 && owner !== undefined) groups.join(item.primary, owner)
  }
}

/** Host-keyed groups that no stronger group claimed and that share an address are one device (e.g. a renamed host). */
function joinByAddress(items: readonly Item[], groups: Groups) {
  const seen = new Map<string, string>()
  for (const item of items) {
    if (isStrong(groups.find(item.primary))) continue
    for (const address of item.addresses) {
      const other = seen.get(address)
      if (other === undefined) seen.set(address, item.primary)
      else if (compareText(groups.find(other), groups.find(item.primary)) < 0) groups.join(item.primary, other)
      else groups.join(other, item.primary)
    }
  }
}

/** A stable id that reveals nothing odd-shaped from the network: kind plus a hash of the key. */
export function deviceId(rootKey: string): { id: string; kind: DeviceKeyKind } {
  const kind = rootKey.slice(0, rootKey.indexOf(':')) as DeviceKeyKind
  return { id: `${kind}-${createHash('sha256').update(rootKey).digest('hex').slice(0, 16)}`, kind }
}

function buildDevice(rootKey: string, members: Item[]): Device {
  const services = members.map((m) => m.instance).sort((a, b) => compareText(a.instance, b.instance) || compareText(a.type, b.type))
  const txts = services.flatMap((s) => s.sightings.map((x) => x.txt))
  const name = txtText(txts, 'name') ?? txtText(txts, 'fn') ?? services[0]?.instance ?? ''
  const addresses = new Map<string, AddressSighting>()
  for (const a of services.flatMap((s) => s.sightings.flatMap((x) => x.addresses))) addresses.set(`${a.interfaceId}|${a.connectAddress}`, a)
  const interfaceIds = [...new Set(services.flatMap((s) => s.sightings.map((x) => x.interfaceId)))].sort()
  const { id, kind } = deviceId(rootKey)
  return { id, keyKind: kind, name, services, addresses: [...addresses.values()], interfaceIds }
}

/** Groups instances that have an SRV on some interface into devices; only devices with a resolved service are up. */
export function groupDevices(instances: readonly ServiceInstance[]): Device[] {
  const items = instances.filter((i) => i.sightings.some((s) => s.host)).map(toItem)
  const groups = new Groups()
  attach(items, groups, (i) => (i.mac ? [`mac:${i.mac}`] : []), 'mac:', (i) => i.id !== undefined)
  attach(items, groups, (i) => [...i.hosts].map((h) => `host:${h}`), 'host:', (i) => isStrong(i.primary))
  joinByAddress(items, groups)
  const byRoot = new Map<string, Item[]>()
  for (const item of items) {
    const root = groups.find(item.primary)
    byRoot.set(root, [...(byRoot.get(root) ?? []), item])
  }
  return [...byRoot.entries()]
    .filter(([, members]) => members.some((m) => m.instance.isResolved))
    .map(([root, members]) => buildDevice(root, members))
    .sort((a, b) => compareText(a.id, b.id))
}
