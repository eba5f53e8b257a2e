/**
 * Reading this machine's interfaces: the richest source the platform has, the portable one otherwise.
 */
import { access, readFile, readlink } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import type { NetInterface } from '../../shared/net/interfaces'
import { runCommand, type RunCommand } from '../util/exec'
import { parseIpAddrJson, type ReadSysfs, type SysfsFacts } from './linux-interfaces'
import { fromNodeInterfaces } from './node-interfaces'

/** Reads the current interface list. */
export type ReadInterfaces = () => Promise<NetInterface[]>

/** Dependencies of the interface reader; defaults are the real machine. */
export interface InterfaceSourceDeps {
  platform?: NodeJS.Platform
  run?: RunCommand
  readSysfs?: ReadSysfs
  nodeTable?: () => ReturnType<typeof networkInterfaces>
}

/** Builds the reader: on Linux `ip -json` + sysfs (falls back if iproute2 is missing), elsewhere Node's table. */
export function createInterfaceReader(deps: InterfaceSourceDeps = {}): ReadInterfaces {
  const platform = deps.platform ?? process.platform
  const run = deps.run ?? runCommand
  const readSysfs = deps.readSysfs ?? readLinuxSysfs
  const nodeTable = deps.nodeTable ?? networkInterfaces
  return async () => {
    if (platform === 'linux') {
      const fromIp = await readWithIproute(run, readSysfs).catch(() => undefined)
      if (fromIp) return fromIp
    }
    return sortByName(fromNodeInterfaces(nodeTable(), platform))
  }
}

async function readWithIproute(run: RunCommand, readSysfs: ReadSysfs): Promise<NetInterface[] | undefined> {
  const out = await run('ip', ['-details', '-json', 'address', 'show'], { timeoutMs: 3000 })
  if (out.exitCode !== 0) return undefined
  const names = parseIpAddrJson(out.stdout, new Map()).map((i) => i.name)
  const facts = new Map<string, SysfsFacts>()
  await Promise.all(names.map(async (name) => facts.set(name, await readSysfs(name))))
  return sortByName(parseIpAddrJson(out.stdout, facts))
}

/** Reads DEVTYPE, wireless and device-backing facts from /sys/class/net/<name>. */
export const readLinuxSysfs: ReadSysfs = async (name) => {
  const dir = join('/sys/class/net', name)
  const exists = (p: string) => access(join(dir, p)).then(() => true, () => false)
  const uevent = await readFile(join(dir, 'uevent'), 'utf8').catch(() => '')
  const devType = /^DEVTYPE=(.+)$/m.exec(uevent)?.[1]
  const [wireless, phy, device] = await Promise.all([
    exists('wireless'),
    exists('phy80211'),
    readlink(join(dir, 'device')).then(() => true, () => false),
  ])
  return { ...(devType !== undefined && { devType }), isWireless: wireless || phy, hasDevice: device }
}

function sortByName(list: NetInterface[]): NetInterface[] {
  return list.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
}
